"""The figures of 三会一课 the annual summary prints (DESIGN §4, part 3): meetings held by type, attendance
in person-times, Party–League joint meetings per semester, votes, and the frequency check against the
rules. Declared here, on this app's querysets; `reports` compiles them."""

from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from branches.periods import Period
from core.figures import Breakdown, Column, Figure, Source, day_range, plain_figure, subtree_q

from .frequency import CHECKED_ORG_KINDS, frequency_table
from .models import (
    LEAGUE_MEETING_KINDS,
    PARTY_MEETING_KINDS,
    PERSON_TIMES_FIELD,
    VOTE_PASSED,
    Meeting,
    MeetingKind,
    Vote,
    VoteKind,
    held_q,
)


def _local_date(dt):
    return timezone.localtime(dt).date() if dt else None


# --- meetings -----------------------------------------------------------------------------------------


def _meetings(root, period):
    """The meetings held (`Meeting.objects.held`: taken place by now) in the subtree in the period; planned
    meetings never count."""
    return Meeting.objects.held().in_subtree(root).in_period(period).select_related("organization")


def _joint_semester_q(semester: Period, period: Period) -> Q:
    """Joint meetings of one semester, clipped to the period."""
    clipped = Period("custom", max(semester.start, period.start), min(semester.end, period.end), "")
    start, end = day_range(clipped)
    return Q(kind=MeetingKind.JOINT, starts_at__gte=start, starts_at__lt=end)


def joint_semesters(period: Period) -> list[Period]:
    """The semesters the joint-meeting rule is checked for: those starting within the period (a calendar
    year: spring and autumn), or the one containing a period shorter than a semester."""
    touching = period.semesters()
    starting = [s for s in touching if period.start <= s.start <= period.end]
    return starting or touching[:1]


# Attendance rate (出席率) of a meeting type: its person-times (实到, `PERSON_TIMES_FIELD`: members present)
# over the members expected (应到, `EXPECTED_FIELD`: present + on leave + absent, visitors never), both summed
# over the meetings held of that type in the subtree and the period — the meetings of `_meetings`, as every
# figure here (`MeetingQuerySet.person_times`, `expected_times`, `attendance_rate` for the same on any
# queryset). Two summed figures, not a stored rate: the summary's tables and prose divide them
# (`attendance_rate`), so the rate of a finalized summary comes from its frozen figures.
EXPECTED_FIELD = "expected_count"

# The person-times of the Party class and the League class were figures before the rates; they keep their keys.
_PERSON_TIMES_KEYS = {
    MeetingKind.PARTY_CLASS: "meetings.party_class.person_times",
    MeetingKind.LEAGUE_CLASS: "meetings.league_class.person_times",
}


def person_times_key(kind: str | None = None) -> str:
    """The figure of the person-times of one meeting type (None: of every meeting held)."""
    if kind is None:
        return "meetings.person_times"
    return _PERSON_TIMES_KEYS.get(kind, f"meetings.kind.{kind}.person_times")


def expected_key(kind: str | None = None) -> str:
    """The figure of the members expected at the meetings of one type (None: at every meeting held)."""
    return "meetings.expected" if kind is None else f"meetings.kind.{kind}.expected"


def attendance_rate(figures: dict, kind: str | None = None, which: str = "value") -> Decimal | None:
    """The attendance rate of one meeting type (None: of every meeting held) in percent, from compiled
    figures (`which`: "value" or "previous"); None when nobody was expected or the figures are not there (a
    summary finalized before the rates)."""
    present, expected = figures.get(person_times_key(kind)), figures.get(expected_key(kind))
    if not present or not expected or present.get(which) is None or expected.get(which) is None:
        return None
    return Meeting.objects.rate(present[which], expected[which])


