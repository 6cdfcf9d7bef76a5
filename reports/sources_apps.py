"""Figures from the members, activities and finance apps (registered by `reports.sources`). Each reads
the app's own querysets and Q definitions, so "what counts" is decided once, in the owning app."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import SERVICE_CATEGORIES, Category, Honor, HonorLevel
from activities.selectors import activities_in
from branches.models import PATH_STEP, Organization, OrgKind
from branches.periods import Period
from finance.models import DuesKind, DuesPayment, FundEntry
from finance.selectors import GRANTED_Q, LIVE_GRANT_Q, RAISED_Q
from members.models import Person, PoliticalStatus
from members.models.pipeline import (
    Assessment,
    EventKind,
    Recommendation,
    RecommendationStatus,
    RecommendationTarget,
    Sponsor,
    SponsorRole,
    StatusEvent,
)
from members.models.records import AppraisalRating, LeagueRegistration, PartyAppraisal

from .figures import Breakdown, Column, Figure, Source, register, register_breakdown, register_extra


def _person_in(root: Organization, prefix: str = "person__") -> Q:
    """A person of the subtree: by class/group, or by the Party organization developing them."""
    return Q(**{f"{prefix}organization__path__startswith": root.path}) | Q(
        **{f"{prefix}party_organization__path__startswith": root.path}
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


def _events(root: Organization, period: Period):
    return StatusEvent.objects.filter(
        _person_in(root), from_file=False, date__gte=period.start, date__lte=period.end
    ).select_related("person", "organization")


register(
    Source(
        key="pipeline",
        label=_("Development of Party members"),
        queryset=_events,
        figures=lambda period: [
            *(Figure(f"pipeline.{kind}", label, Q(kind=kind)) for kind, label in PIPELINE_STEPS),
            Figure(
                "pipeline.activist.recommended",
                _("New activists through 推优"),
                Q(kind=EventKind.ACTIVIST, recommendation__isnull=False),
            ),
            Figure(
                "pipeline.development_target.recommended",
                _("New development targets through 推优"),
                Q(kind=EventKind.DEVELOPMENT_TARGET, recommendation__isnull=False),
            ),
        ],
        columns=[
            Column(_("Date"), lambda e: e.date),
            Column(_("Person"), lambda e: e.person.name),
            Column(_("Step"), lambda e: e.get_kind_display()),
            Column(_("Decided by"), lambda e: e.organization.name if e.organization_id else ""),
        ],
        order_by=("date", "pk"),
    )
)


# --- 推优 ---------------------------------------------------------------------------------------------


def _recommendations(root: Organization, period: Period):
    return Recommendation.objects.filter(
        league_branch__path__startswith=root.path, nominated_on__gte=period.start, nominated_on__lte=period.end
    ).select_related("person", "league_branch")


register(
    Source(
        key="recommendations",
        label=_("推优"),
        queryset=_recommendations,
        figures=lambda period: [
            Figure("recommendations.nominated", _("League members nominated for 推优")),
            Figure(
                "recommendations.passed",
                _("推优 passed by the League members' meeting"),
                Q(status__in=[RecommendationStatus.VOTED, RecommendationStatus.APPROVED]),
            ),
            Figure(
                "recommendations.approved",
                _("推优 approved by the League committee"),
                Q(status=RecommendationStatus.APPROVED),
            ),
        ],
        columns=[
            Column(_("Nominated on"), lambda r: r.nominated_on),
            Column(_("Person"), lambda r: r.person.name),
            Column(_("League branch"), lambda r: r.league_branch.name),
            Column(_("Status"), lambda r: r.get_status_display()),
        ],
        order_by=("nominated_on", "pk"),
    )
)


# --- activists in training: two contacts, quarterly assessments -------------------------------------


def _training_day(period: Period):
    return min(period.end, timezone.localdate())


def _activists(root: Organization, period: Period):
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
        Person.objects.filter(_person_in(root, ""), is_active=True)
        .filter(political_status__in=[PoliticalStatus.ACTIVIST, PoliticalStatus.DEVELOPMENT_TARGET])
        .select_related("organization")
        .annotate(contacts=Coalesce(Subquery(contacts), Value(0)), assessed=Exists(assessed))
    )


register(
    Source(
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
            Column(_("Political status"), lambda p: p.get_political_status_display()),
            Column(_("Training contacts"), lambda p: p.contacts),
            Column(_("Assessed this quarter"), lambda p: _("yes") if p.assessed else _("no")),
        ],
        order_by=("pinyin", "pk"),
    )
)


# --- democratic appraisal ------------------------------------------------------------------------------


def _appraisals(root: Organization, period: Period):
    return PartyAppraisal.objects.filter(
        _person_in(root), year__gte=period.start.year, year__lte=period.end.year
    ).select_related("person", "organization")


register(
    Source(
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
)


# --- activities, person-times and hours ----------------------------------------------------------------


def _activities(root: Organization, period: Period):
    return activities_in(period=period, organization=root).select_related("organization", "place")


SERVICE = Q(category__in=list(SERVICE_CATEGORIES))


def _activity_series(root: Organization, period: Period) -> dict:
    rows = (
        _activities(root, period)
        .filter(SERVICE)
        .annotate(y=ExtractYear("starts_on"), m=ExtractMonth("starts_on"))
        .values_list("y", "m", "total_hours")
    )
    hours: dict[str, float] = {}
    for y, m, h in rows:
        key = f"{y:04d}-{m:02d}"
        hours[key] = hours.get(key, 0.0) + float(h or 0)
    return {
        "volunteer_hours_by_month": {
            "months": [f"{y:04d}-{m:02d}" for y, m in period.months()],
            "hours": {k: round(v, 1) for k, v in hours.items()},
        }
    }


register(
    Source(
        key="activities",
        label=_("Activities"),
        queryset=_activities,
        figures=lambda period: [
            Figure("activities.total", _("Activities held")),
            Figure("activities.person_times", _("Activity participation (person-times)"), sum_field="person_times"),
            Figure("activities.hours", _("Activity hours"), sum_field="total_hours", hours=True),
            *(Figure(f"activities.category.{c}", label, Q(category=c)) for c, label in Category.choices),
            Figure("activities.series", _("Activities in theme series"), Q(series__isnull=False)),
            Figure("service.activities", _("Volunteer service and social practice activities"), SERVICE),
            Figure("service.places", _("Places served"), SERVICE, distinct="place"),
            Figure("service.person_times", _("Volunteer service person-times"), SERVICE, sum_field="person_times"),
            Figure("service.hours", _("Volunteer service hours"), SERVICE, sum_field="total_hours", hours=True),
        ],
        columns=[
            Column(_("Date"), lambda a: a.starts_on),
            Column(_("Title"), lambda a: a.title),
            Column(_("Category"), lambda a: a.get_category_display()),
            Column(_("Organizer"), lambda a: a.organization.name),
            Column(_("Place"), lambda a: a.place.name if a.place_id else ""),
            Column(_("Person-times"), lambda a: a.person_times),
            Column(_("Hours"), lambda a: a.total_hours),
        ],
        series=_activity_series,
        order_by=("starts_on", "pk"),
    )
)


def _honors(root: Organization, period: Period):
    return Honor.objects.filter(
        organization__path__startswith=root.path, awarded_on__gte=period.start, awarded_on__lte=period.end
    ).select_related("organization", "person")


register(
    Source(
        key="honors",
        label=_("Honors"),
        queryset=_honors,
        figures=lambda period: [
            Figure("honors.total", _("Honors received")),
            *(Figure(f"honors.level.{lv}", label, Q(level=lv)) for lv, label in reversed(HonorLevel.choices)),
            Figure("honors.people", _("Honors received by people"), Q(person__isnull=False)),
        ],
        columns=[
            Column(_("Date"), lambda h: h.awarded_on),
            Column(_("Title"), lambda h: h.title),
            Column(_("Level"), lambda h: h.get_level_display()),
            Column(_("Honored"), lambda h: h.person.name if h.person_id else h.organization.name),
            Column(_("Awarded by"), lambda h: h.awarding_body),
        ],
        order_by=("awarded_on", "pk"),
    )
)


# --- student aid fund ----------------------------------------------------------------------------------


def _fund_entries(root: Organization, period: Period):
    return FundEntry.objects.filter(
        fund__organization__path__startswith=root.path, entry_date__gte=period.start, entry_date__lte=period.end
    ).select_related("fund", "donor", "recipient")


def _fund_to_date(root: Organization, period: Period):
    return FundEntry.objects.filter(
        fund__organization__path__startswith=root.path, entry_date__lte=period.end
    ).select_related("fund", "donor", "recipient")


FUND_COLUMNS = [
    Column(_("Date"), lambda e: e.entry_date),
    Column(_("Kind"), lambda e: e.get_kind_display()),
    Column(_("Amount (yuan)"), lambda e: e.amount),
    Column(_("Donor / recipient"), lambda e: e.donor or e.recipient or e.donor_name or ""),
]

register(
    Source(
        key="fund",
        label=_("Student aid fund"),
        queryset=_fund_entries,
        figures=lambda period: [
            Figure("fund.raised", _("Aid fund raised (yuan)"), RAISED_Q, sum_field="amount", money=True),
            Figure(
                "fund.granted", _("Aid fund granted (yuan)"), GRANTED_Q, sum_field="amount", money=True, negate=True
            ),
            Figure("fund.grants", _("Aid grants"), LIVE_GRANT_Q),
            Figure("fund.recipients", _("Students aided"), LIVE_GRANT_Q, distinct="recipient"),
        ],
        columns=FUND_COLUMNS,
        order_by=("entry_date", "pk"),
    )
)

register(
    Source(
        key="fund_to_date",
        label=_("Student aid fund since inception"),
        queryset=_fund_to_date,
        figures=lambda period: [
            Figure(
                "fund.balance", _("Aid fund balance at the end of the period (yuan)"), sum_field="amount", money=True
            ),
            Figure(
                "fund.raised_total",
                _("Aid fund raised since inception (yuan)"),
                RAISED_Q,
                sum_field="amount",
                money=True,
            ),
            Figure(
                "fund.granted_total",
                _("Aid fund granted since inception (yuan)"),
                GRANTED_Q,
                sum_field="amount",
                money=True,
                negate=True,
            ),
            Figure("fund.grants_total", _("Aid grants since inception"), LIVE_GRANT_Q),
            Figure("fund.recipients_total", _("Students aided since inception"), LIVE_GRANT_Q, distinct="recipient"),
        ],
        columns=FUND_COLUMNS,
        order_by=("entry_date", "pk"),
    )
)


def _dues(root: Organization, period: Period):
    return DuesPayment.objects.filter(
        organization__path__startswith=root.path, paid_on__gte=period.start, paid_on__lte=period.end
    ).select_related("account__person", "organization")


register(
    Source(
        key="dues",
        label=_("Dues"),
        queryset=_dues,
        figures=lambda period: [
            Figure("dues.payments", _("Dues payments")),
            Figure(
                "dues.party",
                _("Party dues collected (yuan)"),
                Q(account__kind=DuesKind.PARTY),
                sum_field="amount",
                money=True,
            ),
            Figure(
                "dues.league",
                _("League dues collected (yuan)"),
                Q(account__kind=DuesKind.LEAGUE),
                sum_field="amount",
                money=True,
            ),
        ],
        columns=[
            Column(_("Paid on"), lambda p: p.paid_on),
            Column(_("Member"), lambda p: p.account.person.name),
            Column(_("Month"), lambda p: p.month.strftime("%Y-%m")),
            Column(_("Amount (yuan)"), lambda p: p.amount),
        ],
        order_by=("paid_on", "pk"),
    )
)


# --- tables per series, per place, per organization ------------------------------------------------------

ACTIVITY_MEASURES = [
    Figure("activities.total", _("Activities")),
    Figure("activities.person_times", _("Person-times"), sum_field="person_times"),
    Figure("activities.hours", pgettext_lazy("table column", "Hours"), sum_field="total_hours", hours=True),
]
SERVICE_MEASURES = [
    Figure("service.activities", _("Activities"), SERVICE),
    Figure("service.person_times", _("Person-times"), SERVICE, sum_field="person_times"),
    Figure("service.hours", pgettext_lazy("table column", "Hours"), SERVICE, sum_field="total_hours", hours=True),
]

register_breakdown(
    Breakdown(
        key="activities.by_series",
        title=_("Theme series"),
        source="activities",
        by="series",
        name="series__name",
        q=Q(series__isnull=False),
        measures=ACTIVITY_MEASURES,
    )
)
register_breakdown(
    Breakdown(
        key="service.by_place",
        title=_("Service and practice per place"),
        source="activities",
        by="place",
        name="place__name",
        q=SERVICE,
        measures=SERVICE_MEASURES,
        empty_label=_("No fixed place"),
    )
)
register_breakdown(
    Breakdown(
        key="dues.by_organization",
        title=_("Dues collected per organization"),
        source="dues",
        by="organization",
        name="organization__name",
        measures=[
            Figure("dues.payments", _("Payments")),
            Figure(
                "dues.party", _("Party dues (yuan)"), Q(account__kind=DuesKind.PARTY), sum_field="amount", money=True
            ),
            Figure(
                "dues.league",
                _("League dues (yuan)"),
                Q(account__kind=DuesKind.LEAGUE),
                sum_field="amount",
                money=True,
            ),
        ],
    )
)


# --- League appraisal and registration (团员教育评议, 团籍注册) -------------------------------------------


def _registrations(root: Organization, period: Period):
    return LeagueRegistration.objects.filter(
        _person_in(root), year__gte=period.start.year, year__lte=period.end.year
    ).select_related("person", "organization")


register(
    Source(
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
)


# --- the yearly 推优 target ------------------------------------------------------------------------------


def _target_years(period: Period) -> list[int]:
    return list(range(period.start.year, period.end.year + 1))


def _recommendation_target(root: Organization, period: Period, out: dict) -> None:
    """The school's yearly 推优 target, for a summary of the whole school or of its League committee (a
    class's summary has no share of it). A period spanning years adds the targets of the years it starts
    in… ends in; the previous period's target is given for comparison. One query."""
    if not (root.depth == 0 or root.kind == OrgKind.LEAGUE_COMMITTEE):
        return
    previous = period.previous()
    years = set(_target_years(period)) | set(_target_years(previous))
    targets = dict(
        RecommendationTarget.objects.filter(school__path=root.path[:PATH_STEP], year__in=years).values_list(
            "year", "target"
        )
    )
    if not any(y in targets for y in _target_years(period)):
        return

    def total(p):
        found = [targets[y] for y in _target_years(p) if y in targets]
        return sum(found) if found else None

    out["figures"]["recommendations.target"] = {
        "value": total(period),
        "previous": total(previous),
        "money": False,
        "hours": False,
        "stock": False,
        "nolink": True,
    }


register_extra("recommendations.target", _recommendation_target)
