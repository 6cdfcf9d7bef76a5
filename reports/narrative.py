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
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
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

    def build(self, compiled: dict, labels: dict, link=None) -> dict | None:
        figures = compiled.get("figures", {})
        keys = self.keys(figures)
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
                cells.append(_target_cell(fig["value"], targets[key]))
            rows.append({"key": key, "cells": cells})
        return {"key": self.key, "title": self.title, "headers": headers, "rows": rows}


def _target_cell(value, target) -> dict:
    if target is None:
        return _cell("")
    met = int(Decimal(value or 0)) >= int(target)
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

    def build(self, compiled: dict, labels: dict, link=None) -> dict | None:
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

    def build(self, compiled: dict, labels: dict, link=None) -> dict | None:
        figures = compiled.get("figures", {})
        if "fund.raised" not in figures:
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

    def build(self, compiled: dict, labels: dict, link=None) -> dict | None:
        rows_in = compiled.get("frequency")
        if not rows_in:
            return None
        rules = frequency_rules()
        if self.mode == "rules":
            return self._by_rule(rows_in, rules)
        chosen = [r for r in rows_in if r["missed"]] if self.mode == "gaps" else rows_in
        if not chosen:
            return None
        headers = [_("Organization"), _("Meeting"), _("Rule"), _("Required"), _("Held")]
        headers += [_("Units met"), _("Units short")] if self.mode == "all" else [_("Units short")]
        rows = []
        for r in chosen:
            rule = rules.get(r["rule"])
            if rule is None:
                continue
            cells = [
                _cell(r["org_name"]),
                _cell(rule_label(rule)),
                _cell(rule_text(rule)),
                _cell(format_number(r["required"]), num=True, value=r["required"], kind="int"),
                _held_cell(r, link),
            ]
            if self.mode == "all":
                cells.append(_cell(f"{r['met']} / {r['units']}", num=True))
            cells.append(_cell(_unit_labels(r["missed"]) or "—"))
            rows.append({"cells": cells})
        title = (
            gettext_lazy("Meetings short of the rules")
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

    def _by_rule(self, rows_in, rules) -> dict:
        grouped: dict[str, dict] = {}
        for r in rows_in:
            g = grouped.setdefault(r["rule"], {"orgs": 0, "required": 0, "held": 0, "short": 0})
            g["orgs"] += 1
            g["required"] += r["required"]
            g["held"] += r["held"]
            g["short"] += 1 if r["missed"] else 0
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
                        _cell(format_number(g["orgs"]), num=True, value=g["orgs"], kind="int"),
                        _cell(format_number(g["required"]), num=True, value=g["required"], kind="int"),
                        _cell(format_number(g["held"]), num=True, value=g["held"], kind="int"),
                        _cell(format_number(g["short"]), num=True, value=g["short"], kind="int"),
                    ]
                }
            )
        headers = [_("Meeting"), _("Rule"), _("Organizations"), _("Required"), _("Held"), _("Organizations short")]
        return {
            "key": self.key,
            "title": gettext_lazy("三会一课 against the rules"),
            "headers": headers,
            "rows": rows,
            "wide": True,
        }


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


def section_tables(section_key: str, compiled: dict, labels: dict, link=None, *, sheets: bool = False) -> list[dict]:
    """The tables of one section; `sheets` also gives the tables meant only for Excel."""
    out = []
    for table in TABLES.get(section_key, []):
        built = table.build(compiled, labels, link)
        if built and built["rows"] and (sheets or not built.get("sheet_only")):
            out.append(built)
    return out


def all_tables(compiled: dict, labels: dict) -> list[dict]:
    return [t for key in SectionKey.values for t in section_tables(key, compiled, labels, sheets=True)]


# --- drafting ------------------------------------------------------------------------------------------


def _t(key: str) -> str:
    return f"[[{key}]]"


def _val(figures: dict, key: str) -> int:
    fig = figures.get(key)
    return int(Decimal(fig["value"])) if fig else 0


def when(period: Period) -> str:
    """How the prose names the period: 本年度, 本学年, 本学期, 本期."""
    return {
        "year": pgettext("summary prose", "This year"),
        "academic": pgettext("summary prose", "This academic year"),
        "semester": pgettext("summary prose", "This semester"),
    }.get(period.kind, pgettext("summary prose", "In the period"))


