"""The Party development pipeline (DESIGN §2): status events, training contacts and introducers,
quarterly assessments, and the League's 推优 (pushing the best) with its yearly target.

Only `members.services` writes these rows; `Person.political_status` follows the events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audit_history
from core.models import DomainModel
from core.uploads import validate_document

from .people import PoliticalStatus


class EventKind(models.TextChoices):
    """A dated step in a person's political life. Steps that change the political status say so in
    `STATUS_AFTER`; the others (talk, review, training, approval, oath, extension) are milestones."""

    LEAGUE_JOINED = "league_joined", _("Joined the League")
    LEAGUE_LEFT = "league_left", _("Left the League")
    APPLICATION = "application", _("Party application received")
    TALK = "talk", _("Talk with the applicant")
    ACTIVIST = "activist", _("Chosen as activist")
    DEVELOPMENT_TARGET = "development_target", _("Chosen as development target")
    POLITICAL_REVIEW = "political_review", _("Political review completed")
    TRAINING = "training", _("Training completed")
    ADMISSION = "admission", _("Admitted as probationary member")
    HIGHER_APPROVAL = "higher_approval", _("Admission approved by the higher Party committee")
    OATH = "oath", _("Oath taken")
    EXTENSION = "extension", _("Probation extended")
    CONVERSION = "conversion", _("Became a full Party member")
    CANCELLATION = "cancellation", _("Probationary membership cancelled")


class LeagueLeaving(models.TextChoices):
    """Why a League member left the League (`StatusEvent.leaving_reason` of a LEAGUE_LEFT event). Leaving the
    school (a transfer out, graduation) is recorded on the membership instead (`MembershipEnd`)."""

    OVER_AGE = "over_age", _("Over age (28)")
    OTHER = "other", _("Other reason")


STATUS_AFTER = {
    EventKind.APPLICATION: PoliticalStatus.APPLICANT,
    EventKind.ACTIVIST: PoliticalStatus.ACTIVIST,
    EventKind.DEVELOPMENT_TARGET: PoliticalStatus.DEVELOPMENT_TARGET,
    EventKind.ADMISSION: PoliticalStatus.PROBATIONARY,
    EventKind.CONVERSION: PoliticalStatus.FULL_MEMBER,
}


class StatusEventQuerySet(models.QuerySet):
    def in_period(self, period):
        return self.filter(date__gte=period.start, date__lte=period.end)

    def within(self, orgs_q: Q):
        """Events of people whose organization (or developing Party organization) matches `orgs_q`, a Q
        on Organization (e.g. `Q(path__startswith=org.path)`)."""
        from branches.models import Organization

        orgs = Organization.objects.filter(orgs_q)
        return self.filter(Q(person__organization__in=orgs) | Q(person__party_organization__in=orgs))


class StatusEvent(DomainModel):
    """One dated step: the date, the organization that decided it, and the meeting, vote or document
    behind it. The history of these rows is the source of truth for a person's political status."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="status_events"
    )
    kind = models.CharField(_("step"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status after"), max_length=30, choices=PoliticalStatus.choices, blank=True, editable=False
    )
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_events",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_events",
    )
    vote = models.OneToOneField(
        "meetings.Vote",
        verbose_name=_("vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_event",
    )
    recommendation = models.ForeignKey(
        "members.Recommendation",
        verbose_name=_("推优 recommendation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    leaving_reason = models.CharField(
        _("why the person left the League"), max_length=20, choices=LeagueLeaving.choices, blank=True
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to="members/documents/%Y/", blank=True, validators=[validate_document]
    )
    notes = models.TextField(_("notes"), blank=True)
    from_file = models.BooleanField(
        _("from the personnel file"),
        default=False,
        help_text=_("Taken before the person came to the school, recorded from their file."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StatusEventQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gte=6, months__lte=12), name="event_extension_months"
            ),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="event_hours_positive"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.date:%Y-%m-%d}"

    def history_organization(self):
        """The organization that recorded the step, else the meeting's, else the person's."""
        if self.organization_id:
            return self.organization
        return self.meeting.organization if self.meeting_id else self.person.organization


class SponsorRole(models.TextChoices):
    CONTACT = "contact", _("Training contact")
    INTRODUCER = "introducer", _("Introducer")


class Sponsor(DomainModel):
    """A full Party member assigned to an activist as training contact (培养联系人) or to a development
    target as introducer (入党介绍人). The school's rule: two of each."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="sponsors"
    )
    sponsor = models.ForeignKey(
        "members.Person", verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="sponsoring"
    )
    role = models.CharField(_("role"), max_length=20, choices=SponsorRole.choices)
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("training contact or introducer")
        verbose_name_plural = _("training contacts and introducers")
        ordering = ["role", "assigned_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("sponsor")), name="sponsor_not_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("assigned_on")), name="sponsor_dates"
            ),
        ]

    def __str__(self):
        return f"{self.sponsor} → {self.person} ({self.get_role_display()})"

    def history_organization(self):
        return self.person.organization


class AssessmentRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class Assessment(DomainModel):
    """A quarterly assessment of an activist (or development target) by a training contact."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="assessments"
    )
    contact = models.ForeignKey(
        "members.Person",
        verbose_name=_("training contact"),
        on_delete=models.PROTECT,
        related_name="assessments_given",
    )
    date = models.DateField(_("date"))
    rating = models.CharField(_("rating"), max_length=20, choices=AssessmentRating.choices)
    thought_report = models.BooleanField(_("thought report received"), default=False)
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("quarterly assessment")
        verbose_name_plural = _("quarterly assessments")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["person", "date"])]

    def __str__(self):
        return f"{self.person} · {self.date:%Y-%m-%d} · {self.get_rating_display()}"

    @property
    def quarter(self) -> tuple[int, int]:
        return self.date.year, (self.date.month - 1) // 3 + 1

    def history_organization(self):
        return self.person.organization


class RecommendationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated by the League branch")
    VOTED = "voted", _("Passed by the League members' meeting")
    APPROVED = "approved", _("Approved by the League committee")
    DECLINED = "declined", _("Not recommended")


# 推优 is counted by ONE date everywhere — the 推优 page of a year and every summary period: the day the League
# branch nominated the member (`nominated_on`). Each nomination then counts once, with what became of it
# (voted on, passed, approved, outcomes), however late those steps came.
RECOMMENDATION_VOTED_ON = Q(vote__isnull=False)
# Passed by the League members' meeting: voted through (the League committee may still have declined it,
# which records its decision date).
RECOMMENDATION_PASSED = Q(status__in=[RecommendationStatus.VOTED, RecommendationStatus.APPROVED]) | Q(
    status=RecommendationStatus.DECLINED, decided_on__isnull=False
)
RECOMMENDATION_APPROVED = Q(status=RecommendationStatus.APPROVED)
RECOMMENDATION_DECLINED = Q(status=RecommendationStatus.DECLINED)


class RecommendationQuerySet(models.QuerySet):
    def nominated_in(self, period):
        """The nominations of `period` (anything with `.start` and `.end`): the one date 推优 is counted by."""
        return self.filter(nominated_on__gte=period.start, nominated_on__lte=period.end)

    def in_subtree(self, org):
        return self.filter(league_branch__path__startswith=org.path)

    def with_outcomes(self):
        """Annotate `became_activist` and `became_target`: whether a Party decision cites the recommendation."""
        outcome = StatusEvent.objects.filter(recommendation=models.OuterRef("pk"))
        return self.annotate(
            became_activist=models.Exists(outcome.filter(kind=EventKind.ACTIVIST)),
            became_target=models.Exists(outcome.filter(kind=EventKind.DEVELOPMENT_TARGET)),
        )


class Recommendation(DomainModel):
    """推优 (pushing the best into the Party): nomination by the League branch committee, a vote of the
    League members' meeting (a `meetings.Vote` of kind RECOMMENDATION, entered on the meeting), then the
    League committee's approval. Its outcome is the Party decision that cites it (`outcomes`)."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="recommendations"
    )
    league_branch = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("League branch"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    nominated_on = models.DateField(_("nominated on"))
    vote = models.OneToOneField(
        "meetings.Vote",
        verbose_name=_("vote of the League members' meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )
    committee = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("League committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_recommendations",
    )
    decided_on = models.DateField(_("committee decision on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.NOMINATED
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RecommendationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("推优 recommendation")
        verbose_name_plural = _("推优 recommendations")
        ordering = ["-nominated_on", "pk"]
        indexes = [models.Index(fields=["status", "nominated_on"])]

    def __str__(self):
        return f"{self.person} · 推优 {self.nominated_on:%Y-%m-%d}"

    @property
    def year(self) -> int:
        return self.nominated_on.year

    def history_organization(self):
        return self.person.organization


class TargetYear(models.TextChoices):
    """The year a 推优 target is set for: a calendar year, or an academic year (September → August, named by
    the year it starts in, as `branches.periods.academic_year`)."""

    CALENDAR = "year", _("Calendar year")
    ACADEMIC = "academic", _("Academic year")


def target_q(period) -> Q:
    """The yearly 推优 targets a period is measured against, as a filter: an academic year's own target (set
    for that academic year), a calendar year's, or for any other period those of the calendar years it
    touches. `period` is a `branches.periods.Period` (its `kind`, `start`, `end`)."""
    if period.kind == "academic":
        return Q(kind=TargetYear.ACADEMIC, year=period.start.year)
    return Q(kind=TargetYear.CALENDAR, year__gte=period.start.year, year__lte=period.end.year)


class RecommendationTargetQuerySet(models.QuerySet):
    def for_period(self, period):
        """The targets of `period` (`target_q`)."""
        return self.filter(target_q(period))


class RecommendationTarget(DomainModel):
    """The school's yearly 推优 target (the seed school: more than 30 students a year), for a calendar year or
    an academic year (`kind`)."""

    school = models.ForeignKey(
        "branches.Organization", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("for"), max_length=10, choices=TargetYear.choices, default=TargetYear.CALENDAR)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("An academic year: the year it starts in."))
    target = models.PositiveIntegerField(_("target"))

    objects = RecommendationTargetQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("推优 target")
        verbose_name_plural = _("推优 targets")
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "year"], name="unique_recommendation_target_year")
        ]

    def __str__(self):
        if self.kind == TargetYear.ACADEMIC:
            return f"{self.school} {self.year}–{self.year + 1}: {self.target}"
        return f"{self.school} {self.year}: {self.target}"
