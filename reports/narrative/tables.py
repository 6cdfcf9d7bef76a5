"""Every table of a summary in one shape, read by the page, the PDF, Word and Excel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.periods import Period
from branches.periods import custom as custom_period
from meetings.figures import attendance_rate
from meetings.frequency import R_JOINT
from meetings.models import MeetingKind

from ..figures import find_breakdown, sources
from ..models import SectionKey
from .scope import LEAGUE, PARTY, Scope, figure_int, figure_side, nonzero, rate_text, semester_running
from .text import figure_kind, format_number, format_value

# --- tables --------------------------------------------------------------------------------------------
# Every table is rendered to one shape read by the page, the PDF, Word and Excel:
# {"key", "title", "headers": [str], "rows": [{"cells": [cell], "total": bool}], "sheet_only": bool}
# with cell = {"text", "url", "num" (right-aligned), "value" (the number, for Excel), "kind"}.


def _cell(text, *, url=None, num=False, value=None, kind=None) -> dict:
    return {"text": str(text), "url": url, "num": num, "value": value, "kind": kind}


def _figure_cell(figures: dict, key: str, which: str = "value", link=None) -> dict:
    fig = figures.get(key)
    if not fig or fig.get(which) is None:
        return _cell("—", num=True)
    url = link(key) if link and which == "value" and not fig.get("nolink") else None
    kind = figure_kind(fig)
    return _cell(format_value(fig, which), url=url, num=True, value=_number(fig[which], kind), kind=kind)


def _number(value, kind: str):
    if value is None:
        return None
    return Decimal(value) if kind in ("money", "hours") else int(Decimal(value))


@dataclass(frozen=True)
class Table:
    """A table of figures: label, this period, the previous period, and a rule column when any row has a
    target."""

    key: str
    title: object  # lazy
    keys: Callable[[dict], list[str]]
    target: Callable[[str, dict], int | None] | None = None
    running: Callable[[str], bool] | None = None  # the row's period is still running (not yet short)

    def build(self, compiled: dict, labels: dict, link=None, scope: Scope | None = None) -> dict | None:
        figures = compiled.get("figures", {})
        scope = scope or Scope()
        # Rows of the other side's work, and rows of nothing in both periods, are left out.
        keys = [
            k
            for k in self.keys(figures)
            if scope.has(figure_side(k)) and not _empty(figures[k]) and k != f"orgs.{scope.kind}"  # not itself
        ]
        if not keys:
            return None
        targets = {k: self.target(k, figures) if self.target else None for k in keys}
        has_target = any(t is not None for t in targets.values())
        headers = [_("Figure"), _("This period"), _("Previous period")] + ([_("Rule")] if has_target else [])
        rows = []
        for key in keys:
            fig = figures[key]
            cells = [
                _cell(labels.get(key, key)),
                _figure_cell(figures, key, link=link),
                _cell("—", num=True) if fig.get("stock") else _figure_cell(figures, key, "previous"),
            ]
            if has_target:
                running = bool(self.running and self.running(key))
                cells.append(_target_cell(fig["value"], targets[key], running))
            rows.append({"key": key, "cells": cells})
        return {"key": self.key, "title": self.title, "headers": headers, "rows": rows}


def _empty(fig: dict) -> bool:
    return all(fig.get(w) in (0, "0", "0.00", None) for w in ("value", "previous"))


def _target_cell(value, target, running: bool = False) -> dict:
    if target is None:
        return _cell("")
    met = int(Decimal(value or 0)) >= int(target)
    if not met and running:
        return _cell(_("≥ %(n)s (still running)") % {"n": target}, value=f"≥ {target}", kind="rule")
    return _cell(f"≥ {target} {'✓' if met else '✗'}", value=f"≥ {target}", kind="rule")


def _prefixed(prefix: str, order: list[str] | None = None):
    def keys(figures: dict) -> list[str]:
        if order:
            return [k for k in order if k in figures]
        return [k for k in figures if k.startswith(prefix)]

    return keys


def _nonzero(prefix: str, exclude: tuple[str, ...] = ()):
    def keys(figures: dict) -> list[str]:
        return [
            k
            for k, f in figures.items()
            if k.startswith(prefix)
            and k not in exclude
            and (f["value"] not in (0, "0.00") or f["previous"] not in (0, "0.00", None) or k.count(".") == 1)
        ]

    return keys


def _meeting_kind_keys(figures: dict) -> list[str]:
    return [
        f"meetings.kind.{kind}"
        for kind in MeetingKind.values
        if f"meetings.kind.{kind}" in figures
        and (figures[f"meetings.kind.{kind}"]["value"] or figures[f"meetings.kind.{kind}"]["previous"])
    ]


def _meeting_rate_kind(key: str) -> str | None:
    """The meeting type of a row of the meetings table ("" for the row of every meeting held; None: no rate)."""
    if key == "meetings.total":
        return ""
    if key.startswith("meetings.kind.") and key.count(".") == 2:
        return key.rsplit(".", 1)[1]
    return None


@dataclass(frozen=True)
class MeetingsTable(Table):
    """The meetings by type, with each type's attendance rate this period (实到 ÷ 应到 over the meetings
    held, `meetings.figures.attendance_rate`) in a last column."""

    def build(self, compiled: dict, labels: dict, link=None, scope: Scope | None = None) -> dict | None:
        built = super().build(compiled, labels, link, scope)
        if not built:
            return built
        figures = compiled.get("figures", {})
        rates = {}
        for row in built["rows"]:
            kind = _meeting_rate_kind(row["key"])
            rates[row["key"]] = None if kind is None else attendance_rate(figures, kind or None)
        if all(rate is None for rate in rates.values()):
            return built  # a summary finalized before the rates, or nobody expected
        built["headers"].append(_("Attendance rate"))
        for row in built["rows"]:
            rate = rates[row["key"]]
            row["cells"].append(_cell(rate_text(rate), num=True) if rate is not None else _cell("—", num=True))
        built["note"] = _(
            "Attendance rate: members present over members expected (present, on leave or absent; visitors not "
            "counted), summed over the meetings held this period."
        )
        return built


@dataclass(frozen=True)
class BreakdownTable:
    """A table per series / place / organization: one row per group, a column per measure, a total row."""

    key: str  # the Breakdown's key
    group_label: object  # lazy header of the first column

    def build(self, compiled: dict, labels: dict, link=None, scope: Scope | None = None) -> dict | None:
        b = find_breakdown(self.key)
        rows_in = compiled.get("breakdowns", {}).get(self.key)
        if b is None or not rows_in:
            return None
        choices = b.choices() if b.choices else {}
        rows, totals = [], dict.fromkeys((m.key for m in b.measures), Decimal(0))
        groups = b.group_choices() if b.group_choices else {}
        for r in rows_in:
            name = r["name"] or choices.get(r["id"]) or (b.empty_label if r["id"] is None else r["id"])
            if r.get("group") in groups:
                name = _("%(group)s: %(name)s") % {"group": groups[r["group"]], "name": name}
            cells = [_cell(name or "")]
            for m in b.measures:
                raw = r["values"].get(m.key)
                totals[m.key] += Decimal(raw or 0)
                kind = "money" if m.money else "hours" if m.hours else "int"
                url = link(m.key, by=b.key, val="none" if r["id"] is None else r["id"]) if link else None
                cells.append(_cell(format_number(raw, kind), url=url, num=True, value=_number(raw, kind), kind=kind))
            rows.append({"cells": cells})
        if len(rows) > 1:
            cells = [_cell(_("Total"))]
            for m in b.measures:
                kind = "money" if m.money else "hours" if m.hours else "int"
                value = totals[m.key]
                url = link(m.key) if link and b.q is None and m.q is None else None
                cells.append(
                    _cell(format_number(value, kind), url=url, num=True, value=_number(value, kind), kind=kind)
                )
            rows.append({"cells": cells, "total": True})
        headers = [self.group_label] + [m.label for m in b.measures]
        return {"key": self.key, "title": b.title, "headers": headers, "rows": rows}


@dataclass(frozen=True)
class FundTable:
    """The aid fund: this period, the previous period and since inception, side by side."""

    key: str = "fund"

    ROWS = (
        (gettext_lazy("Raised (yuan)"), "fund.raised", "fund.raised_total"),
        (gettext_lazy("Granted (yuan)"), "fund.granted", "fund.granted_total"),
        (gettext_lazy("Grants"), "fund.grants", "fund.grants_total"),
        (gettext_lazy("Students aided"), "fund.recipients", "fund.recipients_total"),
        (gettext_lazy("Balance (yuan)"), None, "fund.balance"),
    )

    def build(self, compiled: dict, labels: dict, link=None, scope: Scope | None = None) -> dict | None:
        figures = compiled.get("figures", {})
        if "fund.raised" not in figures:
            return None
        if all(_empty(figures[k]) for k in ("fund.raised", "fund.granted", "fund.raised_total") if k in figures):
            return None
        rows = []
        for label, period_key, total_key in self.ROWS:
            if period_key:
                cells = [_figure_cell(figures, period_key, link=link), _figure_cell(figures, period_key, "previous")]
            else:
                cells = [_cell("—", num=True), _cell("—", num=True)]
            rows.append({"cells": [_cell(label), *cells, _figure_cell(figures, total_key, link=link)]})
        headers = [_("Figure"), _("This period"), _("Previous period"), _("Since inception")]
        return {"key": self.key, "title": gettext_lazy("Student aid fund"), "headers": headers, "rows": rows}


def frequency_rules() -> dict:
    from meetings.frequency import RULES_BY_ORG_KIND

    rules = {r.code: r for group in RULES_BY_ORG_KIND.values() for r in group}
    rules[R_JOINT.code] = R_JOINT
    return rules


def rule_label(rule) -> str:
    return str(rule.label) if rule.by_secretary else str(MeetingKind(rule.kind).label)


def rule_text(rule) -> str:
    from meetings.frequency import UNIT_LABELS

    return _("≥ %(n)s per %(unit)s") % {"n": rule.minimum, "unit": UNIT_LABELS[rule.unit]}


def _unit_labels(keys: list[str]) -> str:
    """The units a rule was missed in; months of one year together ("2026年4、5、8月")."""
    parts, months = [], {}
    for key in keys:
        unit = Period.parse(key)
        if unit.kind == "month":
            months.setdefault(unit.start.year, []).append(str(unit.start.month))
        else:
            parts.append(unit.label)
    for year, ms in months.items():
        parts.append(_("%(year)s: months %(months)s") % {"year": year, "months": _(", ").join(ms)})
    return _("; ").join(parts)


def _held_cell(row: dict, link) -> dict:
    url = None
    if link:
        span = custom_period(*(date.fromisoformat(d) for d in row["span"])).key
        url = link(row["figure"], by="meetings.by_organization", val=row["org"], period=span)
    return _cell(format_number(row["held"]), url=url, num=True, value=row["held"], kind="int")


@dataclass(frozen=True)
class FrequencyTable:
    """三会一课 against the rules (meetings.frequency). `mode`: "rules" (one row per rule over all the
    organizations it applies to), "gaps" (organizations short of a rule), "all" (every organization and
    rule: Excel only)."""

    key: str
    mode: str

    def build(self, compiled: dict, labels: dict, link=None, scope: Scope | None = None) -> dict | None:
        rows_in = compiled.get("frequency")
        if not rows_in:
            return None
        rules = frequency_rules()
        if self.mode == "rules":
            return self._by_rule(rows_in, rules, scope or Scope())
        chosen = [r for r in rows_in if r["missed"]] if self.mode == "gaps" else rows_in
        if not chosen:
            return None
        # Like with like: periods that have ended are met or short; periods still running are counted apart
        # (a year's 组织生活会 in November is neither met nor short yet).
        headers = [_("Organization"), _("Meeting"), _("Rule"), _("Periods checked"), _("Held")]
        headers += [_("Periods met"), _("Periods still running"), _("Periods short")]
        rows = []
        for r in chosen:
            rule = rules.get(r["rule"])
            if rule is None:
                continue
            running = r.get("open", 0)
            cells = [
                _cell(r["org_name"]),
                _cell(rule_label(rule)),
                _cell(rule_text(rule)),
                _int_cell(r["units"]),
                _held_cell(r, link),
                _int_cell(r["met"]),
                _int_cell(running) if running else _cell("—", num=True),
                _cell(_unit_labels(r["missed"]) or "—"),
            ]
            rows.append({"cells": cells})
        title = (
            gettext_lazy("Meetings short of the rules (periods that have ended)")
            if self.mode == "gaps"
            else gettext_lazy("Meetings against the rules, per organization")
        )
        return {
            "key": self.key,
            "title": title,
            "headers": headers,
            "rows": rows,
            "sheet_only": self.mode == "all",
            "wide": True,
        }

    def _by_rule(self, rows_in, rules, scope: Scope) -> dict:
        grouped: dict[str, dict] = {}
        for r in rows_in:
            g = grouped.setdefault(r["rule"], {"orgs": 0, "held": 0, "met": 0, "short": 0, "running": 0})
            g["orgs"] += 1
            g["held"] += r["held"]
            g["met"] += r["met"]
            g["short"] += len(r["missed"])
            g["running"] += r.get("open", 0)
        rows = []
        order = list(rules)
        for code in sorted(grouped, key=lambda c: order.index(c) if c in order else len(order)):
            rule, g = rules.get(code), grouped[code]
            if rule is None:
                continue
            rows.append(
                {
                    "cells": [
                        _cell(rule_label(rule)),
                        _cell(rule_text(rule)),
                        _int_cell(g["orgs"]),
                        _int_cell(g["held"]),
                        _int_cell(g["met"]),
                        _int_cell(g["short"]),
                        _int_cell(g["running"]) if g["running"] else _cell("—", num=True),
                    ]
                }
            )
        headers = [
            _("Meeting"),
            _("Rule"),
            _("Organizations"),
            _("Held"),
            _("Periods met"),
            _("Periods short"),
            _("Periods still running"),
        ]
        return {
            "key": self.key,
            "title": gettext_lazy("League meetings against the rules")
            if scope.sides == {LEAGUE}
            else gettext_lazy("三会一课 against the rules"),
            "note": _(
                "A period counts once per organization. A period still running is neither met nor short yet; "
                "meetings held in it are among those held."
            ),
            "headers": headers,
            "rows": rows,
            "wide": True,
        }


def _int_cell(n: int) -> dict:
    return _cell(format_number(n), num=True, value=n, kind="int")


def _recommendation_target(key: str, figures: dict) -> int | None:
    if key == "recommendations.approved" and figures.get("recommendations.target"):
        return figures["recommendations.target"]["value"]
    return None


PIPELINE_ORDER = ["application", "activist", "development_target", "admission", "conversion", "league_joined"]

TABLES = {
    SectionKey.ORGANIZATION: [
        Table("organizations", gettext_lazy("Organizations"), _prefixed("orgs.")),
        Table(
            "officers",
            gettext_lazy("Officers and elections"),
            _prefixed(
                "",
                [
                    "officers.total",
                    "officers.party",
                    "officers.league",
                    "elections.total",
                    "elections.party",
                    "elections.league",
                ],
            ),
        ),
    ],
    SectionKey.SYSTEMS: [
        MeetingsTable(
            "meetings",
            gettext_lazy("Meetings by type"),
            lambda f: (
                ["meetings.total", "meetings.person_times", *_meeting_kind_keys(f)] if "meetings.total" in f else []
            ),
        ),
        FrequencyTable("frequency", "rules"),
        FrequencyTable("frequency_gaps", "gaps"),
        FrequencyTable("frequency_all", "all"),
        Table(
            "joint",
            gettext_lazy("Party–League joint meetings per semester"),
            _prefixed("meetings.joint."),
            target=lambda key, figures: R_JOINT.minimum,
            running=lambda key: semester_running(key),
        ),
        Table("votes", gettext_lazy("Votes"), _prefixed("votes.")),
        Table(
            "recommendations",
            gettext_lazy("推优"),
            _prefixed(
                "",
                [
                    "recommendations.nominated",
                    "recommendations.passed",
                    "recommendations.approved",
                    "pipeline.activist.recommended",
                    "pipeline.development_target.recommended",
                ],
            ),
            target=_recommendation_target,
        ),
        Table(
            "pipeline",
            gettext_lazy("Development of Party members"),
            _prefixed("", [f"pipeline.{k}" for k in PIPELINE_ORDER]),
        ),
        Table("training", gettext_lazy("Activists in training (on the date compiled)"), _prefixed("training.")),
        Table("appraisal", gettext_lazy("Democratic appraisal"), _prefixed("appraisal.")),
        Table(
            "league_registration",
            gettext_lazy("League appraisal and registration"),
            lambda f: _prefixed("league_registration.")(f) if figure_int(f, "league_registration.total") else [],
        ),
        Table("people", gettext_lazy("People by political status (on the date compiled)"), _prefixed("people.")),
    ],
    SectionKey.ACTIVITIES: [
        Table(
            "activities",
            gettext_lazy("Activities by category"),
            _nonzero("activities.", ("activities.hours", "activities.places")),
        ),
        BreakdownTable("activities.by_series", gettext_lazy("Series")),
        Table(
            "service",
            gettext_lazy("Volunteer service and social practice"),
            _prefixed(
                "",
                [
                    "service.activities",
                    "service.places",
                    "service.person_times",
                    "service.hours",
                    "practice.activities",
                    "practice.places",
                    "practice.person_times",
                    "practice.hours",
                    "activities.places",
                    "activities.hours",
                ],
            ),
        ),
        BreakdownTable("activities.by_place", gettext_lazy("Place")),
        BreakdownTable("service.by_place", gettext_lazy("Place")),  # summaries finalized before the split
        FundTable(),
        Table("dues", gettext_lazy("Dues collected"), _prefixed("", ["dues.party", "dues.league"])),
        BreakdownTable("dues.by_organization", gettext_lazy("Organization")),
    ],
    SectionKey.HONORS: [
        Table("honors", gettext_lazy("Honors by level"), _prefixed("honors.")),
    ],
}


def figure_labels(period: Period) -> dict[str, str]:
    return {f.key: str(f.label) for s in sources() for f in s.figures(period)} | {
        "recommendations.target": _("Yearly 推优 target"),
        # The meeting frequency check's totals (meetings.figures.compile_frequency), named for the editor.
        "frequency.orgs": _("Organizations checked against the meeting rules"),
        "frequency.orgs_short": _("Organizations short of a meeting rule"),
        "frequency.missed": _("Ended periods short of a meeting rule"),
        "frequency.required": _("Meetings the rules require"),
        "frequency.held": _("Meetings held under the rules"),
    }


def section_figure_keys(section_key: str, figures: dict, narrative: str = "") -> list[str]:
    """The figures a section speaks of: those its text quotes, then those of its tables (the figure tables;
    breakdowns and rules have no single number)."""
    from .text import TOKEN_RE

    keys = [k for k in TOKEN_RE.findall(narrative or "") if k in figures]
    for table in TABLES.get(section_key, []):
        if isinstance(table, Table):
            keys += table.keys(figures)
    return list(dict.fromkeys(keys))


def section_tables(
    section_key: str, compiled: dict, labels: dict, link=None, *, sheets: bool = False, scope: Scope | None = None
) -> list[dict]:
    """The tables of one section; `sheets` also gives the tables meant only for Excel. `scope` (the
    summary's organization, `scope_of`) leaves out the other side's work."""
    out = []
    scope = scope or Scope()
    for table in TABLES.get(section_key, []):
        if table.key == "joint" and not scope.joint and scope.sides != {PARTY, LEAGUE}:
            figures = compiled.get("figures", {})
            if not any(nonzero(figures, k) for k in figures if k.startswith("meetings.joint.")):
                continue
        built = table.build(compiled, labels, link, scope)
        if built and built["rows"] and (sheets or not built.get("sheet_only")):
            out.append(built)
    return out


def all_tables(compiled: dict, labels: dict, scope: Scope | None = None) -> list[dict]:
    return [t for key in SectionKey.values for t in section_tables(key, compiled, labels, sheets=True, scope=scope)]