def _sep() -> str:
    """Between two sentences: a space in English, nothing in Chinese (full-width punctuation)."""
    return "" if (get_language() or "").startswith("zh") else " "


def _p(*sentences: str) -> str:
    text = "".join(s for s in sentences if s)
    return f"<p>{text}</p>" if text else ""


def _prompt(text: str) -> str:
    return f"<p>{PROMPT_OPEN}{text}{PROMPT_CLOSE}</p>"


def _draft_introduction(figures: dict, org_name: str, period: Period) -> str:
    return _p(
        _(
            "During %(period)s, under the leadership of the higher Party organization, %(org)s kept to the "
            "principle that Party building leads League building. The work of the period is summarized as "
            "follows."
        )
        % {"period": period.label, "org": escape(org_name)}
    ) + _prompt(_("Add the main ideas and achievements of the period here."))


def _draft_organization(figures: dict, org_name: str, period: Period) -> str:
    counters = [
        (
            OrgKind.PARTY_GENERAL_BRANCH,
            lambda v: ngettext("%(n)s Party general branch", "%(n)s Party general branches", v),
        ),
        (OrgKind.PARTY_BRANCH, lambda v: ngettext("%(n)s Party branch", "%(n)s Party branches", v)),
        (OrgKind.PARTY_GROUP, lambda v: ngettext("%(n)s Party group", "%(n)s Party groups", v)),
        (OrgKind.LEAGUE_COMMITTEE, lambda v: ngettext("%(n)s League committee", "%(n)s League committees", v)),
        (OrgKind.LEAGUE_BRANCH, lambda v: ngettext("%(n)s League branch", "%(n)s League branches", v)),
        (OrgKind.LEAGUE_GROUP, lambda v: ngettext("%(n)s League group", "%(n)s League groups", v)),
    ]
    parts = []
    for kind, phrase in counters:
        key = f"orgs.{kind}"
        if _val(figures, key):
            parts.append(phrase(_val(figures, key)) % {"n": _t(key)})
    out = ""
    if parts:
        out += _p(
            _("%(org)s has %(list)s.") % {"org": escape(org_name), "list": _(", ").join(parts)},
        )
    if "officers.total" in figures:
        out += _p(
            ngettext(
                "At the end of the period %(n)s officer was in post (Party %(party)s, League %(league)s).",
                "At the end of the period %(n)s officers were in post (Party %(party)s, League %(league)s).",
                _val(figures, "officers.total"),
            )
            % {"n": _t("officers.total"), "party": _t("officers.party"), "league": _t("officers.league")},
            _sep(),
            ngettext(
                "%(n)s election of a committee was held in the period.",
                "%(n)s elections of committees were held in the period.",
                _val(figures, "elections.total"),
            )
            % {"n": _t("elections.total")}
            if "elections.total" in figures
            else "",
        )
    return out + _prompt(_("Describe the work on the League organization and the renewal of its committee."))


def _draft_education(figures: dict, org_name: str, period: Period) -> str:
    out = ""
    if "meetings.kind.league_class" in figures:
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
    return out + _prompt(_("Describe the semester plans and the moral-education series."))


