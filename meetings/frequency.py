"""The frequency check of 三会一课 (DESIGN §3): for each organization and period, how many meetings of each
type were required and how many were held.

The rules, per kind of organization:

Party branch (党支部)
    branch general meeting (支部党员大会) ≥ 1 a quarter; branch committee (支委会) ≥ 1 a month;
    Party class (党课) ≥ 1 a quarter, and ≥ 1 a calendar year given by the secretary; theme Party day
    (主题党日) ≥ 1 a month; organizational life meeting (组织生活会) ≥ 1 a calendar year (usually Q4).
Party general branch (党总支)
    its committee (总支委员会) ≥ 1 a month (its branches carry the other rules).
Party group (党小组)
    Party group meeting (党小组会) ≥ 1 a month.
The topmost Party organization of a school (the general branch, or a branch directly under the school)
    the school's rule: Party–League joint meetings (党团联席会议) ≥ 2 a semester, among them a plan meeting and
    a summary meeting.
Class League branch (团支部) — our school rule, since the League's national rules are per quarter and a
school year has holidays: League members' meeting (团员大会) ≥ 1 a semester; League branch committee
    (团支委会) ≥ 2 a semester; League class (团课) ≥ 1 a semester.
Youth League committee (校团委)
    League committee meeting (团委会) ≥ 2 a semester; League class (团课) ≥ 1 a semester.

An organization is checked for the units it existed in: units that ended before it was founded (its founding
date; for a class League branch, the September its class entered) or began on or after its dissolution
(`Organization.dissolved_on`: a class branch dissolved when its cohort graduated on 1 July is checked up to its
spring semester and its June, not for July or later) are not checked.

A meeting counts as held when it has taken place (`meetings.models.held_q`, the rule the summary and the
dashboard count by too): a planned meeting in the future does not count. A unit (a
month, quarter, semester or year) is "missed" once it has ended short, "open" while it runs, and
"future" before it starts. Semesters follow `branches.periods` (autumn Sep–Jan, spring Feb–Jul); August
belongs to no semester.

The whole check for any number of organizations and months is one aggregate query.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches import periods
from branches.models import OrgKind
from branches.periods import Period
from core.datacache import cached, within_cached

from .models import JointPhase, Meeting, MeetingKind


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    unit: str  # "month", "quarter", "semester", "year"
    minimum: int
    label: object  # lazy translated short label, e.g. "Committee"
    by_secretary: bool = False
    phases: tuple[str, ...] = ()  # phases that must be among the meetings (joint meetings)

    def describe(self):
        return _("%(label)s: at least %(n)s per %(unit)s") % {
            "label": self.label,
            "n": self.minimum,
            "unit": UNIT_LABELS[self.unit],
        }


UNIT_LABELS = {
    "month": pgettext_lazy("unit of a rule", "month"),
    "quarter": pgettext_lazy("unit of a rule", "quarter"),
    "semester": pgettext_lazy("unit of a rule", "semester"),
    "year": pgettext_lazy("unit of a rule", "year"),
}

R_GENERAL = Rule("general", MeetingKind.BRANCH_GENERAL, "quarter", 1, pgettext_lazy("meeting rule", "General meeting"))
R_COMMITTEE = Rule("committee", MeetingKind.BRANCH_COMMITTEE, "month", 1, pgettext_lazy("meeting rule", "Committee"))
R_CLASS = Rule("class", MeetingKind.PARTY_CLASS, "quarter", 1, pgettext_lazy("meeting rule", "Party class"))
R_SEC_CLASS = Rule(
    "sec_class",
    MeetingKind.PARTY_CLASS,
    "year",
    1,
    pgettext_lazy("meeting rule", "Secretary's Party class"),
    by_secretary=True,
)
R_THEME = Rule("theme", MeetingKind.THEME_PARTY_DAY, "month", 1, pgettext_lazy("meeting rule", "Theme Party day"))
R_ORG_LIFE = Rule("org_life", MeetingKind.ORG_LIFE, "year", 1, pgettext_lazy("meeting rule", "Organizational life"))
R_GROUP = Rule("group", MeetingKind.PARTY_GROUP, "month", 1, pgettext_lazy("meeting rule", "Group meeting"))
R_JOINT = Rule(
    "joint",
    MeetingKind.JOINT,
    "semester",
    2,
    pgettext_lazy("meeting rule", "Party–League joint"),
    phases=(JointPhase.PLAN, JointPhase.SUMMARY),
)
R_L_GENERAL = Rule(
    "l_general", MeetingKind.LEAGUE_GENERAL, "semester", 1, pgettext_lazy("meeting rule", "League members' meeting")
)
R_L_COMMITTEE = Rule(
    "l_committee", MeetingKind.LEAGUE_COMMITTEE, "semester", 2, pgettext_lazy("meeting rule", "League committee")
)
R_L_CLASS = Rule("l_class", MeetingKind.LEAGUE_CLASS, "semester", 1, pgettext_lazy("meeting rule", "League class"))

RULES_BY_ORG_KIND = {
    OrgKind.PARTY_BRANCH: (R_COMMITTEE, R_THEME, R_GENERAL, R_CLASS, R_SEC_CLASS, R_ORG_LIFE),
    OrgKind.PARTY_GENERAL_BRANCH: (R_COMMITTEE,),
    OrgKind.PARTY_GROUP: (R_GROUP,),
    OrgKind.LEAGUE_BRANCH: (R_L_GENERAL, R_L_COMMITTEE, R_L_CLASS),
    OrgKind.LEAGUE_COMMITTEE: (R_L_COMMITTEE, R_L_CLASS),
}
CHECKED_ORG_KINDS = tuple(RULES_BY_ORG_KIND)


def is_top_party_org(org) -> bool:
    """The organization that holds the school's Party–League joint meetings."""
    if org.kind == OrgKind.PARTY_GENERAL_BRANCH:
        return True
    # A branch directly under the school (no general branch): depth 1.
    return org.kind == OrgKind.PARTY_BRANCH and org.depth == 1


