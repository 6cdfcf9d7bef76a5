"""The prose and tables of a summary: drafting each section with its figures written into sentences in
the UI language, sanitizing the secretary's rich text, and showing `[[figure.key]]` tokens as numbers
(links to the records behind them on screen)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from branches.models import OrgKind
from branches.periods import Period
from meetings.models import MeetingKind

from .figures import sources
from .models import SectionKey

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
TOKEN_RE = re.compile(r"\[\[([a-z0-9_.\-]+)\]\]")
PROMPT_OPEN, PROMPT_CLOSE = "【", "】"
JOINT_MEETINGS_PER_SEMESTER = 2  # the school's rule (DESIGN §3)


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


def format_value(fig: dict | None, which: str = "value") -> str:
    if not fig or fig.get(which) is None:
        return "—"
    value = fig[which]
    if fig.get("money"):
        return f"{Decimal(value):,.2f}"
    return f"{int(value):,}"


def render_narrative(html: str, figures: dict, link: Callable[[str], str] | None = None) -> SafeString:
    """Sanitized narrative with each `[[key]]` replaced by the figure's value; with `link`, the value
    links to the records behind it."""

    def replace(match):
        key = match.group(1)
        fig = figures.get(key)
        shown = format_value(fig)
        if fig is None or link is None:
            return format_html('<span class="fig">{}</span>', shown)
        return format_html('<a class="fig" href="{}">{}</a>', link(key), shown)

    return mark_safe(TOKEN_RE.sub(replace, sanitize(html)))  # noqa: S308  (sanitized, then our own markup)


def narrative_text(html: str, figures: dict) -> str:
    """The narrative with tokens replaced, for Word (HTML kept: the Word writer reads the few tags)."""
    return TOKEN_RE.sub(lambda m: format_value(figures.get(m.group(1))), sanitize(html))


def has_prompts(html: str) -> bool:
    return PROMPT_OPEN in (html or "")


# --- tables --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    title: object  # lazy
    keys: Callable[[dict], list[str]]
    target: Callable[[str], int | None] | None = None


def _prefixed(prefix: str, order: list[str] | None = None):
    def keys(figures: dict) -> list[str]:
        found = [k for k in figures if k.startswith(prefix)]
        if order:
            found = [k for k in order if k in figures]
        return found

    return keys


def _nonzero(prefix: str):
    def keys(figures: dict) -> list[str]:
        return [
            k for k, f in figures.items() if k.startswith(prefix) and (f["value"] or f["previous"] or k.count(".") == 1)
        ]

    return keys


def _meeting_kind_keys(figures: dict) -> list[str]:
    return [
        f"meetings.kind.{kind}"
        for kind in MeetingKind.values
        if f"meetings.kind.{kind}" in figures
        and (figures[f"meetings.kind.{kind}"]["value"] or figures[f"meetings.kind.{kind}"]["previous"])
    ]


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
        Table(
            "joint",
            gettext_lazy("Party–League joint meetings per semester"),
            _prefixed("meetings.joint."),
            target=lambda key: JOINT_MEETINGS_PER_SEMESTER,
        ),
        Table("votes", gettext_lazy("Votes"), _prefixed("votes.")),
        Table("pipeline", gettext_lazy("Development of Party members"), _prefixed("pipeline.")),
        Table("recommendations", gettext_lazy("推优"), _prefixed("recommendations.")),
        Table("training", gettext_lazy("Activists in training (on the date compiled)"), _prefixed("training.")),
        Table("appraisal", gettext_lazy("Democratic appraisal"), _prefixed("appraisal.")),
        Table("people", gettext_lazy("People by political status (on the date compiled)"), _prefixed("people.")),
    ],
    SectionKey.ACTIVITIES: [
        Table("activities", gettext_lazy("Activities by category"), _nonzero("activities.")),
        Table("service", gettext_lazy("Volunteer service and social practice"), _prefixed("service.")),
        Table("fund", gettext_lazy("Student aid fund"), _prefixed("fund.")),
        Table("dues", gettext_lazy("Dues collected"), _prefixed("dues.")),
    ],
    SectionKey.HONORS: [
        Table("honors", gettext_lazy("Honors by level"), _prefixed("honors.")),
    ],
}


def figure_labels(period: Period) -> dict[str, str]:
    return {f.key: str(f.label) for s in sources() for f in s.figures(period)}


def table_rows(table: Table, figures: dict, labels: dict) -> list[dict]:
    rows = []
    for key in table.keys(figures):
        fig = figures[key]
        target = table.target(key) if table.target else None
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "value": format_value(fig),
                "previous": format_value(fig, "previous"),
                "raw": fig["value"],
                "stock": fig.get("stock"),
                "target": target,
                "met": None if target is None else int(fig["value"]) >= target,
            }
        )
    return rows


def section_tables(section_key: str, figures: dict, labels: dict) -> list[dict]:
    out = []
    for table in TABLES.get(section_key, []):
        rows = table_rows(table, figures, labels)
        if rows:
            out.append({"key": table.key, "title": table.title, "rows": rows, "has_target": table.target is not None})
    return out


def all_tables(figures: dict, labels: dict) -> list[dict]:
    return [t for key in SectionKey.values for t in section_tables(key, figures, labels)]


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
            " ",
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
            % {"rule": JOINT_MEETINGS_PER_SEMESTER, "list": _("; ").join(held)}
        )
    if "votes.recommendation" in figures:
        out += _p(
            ngettext(
                "League members' meetings voted on %(n)s League member recommended to the Party (推优); "
                "%(m)s recommendations were carried.",
                "League members' meetings voted on %(n)s League members recommended to the Party (推优); "
                "%(m)s recommendations were carried.",
                _val(figures, "votes.recommendation"),
            )
            % {"n": _t("votes.recommendation"), "m": _t("votes.recommendation.passed")},
            " ",
            _(
                "Branch general meetings admitted %(a)s probationary members and converted %(c)s probationary "
                "members to full membership."
            )
            % {"a": _t("votes.admission.passed"), "c": _t("votes.conversion.passed")},
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
        out += _p(
            _(
                "Through “pushing the best into the Party” (推优), League branches nominated %(n)s League members; "
                "%(p)s were passed by League members' meetings and %(a)s approved by the League committee. "
                "%(act)s recommended students became activists and %(dev)s became development targets."
            )
            % {
                "n": _t("recommendations.nominated"),
                "p": _t("recommendations.passed"),
                "a": _t("recommendations.approved"),
                "act": _t("pipeline.activist.recommended"),
                "dev": _t("pipeline.development_target.recommended"),
            }
        )
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
            _(
                "Volunteer service and social practice: %(n)s activities at %(pl)s places, %(p)s person-times, "
                "%(h)s hours of service."
            )
            % {
                "n": _t("service.activities"),
                "pl": _t("service.places"),
                "p": _t("service.person_times"),
                "h": _t("service.hours"),
            }
        )
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
