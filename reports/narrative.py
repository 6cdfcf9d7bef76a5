"""The prose and tables of a summary: drafting each section with its figures written into sentences in
the UI language, sanitizing the secretary's rich text, and showing `[[figure.key]]` tokens as numbers
(links to the records behind them on screen)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, npgettext, pgettext
from django.utils.translation import gettext as _

from branches.models import OrgKind
from branches.periods import Period
from branches.periods import custom as custom_period
from meetings.frequency import R_JOINT
from meetings.models import MeetingKind

from .figures import find_breakdown, sources
from .models import SectionKey

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
TOKEN_RE = re.compile(r"\[\[([a-z0-9_.\-]+)\]\]")
PROMPT_OPEN, PROMPT_CLOSE = "【", "】"


# --- sanitizing ----------------------------------------------------------------------------------------


def sanitize(text: str) -> str:
    """The secretary's narrative as safe rich text: only p, br, strong, em, ul, ol, li survive. Plain text
    (no tags) becomes paragraphs, one per line."""
    text = (text or "").strip()
    if not text:
        return ""
    if not re.search(r"<[a-zA-Z/]", text):
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "".join(f"<p>{escape(line)}</p>" for line in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def editable_text(html: str) -> str:
    """The narrative as the secretary edits it: plain lines when it is only paragraphs, otherwise the HTML
    with one block per line."""
    html = html or ""
    if not re.search(r"<(?!/?p>)[a-zA-Z/]", html):
        paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
        if paragraphs or not html:
            return "\n".join(unescape(p) for p in paragraphs)
    return re.sub(r"(</(?:p|ul|ol|li)>)", r"\1\n", html).strip()


# --- figures in text -----------------------------------------------------------------------------------


def format_number(value, kind: str = "int") -> str:
    """How a number is written: money with two decimals and thousands separators ("84,506.30"); hours
    without pointless decimals ("1,240", or "12.5"); counts and person-times as integers ("3,512")."""
    if value is None:
        return "—"
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "hours":
        hours = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{hours:,.0f}" if hours == hours.to_integral_value() else f"{hours:,.1f}"
    return f"{int(Decimal(value)):,}"


def figure_kind(fig: dict) -> str:
    return "money" if fig.get("money") else "hours" if fig.get("hours") else "int"


def format_value(fig: dict | None, which: str = "value") -> str:
    if not fig or fig.get(which) is None:
        return "—"
    return format_number(fig[which], figure_kind(fig))


def render_narrative(html: str, figures: dict, link: Callable[[str], str] | None = None) -> SafeString:
    """Sanitized narrative with each `[[key]]` replaced by the figure's value; with `link`, the value
    links to the records behind it."""

    def replace(match):
        key = match.group(1)
        fig = figures.get(key)
        shown = format_value(fig)
        if fig is None or link is None or fig.get("nolink"):
            return format_html('<span class="fig">{}</span>', shown)
        return format_html('<a class="fig" href="{}">{}</a>', link(key), shown)

    return mark_safe(TOKEN_RE.sub(replace, sanitize(html)))  # noqa: S308  (sanitized, then our own markup)


def narrative_text(html: str, figures: dict) -> str:
    """The narrative with tokens replaced, for Word (HTML kept: the Word writer reads the few tags)."""
    return TOKEN_RE.sub(lambda m: format_value(figures.get(m.group(1))), sanitize(html))


def has_prompts(html: str) -> bool:
    return PROMPT_OPEN in (html or "")


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
        Table(
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
            running=lambda key: _semester_running(key),
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
            lambda f: _prefixed("league_registration.")(f) if _val(f, "league_registration.total") else [],
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
    }


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
            if not any(_nz(figures, k) for k in figures if k.startswith("meetings.joint.")):
                continue
        built = table.build(compiled, labels, link, scope)
        if built and built["rows"] and (sheets or not built.get("sheet_only")):
            out.append(built)
    return out


def all_tables(compiled: dict, labels: dict, scope: Scope | None = None) -> list[dict]:
    return [t for key in SectionKey.values for t in section_tables(key, compiled, labels, sheets=True, scope=scope)]


# --- drafting ------------------------------------------------------------------------------------------
# A draft reads as a secretary writes it: a fact of zero is left out (never "0 名被确定为发展对象"), the
# period is named by its type (本年度 / 本学年 / 本学期), a figure is stated once, and a summary tells only
# the work its organization does: the Party side, the League side, or both for the school.


def _t(key: str) -> str:
    return f"[[{key}]]"


def _val(figures: dict, key: str) -> int:
    fig = figures.get(key)
    return int(Decimal(fig["value"] or 0)) if fig else 0


def _nz(figures: dict, key: str) -> bool:
    """The figure is there and is not zero."""
    fig = figures.get(key)
    return bool(fig) and Decimal(fig["value"] or 0) != 0


def when(period: Period) -> str:
    """How the prose names the period at the start of a sentence: 本年度, 本学年, 本学期, 本期."""
    return {
        "year": pgettext("summary prose", "This year"),
        "academic": pgettext("summary prose", "This academic year"),
        "semester": pgettext("summary prose", "This semester"),
    }.get(period.kind, pgettext("summary prose", "In the period"))


def this_period(period: Period) -> str:
    """The period inside a sentence: 本年度, 本学年, 本学期, 本期 ("this year", "the period")."""
    return {
        "year": pgettext("summary prose, inside a sentence", "this year"),
        "academic": pgettext("summary prose, inside a sentence", "this academic year"),
        "semester": pgettext("summary prose, inside a sentence", "this semester"),
    }.get(period.kind, pgettext("summary prose, inside a sentence", "the period"))


def plans_title(period: Period) -> str:
    """The last section's title, by the period's type: 下一年度 / 下一学年 / 下学期工作计划."""
    return {
        "year": pgettext("summary section", "Plans for next year"),
        "academic": pgettext("summary section", "Plans for the next academic year"),
        "semester": pgettext("summary section", "Plans for the next semester"),
    }.get(period.kind, pgettext("summary section", "Plans for the next stage"))


def _sep() -> str:
    """Between two sentences: a space in English, nothing in Chinese (full-width punctuation)."""
    return "" if _chinese() else " "


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _p(*sentences: str) -> str:
    text = _sep().join(s for s in sentences if s)
    return f"<p>{text}</p>" if text else ""


def _prompt(text: str) -> str:
    return f"<p>{PROMPT_OPEN}{text}{PROMPT_CLOSE}</p>"


def _steps(parts: list[str]) -> str:
    """Clauses of one sentence, told in order: ，in Chinese, semicolons in English."""
    return pgettext("clauses of a sentence", "; ").join(parts)


def _list(parts: list[str]) -> str:
    """Parts of one clause: 、 in Chinese, commas in English."""
    return pgettext("list of counts", ", ").join(parts)


# --- the organization's side ---------------------------------------------------------------------------

PARTY, LEAGUE = "party", "league"


@dataclass(frozen=True)
class Scope:
    """Whose summary it is: the sides of the work its organization does, its kind (to name its own level
    rightly) and whether it holds the Party–League joint meetings."""

    name: str = ""
    kind: str = ""
    sides: frozenset = frozenset({PARTY, LEAGUE})
    joint: bool = True

    def has(self, side: str | None) -> bool:
        return side is None or side in self.sides


def scope_of(org) -> Scope:
    """The scope of an organization (or only a name: both sides, as for a school)."""
    from branches.models import LEAGUE_KINDS, PARTY_KINDS
    from meetings.frequency import is_top_party_org

    if isinstance(org, str) or org is None:
        return Scope(name=org or "")
    if org.kind in PARTY_KINDS:
        return Scope(org.name, org.kind, frozenset({PARTY}), is_top_party_org(org))
    if org.kind in LEAGUE_KINDS:
        return Scope(org.name, org.kind, frozenset({LEAGUE}), False)
    return Scope(org.name, org.kind)


def figure_side(key: str) -> str | None:
    """The side of the work a figure tells of (None: both)."""
    from branches.models import LEAGUE_KINDS, PARTY_KINDS
    from meetings.models import LEAGUE_MEETING_KINDS, PARTY_MEETING_KINDS

    parts = key.split(".")
    if parts[0] == "orgs" and len(parts) == 2:
        return PARTY if parts[1] in PARTY_KINDS else LEAGUE if parts[1] in LEAGUE_KINDS else None
    if parts[0] in ("officers", "elections", "dues", "meetings") and len(parts) >= 2 and parts[1] in (PARTY, LEAGUE):
        return parts[1]
    if key.startswith("meetings.party_class"):
        return PARTY
    if key.startswith("meetings.league_class"):
        return LEAGUE
    if key.startswith("meetings.joint."):
        return PARTY
    if key.startswith("meetings.kind."):
        kind = parts[2]
        return PARTY if kind in PARTY_MEETING_KINDS else LEAGUE if kind in LEAGUE_MEETING_KINDS else None
    if key.startswith(("votes.admission", "votes.conversion", "training.", "appraisal.")):
        return PARTY
    if key.startswith(("votes.recommendation", "recommendations.", "league_registration.")):
        return LEAGUE
    if key.startswith("pipeline."):
        return LEAGUE if key.endswith(".recommended") or key == "pipeline.league_joined" else PARTY
    if key.startswith("people."):
        return LEAGUE if key == "people.league_member" else PARTY
    return None


# --- Chinese typesetting --------------------------------------------------------------------------------

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d"
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}0-9\[<(%—])")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=[{_CJK}0-9\]>)%—]) +(?=[{_CJK}])")


def tidy_chinese(text: str) -> str:
    """No ASCII spaces between Chinese and a number (or a figure's token, or another Chinese character):
    "党总支 1 个" → "党总支1个"."""
    return _SPACE_BEFORE_CJK.sub("", _SPACE_AFTER_CJK.sub("", text))


# --- the drafters --------------------------------------------------------------------------------------


def _draft_introduction(figures: dict, scope: Scope, period: Period) -> str:
    return _p(
        _(
            "During %(period)s, under the leadership of the higher Party organization, %(org)s kept to the "
            "principle that Party building leads League building. The work of %(this)s is summarized as "
            "follows."
        )
        % {"period": period.label, "org": escape(scope.name), "this": this_period(period)}
    ) + _prompt(_("Add the main ideas and achievements of %(this)s here.") % {"this": this_period(period)})


ORG_COUNTERS = (
    (OrgKind.PARTY_GENERAL_BRANCH, lambda v: ngettext("%(n)s Party general branch", "%(n)s Party general branches", v)),
    (OrgKind.PARTY_BRANCH, lambda v: ngettext("%(n)s Party branch", "%(n)s Party branches", v)),
    (OrgKind.PARTY_GROUP, lambda v: ngettext("%(n)s Party group", "%(n)s Party groups", v)),
    (OrgKind.LEAGUE_COMMITTEE, lambda v: ngettext("%(n)s League committee", "%(n)s League committees", v)),
    (OrgKind.LEAGUE_BRANCH, lambda v: ngettext("%(n)s League branch", "%(n)s League branches", v)),
    (OrgKind.LEAGUE_GROUP, lambda v: ngettext("%(n)s League group", "%(n)s League groups", v)),
)


def _draft_organization(figures: dict, scope: Scope, period: Period) -> str:
    # An organization counts itself among its kind: it names only the organizations under it (a branch
    # never writes "第一党支部现有党支部1个").
    parts = [
        phrase(_val(figures, f"orgs.{kind}")) % {"n": _t(f"orgs.{kind}")}
        for kind, phrase in ORG_COUNTERS
        if kind != scope.kind and scope.has(figure_side(f"orgs.{kind}")) and _nz(figures, f"orgs.{kind}")
    ]
    out = ""
    if parts:
        sentence = _("%(org)s has %(list)s.") if scope.kind in ("", OrgKind.SCHOOL) else _("Under %(org)s: %(list)s.")
        out += _p(sentence % {"org": escape(scope.name), "list": _list(parts)})
    officers = []
    if _nz(figures, "officers.total"):
        split = [
            phrase % {"n": _t(f"officers.{side}")}
            for side, phrase in ((PARTY, _("Party %(n)s")), (LEAGUE, _("League %(n)s")))
            if scope.has(side) and _nz(figures, f"officers.{side}")
        ]
        officers.append(
            ngettext(
                "At the end of %(this)s %(n)s officer was in post.",
                "At the end of %(this)s %(n)s officers were in post.",
                _val(figures, "officers.total"),
            )
            % {"this": this_period(period), "n": _t("officers.total")}
            if len(split) < 2
            else ngettext(
                "At the end of %(this)s %(n)s officer was in post (%(split)s).",
                "At the end of %(this)s %(n)s officers were in post (%(split)s).",
                _val(figures, "officers.total"),
            )
            % {"this": this_period(period), "n": _t("officers.total"), "split": _list(split)}
        )
    if _nz(figures, "elections.total"):
        officers.append(
            ngettext(
                "%(when)s, %(n)s committee was elected.",
                "%(when)s, %(n)s committees were elected.",
                _val(figures, "elections.total"),
            )
            % {"when": when(period), "n": _t("elections.total")}
        )
    out += _p(*officers)
    if scope.sides == {PARTY}:
        prompt = _("Describe the building of the Party organization: its groups, officers and elections.")
    elif scope.sides == {LEAGUE}:
        prompt = _("Describe the work on the League organization and the renewal of its committee.")
    else:
        prompt = _(
            "Describe the building of the Party and League organizations and the renewal of the League "
            "committee and the student union."
        )
    return out + _prompt(prompt)


def _draft_education(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if scope.has(LEAGUE) and _nz(figures, "meetings.kind.league_class"):
        out += _p(
            ngettext(
                "%(when)s, %(n)s League class was held, with %(p)s person-times of attendance.",
                "%(when)s, %(n)s League classes were held, with %(p)s person-times of attendance.",
                _val(figures, "meetings.kind.league_class"),
            )
            % {
                "when": when(period),
                "n": _t("meetings.kind.league_class"),
                "p": _t("meetings.league_class.person_times"),
            }
        )
    if scope.sides == {PARTY}:
        prompt = _("Describe the study plan of the branch: theme Party days, Party classes and study topics.")
    else:
        prompt = _("Describe the semester plans and the moral-education series.")
    return out + _prompt(prompt)


def _draft_party_class(figures: dict, period: Period) -> str:
    if not _nz(figures, "meetings.kind.party_class"):
        return ""
    held = ngettext(
        "%(when)s, %(n)s Party class was held, with %(p)s person-times of attendance",
        "%(when)s, %(n)s Party classes were held, with %(p)s person-times of attendance",
        _val(figures, "meetings.kind.party_class"),
    ) % {"when": when(period), "n": _t("meetings.kind.party_class"), "p": _t("meetings.party_class.person_times")}
    if _nz(figures, "meetings.party_class.by_secretary"):
        return _p(
            held
            + ngettext(
                "; %(n)s of them was given by a secretary.",
                "; %(n)s of them were given by secretaries.",
                _val(figures, "meetings.party_class.by_secretary"),
            )
            % {"n": _t("meetings.party_class.by_secretary")}
        )
    return _p(held + pgettext("end of a sentence", "."))


def _draft_joint(figures: dict, scope: Scope) -> str:
    joint = [k for k in figures if k.startswith("meetings.joint.")]
    if not joint or not scope.has(PARTY) or not (scope.joint or any(_nz(figures, k) for k in joint)):
        return ""
    held = [
        _("%(semester)s: %(n)s") % {"semester": _semester_label(k), "n": _t(k)}
        + (pgettext("joint meetings of a semester", " (still running)") if _semester_running(k) else "")
        for k in joint
    ]
    return _p(
        _(
            "The rule asks for at least %(rule)s Party–League joint meetings each semester "
            "(plan, progress and summary meetings). Joint meetings held — %(list)s."
        )
        % {"rule": R_JOINT.minimum, "list": _("; ").join(held)}
    )


def _draft_frequency(figures: dict, scope: Scope) -> str:
    # Totals "required" and "held" would set meetings of periods still running against a full requirement:
    # the prose counts what is settled (periods that have ended) and says the rest is still running.
    if not _nz(figures, "frequency.orgs"):
        return ""
    # 三会一课 is the Party's word; the League's own meetings (团员大会, 团支部委员会, 团课) are its rules.
    checked = (
        ngettext(
            "The meetings of %(n)s League organization were checked against the League's meeting rules (periods "
            "still running are not counted as short).",
            "The meetings of %(n)s League organizations were checked against the League's meeting rules (periods "
            "still running are not counted as short).",
            _val(figures, "frequency.orgs"),
        )
        if scope.sides == {LEAGUE}
        else ngettext(
            "The meetings of %(n)s organization were checked against the rules of 三会一课 (periods still "
            "running are not counted as short).",
            "The meetings of %(n)s organizations were checked against the rules of 三会一课 (periods still "
            "running are not counted as short).",
            _val(figures, "frequency.orgs"),
        )
    ) % {"n": _t("frequency.orgs")}
    if _nz(figures, "frequency.missed"):
        verdict = _(
            "%(short)s organizations fell short of a rule in %(missed)s periods that have ended (listed in the "
            "table below); these gaps are to be made good."
        ) % {"missed": _t("frequency.missed"), "short": _t("frequency.orgs_short")}
    else:
        verdict = _(
            "In every period that has ended, each organization held its meetings as often as the rules require."
        )
    return _p(checked, verdict)


def _draft_votes(figures: dict) -> str:
    # 推优 votes are told once, with the other 推优 figures (one value for one fact).
    parts = []
    if _nz(figures, "votes.admission.passed"):
        parts.append(
            ngettext(
                "admitted %(n)s probationary member",
                "admitted %(n)s probationary members",
                _val(figures, "votes.admission.passed"),
            )
            % {"n": _t("votes.admission.passed")}
        )
    if _nz(figures, "votes.conversion.passed"):
        parts.append(
            ngettext(
                "converted %(n)s probationary member to full membership",
                "converted %(n)s probationary members to full membership",
                _val(figures, "votes.conversion.passed"),
            )
            % {"n": _t("votes.conversion.passed")}
        )
    if not parts:
        return ""
    return _p(_("By vote, branch general meetings %(list)s.") % {"list": _list(parts)})


def _draft_recommendations(figures: dict, scope: Scope, period: Period) -> str:
    if "recommendations.nominated" not in figures or not scope.has(LEAGUE):
        return ""
    target = (
        _("The school's yearly target is %(t)s recommendations.") % {"t": _t("recommendations.target")}
        if _nz(figures, "recommendations.target")
        else ""
    )
    if not _nz(figures, "recommendations.nominated"):
        return _p(_("%(when)s, no League member was nominated for 推优.") % {"when": when(period)}, target)
    steps = [
        ngettext(
            "League branches nominated %(n)s League member",
            "League branches nominated %(n)s League members",
            _val(figures, "recommendations.nominated"),
        )
        % {"n": _t("recommendations.nominated")}
    ]
    if _nz(figures, "recommendations.passed"):
        steps.append(_("%(n)s were passed by League members' meetings") % {"n": _t("recommendations.passed")})
    if _nz(figures, "recommendations.approved"):
        steps.append(_("%(n)s were approved by the League committee") % {"n": _t("recommendations.approved")})
    outcomes = [
        phrase % {"n": _t(key)}
        for key, phrase in (
            ("pipeline.activist.recommended", _("%(n)s became activists")),
            ("pipeline.development_target.recommended", _("%(n)s became development targets")),
        )
        if _nz(figures, key)
    ]
    return _p(
        _("Through “pushing the best into the Party” (推优), %(steps)s.") % {"steps": _steps(steps)},
        _("Of the recommended, %(list)s.") % {"list": _list(outcomes)} if outcomes else "",
        target,
    )


PIPELINE_PHRASES = (
    (
        "pipeline.application",
        lambda v: ngettext("%(n)s Party application was received", "%(n)s Party applications were received", v),
    ),
    ("pipeline.activist", lambda v: ngettext("%(n)s activist was chosen", "%(n)s activists were chosen", v)),
    (
        "pipeline.development_target",
        lambda v: ngettext("%(n)s development target was chosen", "%(n)s development targets were chosen", v),
    ),
    (
        "pipeline.admission",
        lambda v: ngettext("%(n)s probationary member was admitted", "%(n)s probationary members were admitted", v),
    ),
    (
        "pipeline.conversion",
        lambda v: ngettext(
            "%(n)s probationary member became a full member", "%(n)s probationary members became full members", v
        ),
    ),
)


def _draft_pipeline(figures: dict, period: Period) -> str:
    parts = [phrase(_val(figures, key)) % {"n": _t(key)} for key, phrase in PIPELINE_PHRASES if _nz(figures, key)]
    if not parts:
        return ""
    return _p(_("%(when)s, %(list)s.") % {"when": when(period), "list": _list(parts)})


def _draft_appraisal(figures: dict, period: Period) -> str:
    if not _nz(figures, "appraisal.total"):
        return ""
    levels = [
        phrase % {"n": _t(key)}
        for key, phrase in (
            ("appraisal.excellent", _("%(n)s excellent")),
            ("appraisal.qualified", _("%(n)s qualified")),
            ("appraisal.basic", _("%(n)s basically qualified")),
            ("appraisal.unqualified", _("%(n)s unqualified")),
        )
        if _nz(figures, key)
    ]
    return _p(
        _("In the democratic appraisal %(n)s Party members were appraised: %(list)s.")
        % {"n": _t("appraisal.total"), "list": _list(levels)}
    )


STATUS_PHRASES = (
    ("people.applicant", lambda v: ngettext("%(n)s Party applicant", "%(n)s Party applicants", v)),
    ("people.activist", lambda v: ngettext("%(n)s activist", "%(n)s activists", v)),
    ("people.development_target", lambda v: ngettext("%(n)s development target", "%(n)s development targets", v)),
    ("people.probationary", lambda v: ngettext("%(n)s probationary member", "%(n)s probationary members", v)),
    ("people.full_member", lambda v: ngettext("%(n)s full Party member", "%(n)s full Party members", v)),
)


def _draft_people(figures: dict) -> str:
    # The people in training are the activists and development targets of this sentence: their number is
    # stated once, here, and the training figures count among them.
    statuses = [phrase(_val(figures, key)) % {"n": _t(key)} for key, phrase in STATUS_PHRASES if _nz(figures, key)]
    if not statuses:
        return ""
    training = []
    if _nz(figures, "training.total"):
        for key, phrase in (
            ("training.two_contacts", _("%(n)s have two training contacts")),
            ("training.assessed", _("%(n)s were assessed in the current quarter")),
        ):
            if _nz(figures, key):
                training.append(phrase % {"n": _t(key)})
    return _p(
        _("On the date compiled there were %(list)s.") % {"list": _list(statuses)},
        _("Of the activists and development targets, %(list)s.") % {"list": _list(training)} if training else "",
    )


def _draft_systems(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if scope.has(PARTY):
        out += _draft_party_class(figures, period) + _draft_joint(figures, scope)
    out += _draft_frequency(figures, scope)
    if scope.has(PARTY):
        out += _draft_votes(figures)
    out += _draft_recommendations(figures, scope, period)
    if scope.has(PARTY):
        out += _draft_pipeline(figures, period) + _draft_appraisal(figures, period) + _draft_people(figures)
    if scope.sides == {LEAGUE}:
        prompt = _("Describe the education and appraisal of League members and the work of 推优.")
    else:
        prompt = _(
            "Describe the training of activists (two contacts, quarterly assessments) and the democratic appraisal."
        )
    return out + _prompt(prompt)


def _semester_label(key: str) -> str:
    return Period.parse("semester:" + key.rsplit(".", 1)[-1]).label


def _semester_running(key: str) -> bool:
    from django.utils import timezone

    return Period.parse("semester:" + key.rsplit(".", 1)[-1]).end >= timezone.localdate()


def _draft_activities(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if _nz(figures, "activities.total"):
        sentence = [
            ngettext(
                "%(when)s, %(n)s activity was held, with %(p)s person-times of participation",
                "%(when)s, %(n)s activities were held, with %(p)s person-times of participation",
                _val(figures, "activities.total"),
            )
            % {"when": when(period), "n": _t("activities.total"), "p": _t("activities.person_times")}
        ]
        if _nz(figures, "activities.series"):
            sentence.append(_("%(n)s of them in theme series") % {"n": _t("activities.series")})
        kinds = [
            phrase % {"n": _t(key)}
            for key, phrase in (
                ("activities.category.campus_culture", _("%(n)s campus culture activities")),
                ("activities.category.sports", _("%(n)s sports activities")),
                ("activities.category.science", _("%(n)s science and technology activities")),
            )
            if _nz(figures, key)
        ]
        if kinds:
            sentence.append(_("among them %(list)s") % {"list": _list(kinds)})
        out += _p(_steps(sentence) + pgettext("end of a sentence", "."))
    fund = [
        phrase % {"n": _t(key)}
        for key, phrase in (
            ("fund.raised", _("raised %(n)s yuan")),
            ("fund.granted", _("granted %(n)s yuan")),
            ("fund.recipients", _("aided %(n)s students")),
        )
        if _nz(figures, key)
    ]
    if fund:
        out += _p(
            _("%(when)s the student aid fund %(list)s.") % {"when": when(period), "list": _list(fund)},
            _("Its balance at the end of %(this)s was %(b)s yuan.")
            % {"this": this_period(period), "b": _t("fund.balance")}
            if _nz(figures, "fund.balance")
            else "",
            _("Since its start it has raised %(rt)s yuan and aided %(nt)s students.")
            % {"rt": _t("fund.raised_total"), "nt": _t("fund.recipients_total")}
            if _nz(figures, "fund.raised_total") and _nz(figures, "fund.recipients_total")
            else "",
        )
    for prefix, sentence in (
        (
            "service",
            lambda v: ngettext(
                "Volunteer service: %(n)s activity, %(p)s person-times, %(h)s hours of service",
                "Volunteer service: %(n)s activities, %(p)s person-times, %(h)s hours of service",
                v,
            ),
        ),
        (
            "practice",
            lambda v: ngettext(
                "Social practice: %(n)s activity, %(p)s person-times, %(h)s hours",
                "Social practice: %(n)s activities, %(p)s person-times, %(h)s hours",
                v,
            ),
        ),
    ):
        if not _nz(figures, f"{prefix}.activities"):
            continue
        text = sentence(_val(figures, f"{prefix}.activities")) % {
            "n": _t(f"{prefix}.activities"),
            "p": _t(f"{prefix}.person_times"),
            "h": _t(f"{prefix}.hours"),
        }
        if _nz(figures, f"{prefix}.places"):
            places = _val(figures, f"{prefix}.places")
            text += (
                npgettext("volunteer service", ", at %(pl)s place", ", at %(pl)s places", places)
                if prefix == "service"
                else npgettext("social practice", ", at %(pl)s place", ", at %(pl)s places", places)
            ) % {"pl": _t(f"{prefix}.places")}
        out += _p(text + pgettext("end of a sentence", "."))
    if _nz(figures, "activities.hours"):
        out += _p(_("All activities together came to %(h)s hours.") % {"h": _t("activities.hours")})
    return out + _prompt(
        _("Describe the theme activities and the volunteer service in your own words; the figures above are compiled.")
    )


def _draft_honors(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if _nz(figures, "honors.total"):
        levels = [
            phrase % {"n": _t(key)}
            for key, phrase in (
                ("honors.level.national", _("%(n)s national")),
                ("honors.level.province", _("%(n)s provincial")),
                ("honors.level.city", _("%(n)s city")),
                ("honors.level.county", _("%(n)s county")),
                ("honors.level.school", _("%(n)s school")),
            )
            if _nz(figures, key)
        ]
        out += _p(
            ngettext(
                "%(when)s, %(n)s honor was received (%(list)s).",
                "%(when)s, %(n)s honors were received (%(list)s).",
                _val(figures, "honors.total"),
            )
            % {"when": when(period), "n": _t("honors.total"), "list": _list(levels)}
        )
    return out + _prompt(_("Name the most important honors."))


def _draft_plans(figures: dict, scope: Scope, period: Period) -> str:
    return _prompt(
        _("Write the %(plans)s, one item a paragraph numbered (一), (二), (三)…; set targets by the school's own.")
        % {"plans": plans_title(period)}
    )


DRAFTERS = {
    SectionKey.INTRODUCTION: _draft_introduction,
    SectionKey.ORGANIZATION: _draft_organization,
    SectionKey.EDUCATION: _draft_education,
    SectionKey.SYSTEMS: _draft_systems,
    SectionKey.ACTIVITIES: _draft_activities,
    SectionKey.HONORS: _draft_honors,
    SectionKey.PLANS: _draft_plans,
}


def draft_section(key: str, figures: dict, org, period: Period) -> str:
    """The drafted narrative of one section, in the active language, with `[[key]]` tokens for figures.
    `org` is the summary's organization (its kind decides the sides told), or only its name."""
    text = DRAFTERS[key](figures, scope_of(org), period)
    if _chinese():
        text = tidy_chinese(text)
    return sanitize(text)