def rules_for(org) -> tuple[Rule, ...]:
    rules = RULES_BY_ORG_KIND.get(org.kind, ())
    if is_top_party_org(org):
        rules = (*rules, R_JOINT)
    return rules


def org_start(org) -> date | None:
    """From when the rules apply to `org`: its founding date, or for a class League branch the September
    its class entered. Units that ended before are not checked."""
    if org.founded_on:
        return org.founded_on
    if org.kind == OrgKind.LEAGUE_BRANCH and org.grade:
        return date(org.grade, 9, 1)
    return None


def org_end(org) -> date | None:
    """The first day `org` no longer exists (its dissolution), or None while it exists. Units starting on or
    after that day are not checked."""
    return org.dissolved_on


def unit_checked(org, unit: Period) -> bool:
    """Whether `org` existed during (some day of) `unit`: the units its rules are checked for."""
    since, until = org_start(org), org_end(org)
    if since is not None and unit.end < since:
        return False
    return until is None or unit.start < until


def unit_containing(unit: str, day: date) -> Period | None:
    if unit == "month":
        return periods.month(day.year, day.month)
    if unit == "quarter":
        return periods.quarter_containing(day)
    if unit == "year":
        return periods.calendar_year(day.year)
    if day.month == 8:  # the summer holiday belongs to no semester
        return None
    return periods.semester_containing(day)


def units_in(unit: str, period: Period) -> list[Period]:
    """The units of kind `unit` that overlap `period`, in order."""
    out: list[Period] = []
    for y, m in period.months():
        u = unit_containing(unit, date(y, m, 1))
        if u is not None and (not out or out[-1].key != u.key):
            out.append(u)
    return out


@dataclass
class Check:
    """One rule in one unit for one organization."""

    rule: Rule
    unit: Period
    held: int
    state: str  # "met", "missed", "open", "future"
    missing_phases: tuple[str, ...] = ()

    @property
    def met(self) -> bool:
        return self.state == "met"

    @property
    def required(self) -> int:
        return self.rule.minimum

    def missing_phase_labels(self):
        return [JointPhase(p).label for p in self.missing_phases]


@dataclass
class Cell:
    """What falls due in one month for one organization: the monthly rules, and the rules whose
    quarter/semester/year ends that month."""

    year: int
    month: int
    checks: list[Check] = field(default_factory=list)
    held: int = 0  # meetings held that month (all types)

    @property
    def state(self) -> str:
        states = {c.state for c in self.checks}
        if not states:
            return "none"
        for s in ("missed", "open", "future"):
            if s in states:
                return s
        return "met"


@dataclass
class Row:
    org: object
    rules: tuple[Rule, ...]
    cells: list[Cell]
    checks: list[Check]

    @property
    def missed(self) -> list[Check]:
        return [c for c in self.checks if c.state == "missed"]


