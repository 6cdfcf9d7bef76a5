"""The figures of activities the annual summary prints (DESIGN §4, parts 4 and 5): activities by category
and series, volunteer service and social practice, the places they were held at, honors. Declared here, on
this app's querysets; `reports` compiles them."""

from django.db.models import Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import Breakdown, Column, Figure, Source

from .models import (
    AT_A_PLACE,
    SERVICE_CATEGORIES,
    SOCIAL_PRACTICE,
    VOLUNTEER_SERVICE,
    Activity,
    Category,
    Honor,
    HonorLevel,
    PlaceKind,
)


def _activities(root, period):
    return Activity.objects.started_in(period).organized_within(root).select_related("organization", "place")


def _activity_series(root, period) -> dict:
    rows = (
        _activities(root, period)
        .filter(VOLUNTEER_SERVICE)
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


def _activity_figures(period) -> list[Figure]:
    return [
        Figure("activities.total", _("Activities held")),
        Figure("activities.person_times", _("Activity participation (person-times)"), sum_field="person_times"),
        Figure("activities.hours", _("Hours of all activities"), sum_field="total_hours", hours=True),
        *(Figure(f"activities.category.{c}", label, Q(category=c)) for c, label in Category.choices),
        Figure("activities.series", _("Activities in theme series"), Q(series__isnull=False)),
        Figure("activities.places", _("Places activities were held at"), AT_A_PLACE, distinct="place"),
        # Volunteer service and social practice, apart (`activities.models.VOLUNTEER_SERVICE`, `SOCIAL_PRACTICE`).
        Figure("service.activities", _("Volunteer service activities"), VOLUNTEER_SERVICE),
        Figure("service.places", _("Places served"), VOLUNTEER_SERVICE, distinct="place"),
        Figure(
            "service.person_times", _("Volunteer service person-times"), VOLUNTEER_SERVICE, sum_field="person_times"
        ),
        Figure("service.hours", _("Volunteer service hours"), VOLUNTEER_SERVICE, sum_field="total_hours", hours=True),
        Figure("practice.activities", _("Social practice activities"), SOCIAL_PRACTICE),
        Figure("practice.places", _("Places of social practice"), SOCIAL_PRACTICE, distinct="place"),
        Figure("practice.person_times", _("Social practice person-times"), SOCIAL_PRACTICE, sum_field="person_times"),
        Figure("practice.hours", _("Social practice hours"), SOCIAL_PRACTICE, sum_field="total_hours", hours=True),
    ]


ACTIVITIES = Source(
    key="activities",
    label=_("Activities"),
    queryset=_activities,
    figures=_activity_figures,
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


def _honors(root, period):
    return Honor.objects.filter(
        organization__path__startswith=root.path, awarded_on__gte=period.start, awarded_on__lte=period.end
    ).select_related("organization", "person")


HONORS = Source(
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


ACTIVITY_MEASURES = [
    Figure("activities.total", _("Activities")),
    Figure("activities.person_times", _("Person-times"), sum_field="person_times"),
    Figure("activities.hours", pgettext_lazy("table column", "Hours"), sum_field="total_hours", hours=True),
]

BY_SERIES = Breakdown(
    key="activities.by_series",
    title=_("Theme series"),
    source="activities",
    by="series",
    name="series__name",
    q=Q(series__isnull=False),
    measures=ACTIVITY_MEASURES,
)
# Every activity held at one of the school's places, whatever its category (theme education at an education
# base too), the places grouped by kind.
BY_PLACE = Breakdown(
    key="activities.by_place",
    title=_("Activities per place"),
    source="activities",
    by="place",
    name="place__name",
    q=AT_A_PLACE,
    measures=ACTIVITY_MEASURES,
    group="place__kind",
    group_choices=lambda: dict(PlaceKind.choices),
)
# The table of summaries finalized before volunteer service and social practice were counted apart: kept so
# that their frozen rows still print; never compiled again.
LEGACY_SERVICE_BY_PLACE = Breakdown(
    key="service.by_place",
    title=_("Service and practice per place"),
    source="activities",
    by="place",
    name="place__name",
    q=Q(category__in=list(SERVICE_CATEGORIES)),
    measures=[
        Figure("service.activities", _("Activities"), VOLUNTEER_SERVICE),
        Figure("service.person_times", _("Person-times"), VOLUNTEER_SERVICE, sum_field="person_times"),
        Figure(
            "service.hours",
            pgettext_lazy("table column", "Hours"),
            VOLUNTEER_SERVICE,
            sum_field="total_hours",
            hours=True,
        ),
    ],
    empty_label=_("No fixed place"),
    link_only=True,
)

SOURCES = [ACTIVITIES, HONORS]
BREAKDOWNS = [BY_SERIES, BY_PLACE, LEGACY_SERVICE_BY_PLACE]
EXTRAS = []
