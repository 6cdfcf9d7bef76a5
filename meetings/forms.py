from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from branches.models import PATH_STEP, Officer, Post
from core.forms import SafeModelMultipleChoiceField, VersionedModelForm, parse_pk
from core.uploads import validate_document
from members.models import Category, Person, PoliticalStatus
from members.widgets import LookupFilters, use_person_picker

from .models import (
    LECTURE_KINDS,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Vote,
    VoteKind,
    kinds_for,
)
from .selectors import LEAGUE_MEMBERS
from .services import AttendanceEntry

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def people_for_roles(org):
    """Who may chair, record or lecture: the organization's own people and the school's staff."""
    school_path = org.path[:PATH_STEP]
    return (
        Person.objects.active()
        .filter(
            Q(organization__path__startswith=org.path)
            | Q(organization__path__startswith=school_path, category__in=[Category.TEACHER, Category.STAFF])
        )
        .order_by("pinyin", "pk")
    )


class MeetingForm(VersionedModelForm):
    """The meeting record. The organization is fixed by the view (chosen before the form opens)."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "phase",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "chair",
            "recorder",
            "lecturer",
            "lecture_title",
            "given_by_secretary",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organization, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["kind"].choices = [(k, MeetingKind(k).label) for k in kinds_for(organization)]
        people = people_for_roles(organization)
        # Picked by searching (the organization's people and the school's staff: thousands for a committee).
        roles = LookupFilters(org=organization.pk, with_staff=True)
        for name in ("chair", "recorder", "lecturer"):
            use_person_picker(self.fields[name], people, roles)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["phase"].help_text = _("Party–League joint meetings only.")
        self.fields["lecturer"].help_text = _("Party and League classes only.")
        if kind is not None:
            # Creating: the type was chosen on the previous step; show only the fields it uses.
            self.instance.kind = kind
            del self.fields["kind"]
            if kind != MeetingKind.JOINT:
                del self.fields["phase"]
            else:
                self.fields["phase"].required = True
            if kind not in LECTURE_KINDS:
                for name in ("lecturer", "lecture_title", "given_by_secretary"):
                    del self.fields[name]


def _default_start():
    now = timezone.localtime()
    return now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0) - timedelta(hours=1)


class MeetingCreateForm(MeetingForm):
    record_attendance = forms.BooleanField(
        label=_("The meeting has taken place: record its attendance now"),
        required=False,
        initial=True,
        help_text=_("Untick to plan a future meeting; record attendance after it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The usual case is recording a meeting just held, chaired by the secretary.
        if not self.initial.get("starts_at"):
            self.initial["starts_at"] = _default_start()
        if not self.initial.get("chair"):
            secretary = (
                Officer.objects.current()
                .filter(organization=self.instance.organization, post=Post.SECRETARY, person__isnull=False)
                .values_list("person_id", flat=True)
                .first()
            )
            self.initial["chair"] = secretary

    def clean(self):
        cleaned = super().clean()
        starts = cleaned.get("starts_at")
        if cleaned.get("record_attendance") and starts and starts > timezone.now():
            self.add_error(
                "record_attendance",
                ValidationError(
                    _("This meeting is in the future: it cannot be recorded as held. Untick the box to plan it."),
                    code="future",
                ),
            )
        return cleaned


class AttendanceForm(forms.Form):
    """One row per expected attendee (status + reason) and the visitors. Rendered by hand in
    `meetings/_attendance_rows.html` so a whole class fits on a screen.

    With `version` (an existing meeting's current one), the meeting's version travels in a hidden field and
    the service refuses the save when someone saved since (`meeting_record_attendance`); a form without it
    is refused the same way. `self.version` is what the page sends back: the one it was opened at, until a
    stale refusal has shown the user the other save (then the current one, so saving again goes through,
    as the message says)."""

    visitors = SafeModelMultipleChoiceField(queryset=Person.objects.none(), required=False)
    record_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, existing=None, visitor_queryset=None, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._current_version = version
        if version is None:
            del self.fields["record_version"]  # a new meeting: nobody else can have saved its attendance
            self.version = None
        else:
            self.version = self.data.get("record_version", "") if self.is_bound else version
        existing = existing or {}
        self.people = list(people)
        self.rows = []
        for person in self.people:
            current = existing.get(person.pk)
            status_name, reason_name = f"status_{person.pk}", f"reason_{person.pk}"
            self.fields[status_name] = forms.ChoiceField(
                choices=AttendanceStatus.choices,
                initial=current.status if current else AttendanceStatus.PRESENT,
                widget=forms.RadioSelect,
            )
            self.fields[reason_name] = forms.CharField(
                max_length=200, required=False, initial=current.reason if current else ""
            )
            self.rows.append((person, self[status_name], self[reason_name]))
        if visitor_queryset is not None:
            self.fields["visitors"].queryset = visitor_queryset
        self.initial_visitors = [a.person for a in existing.values() if a.is_visitor]

    STATUS_BUTTON_CSS = {
        AttendanceStatus.PRESENT: "btn-outline-success",
        AttendanceStatus.LEAVE: "btn-outline-warning",
        AttendanceStatus.ABSENT: "btn-outline-danger",
    }

    @cached_property
    def status_buttons(self) -> list[tuple[str, str, str]]:
        """(value, label, css class) of the three attendance buttons, translated once per form."""
        return [(value, str(label), self.STATUS_BUTTON_CSS[value]) for value, label in AttendanceStatus.choices]

    @cached_property
    def display_rows(self) -> list[dict]:
        """What the attendance table shows per person, read once from the bound fields: a school-wide
        League members' meeting has 2,500 rows, so the template only looks up plain values."""
        statuses = dict(PoliticalStatus.choices)
        return [
            {
                "person": person,
                "political_status": statuses.get(person.political_status, ""),
                "status_name": status.html_name,
                "status_id": status.auto_id,
                "status": status.value(),
                "status_errors": " ".join(status.errors),
                "reason_name": reason.html_name,
                "reason_id": reason.auto_id,
                "reason": reason.value() or "",
                "reason_errors": " ".join(reason.errors),
            }
            for person, status, reason in self.rows
        ]

    def selected_visitors(self):
        if not self.is_bound:
            return self.initial_visitors
        ids = [pk for v in self.data.getlist("visitors") if (pk := parse_pk(v)) is not None]
        return list(self.fields["visitors"].queryset.filter(pk__in=ids).select_related("organization"))

    def clean(self):
        cleaned = super().clean()
        if "record_version" in self.fields and cleaned.get("record_version") is None:
            self.version = self._current_version
            self.add_error(None, ValidationError(VersionedModelForm.stale_message, code="stale"))
        missing = [
            p.name
            for p in self.people
            if cleaned.get(f"status_{p.pk}") == AttendanceStatus.LEAVE and not cleaned.get(f"reason_{p.pk}", "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Give the reason for the leave of: %(names)s.") % {"names": "、".join(missing)},
                code="reason_missing",
            )
        return cleaned

    def show_refusal(self, error: ValidationError) -> None:
        """Show the service's refusal above the table, the marks kept (a stale one: see the class)."""
        self.add_error(None, error)
        if getattr(error, "code", None) == "stale" and self.version is not None:
            self.version = self._current_version

    @property
    def sent_version(self) -> int | None:
        """The version the page was opened at (cleaned), None for a new meeting."""
        return self.cleaned_data.get("record_version")

    def entries(self) -> list[AttendanceEntry]:
        cd = self.cleaned_data
        member_ids = {p.pk for p in self.people}
        rows = [AttendanceEntry(p.pk, cd[f"status_{p.pk}"], cd.get(f"reason_{p.pk}", "")) for p in self.people]
        rows += [
            AttendanceEntry(v.pk, AttendanceStatus.PRESENT, "", is_visitor=True)
            for v in cd.get("visitors") or []
            if v.pk not in member_ids
        ]
        return rows

    @cached_property
    def counts(self) -> dict[str, int]:
        """Counts as the form currently stands (before JS updates them live)."""
        out = {"expected": len(self.people), "present": 0, "leave": 0, "absent": 0}
        for _person, status, _reason in self.rows:
            value = status.value() or AttendanceStatus.PRESENT
            out[value] = out.get(value, 0) + 1
        return out


VOTE_KINDS_BY_MEETING = {
    MeetingKind.BRANCH_GENERAL: [VoteKind.ADMISSION, VoteKind.CONVERSION, VoteKind.OTHER],
    MeetingKind.LEAGUE_GENERAL: [VoteKind.RECOMMENDATION, VoteKind.OTHER],
}


def vote_subjects(meeting):
    """Whom a vote at `meeting` can be about, always people of the voting organization's subtree: at a
    League members' meeting, its League members; otherwise the development targets and probationary
    members it develops — by their organization (staff) or by the Party organization developing them
    (students belong to a class but are admitted by the Party branch). Nobody of another branch: the vote
    would be offered to that branch's pipeline step. The picker's lookup applies the same filters
    (`VoteForm`)."""
    org = meeting.organization
    people = Person.objects.active().order_by("pinyin", "pk")
    if meeting.kind == MeetingKind.LEAGUE_GENERAL:
        return people.filter(LEAGUE_MEMBERS, organization__path__startswith=org.path)
    return people.filter(
        Q(organization__path__startswith=org.path) | Q(party_organization__path__startswith=org.path),
        political_status__in=[PoliticalStatus.DEVELOPMENT_TARGET, PoliticalStatus.PROBATIONARY],
    )


class VoteForm(forms.ModelForm):
    class Meta:
        model = Vote
        fields = ["kind", "subject", "motion", "entitled", "present", "yes", "no", "abstain"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        kinds = VOTE_KINDS_BY_MEETING.get(meeting.kind, [VoteKind.OTHER])
        self.fields["kind"].choices = [(k, VoteKind(k).label) for k in kinds]
        if meeting.kind == MeetingKind.LEAGUE_GENERAL:
            subjects = LookupFilters(org=meeting.organization_id, status="league")
        else:
            subjects = LookupFilters(org=meeting.organization_id, area="developed", status="pipeline")
        use_person_picker(self.fields["subject"], vote_subjects(meeting), subjects)
        self.fields["entitled"].help_text = _("Probationary members have no vote.")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document],
        help_text=_("PDF, Word, JPEG, PNG or WebP."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
