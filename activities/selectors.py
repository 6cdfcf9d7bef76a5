"""Reads of activities, places, series and honors. Every function here runs a fixed number of queries,
whatever the amount of data.

Person-times (人次) and hours are always computed, never typed:
- person-times = named participations + the sum of head counts;
- hours = the sum of named participants' hours (a participant without their own hours counts the
  activity's) + Σ head count × hours per head (empty: the activity's hours).
They are computed per activity when its participants, head counts or hours change and stored on it
(`Activity.person_times`, `Activity.total_hours`, kept by `services.activities_recount`), so totals
over thousands of activities are one SUM over the activities.

The annual summary's figures of activities (volunteer service, social practice, places, honors) are
declared in `activities.figures` on the querysets of `activities.models`: an activity belongs to an
organization's subtree when its lead organizer or one of its co-organizers lies in that subtree.
"""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.shortcuts import get_object_or_404

from branches.models import Organization
from branches.permissions import access, can_view, get_for_user_or_404, require_edit, viewable_organizations

from .models import Activity, HeadCount, Honor, Participation, Place, Series

ZERO = Decimal("0.0")
ONE_PLACE = Decimal("0.1")


def _hours(value) -> Decimal:
    """Hours as a Decimal with one place, whatever the database returned (SQLite may give 69 or 69.25)."""
    return Decimal(value or 0).quantize(ONE_PLACE)


HOURS_FIELD = DecimalField(max_digits=14, decimal_places=1)


# --- access -------------------------------------------------------------------------------------


def _co_organizer_q(user) -> Q:
    """Activities one of whose co-organizers the user may view."""
    through = Activity.co_organizers.through.objects.filter(access(user).org_q("organization"))
    return Q(pk__in=through.values("activity_id"))


def visible_activities(user):
    """Activities the user may see: the lead organizer or a co-organizer is viewable."""
    acc = access(user)
    qs = Activity.objects.all()
    if acc.sees_everything:
        return qs
    return qs.filter(acc.org_q("organization") | _co_organizer_q(user))


def activity_for_user(user, pk, *, edit: bool = False) -> Activity:
    """One activity from the URL: 404 when the user may view none of its organizers, 403 when an edit is
    asked and the user may not edit the lead organizer."""
    qs = visible_activities(user).select_related("organization", "series", "place")

    def org_of(a):
        # The organizer that grants the view: the lead, or failing that a viewable co-organizer.
        if can_view(user, a.organization):
            return a.organization
        return next((o for o in a.co_organizers.all() if can_view(user, o)), a.organization)

    activity = get_for_user_or_404(user, qs, org_of=org_of, pk=pk)
    if edit:
        require_edit(user, activity.organization)
    return activity


def _kept_for_q(user) -> Q:
    """Places and series a user may see: those kept by an organization they may view, and those kept
    above it (the school's places serve every class: who may use one may see its page). One subquery:
    the keeping organization is the ancestor-or-self of an organization the user may view."""
    if access(user).sees_everything:
        return Q()
    below = viewable_organizations(user).filter(path__startswith=OuterRef("organization__path"))
    return Q(Exists(below))


def visible_places(user):
    return Place.objects.filter(_kept_for_q(user))


def visible_series(user):
    return Series.objects.filter(_kept_for_q(user))


def kept_for_user(user, queryset, pk, *, edit: bool = False):
    """A place or series from the URL: 404 unless visible (see `_kept_for_q`), 403 when an edit is asked
    and the user may not edit the keeping organization."""
    obj = get_object_or_404(queryset.filter(_kept_for_q(user)).select_related("organization"), pk=pk)
    if edit:
        require_edit(user, obj.organization)
    return obj


