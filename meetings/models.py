import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import audit_history
from core.figures import day_range
from core.models import DomainModel


class MeetingKind(models.TextChoices):
    BRANCH_GENERAL = "branch_general", _("Branch general meeting")
    BRANCH_COMMITTEE = "branch_committee", _("Branch committee meeting")
    PARTY_GROUP = "party_group", _("Party group meeting")
    PARTY_CLASS = "party_class", _("Party class")
    THEME_PARTY_DAY = "theme_party_day", _("Theme Party day")
    ORG_LIFE = "org_life", _("Organizational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal meeting")
    JOINT = "joint", _("Party–League joint meeting")
    LEAGUE_GENERAL = "league_general", _("League members' meeting")
    LEAGUE_COMMITTEE = "league_committee", _("League branch committee meeting")
    LEAGUE_CLASS = "league_class", _("League class")
    OTHER = "other", _("Other meeting")


PARTY_MEETING_KINDS = frozenset(
    {
        MeetingKind.BRANCH_GENERAL,
        MeetingKind.BRANCH_COMMITTEE,
        MeetingKind.PARTY_GROUP,
        MeetingKind.PARTY_CLASS,
        MeetingKind.THEME_PARTY_DAY,
        MeetingKind.ORG_LIFE,
        MeetingKind.APPRAISAL,
        MeetingKind.JOINT,
    }
)
LEAGUE_MEETING_KINDS = frozenset(
    {
        MeetingKind.LEAGUE_GENERAL,
        MeetingKind.LEAGUE_COMMITTEE,
        MeetingKind.LEAGUE_CLASS,
    }
)


# Which meeting types each kind of organization holds. Party types belong to Party organizations and
# League types to League ones; the Party–League joint meeting belongs to the Party side.
KINDS_BY_ORG_KIND = {
    "school": [MeetingKind.OTHER],
    "party_general_branch": [
        MeetingKind.BRANCH_GENERAL,
        MeetingKind.BRANCH_COMMITTEE,
        MeetingKind.PARTY_CLASS,
        MeetingKind.THEME_PARTY_DAY,
        MeetingKind.ORG_LIFE,
        MeetingKind.APPRAISAL,
        MeetingKind.JOINT,
        MeetingKind.OTHER,
    ],
    "party_branch": [
        MeetingKind.BRANCH_GENERAL,
        MeetingKind.BRANCH_COMMITTEE,
        MeetingKind.PARTY_CLASS,
        MeetingKind.THEME_PARTY_DAY,
        MeetingKind.ORG_LIFE,
        MeetingKind.APPRAISAL,
        MeetingKind.JOINT,
        MeetingKind.OTHER,
    ],
    "party_group": [MeetingKind.PARTY_GROUP, MeetingKind.PARTY_CLASS, MeetingKind.OTHER],
    "league_committee": [
        MeetingKind.LEAGUE_GENERAL,
        MeetingKind.LEAGUE_COMMITTEE,
        MeetingKind.LEAGUE_CLASS,
        MeetingKind.OTHER,
    ],
    "league_branch": [
        MeetingKind.LEAGUE_GENERAL,
        MeetingKind.LEAGUE_COMMITTEE,
        MeetingKind.LEAGUE_CLASS,
        MeetingKind.OTHER,
    ],
    "league_group": [MeetingKind.LEAGUE_GENERAL, MeetingKind.LEAGUE_CLASS, MeetingKind.OTHER],
}

# Kinds whose lecturer / lecture title fields apply.
LECTURE_KINDS = frozenset({MeetingKind.PARTY_CLASS, MeetingKind.LEAGUE_CLASS})


def kinds_for(org) -> list[str]:
    """The meeting types `org` may hold."""
    return KINDS_BY_ORG_KIND.get(org.kind, [MeetingKind.OTHER])


class JointPhase(models.TextChoices):
    PLAN = "plan", _("Plan meeting (start of semester)")
    PROGRESS = "progress", _("Progress meeting (mid-term)")
    SUMMARY = "summary", _("Summary meeting (end of semester)")


def held_q(as_of=None, prefix: str = "") -> Q:
    """The one rule of "a meeting held" (召开), as a filter: a meeting counts once it has taken place, i.e.
    its start is not after `as_of` (default: now). A planned meeting (dated in the future) is recorded ahead
    but counts nowhere: not in the summary, the dashboard, the frequency check or the Due list.
    `prefix` reaches a meeting through a relation ("meeting__" for votes)."""
    return Q(**{f"{prefix}starts_at__lte": as_of or timezone.now()})


