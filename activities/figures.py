"""The figures of activities the annual summary prints (DESIGN §4, parts 4 and 5): activities by category
and series, volunteer service and social practice, the places they were held at, honors. Declared here, on
this app's querysets; `reports` compiles them."""

from django.db.models import Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import Breakdown, Column, Figure, Source

from .models import SERVICE_CATEGORIES, Category, Honor, HonorLevel
from .selectors import activities_in


def _activities(root, period):
    return activities_in(period=period, organization=root).select_related("organization", "place")


SERVICE = Q(category__in=list(SERVICE_CATEGORIES))


def _activity_series(root, period) -> dict:
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


ACTIVITIES = Source(
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
SERVICE_MEASURES = [
    Figure("service.activities", _("Activities"), SERVICE),
    Figure("service.person_times", _("Person-times"), SERVICE, sum_field="person_times"),
    Figure("service.hours", pgettext_lazy("table column", "Hours"), SERVICE, sum_field="total_hours", hours=True),
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
BY_PLACE = Breakdown(
    key="service.by_place",
    title=_("Service and practice per place"),
    source="activities",
    by="place",
    name="place__name",
    q=SERVICE,
    measures=SERVICE_MEASURES,
    empty_label=_("No fixed place"),
)

SOURCES = [ACTIVITIES, HONORS]
BREAKDOWNS = [BY_SERIES, BY_PLACE]
EXTRAS = []
