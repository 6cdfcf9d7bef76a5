"""The figures of people the annual summary prints (DESIGN §4, part 3): people by political status, steps
of the Party pipeline, 推优 against the yearly target, activists in training (two contacts, quarterly
assessments), the democratic appraisal, the League appraisal and registration. Declared here, on this
app's querysets; `reports` compiles them."""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import PATH_STEP, OrgKind
from core.figures import Column, Figure, Source

from .models import Person, PoliticalStatus
from .models.people import in_league_q
from .models.pipeline import (
    RECOMMENDATION_APPROVED,
    RECOMMENDATION_DECLINED,
    RECOMMENDATION_PASSED,
    RECOMMENDATION_VOTED_ON,
    Assessment,
    EventKind,
    LeagueLeaving,
    Recommendation,
    RecommendationTarget,
    Sponsor,
    SponsorRole,
    StatusEvent,
    target_q,
)
from .models.records import AppraisalRating, LeagueRegistration, Membership, MembershipEnd, PartyAppraisal


def _person_in(root, prefix: str = "person__") -> Q:
    """A person of the subtree: by class/group, or by the Party organization developing them."""
    return Q(**{f"{prefix}organization__path__startswith": root.path}) | Q(
        **{f"{prefix}party_organization__path__startswith": root.path}
    )


# --- people by political status (a state on the period's last day) -------------------------------------

STATUS_FIGURES = [
    (PoliticalStatus.FULL_MEMBER, _("Party members")),
    (PoliticalStatus.PROBATIONARY, _("Probationary Party members")),
    (PoliticalStatus.DEVELOPMENT_TARGET, _("Development targets")),
    (PoliticalStatus.ACTIVIST, _("Activists")),
    (PoliticalStatus.APPLICANT, _("Party applicants")),
    (PoliticalStatus.LEAGUE_MEMBER, _("League members")),
]


def _people(root, period):
    """The people of the subtree on the period's last day: by class or group, or by the Party organization
    developing them (as the pipeline board and the member list count them); those who belonged to the school
    that day (`Person.objects.present_on`), each with their political status that day (`status_on`)."""
    return (
        Person.objects.filter(_person_in(root, ""))
        .present_on(period.end)
        .with_status_on(period.end)
        .annotate(league_member_on=ExpressionWrapper(in_league_q(period.end), output_field=BooleanField()))
        .select_related("organization")
    )


def _status_q(status, period) -> Q:
    # League membership is not a political status: a League member who is also an applicant, activist or
    # development target counts as a League member too (`Person.objects.league_members`), by the League joining
    # and leaving dates as of the period's last day.
    if status == PoliticalStatus.LEAGUE_MEMBER:
        return in_league_q(period.end)
    return Q(status_on=status)


def _status_label(status) -> str:
    return PoliticalStatus(status).label if status in PoliticalStatus.values else status


PEOPLE = Source(
    key="people",
    label=_("People"),
    queryset=_people,
    figures=lambda period: [
        Figure(f"people.{status}", label, _status_q(status, period), stock=True) for status, label in STATUS_FIGURES
    ],
    columns=[
        Column(_("Name"), lambda p: p.name),
        Column(_("Organization"), lambda p: p.organization.name),
        Column(_("Political status"), lambda p: _status_label(p.status_on)),
        Column(_("League member"), lambda p: _("yes") if p.league_member_on else _("no")),
    ],
    order_by=("pinyin", "pk"),
)


# --- pipeline (发展党员) ----------------------------------------------------------------------------------

PIPELINE_STEPS = [
    (EventKind.APPLICATION, _("Party applications received")),
    (EventKind.ACTIVIST, _("New activists")),
    (EventKind.DEVELOPMENT_TARGET, _("New development targets")),
    (EventKind.ADMISSION, _("New probationary members")),
    (EventKind.CONVERSION, _("Probationary members who became full members")),
    (EventKind.LEAGUE_JOINED, _("New League members")),
]


def _events(root, period):
    return StatusEvent.objects.filter(
        _person_in(root), from_file=False, date__gte=period.start, date__lte=period.end
    ).select_related("person", "organization")


PIPELINE = Source(
    key="pipeline",
    label=_("Development of Party members"),
    queryset=_events,
    figures=lambda period: [
        *(Figure(f"pipeline.{kind}", label, Q(kind=kind)) for kind, label in PIPELINE_STEPS),
    ],
    columns=[
        Column(_("Date"), lambda e: e.date),
        Column(_("Person"), lambda e: e.person.name),
        Column(_("Step"), lambda e: e.get_kind_display()),
        Column(_("Decided by"), lambda e: e.organization.name if e.organization_id else ""),
    ],
    order_by=("date", "pk"),
)


# --- 推优 ---------------------------------------------------------------------------------------------


def _recommendations(root, period):
    """The 推优 nominations of the period (`Recommendation.objects.nominated_in`: one date for 推优 everywhere,
    the 推优 page included), with what became of them."""
    return (
        Recommendation.objects.in_subtree(root)
        .nominated_in(period)
        .with_outcomes()
        .select_related("person", "league_branch")
    )