# Person-times (人次) of a meeting: the members marked present, as stored on the meeting by the service that
# records attendance (`present_count`). Visitors (列席) are left out: they are not members of the
# organization holding the meeting, are not expected, and would make the attendance rate exceed 100 %.
PERSON_TIMES_FIELD = "present_count"


class MeetingQuerySet(models.QuerySet):
    def held(self, as_of=None):
        """Meetings that have taken place by `as_of` (default: now); see `held_q`."""
        return self.filter(held_q(as_of))

    def in_subtree(self, org):
        """Meetings of `org` and of every organization beneath it."""
        return self.filter(organization__path__startswith=org.path)

    def in_period(self, period):
        """Meetings starting on a day of `period` (local time): an index-friendly datetime range."""
        lo, hi = day_range(period)
        return self.filter(starts_at__gte=lo, starts_at__lt=hi)

    def person_times(self) -> int:
        """Attendance in person-times (人次): the members marked present, summed over the meetings; visitors
        (列席) are not counted (see `PERSON_TIMES_FIELD`). Count the meetings `held` only."""
        return self.aggregate(n=Sum(PERSON_TIMES_FIELD))["n"] or 0

    def expected_times(self) -> int:
        """The members expected (应到), summed over the meetings: present + on leave + absent as stored by
        `Meeting.recount` (`expected_count`; visitors are never expected). Count the meetings `held` only."""
        return self.aggregate(n=Sum("expected_count"))["n"] or 0

    def attendance_rate(self) -> Decimal | None:
        """The attendance rate (出席率) of these meetings in percent, one decimal: person-times (实到) over the
        members expected (应到), both summed over the meetings (`person_times`, `expected_times`); None when
        nobody was expected. Count the meetings `held` only, as the summary does."""
        row = self.aggregate(present=Sum(PERSON_TIMES_FIELD), expected=Sum("expected_count"))
        return self.rate(row["present"] or 0, row["expected"] or 0)

    @staticmethod
    def rate(present, expected) -> Decimal | None:
        """Present over expected in percent, rounded half up to one decimal (96.3); None when nobody was
        expected. The one rounding of an attendance rate: this queryset, the summary's table and its prose."""
        if not expected:
            return None
        return (Decimal(present) * 100 / Decimal(expected)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def recount(self) -> int:
        """Store the attendance counts of these meetings, counted from their attendance rows
        (`ATTENDANCE_COUNTS`): one UPDATE with a subquery per count, however many meetings (the seeds). The
        audit trail is not written; `Meeting.recount` is the one-meeting form that is. Returns the rows updated."""
        return self.order_by().update(**_live_counts())

    def with_live_counts(self):
        """Annotate `live_<count>` for each stored count, counted from the attendance rows: what the stored
        counts must equal (checks and tests)."""
        return self.annotate(**{f"live_{name}": expr for name, expr in _live_counts().items()})


def _live_counts() -> dict:
    """The stored counts of the meeting `OuterRef("pk")` as correlated subqueries over its attendance."""

    def count(condition: Q):
        rows = (
            Attendance.objects.filter(condition, meeting=OuterRef("pk"), is_visitor=False)
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    return {name: count(condition) for name, condition in ATTENDANCE_COUNTS.items()}


class Meeting(DomainModel):
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("type"), max_length=30, choices=MeetingKind.choices)
    phase = models.CharField(_("phase"), max_length=10, choices=JointPhase.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    chair = models.ForeignKey(
        "members.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorder = models.ForeignKey(
        "members.Person",
        verbose_name=_("recorder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    # Party class (党课)
    lecturer = models.ForeignKey(
        "members.Person",
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lecture_title = models.CharField(_("lecture title"), max_length=200, blank=True)
    given_by_secretary = models.BooleanField(_("given by the secretary"), default=False)
    expected_count = models.PositiveIntegerField(_("expected"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    leave_count = models.PositiveIntegerField(_("on leave"), default=0)
    absent_count = models.PositiveIntegerField(_("absent"), default=0)

    objects = MeetingQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["organization", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.organization_id and self.kind and self.kind not in kinds_for(self.organization):
            errors["kind"] = ValidationError(
                _("A %(org)s cannot hold a “%(kind)s”.")
                % {"org": self.organization.get_kind_display(), "kind": self.get_kind_display()},
                code="kind_for_org",
            )
        if self.kind == MeetingKind.JOINT and not self.phase:
            errors["phase"] = ValidationError(
                _("Say whether this joint meeting is the plan, progress or summary meeting."), code="phase_missing"
            )
        if self.kind != MeetingKind.JOINT and self.phase:
            self.phase = ""
        if self.kind not in LECTURE_KINDS:
            self.lecturer, self.lecture_title, self.given_by_secretary = None, "", False
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = ValidationError(_("The meeting cannot end before it starts."), code="end_before_start")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        """Whether the meeting has taken place (the rule of `held_q`, for one meeting)."""
        return self.starts_at <= timezone.now()

    @property
    def visitor_count(self) -> int:
        return sum(1 for a in self.attendances.all() if a.is_visitor)

    def recount(self, *, save: bool = True) -> None:
        """Count the stored attendance counts (expected, present, on leave, absent) from the attendance rows
        (`ATTENDANCE_COUNTS`, one query) and, with `save`, store them. Called by every write that changes the
        rows: the attendance service, the Django admin, the seeds; never by a signal."""
        counts = self.attendances.filter(is_visitor=False).aggregate(
            **{name: Count("pk", filter=condition) for name, condition in ATTENDANCE_COUNTS.items()}
        )
        for name, value in counts.items():
            setattr(self, name, value)
        if save:
            self.save(update_fields=[*ATTENDANCE_COUNTS, "updated_at"])

    def after_restore(self) -> None:
        """Restored from the audit trail without its attendance rows: store the counts of the rows it has."""
        self.recount()

    def history_organization(self):
        return self.organization


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


# The counts a meeting stores (`Meeting.recount`), each counted over its attendance rows. Members only:
# visitors (列席) are not expected. present + on leave + absent = expected.
ATTENDANCE_COUNTS = {
    "expected_count": Q(),
    "present_count": Q(status=AttendanceStatus.PRESENT),
    "leave_count": Q(status=AttendanceStatus.LEAVE),
    "absent_count": Q(status=AttendanceStatus.ABSENT),
}


class Attendance(models.Model):
    """One expected attendee (or visitor) of a meeting. The meeting's counts are stored on it by
    `Meeting.recount`, which every write of these rows calls."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_visitor = models.BooleanField(_("visitor"), default=False)

    history = audit_history()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")]

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"

    def after_restore(self) -> None:
        """Restored from the audit trail (core.views.restore_record): the meeting's counts count it again."""
        self.meeting.recount()

    def history_organization(self):
        return self.meeting.organization


class VoteKind(models.TextChoices):
    ADMISSION = "admission", _("Admission as probationary member")
    CONVERSION = "conversion", _("Conversion to full member")
    RECOMMENDATION = "recommendation", _("League recommendation (推优)")
    OTHER = "other", _("Other motion")


PERSON_VOTE_KINDS = frozenset({VoteKind.ADMISSION, VoteKind.CONVERSION, VoteKind.RECOMMENDATION})

# Where each vote about a person is taken (DESIGN §2): admission and conversion by the branch general meeting,
# 推优 by the League members' meeting. `Vote.clean` checks it when a vote is entered; the pipeline's decision
# provider (meetings.decisions) offers and accepts votes for a step by it.
VOTE_MEETING_KIND = {
    VoteKind.ADMISSION: MeetingKind.BRANCH_GENERAL,
    VoteKind.CONVERSION: MeetingKind.BRANCH_GENERAL,
    VoteKind.RECOMMENDATION: MeetingKind.LEAGUE_GENERAL,
}


# The vote rule (DESIGN §2), in one place: more than half of those entitled to vote present, and "yes" from
# more than half of those entitled. Its check is `Vote.quorum` / `Vote.passed`, its filter
# `Vote.objects.passed()` (VOTE_PASSED as a Q, for figures); tests/meetings/test_vote_rule.py checks they agree.
def majority_of(entitled: int) -> int:
    """More than half of `entitled`: the fewest present for a quorum, and the fewest "yes" to pass."""
    return entitled // 2 + 1


VOTE_QUORUM = Q(GreaterThan(F("present") * 2, F("entitled")))
VOTE_PASSED = VOTE_QUORUM & Q(GreaterThan(F("yes") * 2, F("entitled")))


class VoteQuerySet(models.QuerySet):
    def passed(self):
        """The votes that carried (`Vote.passed`)."""
        return self.filter(VOTE_PASSED)


class Vote(models.Model):
    """A vote on one agenda item, about one person where it decides a pipeline step. The numbers are
    entered once here; the member's pipeline step refers to this vote (no double entry).

    The rule (DESIGN §2): more than half of those entitled to vote present, and "yes" more than half of
    those entitled."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField(_("kind"), max_length=20, choices=VoteKind.choices)
    subject = models.ForeignKey(
        "members.Person",
        verbose_name=_("about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    motion = models.CharField(_("motion"), max_length=200, blank=True)
    entitled = models.PositiveIntegerField(_("entitled to vote"))
    present = models.PositiveIntegerField(_("present with voting rights"))
    yes = models.PositiveIntegerField(pgettext_lazy("vote", "yes"))
    no = models.PositiveIntegerField(pgettext_lazy("vote", "no"), default=0)
    abstain = models.PositiveIntegerField(pgettext_lazy("vote", "abstain"), default=0)

    objects = VoteQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(condition=Q(present__lte=models.F("entitled")), name="vote_present_le_entitled"),
            models.CheckConstraint(
                condition=Q(present__gte=models.F("yes") + models.F("no") + models.F("abstain")),
                name="vote_ballots_le_present",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject or self.motion}"

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message, code):
            errors.setdefault(field, []).append(ValidationError(message, code=code))

        entitled, present = self.entitled or 0, self.present or 0
        ballots = (self.yes or 0) + (self.no or 0) + (self.abstain or 0)
        if entitled == 0:
            add("entitled", _("At least one person must be entitled to vote."), "no_voters")
        if present > entitled:
            add(
                "present",
                _("More people present (%(p)s) than entitled to vote (%(e)s).") % {"p": present, "e": entitled},
                "present_gt_entitled",
            )
        if ballots > present:
            add(
                "yes",
                _("Yes + no + abstain (%(b)s) is more than the number present (%(p)s).") % {"b": ballots, "p": present},
                "ballots_gt_present",
            )
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None:
            taken_at = VOTE_MEETING_KIND.get(self.kind)
            if taken_at == MeetingKind.BRANCH_GENERAL and meeting.kind != taken_at:
                add("kind", _("Admission and conversion are voted only at a branch general meeting."), "kind_meeting")
            if taken_at == MeetingKind.LEAGUE_GENERAL and meeting.kind != taken_at:
                add(
                    "kind",
                    _("A League recommendation (推优) is voted only at a League members' meeting."),
                    "kind_meeting",
                )
            if meeting.starts_at and not meeting.is_past:
                add("kind", _("A vote can only be recorded once the meeting has taken place."), "future")
        if self.kind in PERSON_VOTE_KINDS and not self.subject_id:
            add("subject", _("Choose the person this vote is about."), "subject_missing")
        if self.kind == VoteKind.OTHER and not self.motion:
            add("motion", _("Write the motion voted on."), "motion_missing")
        if errors:
            raise ValidationError(errors)

    @property
    def majority(self) -> int:
        """How many must be present, and how many must vote "yes", for the vote to carry."""
        return majority_of(self.entitled)

    @property
    def quorum(self) -> bool:
        return self.present >= self.majority

    @property
    def passed(self) -> bool:
        return self.quorum and self.yes >= self.majority

    def history_organization(self):
        return self.meeting.organization


def _attachment_path(instance, filename: str) -> str:
    # A random name: the original one is kept in `original_name` and never used on disk.
    ext = PurePosixPath(filename).suffix.lower()[:10]
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}{ext}"


class MeetingAttachment(DomainModel):
    """A file kept with a meeting record (sign-in sheet, slides, photos). Stored under MEDIA_ROOT and
    served only through `meetings:attachment`, which checks the viewer's access."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = audit_history()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("meetings:attachment", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def history_organization(self):
        return self.meeting.organization


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's iCalendar feed URL. Regenerating it revokes the old URL; deleting it turns
    the feed off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return str(self.user)