def _meeting_figures(period: Period) -> list[Figure]:
    figs = [
        Figure("meetings.total", _("Meetings held")),
        Figure("meetings.person_times", _("Meeting attendance (person-times)"), sum_field=PERSON_TIMES_FIELD),
        Figure("meetings.expected", _("Members expected at meetings (person-times)"), sum_field=EXPECTED_FIELD),
        Figure("meetings.party", _("Party meetings held"), Q(kind__in=PARTY_MEETING_KINDS)),
        Figure("meetings.league", _("League meetings held"), Q(kind__in=LEAGUE_MEETING_KINDS)),
    ]
    figs += [Figure(f"meetings.kind.{kind}", label, Q(kind=kind)) for kind, label in MeetingKind.choices]
    for kind, label in MeetingKind.choices:
        if kind not in _PERSON_TIMES_KEYS:
            figs.append(
                Figure(
                    person_times_key(kind),
                    _("%(kind)s: attendance (person-times)") % {"kind": label},
                    Q(kind=kind),
                    sum_field=PERSON_TIMES_FIELD,
                )
            )
        figs.append(
            Figure(
                expected_key(kind),
                _("%(kind)s: members expected (person-times)") % {"kind": label},
                Q(kind=kind),
                sum_field=EXPECTED_FIELD,
            )
        )
    figs += [
        Figure(
            "meetings.party_class.person_times",
            _("Party class attendance (person-times)"),
            Q(kind=MeetingKind.PARTY_CLASS),
            sum_field=PERSON_TIMES_FIELD,
        ),
        Figure(
            "meetings.party_class.by_secretary",
            _("Party classes given by a secretary"),
            Q(kind=MeetingKind.PARTY_CLASS, given_by_secretary=True),
        ),
        Figure(
            "meetings.league_class.person_times",
            _("League class attendance (person-times)"),
            Q(kind=MeetingKind.LEAGUE_CLASS),
            sum_field=PERSON_TIMES_FIELD,
        ),
    ]
    for sem in joint_semesters(period):
        figs.append(
            Figure(
                f"meetings.joint.{sem.key.partition(':')[2]}",
                _("Party–League joint meetings, %(semester)s") % {"semester": sem.label},
                _joint_semester_q(sem, period),
                compare=False,
            )
        )
    return figs


def _meeting_series(root, period: Period) -> dict:
    rows = (
        _meetings(root, period)
        .order_by()
        .annotate(y=ExtractYear("starts_at"), m=ExtractMonth("starts_at"))
        .values("y", "m", "kind")
        .annotate(n=Count("pk"))
    )
    per_month: dict[str, dict[str, int]] = {}
    for row in rows:
        per_month.setdefault(f"{row['y']:04d}-{row['m']:02d}", {})[row["kind"]] = row["n"]
    return {"meetings_by_month": {"months": [f"{y:04d}-{m:02d}" for y, m in period.months()], "counts": per_month}}


MEETINGS = Source(
    key="meetings",
    label=_("Meetings"),
    queryset=_meetings,
    figures=_meeting_figures,
    columns=[
        Column(_("Date"), lambda m: _local_date(m.starts_at)),
        Column(_("Type"), lambda m: m.get_kind_display()),
        Column(_("Organization"), lambda m: m.organization.name),
        Column(_("Topic"), lambda m: m.topic),
        Column(_("Expected"), lambda m: m.expected_count),
        Column(_("Present"), lambda m: m.present_count),
    ],
    series=_meeting_series,
    order_by=("starts_at", "pk"),
)

BY_ORGANIZATION = Breakdown(
    key="meetings.by_organization",
    title=_("Meetings per organization"),
    source="meetings",
    by="organization",
    name="organization__name",
    measures=[Figure("meetings.total", _("Meetings held"))],
    link_only=True,
)


# --- votes (admission, conversion) ----------------------------------------------------------------------


def _votes(root, period):
    """Votes taken at the meetings held in the subtree in the period (the same rule as `_meetings`)."""
    start, end = day_range(period)
    return (
        Vote.objects.filter(subtree_q(root, "meeting__organization"), held_q(prefix="meeting__"))
        .filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
        .select_related("meeting__organization", "subject")
    )


# The vote rule (DESIGN §2) as a filter: its one home is meetings.models (`Vote.passed`, `Vote.objects.passed()`).
PASSED = VOTE_PASSED