def _draft_systems(figures: dict, org_name: str, period: Period) -> str:
    out = ""
    if "meetings.kind.party_class" in figures:
        out += _p(
            ngettext(
                "%(when)s, %(n)s Party class was held, with %(p)s person-times of attendance",
                "%(when)s, %(n)s Party classes were held, with %(p)s person-times of attendance",
                _val(figures, "meetings.kind.party_class"),
            )
            % {
                "when": when(period),
                "n": _t("meetings.kind.party_class"),
                "p": _t("meetings.party_class.person_times"),
            },
            ngettext(
                "; %(n)s of them was given by a secretary.",
                "; %(n)s of them were given by secretaries.",
                _val(figures, "meetings.party_class.by_secretary"),
            )
            % {"n": _t("meetings.party_class.by_secretary")},
        )
    joint = [k for k in figures if k.startswith("meetings.joint.")]
    if joint:
        held = [_("%(semester)s: %(n)s") % {"semester": _semester_label(k), "n": _t(k)} for k in joint]
        out += _p(
            _(
                "The rule asks for at least %(rule)s Party–League joint meetings each semester "
                "(plan, progress and summary meetings). Joint meetings held — %(list)s."
            )
            % {"rule": R_JOINT.minimum, "list": _("; ").join(held)}
        )
    if _val(figures, "frequency.required"):
        out += _p(
            _(
                "Against the rules of 三会一课, the %(orgs)s organizations checked were required to hold at least "
                "%(req)s meetings in the period; %(held)s meetings were held."
            )
            % {"orgs": _t("frequency.orgs"), "req": _t("frequency.required"), "held": _t("frequency.held")},
            _sep(),
            _(
                "A rule was not met %(missed)s times, in %(short)s organizations (listed in the table below); "
                "these gaps are to be made good."
            )
            % {"missed": _t("frequency.missed"), "short": _t("frequency.orgs_short")}
            if _val(figures, "frequency.missed")
            else _("Every organization held its meetings as often as the rules require."),
        )
    if _val(figures, "votes.recommendation") or _val(figures, "votes.admission") or _val(figures, "votes.conversion"):
        out += _p(
            ngettext(
                "League members' meetings voted on %(n)s League member recommended to the Party (推优); "
                "%(m)s recommendations were carried.",
                "League members' meetings voted on %(n)s League members recommended to the Party (推优); "
                "%(m)s recommendations were carried.",
                _val(figures, "votes.recommendation"),
            )
            % {"n": _t("votes.recommendation"), "m": _t("votes.recommendation.passed")}
            if _val(figures, "votes.recommendation")
            else "",
            _sep() if _val(figures, "votes.recommendation") else "",
            _(
                "Branch general meetings admitted %(a)s probationary members and converted %(c)s probationary "
                "members to full membership."
            )
            % {"a": _t("votes.admission.passed"), "c": _t("votes.conversion.passed")}
            if _val(figures, "votes.admission") or _val(figures, "votes.conversion")
            else "",
        )
    if "training.total" in figures:
        out += _p(
            _(
                "%(n)s activists and development targets are in training; %(two)s of them have two training "
                "contacts, and %(q)s were assessed in the current quarter."
            )
            % {"n": _t("training.total"), "two": _t("training.two_contacts"), "q": _t("training.assessed")}
        )
    if "recommendations.nominated" in figures:
        target = (
            _("The school's yearly target is %(t)s recommendations.") % {"t": _t("recommendations.target")}
            if "recommendations.target" in figures
            else ""
        )
        if _val(figures, "recommendations.nominated"):
            outcomes = _val(figures, "pipeline.activist.recommended") or _val(
                figures, "pipeline.development_target.recommended"
            )
            out += _p(
                _(
                    "Through “pushing the best into the Party” (推优), League branches nominated %(n)s League "
                    "members; %(p)s were passed by League members' meetings and %(a)s approved by the League "
                    "committee."
                )
                % {
                    "n": _t("recommendations.nominated"),
                    "p": _t("recommendations.passed"),
                    "a": _t("recommendations.approved"),
                },
                _sep(),
                _("Of the recommended, %(act)s became activists and %(dev)s became development targets.")
                % {
                    "act": _t("pipeline.activist.recommended"),
                    "dev": _t("pipeline.development_target.recommended"),
                }
                if outcomes
                else "",
                _sep() if outcomes else "",
                target,
            )
        else:
            out += _p(_("No League member was nominated for 推优 in the period."), _sep() if target else "", target)
    if "pipeline.application" in figures:
        out += _p(
            _(
                "In the period %(app)s Party applications were received; %(act)s activists and %(dev)s development "
                "targets were chosen; %(adm)s probationary members were admitted and %(conv)s became full members."
            )
            % {
                "app": _t("pipeline.application"),
                "act": _t("pipeline.activist"),
                "dev": _t("pipeline.development_target"),
                "adm": _t("pipeline.admission"),
                "conv": _t("pipeline.conversion"),
            }
        )
    if _val(figures, "appraisal.total"):
        out += _p(
            _(
                "In the democratic appraisal %(n)s Party members were appraised: %(e)s excellent, %(q)s qualified, "
                "%(b)s basically qualified and %(u)s unqualified."
            )
            % {
                "n": _t("appraisal.total"),
                "e": _t("appraisal.excellent"),
                "q": _t("appraisal.qualified"),
                "b": _t("appraisal.basic"),
                "u": _t("appraisal.unqualified"),
            }
        )
    if "people.activist" in figures:
        out += _p(
            _(
                "On the date compiled there were %(app)s Party applicants, %(act)s activists, %(dev)s development "
                "targets, %(prob)s probationary members and %(full)s full Party members."
            )
            % {
                "app": _t("people.applicant"),
                "act": _t("people.activist"),
                "dev": _t("people.development_target"),
                "prob": _t("people.probationary"),
                "full": _t("people.full_member"),
            }
        )
    return out + _prompt(
        _("Describe the training of activists (two contacts, quarterly assessments) and the democratic appraisal.")
    )