def recommendation_figures(period=None) -> list[Figure]:
    return [
        Figure("recommendations.nominated", _("League members nominated for 推优")),
        Figure("votes.recommendation", _("League members voted on for 推优"), RECOMMENDATION_VOTED_ON),
        Figure("recommendations.passed", _("推优 passed by the League members' meeting"), RECOMMENDATION_PASSED),
        Figure("votes.recommendation.passed", _("推优 recommendations carried"), RECOMMENDATION_PASSED),
        Figure("recommendations.approved", _("推优 approved by the League committee"), RECOMMENDATION_APPROVED),
        Figure("recommendations.declined", _("推优 not recommended"), RECOMMENDATION_DECLINED),
        Figure("pipeline.activist.recommended", _("New activists through 推优"), Q(became_activist=True)),
        Figure(
            "pipeline.development_target.recommended",
            _("New development targets through 推优"),
            Q(became_target=True),
        ),
    ]


RECOMMENDATIONS = Source(
    key="recommendations",
    label=_("推优"),
    queryset=_recommendations,
    figures=recommendation_figures,
    columns=[
        Column(_("Nominated on"), lambda r: r.nominated_on),
        Column(_("Person"), lambda r: r.person.name),
        Column(_("League branch"), lambda r: r.league_branch.name),
        Column(_("Status"), lambda r: r.get_status_display()),
    ],
    order_by=("nominated_on", "pk"),
)


# --- League membership over the period: joined, left (by reason), registered ---------------------------

LEAGUE_LEFT_REASONS = [
    ("over_age", _("League members who left at 28 (超龄离团)")),
    ("other", _("League members who left the League for another reason")),
    ("transfer_out", _("League members transferred out")),
    ("graduated", _("League members who graduated")),
]


def _league(root, period):
    """The people of the subtree whose League membership moved in the period, each annotated with what
    happened: `joined` (joined the League here; not steps from a personnel file), `left_over_age` and
    `left_other` (left the League: `StatusEvent.leaving_reason`), `left_transfer_out` and `left_graduated`
    (left the school as League members: the membership's end, `MembershipEnd`), `registered` (团籍注册 for a
    year of the period). One person counts once per figure, whatever the number of records."""
    events = StatusEvent.objects.filter(person=OuterRef("pk"), date__gte=period.start, date__lte=period.end)
    left = events.filter(kind=EventKind.LEAGUE_LEFT)
    # Left the school (the membership's end in the period) while a League member that day.
    ended = Membership.objects.filter(
        person=OuterRef("pk"), ended_on__gte=period.start, ended_on__lte=period.end
    ).filter(
        Q(person__league_joined_on__lte=F("ended_on"))
        & (Q(person__league_left_on__isnull=True) | Q(person__league_left_on__gt=F("ended_on")))
    )
    registered = LeagueRegistration.objects.filter(
        person=OuterRef("pk"), registered=True, year__gte=period.start.year, year__lte=period.end.year
    )
    flags = {
        "joined": Exists(events.filter(kind=EventKind.LEAGUE_JOINED, from_file=False)),
        "left_over_age": Exists(left.filter(leaving_reason=LeagueLeaving.OVER_AGE)),
        "left_other": Exists(left.exclude(leaving_reason=LeagueLeaving.OVER_AGE)),
        "left_transfer_out": Exists(ended.filter(end_reason=MembershipEnd.TRANSFER_OUT)),
        "left_graduated": Exists(ended.filter(end_reason=MembershipEnd.GRADUATED)),
        "registered": Exists(registered),
    }
    any_flag = Q()
    for name in flags:
        any_flag |= Q(**{name: True})
    return Person.objects.filter(_person_in(root, "")).annotate(**flags).filter(any_flag).select_related("organization")


LEFT_LEAGUE_Q = Q(left_over_age=True) | Q(left_other=True) | Q(left_transfer_out=True) | Q(left_graduated=True)


def _league_what(p) -> str:
    what = [str(_("joined"))] if p.joined else []
    what += [str(label) for key, label in LEAGUE_LEFT_REASONS if getattr(p, f"left_{key}")]
    if p.registered:
        what.append(str(_("registered")))
    return "; ".join(what)


LEAGUE = Source(
    key="league",
    label=_("League membership"),
    queryset=_league,
    figures=lambda period: [
        Figure("league.joined", _("People who joined the League"), Q(joined=True)),
        Figure("league.left", _("League members who left"), LEFT_LEAGUE_Q),
        *(Figure(f"league.left.{key}", label, Q(**{f"left_{key}": True})) for key, label in LEAGUE_LEFT_REASONS),
        Figure("league.registered", _("League members registered (团籍注册)"), Q(registered=True)),
    ],
    columns=[
        Column(_("Name"), lambda p: p.name),
        Column(_("Organization"), lambda p: p.organization.name),
        Column(_("What happened"), _league_what),
    ],
    order_by=("pinyin", "pk"),
)