def _vote_figures(period) -> list[Figure]:
    # The 推优 votes are counted with 推优 itself (`members.figures`: votes.recommendation…), by the one date
    # 推优 is counted by, the nomination.
    return [
        Figure("votes.admission", _("Admission votes"), Q(kind=VoteKind.ADMISSION)),
        Figure("votes.admission.passed", _("Admissions carried"), Q(PASSED, kind=VoteKind.ADMISSION)),
        Figure("votes.conversion", _("Conversion votes"), Q(kind=VoteKind.CONVERSION)),
        Figure("votes.conversion.passed", _("Conversions carried"), Q(PASSED, kind=VoteKind.CONVERSION)),
    ]


VOTES = Source(
    key="votes",
    label=_("Votes"),
    queryset=_votes,
    figures=_vote_figures,
    columns=[
        Column(_("Date"), lambda v: _local_date(v.meeting.starts_at)),
        Column(_("Organization"), lambda v: v.meeting.organization.name),
        Column(_("Motion"), lambda v: v.get_kind_display()),
        Column(_("About"), lambda v: v.subject or v.motion),
        Column(_("Entitled / present / yes"), lambda v: f"{v.entitled} / {v.present} / {v.yes}"),
    ],
    order_by=("meeting__starts_at", "pk"),
)


# --- meetings against the frequency rules (三会一课) -------------------------------------------------------


def checked_units(checks: list, period: Period) -> list:
    """The units of a rule a summary accounts for: those starting within the period (a calendar year:
    its months, quarters, the year, the spring and autumn semesters), or the first one touching a period
    shorter than the unit; never a unit not yet begun."""
    starting = [c for c in checks if period.start <= c.unit.start <= period.end]
    chosen = starting or checks[:1]
    return [c for c in chosen if c.state != "future"]


def rule_figure_key(rule) -> str:
    """The figure whose drill-down lists the meetings a rule counts."""
    return "meetings.party_class.by_secretary" if rule.by_secretary else f"meetings.kind.{rule.kind}"


def compile_frequency(root, period: Period, out: dict) -> None:
    """Required vs held per organization and rule (meetings.frequency): two queries (the organizations, and
    one aggregate of their meetings), whatever the number of organizations. Every organization that existed
    during the period is checked, for the units it existed in: a class branch dissolved in July counts for
    the months and semesters before (`Organization.objects.existing_during`, `frequency.unit_checked`)."""
    orgs = Organization.objects.filter(path__startswith=root.path, kind__in=CHECKED_ORG_KINDS).existing_during(
        period.start, period.end
    )
    rows = []
    for row in frequency_table(orgs=orgs.order_by("path"), period=period, today=timezone.localdate()):
        by_rule: dict[str, list] = {}
        for check in row.checks:
            by_rule.setdefault(check.rule.code, []).append(check)
        for rule in row.rules:
            checks = checked_units(by_rule.get(rule.code, []), period)
            if not checks:
                continue
            missed = [c for c in checks if c.state == "missed"]
            rows.append(
                {
                    "org": row.org.pk,
                    "org_name": row.org.name,
                    "org_kind": row.org.kind,
                    "rule": rule.code,
                    "kind": rule.kind,
                    "figure": rule_figure_key(rule),
                    "units": len(checks),
                    "required": rule.minimum * len(checks),
                    "held": sum(c.held for c in checks),
                    "met": sum(1 for c in checks if c.met),
                    "missed": [c.unit.key for c in missed],
                    "open": sum(1 for c in checks if c.state == "open"),
                    "span": [
                        min(c.unit.start for c in checks).isoformat(),
                        max(c.unit.end for c in checks).isoformat(),
                    ],
                }
            )
    out["frequency"] = rows
    for key, value in (
        ("frequency.required", sum(r["required"] for r in rows)),
        ("frequency.held", sum(r["held"] for r in rows)),
        ("frequency.missed", sum(len(r["missed"]) for r in rows)),
        ("frequency.orgs_short", len({r["org"] for r in rows if r["missed"]})),
        ("frequency.orgs", len({r["org"] for r in rows})),
    ):
        out["figures"][key] = plain_figure(value)


SOURCES = [MEETINGS, VOTES]
BREAKDOWNS = [BY_ORGANIZATION]
EXTRAS = [compile_frequency]
