"""Forms of the members app. They validate input; the services (members.services) apply the rules and
write. One form per pipeline step, registered in `STEPS` by the slug used in the URL."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import PARTY_KINDS, Organization, OrgKind
from branches.periods import academic_year, calendar_year
from core.forms import DateInput, DateRangeMixin, VersionedModelForm
from core.uploads import validate_document

from . import services
from .decisions import decision_provider
from .idnumber import id_number_birth_date, id_number_gender, validate_id_number
from .models import (
    AssessmentRating,
    Category,
    MembershipEnd,
    MembershipStart,
    Person,
    PoliticalStatus,
    SponsorRole,
    TargetYear,
)
from .pipeline import (
    CONTACTS_REQUIRED,
    EXTENSION_MAX_MONTHS,
    EXTENSION_MIN_MONTHS,
    INTRODUCERS_REQUIRED,
    Dossier,
)
from .widgets import LookupFilters, PersonPicker, person_label


def _today():
    return timezone.localdate()


class PersonChoiceField(forms.ModelChoiceField):
    """One person, picked by searching (`PersonPicker`): the page holds only the chosen person, not the
    whole queryset, which still decides what is valid. `filters` narrow the suggestions to match it."""

    widget = PersonPicker

    def __init__(self, *args, filters: LookupFilters | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if filters is not None and isinstance(self.widget, PersonPicker):
            self.widget.filters = filters

    def label_from_instance(self, obj):
        return person_label(obj)


def add_pair(form, name: str, label, queryset, initial_ids=(), help_text="", filters: LookupFilters | None = None):
    """Two single choices (`<name>_1`, `<name>_2`) for the school's "two of them" rules: two training
    contacts, two introducers. `pair(form, name)` reads them back as a list."""
    initial_ids = list(initial_ids)
    for i in (1, 2):
        form.fields[f"{name}_{i}"] = PersonChoiceField(
            label=f"{label} {i}",
            queryset=queryset,
            initial=initial_ids[i - 1] if len(initial_ids) >= i else None,
            help_text=help_text if i == 2 else "",
            filters=filters,
        )


def pair(form, name: str) -> list:
    return [form.cleaned_data[f"{name}_{i}"] for i in (1, 2) if form.cleaned_data.get(f"{name}_{i}")]


# --- Person -----------------------------------------------------------------------------------------


class PersonForm(VersionedModelForm):
    """Create or edit a person. An 18-digit ID number is checked (GB 11643 checksum) and fills in the
    birth date and gender when they are empty; when given, they must agree with it."""

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "category",
            "organization",
            "party_organization",
            "id_number",
            "phone",
            "league_number",
            "notes",
        ]
        widgets = {"birth_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        # An ID number is unique in the whole database, and its holder may be in a branch or school the user
        # cannot see: the refusal says nothing of them (the roster import's words, `roster.unusable_id_number`).
        error_messages = {"id_number": {"unique": _("This ID number cannot be used.")}}

    def __init__(self, *args, organizations=None, party_organizations=None, show_sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations.exclude(kind=OrgKind.SCHOOL)
        self.fields["organization"].help_text = _("Students: their class League branch. Staff: their Party group.")
        if party_organizations is None:
            party_organizations = Organization.objects.filter(kind__in=PARTY_KINDS, is_active=True)
        self.fields["party_organization"].queryset = party_organizations
        if not show_sensitive:
            # Whoever may not read the ID number and phone does not get to overwrite them either.
            self.fields.pop("id_number")
            self.fields.pop("phone")

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value:
            validate_id_number(value)
        return value or None

    def clean(self):
        cleaned = super().clean()
        category, org = cleaned.get("category"), cleaned.get("organization")
        if category and org:
            if category == Category.STUDENT and org.kind != OrgKind.LEAGUE_BRANCH:
                self.add_error(
                    "organization",
                    ValidationError(_("A student belongs to a class League branch."), code="student_org"),
                )
            if category != Category.STUDENT and org.kind not in PARTY_KINDS:
                self.add_error(
                    "organization",
                    ValidationError(_("Staff belong to a Party group or branch."), code="staff_org"),
                )
        id_number = cleaned.get("id_number")
        if id_number and len(id_number) == 18:
            born = id_number_birth_date(id_number)
            if not cleaned.get("birth_date"):
                cleaned["birth_date"] = born
                self.instance.birth_date = born
            elif cleaned["birth_date"] != born:
                self.add_error(
                    "birth_date",
                    ValidationError(
                        _("The ID number says %(date)s."), code="birth_mismatch", params={"date": born.isoformat()}
                    ),
                )
            if not cleaned.get("gender"):
                cleaned["gender"] = id_number_gender(id_number)
                self.instance.gender = cleaned["gender"]
        return cleaned


ARRIVAL_STATUSES = [
    (PoliticalStatus.MASSES, PoliticalStatus.MASSES.label),
    (PoliticalStatus.LEAGUE_MEMBER, PoliticalStatus.LEAGUE_MEMBER.label),
    (PoliticalStatus.PROBATIONARY, PoliticalStatus.PROBATIONARY.label),
    (PoliticalStatus.FULL_MEMBER, PoliticalStatus.FULL_MEMBER.label),
]


class ArrivalForm(DateRangeMixin, forms.Form):
    """How a new person arrives and the status they bring from their file (steps taken elsewhere)."""

    joined_on = forms.DateField(label=_("Member here since"), widget=DateInput(), initial=_today)
    start_reason = forms.ChoiceField(
        label=_("How"),
        choices=[
            (MembershipStart.JOINED, MembershipStart.JOINED.label),
            (MembershipStart.TRANSFER_IN, MembershipStart.TRANSFER_IN.label),
        ],
    )
    counterpart = forms.CharField(label=_("Transferred from"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Political status on arrival"), choices=ARRIVAL_STATUSES, initial="masses")
    league_joined_on = forms.DateField(label=_("Joined the League on"), required=False, widget=DateInput())
    party_admitted_on = forms.DateField(label=_("Joined the Party on (admission)"), required=False, widget=DateInput())
    party_full_on = forms.DateField(label=_("Full member since"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        needs = {
            PoliticalStatus.LEAGUE_MEMBER: ["league_joined_on"],
            PoliticalStatus.PROBATIONARY: ["party_admitted_on"],
            PoliticalStatus.FULL_MEMBER: ["party_admitted_on", "party_full_on"],
        }.get(status, [])
        for name in needs:
            if not cleaned.get(name):
                self.add_error(name, ValidationError(_("Required for this status."), code="required"))
        if status in (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER):
            cleaned["party_admitted_on"] = cleaned["party_full_on"] = None
        if status == PoliticalStatus.PROBATIONARY:
            cleaned["party_full_on"] = None
        return cleaned

    def history(self) -> dict:
        c = self.cleaned_data
        return {k: c.get(k) for k in ("league_joined_on", "party_admitted_on", "party_full_on")}


# --- Pipeline steps ---------------------------------------------------------------------------------


class StepForm(DateRangeMixin, forms.Form):
    """A pipeline step for one person. `side` says which organizations may decide it ("party",
    "league", or "person" for membership changes); `run` calls the service."""

    do_not_call_in_templates = True  # the detail page lists step classes
    slug = ""
    side = "party"
    title = ""
    rule = ""
    needs_org = True
    has_votes = True  # vote steps say False when no vote has been entered on a meeting yet
    blocked_until = None  # a rule's first possible day, when it lies ahead

    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    organization = forms.ModelChoiceField(label=_("Decided by"), queryset=Organization.objects.none())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, person: Person, dossier: Dossier, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.dossier = person, dossier
        if self.needs_org and organizations is not None:
            self.fields["organization"].queryset = organizations
            default = _deciding_party_org(person) if self.side == "party" else person.organization
            if default is not None and organizations.filter(pk=default.pk).exists():
                self.fields["organization"].initial = default.pk
            elif organizations.count() == 1:
                self.fields["organization"].initial = organizations.first().pk
        if not self.needs_org:
            self.fields.pop("organization", None)

    def run(self, *, by):
        raise NotImplementedError


def _deciding_party_org(person: Person) -> Organization | None:
    """The organization that decides a Party step by default: the person's Party branch — a Party group
    discusses, but the branch (支部) decides, so a group's member defaults to the group's branch."""
    org = person.party_org
    if org is not None and org.kind == OrgKind.PARTY_GROUP and org.parent_id:
        return org.parent
    return org


def _full_members_filters(person: Person) -> LookupFilters:
    """The picker's suggestions for `_full_members`: the school's full Party members but the person."""
    return LookupFilters(org=person.organization_id, area="school", status="full", exclude=person.pk)


def _full_members(person: Person):
    school = person.organization.path[:6]
    return (
        Person.objects.full_members()
        .active()
        .filter(organization__path__startswith=school)
        .exclude(pk=person.pk)
        .select_related("organization")
    )


def _meeting_field(form: "StepForm") -> forms.ModelChoiceField:
    """The optional meeting that decided the step; which meetings may have decided it is the meetings app's
    answer (`members.decisions`)."""
    field = forms.ModelChoiceField(
        label=_("Meeting"),
        required=False,
        queryset=None,
        help_text=_("The meeting that decided it, once recorded under Meetings."),
    )
    decision_provider().meeting_field(field, person=form.person, step=form.slug)
    return field


class DocumentMixin(forms.Form):
    document = forms.FileField(label=_("Document"), required=False, validators=[validate_document])


class ApplicationForm(DocumentMixin, StepForm):
    slug, title = "application", _("Party application received")
    rule = _("The applicant must be 18 on the day of application. The branch talks with them within one month.")

    def run(self, *, by):
        c = self.cleaned_data
        return services.application_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class TalkForm(StepForm):
    slug, title = "talk", _("Talk with the applicant")
    rule = _("Within one month of the application.")

    def run(self, *, by):
        c = self.cleaned_data
        return services.talk_record(
            person=self.person, on=c["date"], organization=c["organization"], notes=c["notes"], by=by
        )


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("推优 of %(date)s (%(branch)s), approved %(approved)s") % {
            "date": obj.nominated_on.isoformat(),
            "branch": obj.league_branch,
            "approved": obj.decided_on.isoformat() if obj.decided_on else "—",
        }


class _RecommendationMixin:
    def _add_recommendation(self):
        usable = self.dossier.usable_recommendations()
        from .models import Recommendation

        self.fields["recommendation"] = RecommendationChoiceField(
            label=_("Through 推优"),
            required=False,
            queryset=Recommendation.objects.filter(pk__in=[r.pk for r in usable]).select_related("league_branch"),
            help_text=_("The League's approved recommendation, when the person comes through 推优."),
        )
        if len(usable) == 1:
            self.fields["recommendation"].initial = usable[0].pk


class ActivistForm(_RecommendationMixin, DocumentMixin, StepForm):
    slug, title = "activist", _("Choose as activist")
    rule = _(
        "Chosen by Party members' recommendation or through the League's 推优; two training contacts (full Party members) are assigned."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_recommendation()
        add_pair(
            self,
            "contacts",
            _("Training contact"),
            _full_members(self.person),
            help_text=_("Full Party members; the school's rule is %(n)s.") % {"n": CONTACTS_REQUIRED},
            filters=_full_members_filters(self.person),
        )
        self.fields["meeting"] = _meeting_field(self)

    def run(self, *, by):
        c = self.cleaned_data
        return services.activist_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            contacts=pair(self, "contacts"),
            recommendation=c.get("recommendation"),
            meeting=c.get("meeting"),
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class ContactsForm(StepForm):
    slug, title = "contacts", _("Assign training contacts")
    rule = _("Two training contacts, full Party members; the previous assignments end on this date.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_pair(
            self,
            "contacts",
            _("Training contact"),
            _full_members(self.person),
            [s.sponsor_id for s in self.dossier.contacts],
            filters=_full_members_filters(self.person),
        )

    def run(self, *, by):
        c = self.cleaned_data
        return services.contacts_replace(person=self.person, on=c["date"], contacts=pair(self, "contacts"), by=by)


class AssessmentForm(StepForm):
    slug, title = "assessment", _("Quarterly assessment")
    rule = _("Every quarter, by a training contact, while activist or development target.")
    needs_org = False

    rating = forms.ChoiceField(label=_("Rating"), choices=AssessmentRating.choices)
    thought_report = forms.BooleanField(label=_("Thought report received"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [s.sponsor_id for s in self.dossier.sponsors if s.role == SponsorRole.CONTACT]
        self.fields["contact"] = PersonChoiceField(
            label=_("Training contact"),
            queryset=Person.objects.filter(pk__in=ids).select_related("organization"),
            widget=forms.Select,  # the person's own two or three contacts: a plain list
        )
        if self.dossier.contacts:
            self.fields["contact"].initial = self.dossier.contacts[0].sponsor_id
        self.fields["notes"].label = _("Comments")
        self.order_fields(["date", "contact", "rating", "thought_report", "notes"])

    def run(self, *, by):
        c = self.cleaned_data
        return services.assessment_record(
            person=self.person,
            on=c["date"],
            contact=c["contact"],
            rating=c["rating"],
            thought_report=c["thought_report"],
            comments=c["notes"],
            by=by,
        )


class DevelopmentTargetForm(_RecommendationMixin, DocumentMixin, StepForm):
    slug, title = "development-target", _("Choose as development target")
    rule = _("Only after one full year as activist; two introducers (full Party members).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_recommendation()
        possible = self.dossier.target_possible_on
        if possible:
            self.fields["date"].help_text = _("Possible from %(date)s.") % {"date": possible.isoformat()}
            if possible > _today():
                self.blocked_until = possible
        add_pair(
            self,
            "introducers",
            _("Introducer"),
            _full_members(self.person),
            [s.sponsor_id for s in self.dossier.contacts],
            help_text=_("Full Party members, often the training contacts; the rule is %(n)s.")
            % {"n": INTRODUCERS_REQUIRED},
            filters=_full_members_filters(self.person),
        )
        self.fields["meeting"] = _meeting_field(self)

    def run(self, *, by):
        c = self.cleaned_data
        return services.development_target_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            introducers=pair(self, "introducers"),
            recommendation=c.get("recommendation"),
            meeting=c.get("meeting"),
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class PoliticalReviewForm(DocumentMixin, StepForm):
    slug, title = "political-review", _("Political review")
    rule = _("The political review of the development target, completed before admission.")

    def run(self, *, by):
        c = self.cleaned_data
        return services.political_review_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class TrainingForm(StepForm):
    slug, title = "training", _("Short training")
    rule = _("At least 3 days / 24 hours before admission; several courses add up.")

    hours = forms.DecimalField(label=pgettext_lazy("training", "Hours"), min_value=0.5, max_value=500, decimal_places=1)

    def run(self, *, by):
        c = self.cleaned_data
        return services.training_record(
            person=self.person, on=c["date"], hours=c["hours"], organization=c["organization"], notes=c["notes"], by=by
        )


def vote_field(person: Person, step: str, *, label, help_text="") -> forms.ModelChoiceField:
    """The vote that decides `step` about `person`: the meetings app offers its votes not yet used by a step,
    newest first (`members.decisions`). The numbers are entered on the meeting, never here."""
    field = forms.ModelChoiceField(label=label, queryset=None, help_text=help_text)
    decision_provider().vote_field(field, person=person, step=step)
    return field


class _VoteStepForm(DocumentMixin, StepForm):
    needs_org = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("date")
        self.fields["vote"] = vote_field(
            self.person,
            self.slug,
            label=_("Vote of the branch general meeting"),
            help_text=_("The date of the step is the meeting's date."),
        )
        self.order_fields(["vote", "notes", "document"])

    @property
    def has_votes(self) -> bool:
        return self.fields["vote"].queryset.exists()


class AdmissionForm(_VoteStepForm):
    slug, title = "admission", _("Admission as probationary member")
    rule = _(
        "The branch general meeting votes: more than half of the members with voting rights present, and yes "
        "from more than half of those entitled. Political review and 24 hours of training come first."
    )

    def run(self, *, by):
        c = self.cleaned_data
        return services.admission_record(
            person=self.person, vote=c["vote"], notes=c["notes"], document=c["document"], by=by
        )


class ConversionForm(_VoteStepForm):
    slug, title = "conversion", _("Conversion to full member")
    rule = _(
        "After one year of probation counted from the admission meeting (plus any extension), by a vote of the branch general meeting."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ends = self.dossier.probation_ends_on
        if ends and ends > _today():
            self.blocked_until = ends

    def run(self, *, by):
        c = self.cleaned_data
        return services.conversion_record(
            person=self.person, vote=c["vote"], notes=c["notes"], document=c["document"], by=by
        )


class ApprovalForm(DocumentMixin, StepForm):
    slug, title = "approval", _("Approval by the higher Party committee")
    rule = _("The higher committee talks with the new member and approves within three months of the meeting.")

    def run(self, *, by):
        c = self.cleaned_data
        return services.higher_approval_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class OathForm(StepForm):
    slug, title = "oath", _("Oath")
    rule = _("After the higher committee's approval.")

    def run(self, *, by):
        c = self.cleaned_data
        return services.oath_record(
            person=self.person, on=c["date"], organization=c["organization"], notes=c["notes"], by=by
        )


class ExtensionForm(StepForm):
    slug, title = "extension", _("Extend the probation")
    rule = _("Once only, by 6 to 12 months.")

    months = forms.IntegerField(
        label=_("Months"), min_value=EXTENSION_MIN_MONTHS, max_value=EXTENSION_MAX_MONTHS, initial=6
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _meeting_field(self)

    def run(self, *, by):
        c = self.cleaned_data
        return services.extension_record(
            person=self.person,
            on=c["date"],
            months=c["months"],
            organization=c["organization"],
            meeting=c.get("meeting"),
            notes=c["notes"],
            by=by,
        )


class CancellationForm(DocumentMixin, StepForm):
    slug, title = "cancellation", _("Cancel the probationary membership")
    rule = _("The person returns to the status they had outside the Party; the history is kept.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _meeting_field(self)
        self.fields["notes"].required = True

    def run(self, *, by):
        c = self.cleaned_data
        return services.cancellation_record(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            meeting=c.get("meeting"),
            notes=c["notes"],
            document=c["document"],
            by=by,
        )


class LeagueJoinForm(StepForm):
    slug, side, title = "league-join", "league", _("Joined the League")
    rule = _("League members are 14 to 28 years old.")

    number = forms.CharField(label=_("League member number"), required=False, max_length=30)

    def run(self, *, by):
        c = self.cleaned_data
        return services.league_join(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            number=c["number"],
            notes=c["notes"],
            by=by,
        )


class LeagueLeaveForm(StepForm):
    slug, side, title = "league-leave", "league", _("Leaving the League")
    rule = _("At 28 (超龄离团), unless the person holds a League post.")

    over_age = forms.TypedChoiceField(
        label=_("Reason"),
        choices=[("1", _("Reached 28")), ("0", _("Other (say why in the notes)"))],
        coerce=lambda v: v == "1",
        initial="1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["date", "over_age", "organization", "notes"])
        turns = self.person.turns(28)
        if turns:
            self.fields["date"].initial = max(turns, min(_today(), date(turns.year, 12, 31)))
            if turns > _today():
                self.fields["date"].initial = _today()

    def run(self, *, by):
        c = self.cleaned_data
        return services.league_leave(
            person=self.person,
            on=c["date"],
            organization=c["organization"],
            over_age=c["over_age"],
            notes=c["notes"],
            by=by,
        )


class NominationForm(StepForm):
    slug, side, title = "recommendation", "league", _("推优: nomination by the League branch")
    rule = _(
        "The League branch committee nominates a League member who has applied to join the Party (a League "
        "member for a year, the application at least six months old). The League members' meeting then votes "
        "and the League committee approves."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].label = _("League branch")

    def run(self, *, by):
        c = self.cleaned_data
        return services.recommendation_nominate(
            person=self.person, on=c["date"], league_branch=c["organization"], notes=c["notes"], by=by
        )


class TransferOutForm(StepForm):
    slug, side, title = "transfer-out", "person", _("Transfer out or leave")
    rule = _("The membership is closed, not deleted: the person's history stays.")
    needs_org = False

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (MembershipEnd.TRANSFER_OUT, MembershipEnd.TRANSFER_OUT.label),
            (MembershipEnd.GRADUATED, MembershipEnd.GRADUATED.label),
            (MembershipEnd.OTHER, MembershipEnd.OTHER.label),
        ],
    )
    counterpart = forms.CharField(label=_("Transferred to"), required=False, max_length=200)

    def run(self, *, by):
        c = self.cleaned_data
        return services.person_transfer_out(
            person=self.person, on=c["date"], reason=c["reason"], counterpart=c["counterpart"], notes=c["notes"], by=by
        )


class TransferInForm(StepForm):
    slug, side, title = "transfer-in", "person", _("Transfer in again")
    rule = _("A new membership starts; the earlier ones stay in the history.")

    counterpart = forms.CharField(label=_("Transferred from"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].label = _("Organization")

    def run(self, *, by):
        c = self.cleaned_data
        return services.person_transfer_in(
            person=self.person, organization=c["organization"], on=c["date"], counterpart=c["counterpart"], by=by
        )


STEPS: dict[str, type[StepForm]] = {
    f.slug: f
    for f in (
        ApplicationForm,
        TalkForm,
        NominationForm,
        ActivistForm,
        ContactsForm,
        AssessmentForm,
        DevelopmentTargetForm,
        PoliticalReviewForm,
        TrainingForm,
        AdmissionForm,
        ApprovalForm,
        OathForm,
        ExtensionForm,
        ConversionForm,
        CancellationForm,
        LeagueJoinForm,
        LeagueLeaveForm,
        TransferOutForm,
        TransferInForm,
    )
}

# Which steps a person's status offers on their page (the services still check every rule).
STEPS_BY_STATUS = {
    PoliticalStatus.MASSES: ["application", "league-join"],
    PoliticalStatus.LEAGUE_MEMBER: ["application", "league-leave"],
    PoliticalStatus.APPLICANT: ["talk", "recommendation", "activist"],
    PoliticalStatus.ACTIVIST: ["assessment", "contacts", "development-target"],
    PoliticalStatus.DEVELOPMENT_TARGET: ["assessment", "political-review", "training", "admission"],
    PoliticalStatus.PROBATIONARY: ["approval", "oath", "conversion", "extension", "cancellation"],
    PoliticalStatus.FULL_MEMBER: [],
}


# --- 推优, targets, imports, list filters -----------------------------------------------------------


class RecommendationVoteForm(forms.Form):
    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"] = vote_field(
            recommendation.person, "recommendation", label=_("Vote of the League members' meeting")
        )

    @property
    def has_votes(self) -> bool:
        return self.fields["vote"].queryset.exists()


class RecommendationDecisionForm(DateRangeMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    committee = forms.ModelChoiceField(label=_("League committee"), queryset=Organization.objects.none())
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the recommendation")), ("0", _("Do not recommend"))],
        coerce=lambda v: v == "1",
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        if committees.count() == 1:
            self.fields["committee"].initial = committees.first().pk


class RecommendationTargetForm(forms.Form):
    """The school's 推优 target for a calendar year or an academic year (named by the year it starts in). The
    year and its kind default to the period the 推优 page shows (`page_kind`, `page_year`)."""

    kind = forms.ChoiceField(label=_("Target for"), choices=TargetYear.choices, required=False)
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("An academic year: the year it starts in."),
    )
    target = forms.IntegerField(label=_("Target for the year"), min_value=0, max_value=10000)

    def __init__(self, *args, page_kind: str = TargetYear.CALENDAR, page_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_kind, self.page_year = page_kind, page_year
        self.fields["kind"].initial = page_kind
        self.fields["year"].initial = page_year

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.page_kind

    def clean_year(self):
        year = self.cleaned_data.get("year")
        return self.page_year if year is None else year

    def period(self):
        """The calendar or academic year the target is for (a valid form)."""
        year = self.cleaned_data["year"]
        return academic_year(year) if self.cleaned_data["kind"] == TargetYear.ACADEMIC else calendar_year(year)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"), help_text=_("Excel (.xlsx) or CSV in UTF-8 or GBK, with the template's headers.")
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s)."), code="too_large", params={"size": filesizeformat(f.size)}
            )
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."), code="bad_type")
        return f


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All political statuses")), *PoliticalStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All organizations"),
    )
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int, empty_value=None)
    active = forms.ChoiceField(
        label=_("Active"),
        required=False,
        choices=[("1", _("Current members")), ("0", _("Left (transferred out)")), ("all", _("Everyone"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("pinyin", _("Name (pinyin)")),
            ("-pinyin", _("Name (pinyin, Z–A)")),
            ("organization", _("Organization")),
            ("status", _("Status")),
            ("since", _("Status since (newest)")),
        ],
    )

    def __init__(self, *args, organizations, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["grade"].choices = [("", _("All grades"))] + [(g, str(g)) for g in grades]


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1990, max_value=2100)
