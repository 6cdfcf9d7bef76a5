from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import OrgKind
from core.forms import DateRangeMixin, VersionedModelForm
from members.forms import PersonChoiceField
from members.models import Person
from members.widgets import LookupFilters

from .dues import add_months, month_start
from .models import AidFund, Drive, DuesAccount

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class FundForm(VersionedModelForm):
    class Meta:
        model = AidFund
        fields = ["organization", "name", "started_on", "notes"]
        widgets = {"started_on": DATE}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The fund belongs to the school's League committee.
        self.fields["organization"].queryset = organizations.filter(kind=OrgKind.LEAGUE_COMMITTEE)


class DriveForm(VersionedModelForm):
    class Meta:
        model = Drive
        fields = ["title", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("starts_on"), cleaned.get("ends_on")
        if a and b and b < a:
            raise forms.ValidationError(_("The drive cannot end before it starts."), code="drive_order")
        return cleaned


def _not_future(day: date) -> date:
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")
    return day


class DonationForm(DateRangeMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY_FIELD)
    donor = PersonChoiceField(label=_("Donor (a person of the school)"), queryset=Person.objects.none(), required=False)
    donor_name = forms.CharField(
        label=_("Donor name"), max_length=100, required=False, help_text=_("A name, when the donor is not on file.")
    )
    drive = forms.ModelChoiceField(label=_("Drive"), queryset=Drive.objects.none(), required=False)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, fund: AidFund, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = people
        self.fields["donor"].widget.filters = LookupFilters(org=fund.organization_id, area="school")
        self.fields["drive"].queryset = fund.drives.all()
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("donor") and not (cleaned.get("donor_name") or "").strip():
            raise forms.ValidationError(_("Name the donor: a person or a name."), code="donor")
        if cleaned.get("donor") and (cleaned.get("donor_name") or "").strip():
            raise forms.ValidationError(_("Choose a person or type a name, not both."), code="donor_both")
        return cleaned


class GrantForm(DateRangeMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    recipient = PersonChoiceField(label=_("Recipient (student)"), queryset=Person.objects.none())
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY_FIELD)
    reason = forms.CharField(label=pgettext_lazy("grant", "Reason"), max_length=300)
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=100,
        help_text=_("Who approved the grant, e.g. the League committee meeting."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, fund: AidFund, students, chosen_class=None, **kwargs):
        """Suggestions: the students of the class chosen above the form, else of the fund's school."""
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = students
        self.fields["recipient"].widget.filters = (
            LookupFilters(org=chosen_class.pk, category="student")
            if chosen_class
            else LookupFilters(org=fund.organization_id, area="school", category="student")
        )
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])


class ReversalForm(DateRangeMixin, forms.Form):
    on = forms.DateField(label=_("Date of the correction"), widget=DATE)
    reason = forms.CharField(label=_("Why is it reversed?"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])


class DuesAccountForm(VersionedModelForm):
    class Meta:
        model = DuesAccount
        fields = ["basis", "base_pay", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean_starts_on(self):
        return month_start(self.cleaned_data["starts_on"])

    def clean_ends_on(self):
        day = self.cleaned_data.get("ends_on")
        return month_start(day) if day else None

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("starts_on"), cleaned.get("ends_on")
        if a and b and b < a:
            raise forms.ValidationError(_("The last month owed cannot come before the first."), code="account_order")
        if cleaned.get("basis") != "student" and cleaned.get("base_pay") is None:
            self.add_error("base_pay", forms.ValidationError(_("Enter the base pay."), code="base_pay"))
        return cleaned


class PaymentForm(DateRangeMixin, forms.Form):
    months = forms.TypedMultipleChoiceField(
        label=_("Months paid for"), coerce=date.fromisoformat, widget=forms.CheckboxSelectMultiple
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    payer_name = forms.CharField(
        label=_("Paid by"), max_length=50, required=False, help_text=_("Only when someone paid on the member's behalf.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, account: DuesAccount, paid: set[date], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        first = max(account.starts_on, add_months(month_start(today), -36))
        last = add_months(month_start(today), 12)
        if account.ends_on:
            last = min(last, month_start(account.ends_on))
        choices, initial, m = [], [], first
        while m <= last:
            if m not in paid:
                choices.append((m.isoformat(), m.strftime("%Y-%m")))
                if m <= month_start(today):
                    initial.append(m.isoformat())
            m = add_months(m, 1)
        self.fields["months"].choices = choices
        self.fields["months"].initial = initial
        self.fields["paid_on"].initial = today

    def clean_paid_on(self):
        return _not_future(self.cleaned_data["paid_on"])