def usable_in_subtree_q(orgs) -> Q:
    """Places/series kept by one of `orgs` or by one of their ancestors (a place the school keeps may be
    used by every branch of the school)."""
    paths = set()
    for org in orgs:
        for i in range(1, len(org.path) // 6 + 1):
            paths.add(org.path[: i * 6])
    return Q(organization__path__in=sorted(paths))


# --- totals -------------------------------------------------------------------------------------


def _named_hours_expr(prefix: str = ""):
    return Coalesce(f"{prefix}hours", f"{prefix}activity__service_hours", output_field=HOURS_FIELD)


def _head_hours_expr():
    return ExpressionWrapper(
        F("count") * Coalesce("hours_per_head", "activity__service_hours", output_field=HOURS_FIELD),
        output_field=HOURS_FIELD,
    )


def live_totals_expressions() -> dict:
    """Person-times and hours of the activity `OuterRef("pk")`, computed from its participations and head
    counts (correlated subqueries): {"person_times": …, "total_hours": …}. `services.activities_recount`
    stores them; `annotate_live_totals` checks them."""
    named = (
        Participation.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"), h=Sum(_named_hours_expr()))
    )
    heads = (
        HeadCount.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Sum("count"), h=Sum(_head_hours_expr()))
    )
    return {
        "person_times": ExpressionWrapper(
            Coalesce(Subquery(named.values("n")), Value(0), output_field=IntegerField())
            + Coalesce(Subquery(heads.values("n")), Value(0), output_field=IntegerField()),
            output_field=IntegerField(),
        ),
        "total_hours": ExpressionWrapper(
            Coalesce(Subquery(named.values("h")), Value(ZERO), output_field=HOURS_FIELD)
            + Coalesce(Subquery(heads.values("h")), Value(ZERO), output_field=HOURS_FIELD),
            output_field=HOURS_FIELD,
        ),
    }


def annotate_live_totals(qs):
    """Annotate `live_person_times` and `live_hours`, computed from the rows (for checks and tests)."""
    exprs = live_totals_expressions()
    return qs.annotate(live_person_times=exprs["person_times"], live_hours=exprs["total_hours"])


@dataclass
class Totals:
    activities: int = 0
    person_times: int = 0
    hours: Decimal = ZERO

    def add(self, other: "Totals") -> None:
        self.activities += other.activities
        self.person_times += other.person_times
        self.hours += other.hours


def grouped_totals(activities, key: str, key_expr=None) -> dict:
    """{key value: Totals} over an activity queryset, grouped by an activity field (`key`, e.g.
    "category", "series", "place") or an expression on the activity (`key_expr`). One query: the totals
    are stored on each activity (`person_times`, `total_hours`)."""
    expr = key_expr() if key_expr else F(key)
    rows = (
        activities.order_by()
        .annotate(_k=expr)
        .values("_k")
        .annotate(n=Count("pk"), t=Sum("person_times"), h=Sum("total_hours"))
    )
    return {row["_k"]: Totals(row["n"], row["t"] or 0, _hours(row["h"])) for row in rows}


def grand_total(activities) -> Totals:
    """Activities, person-times and hours of an activity queryset (one query)."""
    row = activities.order_by().aggregate(n=Count("pk"), t=Sum("person_times"), h=Sum("total_hours"))
    return Totals(row["n"], row["t"] or 0, _hours(row["h"]))


def organized_within(qs, organization: Organization):
    """Activities whose lead organizer or one of whose co-organizers lies in `organization`'s subtree."""
    return qs.organized_within(organization)


# --- pages --------------------------------------------------------------------------------------


def filtered_activities(user, *, params):
    """The activities `user` may see, filtered by validated `params` (an ActivityFilterForm's
    cleaned_data: q, category, series, place, organizer — its subtree, co-organizers included — and
    period). Reports link here so that every figure can be traced back to its list."""
    qs = visible_activities(user)
    p = params
    if p.get("q"):
        qs = qs.filter(Q(title__icontains=p["q"]) | Q(description__icontains=p["q"]))
    if p.get("category"):
        qs = qs.filter(category=p["category"])
    if p.get("series"):
        qs = qs.filter(series=p["series"])
    if p.get("place"):
        qs = qs.filter(place=p["place"])
    if p.get("organizer"):
        qs = organized_within(qs, p["organizer"])
    if p.get("period"):
        qs = qs.filter(starts_on__range=(p["period"].start, p["period"].end))
    return qs


