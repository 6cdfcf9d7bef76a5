"""The page table of the performance work (issue 8), shared by the query-budget tests (`tests/perf`) and
`make bench` (`scripts/bench.py`).

Every page a user opens with GET is listed here with how to build its URL on seeded demo data, who opens
it, and its query budget; URLs that are not pages (POST-only actions, file downloads of uploaded files)
are listed in `NOT_MEASURED` with the reason. `tests/perf/test_query_counts.py` walks the URL conf and
fails when a URL is in neither table, so a new page cannot escape the budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Page:
    name: str  # URL name, e.g. "meetings:list"
    kind: str  # list, detail, board, calendar, frequency, dashboard, summary, export, form, other
    build: Callable[[Objects], tuple[list, dict]]  # → (args, query params)
    budget: int  # maximum number of queries (after the session and user have been loaded)
    user: str = "admin"  # demo account (school 1) that opens the page
    admin_model: str = ""  # list pages: "app_label.Model" whose admin changelist is the baseline
    key: bool = False  # measured by `make bench`
    skip: str = ""  # reason the page is not measured yet (shown as a pytest skip, never silent)
    single_root: bool = False  # the page loops over the user's top organizations (at most 5): see docs
    known_bug: str = ""  # the page fails today for a reason outside the performance work (strict xfail)
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name

    def url(self, objects: Objects) -> str:
        args, params = self.build(objects)
        path = reverse(self.name, args=args)
        return f"{path}?{urlencode(params)}" if params else path


def _none(_o):
    return [], {}


class Objects:
    """The records the detail pages open, found once per data set inside the first demo school (the one
    the demo accounts belong to): each the record with the most related rows, so a per-row query shows."""

    def __init__(self, school, today):
        self.school = school
        self.today = today
        self.prefix = school.path

    def _in_school(self, qs, field="organization"):
        return qs.filter(**{f"{field}__path__startswith": self.prefix})

    @cached_property
    def year(self) -> int:
        return self.today.year

    @cached_property
    def last_year(self) -> str:
        return f"year:{self.today.year - 1}"

    @cached_property
    def meeting(self):
        from meetings.models import Meeting

        qs = self._in_school(Meeting.objects.filter(starts_at__lte=self.now))
        return qs.annotate(n=Count("attendances")).order_by("-n", "-pk").first()

    @cached_property
    def now(self):
        from django.utils import timezone

        return timezone.now()

    @cached_property
    def activity(self):
        from activities.models import Activity

        qs = self._in_school(Activity.objects.all())
        return qs.annotate(n=Count("participations")).order_by("-n", "-pk").first()

    @cached_property
    def person(self):
        """A Party member with a long record: the most status events."""
        from members.models import Person

        qs = self._in_school(Person.objects.all())
        return qs.annotate(n=Count("status_events")).order_by("-n", "-pk").first()

    @cached_property
    def student(self):
        from activities.models import Participation

        row = (
            Participation.objects.filter(person__organization__path__startswith=self.prefix)
            .values("person")
            .annotate(n=Count("pk"))
            .order_by("-n", "-person")
            .first()
        )
        from members.models import Person

        return Person.objects.get(pk=row["person"]) if row else self.person

    @cached_property
    def branch(self):
        from branches.models import Organization, OrgKind

        return Organization.objects.filter(path__startswith=self.prefix, kind=OrgKind.PARTY_BRANCH).order_by("path")[0]

    @cached_property
    def general(self):
        from branches.models import Organization, OrgKind

        qs = Organization.objects.filter(path__startswith=self.prefix, kind=OrgKind.PARTY_GENERAL_BRANCH)
        return qs.order_by("path").first() or self.branch

    @cached_property
    def league(self):
        from branches.models import Organization, OrgKind

        return Organization.objects.get(path__startswith=self.prefix, kind=OrgKind.LEAGUE_COMMITTEE)

    @cached_property
    def klass(self):
        from branches.models import Organization, OrgKind

        qs = Organization.objects.filter(path__startswith=self.prefix, kind=OrgKind.LEAGUE_BRANCH)
        return qs.order_by("path")[0]

    @cached_property
    def place(self):
        from activities.models import Place

        return (
            Place.objects.filter(organization__path__startswith=self.prefix)
            .annotate(n=Count("activities"))
            .order_by("-n", "pk")
            .first()
        )

    @cached_property
    def series(self):
        from activities.models import Series

        return (
            Series.objects.filter(organization__path__startswith=self.prefix)
            .annotate(n=Count("activities"))
            .order_by("-n", "pk")
            .first()
        )

    @cached_property
    def honor(self):
        from activities.models import Honor

        return Honor.objects.filter(organization__path__startswith=self.prefix).order_by("pk").first()

    @cached_property
    def fund(self):
        from finance.models import AidFund

        return (
            AidFund.objects.filter(organization__path__startswith=self.prefix)
            .annotate(n=Count("entries"))
            .order_by("-n", "pk")
            .first()
        )

    @cached_property
    def dues_org(self):
        from finance.models import DuesAccount

        row = (
            DuesAccount.objects.filter(organization__path__startswith=self.prefix)
            .values("organization")
            .annotate(n=Count("pk"))
            .order_by("-n", "organization")
            .first()
        )
        return row["organization"] if row else self.branch.pk

    @cached_property
    def dues_account(self):
        from finance.models import DuesAccount

        qs = DuesAccount.objects.filter(organization__path__startswith=self.prefix)
        return qs.annotate(n=Count("payments")).order_by("-n", "pk").first()

    @cached_property
    def summary(self):
        """The annual summary of last calendar year (finalized in the demo data: a full year of records)."""
        from reports.models import Summary

        qs = Summary.objects.filter(organization=self.school).order_by("-pk")
        return qs.filter(title__contains=str(self.today.year - 1)).first() or qs.first()

    @cached_property
    def draft_summary(self):
        from reports.models import Summary, SummaryStatus

        qs = Summary.objects.filter(organization=self.school).order_by("-pk")
        return qs.filter(status=SummaryStatus.DRAFT).first() or self.summary

    @cached_property
    def roster_import(self):
        from members.models import RosterImport

        return RosterImport.objects.order_by("-pk").first()

    def figure_keys(self) -> list[str]:
        """One figure per source of the annual summary, for the drill-down pages."""
        from branches.periods import Period
        from reports.figures import sources

        period = Period.parse(self.last_year, today=self.today)
        keys = []
        for source in sources():
            figs = source.figures(period)
            if figs:
                keys.append(figs[0].key)
        return keys


def _pk(attr):
    def build(o):
        obj = getattr(o, attr)
        return [obj if isinstance(obj, int) else obj.pk], {}

    return build


def _params(**params):
    def build(_o):
        return [], params

    return build


def _dashboard_charts(o):
    return [], {"org": o.school.pk, "period": o.last_year}


def _history(o):
    return ["reports.summary", o.summary.pk], {}


def _drill(index):
    def build(o):
        keys = o.figure_keys()
        return [keys[index % len(keys)]], {"org": o.school.pk, "period": o.last_year}

    return build


def _year_param(o):
    return [], {"period": o.last_year}


PAGES: list[Page] = [
    # core and the organization tree
    Page("dashboard", "dashboard", _none, 58, key=True, single_root=True, label="dashboard"),
    Page("core:deleted", "list", _none, 8),
    Page("core:history", "detail", _history, 12),
    Page("branches:tree", "list", _none, 8, key=True, admin_model="branches.Organization"),
    Page("branches:detail", "detail", _pk("branch"), 13, key=True),
    Page("branches:create", "form", _none, 9),
    Page("branches:edit", "form", _pk("branch"), 9),
    Page("branches:officer_create", "form", _pk("branch"), 11),
    Page("branches:election_create", "form", _pk("branch"), 8),
    # members
    Page("members:list", "list", _none, 12, key=True, admin_model="members.Person"),
    Page("members:detail", "detail", _pk("person"), 21, key=True),
    Page("members:board", "board", _none, 13, key=True),
    Page("members:due", "list", _none, 13),
    Page("members:recommendations", "list", _none, 13),
    Page("members:appraisal", "list", lambda o: ([], {"org": o.branch.pk}), 11),
    Page("members:league_sheet", "list", lambda o: ([], {"org": o.klass.pk}), 11),
    Page("members:league_turning", "list", _none, 8),
    Page("members:export", "export", _none, 10),
    Page("members:person_lookup", "other", _params(q="王"), 7),
    Page("members:create", "form", _none, 10),
    Page("members:edit", "form", _pk("person"), 10),
    Page("members:import", "form", _none, 7),
    Page("members:import_template", "export", _none, 7),
    # meetings
    Page("meetings:list", "list", _year_param, 10, key=True, admin_model="meetings.Meeting"),
    Page("meetings:calendar", "calendar", lambda o: ([], {"month": f"{o.today.year}-{o.today.month}"}), 9, key=True),
    Page("meetings:frequency", "frequency", _year_param, 10, key=True),
    Page("meetings:detail", "detail", _pk("meeting"), 13, key=True),
    Page("meetings:print", "detail", _pk("meeting"), 12),
    Page("meetings:create", "form", _none, 10),
    Page("meetings:edit", "form", _pk("meeting"), 11),
    Page("meetings:attendance", "form", _pk("meeting"), 10),
    Page("meetings:person_search", "other", _params(q="王"), 7),
    Page("meetings:feed", "form", _none, 8),
    # activities
    Page("activities:list", "list", _none, 17, key=True, admin_model="activities.Activity"),
    Page("activities:export", "export", _none, 14),
    Page("activities:detail", "detail", _pk("activity"), 12, key=True),
    Page("activities:edit", "form", _pk("activity"), 15),
    Page("activities:create", "form", _none, 13),
    Page("activities:participants", "form", _pk("activity"), 11),
    Page("activities:place_list", "list", _none, 9, admin_model="activities.Place"),
    Page("activities:place_detail", "detail", _pk("place"), 15),
    Page("activities:series_list", "list", _none, 15, admin_model="activities.Series"),
    Page("activities:series_detail", "detail", _pk("series"), 15),
    Page("activities:honor_list", "list", _none, 9, key=True, admin_model="activities.Honor"),
    Page("activities:honors_for_org", "list", _pk("school"), 9),
    Page("activities:honors_for_person", "list", _pk("student"), 9),
    Page("activities:participants_template", "export", _pk("activity"), 8),
    # finance
    Page("finance:index", "dashboard", _none, 13, key=True),
    Page("finance:ledger", "list", _pk("fund"), 13, key=True, admin_model="finance.FundEntry"),
    Page("finance:ledger_export", "export", _pk("fund"), 11),
    Page("finance:drives", "list", _pk("fund"), 10),
    Page("finance:notice", "detail", _pk("fund"), 10),
    Page("finance:dues_org", "list", _pk("dues_org"), 13, key=True, admin_model="finance.DuesAccount"),
    Page("finance:payment", "detail", _pk("dues_account"), 10),
    Page("finance:account_edit", "form", _pk("dues_account"), 8),
    Page("finance:arrears", "list", _none, 9, key=True),
    Page("finance:arrears_export", "export", _none, 9),
    Page("finance:dues_export", "export", _none, 9),
    Page("finance:fund_create", "form", _none, 9),
    Page("finance:donation_create", "form", _pk("fund"), 10),
    Page("finance:grant_create", "form", _pk("fund"), 12),
    Page("finance:drive_create", "form", _pk("fund"), 8),
    # reports: the annual summary, its exports, the drill-downs
    Page("reports:index", "list", _none, 11, key=True, admin_model="reports.Summary"),
    Page("reports:due", "list", _none, 17),
    Page("reports:detail", "summary", _pk("summary"), 48, key=True, label="summary (finalized, last year)"),
    Page("reports:detail", "summary", _pk("draft_summary"), 60, label="summary (draft, this year)"),
    Page("reports:summary_charts", "other", _pk("summary"), 7),
    Page("reports:dashboard_charts", "other", _dashboard_charts, 48),  # the figures, compiled (tests: no cache)
    Page("reports:pdf", "export", _pk("summary"), 9, key=True),
    Page("reports:docx", "export", _pk("summary"), 50, key=True),
    Page("reports:xlsx", "export", _pk("summary"), 50, key=True),
    Page("reports:drilldown", "list", _drill(0), 11, label="drilldown #1"),
    Page("reports:drilldown", "list", _drill(1), 11, label="drilldown #2"),
    Page("reports:drilldown", "list", _drill(2), 11, label="drilldown #3"),
    Page("reports:drilldown", "list", _drill(3), 11, label="drilldown #4"),
]

# URL names that are not pages to measure, with the reason.
NOT_MEASURED = {
    "login": "the login form: no data",
    "favicon": "redirect to a static file",
    "logout": "POST only",
    "password_change": "form without data",
    "password_change_done": "static page",
    "set_language": "POST only",
    "javascript-catalog": "static catalogue",
    "core:restore": "POST only (admin restores a deleted record)",
    "members:step": "pipeline step form: one person, measured through members:detail",
    "members:document": "file download of an uploaded document",
    "members:recommendation_target": "POST only",
    "members:recommendation_vote": "form for one recommendation (one person)",
    "members:recommendation_decide": "form for one recommendation (one person)",
    "members:import_preview": "preview of one uploaded roster file (needs an upload)",
    "meetings:ical_feed": "token-authenticated feed, measured by tests/meetings/test_ical.py",
    "meetings:delete": "confirmation of one meeting",
    "meetings:vote_create": "form on one meeting",
    "meetings:vote_delete": "POST only",
    "meetings:attachment_upload": "upload form",
    "meetings:attachment": "file download of an upload",
    "meetings:attachment_delete": "POST only",
    "activities:delete": "confirmation of one activity",
    "activities:participants_import": "upload form",
    "activities:participation_remove": "POST only",
    "activities:head_count_add": "POST only",
    "activities:head_count_remove": "POST only",
    "activities:photo_add": "upload form",
    "activities:photo": "file download of an upload",
    "activities:photo_delete": "POST only",
    "activities:honor_certificate": "file download of an uploaded certificate",
    "members:event_withdraw": "confirmation of one status event",
    "members:assessment_delete": "confirmation of one assessment",
    "activities:place_create": "form without data",
    "activities:place_edit": "form for one place",
    "activities:place_delete": "confirmation of one place",
    "activities:series_create": "form without data",
    "activities:series_edit": "form for one series",
    "activities:series_delete": "confirmation of one series",
    "activities:honor_create": "form without data",
    "activities:honor_edit": "form for one honor",
    "activities:honor_delete": "confirmation of one honor",
    "finance:entry_reverse": "POST only",
    "finance:drive_edit": "form for one drive",
    "finance:dues_setup": "form for one organization",
    "finance:payment_reverse": "POST only",
    "reports:edit_section": "form for one section",
    "reports:finalize": "POST only",
    "reports:reopen": "form for one summary",
}


def page_names() -> set[str]:
    return {p.name for p in PAGES}


def resolvable(page: Page) -> str:
    """ "" if the page's URL name exists, else the reason to skip it."""
    if page.skip:
        return page.skip
    try:
        reverse(page.name, args=[1] * _arg_count(page.name))
    except NoReverseMatch:
        return f"{page.name} is not in the URL conf yet (page not built)"
    return ""


def _arg_count(name: str) -> int:
    from django.urls import get_resolver

    resolver = get_resolver()
    ns, _, short = name.rpartition(":")
    if ns:
        resolver = resolver.namespace_dict[ns][1]
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(short):
        return len(possibility[0][1])
    return 0


@dataclass
class Measurement:
    status: int
    queries: int
    sql: list[str] = field(default_factory=list)
    error: str = ""
