from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.periods import Period, academic_year, calendar_year, custom, semester
from core.forms import DateRangeMixin, VersionedModelForm

from .models import SummarySection
from .narrative import editable_text, sanitize


def period_choices(today) -> list[tuple[str, str]]:
    """The periods a summary can cover: recent calendar years, academic years and semesters."""
    out = []
    for y in range(today.year, today.year - 5, -1):
        p = calendar_year(y)
        out.append((p.key, p.label))
    start = today.year if today.month >= 9 else today.year - 1
    for y in range(start, start - 3, -1):
        p = academic_year(y)
        out.append((p.key, p.label))
    for y in range(start, start - 2, -1):
        for p in (semester(y + 1, "spring"), semester(y, "autumn")):
            if p.start <= today:
                out.append((p.key, p.label))
    out.append(("custom", _("Custom range")))
    return out


class SummaryCreateForm(DateRangeMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    period = forms.ChoiceField(label=_("Period"))
    start = forms.DateField(
        label=pgettext_lazy("start of a period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty for the usual title.")
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["period"].choices = period_choices(timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("period")
        if key == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of the custom range."), code="custom_dates")
            if end < start:
                raise forms.ValidationError(_("The range cannot end before it starts."), code="range_order")
            cleaned["period_obj"] = custom(start, end)
        elif key:
            cleaned["period_obj"] = Period.parse(key)
        return cleaned


class SectionForm(VersionedModelForm):
    class Meta:
        model = SummarySection
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 14, "class": "font-monospace"})}
        help_texts = {
            "narrative": _(
                "One paragraph per line. Bold, italics and lists may be written as HTML (p, strong, em, ul, ol, "
                "li); anything else is removed. [[…]] marks a figure: it prints the compiled number and links to "
                "its records. Text in 【】 is a prompt to replace."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["narrative"] = editable_text(self.instance.narrative)

    def clean_narrative(self):
        return sanitize(self.cleaned_data.get("narrative", ""))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