def activity_list(user, *, params) -> tuple:
    """(rows, totals): the filtered activities with the columns the list shows (their stored person-times
    and hours) and the totals over the whole filtered set (one query)."""
    base = filtered_activities(user, params=params)
    return base.select_related("organization", "series", "place"), grand_total(base)


def activity_detail(activity: Activity) -> dict:
    """Everything the detail page shows: participants grouped by class, head counts, photos, totals
    (a fixed number of queries)."""
    named = list(
        activity.participations.select_related("person", "person__organization").order_by(
            "person__organization__path", "person__pinyin"
        )
    )
    heads = list(activity.head_counts.select_related("organization"))
    groups: OrderedDict = OrderedDict()
    for p in named:
        p.activity = activity
        groups.setdefault(p.person.organization, []).append(p)
    for h in heads:
        h.activity = activity
    t = Totals(
        activities=1,
        person_times=len(named) + sum(h.count for h in heads),
        hours=sum((p.effective_hours() for p in named), ZERO)
        + sum((h.count * h.effective_hours() for h in heads), ZERO),
    )
    return {
        "groups": groups,
        "named_count": len(named),
        "head_counts": heads,
        "photos": list(activity.photos.all()),
        "co_organizers": list(activity.co_organizers.all()),
        "totals": t,
    }


def place_detail(user, place: Place) -> dict:
    """The place page: per year, the activities held there (those the user may see) with person-times
    and hours; and the activities themselves, newest first (a queryset to paginate)."""
    held = visible_activities(user).filter(place=place)
    per_year = grouped_totals(held, "", key_expr=lambda: ExtractYear("starts_on"))
    years = [{"year": y, **vars(t)} for y, t in sorted(per_year.items(), reverse=True)]
    grand = Totals()
    for t in per_year.values():
        grand.add(t)
    activities = held.select_related("organization", "series")
    return {"years": years, "grand": grand, "activities": activities}


SERIES_LIST_ACTIVITIES = 8  # activities shown per series on the year's list; the series page lists them all


def series_for_year(user, year: int) -> list[dict]:
    """The year's series the user may see, each with its totals and its latest activities (at most
    SERIES_LIST_ACTIVITIES, those the user may see; the series page pages through all of them), so the list
    stays one screen per series however busy the year was. Three queries."""
    series = list(Series.objects.filter(access(user).org_q("organization"), year=year).select_related("organization"))
    activities = visible_activities(user).filter(series__in=series)
    data = grouped_totals(activities, "series")
    latest = (
        activities.select_related("organization", "place")
        .annotate(
            _rank=Window(RowNumber(), partition_by=[F("series_id")], order_by=[F("starts_on").desc(), F("pk").desc()])
        )
        .filter(_rank__lte=SERIES_LIST_ACTIVITIES)
        .order_by("starts_on", "pk")
    )
    by_series: dict = {}
    for a in latest:
        by_series.setdefault(a.series_id, []).append(a)
    rows = []
    for s in series:
        shown, totals = by_series.get(s.pk, []), data.get(s.pk, Totals())
        rows.append({"series": s, "activities": shown, "totals": totals, "more": totals.activities - len(shown)})
    return rows


def series_years(user) -> list[int]:
    return sorted(set(visible_series(user).values_list("year", flat=True)), reverse=True)


def visible_honors(user):
    return Honor.objects.filter(access(user).org_q("organization")).select_related("organization", "person")


def honors_timeline(honors) -> list[dict]:
    """[{year, honors}] newest year first, from an ordered honor queryset (one query)."""
    years: OrderedDict = OrderedDict()
    for h in honors.order_by("-awarded_on", "-pk"):
        years.setdefault(h.awarded_on.year, []).append(h)
    return [{"year": y, "honors": hs} for y, hs in years.items()]
