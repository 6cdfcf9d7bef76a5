from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.audit import audit_history
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


class JointPhase(models.TextChoices):
    PLAN = "plan", _("Plan meeting (start of semester)")
    PROGRESS = "progress", _("Progress meeting (mid-term)")
    SUMMARY = "summary", _("Summary meeting (end of semester)")


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


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """One expected attendee (or visitor) of a meeting. The meeting's counts are kept in step by the
    meetings service that records attendance."""

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


class VoteKind(models.TextChoices):
    ADMISSION = "admission", _("Admission as probationary member")
    CONVERSION = "conversion", _("Conversion to full member")
    RECOMMENDATION = "recommendation", _("League recommendation (推优)")
    OTHER = "other", _("Other motion")


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
    yes = models.PositiveIntegerField(_("yes"))
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstain"), default=0)

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

    @property
    def quorum(self) -> bool:
        return self.present * 2 > self.entitled

    @property
    def passed(self) -> bool:
        return self.quorum and self.yes * 2 > self.entitled