def _semester_label(key: str) -> str:
    return Period.parse("semester:" + key.rsplit(".", 1)[-1]).label


def _draft_activities(figures: dict, org_name: str, period: Period) -> str:
    out = ""
    if "activities.total" in figures:
        out += _p(
            _(
                "%(when)s, %(n)s activities were held, with %(p)s person-times of participation; %(s)s of them "
                "belonged to theme series. Campus culture: %(c)s; sports: %(sp)s; science and technology: %(sc)s."
            )
            % {
                "when": when(period),
                "n": _t("activities.total"),
                "p": _t("activities.person_times"),
                "s": _t("activities.series"),
                "c": _t("activities.category.campus_culture"),
                "sp": _t("activities.category.sports"),
                "sc": _t("activities.category.science"),
            }
        )
    if "fund.raised" in figures:
        out += _p(
            _(
                "The student aid fund raised %(r)s yuan and granted %(g)s yuan to %(n)s students; its balance at "
                "the end of the period was %(b)s yuan. Since its start it has raised %(rt)s yuan and aided %(nt)s "
                "students."
            )
            % {
                "r": _t("fund.raised"),
                "g": _t("fund.granted"),
                "n": _t("fund.recipients"),
                "b": _t("fund.balance"),
                "rt": _t("fund.raised_total"),
                "nt": _t("fund.recipients_total"),
            }
        )
    if "service.activities" in figures:
        out += _p(
            _("Volunteer service: %(n)s activities at %(pl)s places, %(p)s person-times, %(h)s hours of service.")
            % {
                "n": _t("service.activities"),
                "pl": _t("service.places"),
                "p": _t("service.person_times"),
                "h": _t("service.hours"),
            }
        )
    if "practice.activities" in figures:
        out += _p(
            _("Social practice: %(n)s activities at %(pl)s places, %(p)s person-times, %(h)s hours.")
            % {
                "n": _t("practice.activities"),
                "pl": _t("practice.places"),
                "p": _t("practice.person_times"),
                "h": _t("practice.hours"),
            }
        )
    if "activities.hours" in figures:
        out += _p(_("All activities together came to %(h)s hours.") % {"h": _t("activities.hours")})
    return out + _prompt(
        _("Describe the theme activities and the volunteer service in your own words; the figures above are compiled.")
    )


def _draft_honors(figures: dict, org_name: str, period: Period) -> str:
    out = ""
    if "honors.total" in figures:
        out += _p(
            ngettext(
                "%(n)s honor was received in the period: national %(na)s, provincial %(pr)s, city %(ci)s, "
                "county %(co)s, school %(sc)s.",
                "%(n)s honors were received in the period: national %(na)s, provincial %(pr)s, city %(ci)s, "
                "county %(co)s, school %(sc)s.",
                _val(figures, "honors.total"),
            )
            % {
                "n": _t("honors.total"),
                "na": _t("honors.level.national"),
                "pr": _t("honors.level.province"),
                "ci": _t("honors.level.city"),
                "co": _t("honors.level.county"),
                "sc": _t("honors.level.school"),
            }
        )
    return out + _prompt(_("Name the most important honors."))


def _draft_plans(figures: dict, org_name: str, period: Period) -> str:
    return _prompt(_("Write the plans for next year."))


DRAFTERS = {
    SectionKey.INTRODUCTION: _draft_introduction,
    SectionKey.ORGANIZATION: _draft_organization,
    SectionKey.EDUCATION: _draft_education,
    SectionKey.SYSTEMS: _draft_systems,
    SectionKey.ACTIVITIES: _draft_activities,
    SectionKey.HONORS: _draft_honors,
    SectionKey.PLANS: _draft_plans,
}


def draft_section(key: str, figures: dict, org_name: str, period: Period) -> str:
    """The drafted narrative of one section, in the active language, with `[[key]]` tokens for figures."""
    return sanitize(DRAFTERS[key](figures, org_name, period))