# --- activists in training: two contacts, quarterly assessments -------------------------------------


def _training_day(period):
    return min(period.end, timezone.localdate())


def _activists(root, period):
    on = _training_day(period)
    quarter_start = on.replace(month=3 * ((on.month - 1) // 3) + 1, day=1)
    contacts = (
        Sponsor.objects.filter(person=OuterRef("pk"), role=SponsorRole.CONTACT, assigned_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assessed = Assessment.objects.filter(person=OuterRef("pk"), date__gte=quarter_start, date__lte=on)
    return (
        Person.objects.filter(_person_in(root, ""))
        .present_on(on)
        .with_status_on(on)
        .filter(status_on__in=[PoliticalStatus.ACTIVIST, PoliticalStatus.DEVELOPMENT_TARGET])
        .select_related("organization")
        .annotate(contacts=Coalesce(Subquery(contacts), Value(0)), assessed=Exists(assessed))
    )


TRAINING = Source(
    key="training",
    label=_("Activists in training"),
    queryset=_activists,
    figures=lambda period: [
        Figure("training.total", _("Activists and development targets in training"), stock=True),
        Figure("training.two_contacts", _("… with two training contacts"), Q(contacts__gte=2), stock=True),
        Figure("training.assessed", _("… assessed this quarter"), Q(assessed=True), stock=True),
    ],
    columns=[
        Column(_("Name"), lambda p: p.name),
        Column(_("Organization"), lambda p: p.organization.name),
        Column(_("Political status"), lambda p: _status_label(p.status_on)),
        Column(_("Training contacts"), lambda p: p.contacts),
        Column(_("Assessed this quarter"), lambda p: _("yes") if p.assessed else _("no")),
    ],
    order_by=("pinyin", "pk"),
)


# --- democratic appraisal; League appraisal and registration (团员教育评议, 团籍注册) ------------------------


def _appraisals(root, period):
    return PartyAppraisal.objects.filter(
        _person_in(root), year__gte=period.start.year, year__lte=period.end.year
    ).select_related("person", "organization")


APPRAISAL = Source(
    key="appraisal",
    label=_("Democratic appraisal"),
    queryset=_appraisals,
    figures=lambda period: [
        Figure("appraisal.total", _("Party members appraised")),
        *(Figure(f"appraisal.{r}", label, Q(rating=r)) for r, label in AppraisalRating.choices),
    ],
    columns=[
        Column(_("Year"), lambda a: a.year),
        Column(_("Person"), lambda a: a.person.name),
        Column(_("Party branch"), lambda a: a.organization.name),
        Column(_("Rating"), lambda a: a.get_rating_display()),
    ],
    order_by=("year", "person__pinyin", "pk"),
)


def _registrations(root, period):
    return LeagueRegistration.objects.filter(
        _person_in(root), year__gte=period.start.year, year__lte=period.end.year
    ).select_related("person", "organization")


LEAGUE_REGISTRATION = Source(
    key="league_registration",
    label=_("League appraisal and registration"),
    queryset=_registrations,
    figures=lambda period: [
        Figure("league_registration.total", _("League members appraised")),
        Figure("league_registration.registered", _("League members registered"), Q(registered=True)),
        *(Figure(f"league_registration.{r}", label, Q(rating=r)) for r, label in AppraisalRating.choices),
    ],
    columns=[
        Column(_("Year"), lambda a: a.year),
        Column(_("Person"), lambda a: a.person.name),
        Column(_("League branch"), lambda a: a.organization.name),
        Column(_("Rating"), lambda a: a.get_rating_display()),
        Column(_("Registered"), lambda a: _("yes") if a.registered else _("no")),
    ],
    order_by=("year", "person__pinyin", "pk"),
)


# --- the yearly 推优 target ------------------------------------------------------------------------------


def compile_recommendation_target(root, period, out: dict) -> None:
    """The school's yearly 推优 target, for a summary of the whole school or of its League committee (a
    class's summary has no share of it): an academic year's own target, a calendar year's, or for another
    period the targets of the calendar years it touches (`RecommendationTarget.objects.for_period`); the
    previous period's target is given for comparison. One query."""
    if not (root.depth == 0 or root.kind == OrgKind.LEAGUE_COMMITTEE):
        return
    previous = period.previous()
    totals = RecommendationTarget.objects.filter(school__path=root.path[:PATH_STEP]).aggregate(
        current=Sum("target", filter=target_q(period)), previous=Sum("target", filter=target_q(previous))
    )
    if totals["current"] is None:
        return

    out["figures"]["recommendations.target"] = {
        "value": totals["current"],
        "previous": totals["previous"],
        "money": False,
        "hours": False,
        "stock": False,
        "nolink": True,
    }


SOURCES = [PEOPLE, PIPELINE, LEAGUE, RECOMMENDATIONS, TRAINING, APPRAISAL, LEAGUE_REGISTRATION]
BREAKDOWNS = []
EXTRAS = [compile_recommendation_target]