def _counts(where: Q, start: date, end: date, as_of: datetime):
    """{(org_id, year, month, kind, phase, by_secretary): n} for the meetings `where` held by `as_of`
    (`Meeting.objects.held`) in [start, end]: one query. The month is read as two numbers in the local time
    zone (not a truncated datetime, which Django would convert back to an aware datetime row by row)."""
    tz = timezone.get_current_timezone()
    rows = (
        Meeting.objects.held(as_of)
        .filter(where)
        .in_period(periods.custom(start, end))
        .annotate(y=ExtractYear("starts_at", tzinfo=tz), m=ExtractMonth("starts_at", tzinfo=tz))
        .values_list("organization_id", "y", "m", "kind", "phase", "given_by_secretary")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = defaultdict(int)
    for org_id, y, m, kind, phase, by_sec, n in rows:
        counts[(org_id, y, m, kind, phase, by_sec)] += n
    return counts


def _of(orgs) -> Q:
    return Q(organization__in=[o.pk for o in orgs])


def _roots(orgs) -> tuple[str, ...]:
    """The paths of the fewest subtrees holding every organization of `orgs`."""
    roots: list[str] = []
    for path in sorted(o.path for o in orgs):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return tuple(roots)


def _shared_counts(orgs, start: date, end: date, today: date) -> dict:
    """`_counts` for `orgs`, taken from the counts of each of their subtrees over a window wide enough for any
    recent period, cached per subtree (core.datacache): the checks compiled in one request — the summary's
    and the dashboard's (`meetings.figures.compile_frequency`) and the Due list's (`selectors.due_items`),
    which ask for other organizations and periods — run the query once, and again only for a subtree with a
    change (a Party meeting leaves the League side's counts in use). Only inside a cached result, which is
    kept for the day as well (a meeting planned for later today counts from the next change or the cache's
    timeout, as the cached figures do)."""
    wide = (date(today.year - 2, 9, 1), date(today.year + 1, 12, 31))
    if wide[0] <= start and end <= wide[1]:
        start, end = wide
    ids = {o.pk for o in orgs}
    out: dict = {}
    for root in _roots(orgs):
        counts = cached(
            "meetings-frequency-counts",
            (root, start.isoformat(), end.isoformat(), today.isoformat()),
            lambda root=root: _counts(Q(organization__path__startswith=root), start, end, _as_of(today)),
            scope=(root,),
        )
        out.update((key, n) for key, n in counts.items() if key[0] in ids)
    return out


def _as_of(today: date) -> datetime:
    """The instant the check is made at (meetings started by then count as held): now, or the last instant
    of `today` when the check is run as of another day (reports on a past date, tests)."""
    if today == timezone.localdate():
        return timezone.now()
    return datetime.combine(today, time.max, tzinfo=timezone.get_current_timezone())


def _evaluate(rule: Rule, unit: Period, months: list, by_month: dict, today: date) -> Check:
    held = 0
    phases: set[str] = set()
    for ym in months:
        for kind, phase, by_sec, n in by_month.get(ym, ()):
            if kind != rule.kind or (rule.by_secretary and not by_sec):
                continue
            held += n
            if phase:
                phases.add(phase)
    missing = tuple(p for p in rule.phases if p not in phases)
    if held >= rule.minimum and not missing:
        state = "met"
    elif today > unit.end:
        state = "missed"
    elif today >= unit.start:
        state = "open"
    else:
        state = "future"
    return Check(rule, unit, held, state, missing)


def frequency_table(*, orgs, period: Period, today: date | None = None) -> list[Row]:
    """Rows of organizations × months of `period`; each cell lists the checks falling due that month.

    `orgs` is an iterable of organizations (already scoped to what the user may view); organizations with
    no rules are left out. The check is as of `today` (default: now). One query for all meetings, whatever the number of organizations or months."""
    today = today or timezone.localdate()
    orgs = [o for o in orgs if rules_for(o)]
    if not orgs:
        return []
    # Query from the start of the longest unit touching the period to the end of the last one.
    start = min(periods.calendar_year(period.start.year).start, periods.semester_containing(period.start).start)
    end = max(periods.calendar_year(period.end.year).end, periods.semester_containing(period.end).end)
    flat = _shared_counts(orgs, start, end, today) if within_cached() else _counts(_of(orgs), start, end, _as_of(today))
    counts: dict = defaultdict(lambda: defaultdict(list))
    monthly_totals: dict = defaultdict(int)
    for (org_id, y, m, kind, phase, by_sec), n in flat.items():
        counts[org_id][(y, m)].append((kind, phase, by_sec, n))
        monthly_totals[(org_id, y, m)] += n

    # The units of each kind and their months depend on the period only: worked out once, not per organization.
    months = period.months()
    units = {unit: [(u, u.months()) for u in units_in(unit, period)] for unit in UNIT_LABELS}
    rows = []
    for org in orgs:
        pk = org.pk
        rules = rules_for(org)
        by_month = counts.get(pk, {})
        cells = {(y, m): Cell(y, m, held=monthly_totals.get((pk, y, m), 0)) for y, m in months}
        checks = []
        for rule in rules:
            for unit, unit_months in units[rule.unit]:
                if not unit_checked(org, unit):
                    continue
                check = _evaluate(rule, unit, unit_months, by_month, today)
                checks.append(check)
                last = (unit.end.year, unit.end.month)
                # A unit ending after the period shows in the period's last month.
                cell = cells.get(last) or cells[months[-1]]
                cell.checks.append(check)
        rows.append(Row(org, rules, list(cells.values()), checks))
    return rows
