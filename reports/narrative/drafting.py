"""Drafting each section of a summary: its figures written into sentences in the UI language."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import get_language, ngettext, npgettext, pgettext
from django.utils.translation import gettext as _

from branches.models import OrgKind
from branches.periods import Period
from meetings.figures import attendance_rate
from meetings.frequency import R_JOINT
from meetings.models import LEAGUE_MEETING_KINDS, PARTY_MEETING_KINDS, MeetingKind

from ..models import SectionKey
from .scope import (
    LEAGUE,
    PARTY,
    Scope,
    figure_int,
    figure_side,
    nonzero,
    rate_text,
    scope_of,
    semester_label,
    semester_running,
    tidy_chinese,
)
from .text import PROMPT_CLOSE, PROMPT_OPEN, sanitize

# --- drafting ------------------------------------------------------------------------------------------
# A draft reads as a secretary writes it: a fact of zero is left out (never "0 名被确定为发展对象"), the
# period is named by its type (本年度 / 本学年 / 本学期), a figure is stated once, and a summary tells only
# the work its organization does: the Party side, the League side, or both for the school.


def _t(key: str) -> str:
    return f"[[{key}]]"


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
        phrase(figure_int(figures, f"orgs.{kind}")) % {"n": _t(f"orgs.{kind}")}
        for kind, phrase in ORG_COUNTERS
        if kind != scope.kind and scope.has(figure_side(f"orgs.{kind}")) and nonzero(figures, f"orgs.{kind}")
    ]
    out = ""
    if parts:
        sentence = _("%(org)s has %(list)s.") if scope.kind in ("", OrgKind.SCHOOL) else _("Under %(org)s: %(list)s.")
        out += _p(sentence % {"org": escape(scope.name), "list": _list(parts)})
    officers = []
    if nonzero(figures, "officers.total"):
        split = [
            phrase % {"n": _t(f"officers.{side}")}
            for side, phrase in ((PARTY, _("Party %(n)s")), (LEAGUE, _("League %(n)s")))
            if scope.has(side) and nonzero(figures, f"officers.{side}")
        ]
        officers.append(
            ngettext(
                "At the end of %(this)s %(n)s officer was in post.",
                "At the end of %(this)s %(n)s officers were in post.",
                figure_int(figures, "officers.total"),
            )
            % {"this": this_period(period), "n": _t("officers.total")}
            if len(split) < 2
            else ngettext(
                "At the end of %(this)s %(n)s officer was in post (%(split)s).",
                "At the end of %(this)s %(n)s officers were in post (%(split)s).",
                figure_int(figures, "officers.total"),
            )
            % {"this": this_period(period), "n": _t("officers.total"), "split": _list(split)}
        )
    if nonzero(figures, "elections.total"):
        officers.append(
            ngettext(
                "%(when)s, %(n)s committee was elected.",
                "%(when)s, %(n)s committees were elected.",
                figure_int(figures, "elections.total"),
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
    if scope.has(LEAGUE) and nonzero(figures, "meetings.kind.league_class"):
        out += _p(
            ngettext(
                "%(when)s, %(n)s League class was held, with %(p)s person-times of attendance.",
                "%(when)s, %(n)s League classes were held, with %(p)s person-times of attendance.",
                figure_int(figures, "meetings.kind.league_class"),
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
    if not nonzero(figures, "meetings.kind.party_class"):
        return ""
    held = ngettext(
        "%(when)s, %(n)s Party class was held, with %(p)s person-times of attendance",
        "%(when)s, %(n)s Party classes were held, with %(p)s person-times of attendance",
        figure_int(figures, "meetings.kind.party_class"),
    ) % {"when": when(period), "n": _t("meetings.kind.party_class"), "p": _t("meetings.party_class.person_times")}
    if nonzero(figures, "meetings.party_class.by_secretary"):
        return _p(
            held
            + ngettext(
                "; %(n)s of them was given by a secretary.",
                "; %(n)s of them were given by secretaries.",
                figure_int(figures, "meetings.party_class.by_secretary"),
            )
            % {"n": _t("meetings.party_class.by_secretary")}
        )
    return _p(held + pgettext("end of a sentence", "."))


def _draft_joint(figures: dict, scope: Scope) -> str:
    joint = [k for k in figures if k.startswith("meetings.joint.")]
    if not joint or not scope.has(PARTY) or not (scope.joint or any(nonzero(figures, k) for k in joint)):
        return ""
    held = [
        _("%(semester)s: %(n)s") % {"semester": semester_label(k), "n": _t(k)}
        + (pgettext("joint meetings of a semester", " (still running)") if semester_running(k) else "")
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
    if not nonzero(figures, "frequency.orgs"):
        return ""
    # 三会一课 is the Party's word; the League's own meetings (团员大会, 团支部委员会, 团课) are its rules.
    checked = (
        ngettext(
            "The meetings of %(n)s League organization were checked against the League's meeting rules (periods "
            "still running are not counted as short).",
            "The meetings of %(n)s League organizations were checked against the League's meeting rules (periods "
            "still running are not counted as short).",
            figure_int(figures, "frequency.orgs"),
        )
        if scope.sides == {LEAGUE}
        else ngettext(
            "The meetings of %(n)s organization were checked against the rules of 三会一课 (periods still "
            "running are not counted as short).",
            "The meetings of %(n)s organizations were checked against the rules of 三会一课 (periods still "
            "running are not counted as short).",
            figure_int(figures, "frequency.orgs"),
        )
    ) % {"n": _t("frequency.orgs")}
    if nonzero(figures, "frequency.missed"):
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
    if nonzero(figures, "votes.admission.passed"):
        parts.append(
            ngettext(
                "admitted %(n)s probationary member",
                "admitted %(n)s probationary members",
                figure_int(figures, "votes.admission.passed"),
            )
            % {"n": _t("votes.admission.passed")}
        )
    if nonzero(figures, "votes.conversion.passed"):
        parts.append(
            ngettext(
                "converted %(n)s probationary member to full membership",
                "converted %(n)s probationary members to full membership",
                figure_int(figures, "votes.conversion.passed"),
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
        if nonzero(figures, "recommendations.target")
        else ""
    )
    if not nonzero(figures, "recommendations.nominated"):
        return _p(_("%(when)s, no League member was nominated for 推优.") % {"when": when(period)}, target)
    steps = [
        ngettext(
            "League branches nominated %(n)s League member",
            "League branches nominated %(n)s League members",
            figure_int(figures, "recommendations.nominated"),
        )
        % {"n": _t("recommendations.nominated")}
    ]
    if nonzero(figures, "recommendations.passed"):
        steps.append(_("%(n)s were passed by League members' meetings") % {"n": _t("recommendations.passed")})
    if nonzero(figures, "recommendations.approved"):
        steps.append(_("%(n)s were approved by the League committee") % {"n": _t("recommendations.approved")})
    outcomes = [
        phrase % {"n": _t(key)}
        for key, phrase in (
            ("pipeline.activist.recommended", _("%(n)s became activists")),
            ("pipeline.development_target.recommended", _("%(n)s became development targets")),
        )
        if nonzero(figures, key)
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
    parts = [
        phrase(figure_int(figures, key)) % {"n": _t(key)} for key, phrase in PIPELINE_PHRASES if nonzero(figures, key)
    ]
    if not parts:
        return ""
    return _p(_("%(when)s, %(list)s.") % {"when": when(period), "list": _list(parts)})


def _draft_appraisal(figures: dict, period: Period) -> str:
    if not nonzero(figures, "appraisal.total"):
        return ""
    levels = [
        phrase % {"n": _t(key)}
        for key, phrase in (
            ("appraisal.excellent", _("%(n)s excellent")),
            ("appraisal.qualified", _("%(n)s qualified")),
            ("appraisal.basic", _("%(n)s basically qualified")),
            ("appraisal.unqualified", _("%(n)s unqualified")),
        )
        if nonzero(figures, key)
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


def _draft_people(figures: dict, period: Period) -> str:
    # The people in training are the activists and development targets of this sentence: their number is
    # stated once, here, and the training figures count among them.
    statuses = [
        phrase(figure_int(figures, key)) % {"n": _t(key)} for key, phrase in STATUS_PHRASES if nonzero(figures, key)
    ]
    if not statuses:
        return ""
    training = []
    if nonzero(figures, "training.total"):
        for key, phrase in (
            ("training.two_contacts", _("%(n)s have two training contacts")),
            ("training.assessed", _("%(n)s were assessed in the current quarter")),
        ):
            if nonzero(figures, key):
                training.append(phrase % {"n": _t(key)})
    return _p(
        # Stock figures are taken on the period's last day (members.figures), so the sentence says so.
        _("At the end of %(this)s there were %(list)s.") % {"this": this_period(period), "list": _list(statuses)},
        _("Of the activists and development targets, %(list)s.") % {"list": _list(training)} if training else "",
    )


def _draft_attendance(figures: dict, scope: Scope, period: Period) -> str:
    """Each meeting type's attendance rate (实到 ÷ 应到, `meetings.figures.attendance_rate`), for the types of
    the organization's side: Party types for the Party, League types for the League, both for the school.
    A type nobody was expected at is left out. The rate is written as words when drafted (a redraft writes it
    again); its two figures stand in the meetings table."""
    kinds = [
        kind
        for kind in MeetingKind.values
        if (scope.has(PARTY) and kind in PARTY_MEETING_KINDS) or (scope.has(LEAGUE) and kind in LEAGUE_MEETING_KINDS)
    ]
    rates = [(kind, attendance_rate(figures, kind)) for kind in kinds]
    parts = [
        _("%(meeting)s %(rate)s") % {"meeting": MeetingKind(kind).label, "rate": rate_text(rate)}
        for kind, rate in rates
        if rate is not None
    ]
    if not parts:
        return ""
    return _p(
        _("%(when)s, the attendance rate of the meetings held (present ÷ expected): %(list)s.")
        % {"when": when(period), "list": _list(parts)}
    )


LEAGUE_MEMBERSHIP_PHRASES = (
    (
        "league.joined",
        lambda v: ngettext("%(n)s new League member joined", "%(n)s new League members joined", v),
    ),
    (
        "league.registered",
        lambda v: ngettext("%(n)s League member was registered", "%(n)s League members were registered", v),
    ),
)
LEAGUE_LEAVING_PHRASES = (
    ("league.left.over_age", lambda v: ngettext("%(n)s left at 28", "%(n)s left at 28", v)),
    ("league.left.graduated", lambda v: ngettext("%(n)s graduated", "%(n)s graduated", v)),
    ("league.left.transfer_out", lambda v: ngettext("%(n)s transferred out", "%(n)s transferred out", v)),
    (
        "league.left.other",
        lambda v: ngettext("%(n)s left the League for another reason", "%(n)s left the League for another reason", v),
    ),
)


def _draft_league_membership(figures: dict, scope: Scope, period: Period) -> str:
    """The League's own membership in the period (members.figures LEAGUE): joined and registered (团籍注册),
    then who left and why (超龄离团, graduated, transferred out, another reason); facts of zero left out."""
    if not scope.has(LEAGUE):
        return ""

    def phrases(table):
        return [phrase(figure_int(figures, key)) % {"n": _t(key)} for key, phrase in table if nonzero(figures, key)]

    came, left = phrases(LEAGUE_MEMBERSHIP_PHRASES), phrases(LEAGUE_LEAVING_PHRASES)
    clauses = [_list(came)] if came else []
    if left:
        clauses.append(_("of the League members, %(list)s") % {"list": _list(left)})
    if not clauses:
        return ""
    return _p(
        pgettext("League membership of the period", "%(when)s, %(facts)s.")
        % {"when": when(period), "facts": _steps(clauses)}
    )


def _draft_systems(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if scope.has(PARTY):
        out += _draft_party_class(figures, period) + _draft_joint(figures, scope)
    out += _draft_attendance(figures, scope, period)
    out += _draft_frequency(figures, scope)
    if scope.has(PARTY):
        out += _draft_votes(figures)
    out += _draft_recommendations(figures, scope, period)
    out += _draft_league_membership(figures, scope, period)
    if scope.has(PARTY):
        out += _draft_pipeline(figures, period) + _draft_appraisal(figures, period) + _draft_people(figures, period)
    if scope.sides == {LEAGUE}:
        prompt = _("Describe the education and appraisal of League members and the work of 推优.")
    else:
        prompt = _(
            "Describe the training of activists (two contacts, quarterly assessments) and the democratic appraisal."
        )
    return out + _prompt(prompt)


def _draft_activities(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if nonzero(figures, "activities.total"):
        sentence = [
            ngettext(
                "%(when)s, %(n)s activity was held, with %(p)s person-times of participation",
                "%(when)s, %(n)s activities were held, with %(p)s person-times of participation",
                figure_int(figures, "activities.total"),
            )
            % {"when": when(period), "n": _t("activities.total"), "p": _t("activities.person_times")}
        ]
        if nonzero(figures, "activities.series"):
            sentence.append(_("%(n)s of them in theme series") % {"n": _t("activities.series")})
        kinds = [
            phrase % {"n": _t(key)}
            for key, phrase in (
                ("activities.category.campus_culture", _("%(n)s campus culture activities")),
                ("activities.category.sports", _("%(n)s sports activities")),
                ("activities.category.science", _("%(n)s science and technology activities")),
            )
            if nonzero(figures, key)
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
        if nonzero(figures, key)
    ]
    if fund:
        out += _p(
            _("%(when)s the student aid fund %(list)s.") % {"when": when(period), "list": _list(fund)},
            _("Its balance at the end of %(this)s was %(b)s yuan.")
            % {"this": this_period(period), "b": _t("fund.balance")}
            if nonzero(figures, "fund.balance")
            else "",
            _("Since its start it has raised %(rt)s yuan and aided %(nt)s students.")
            % {"rt": _t("fund.raised_total"), "nt": _t("fund.recipients_total")}
            if nonzero(figures, "fund.raised_total") and nonzero(figures, "fund.recipients_total")
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
        if not nonzero(figures, f"{prefix}.activities"):
            continue
        text = sentence(figure_int(figures, f"{prefix}.activities")) % {
            "n": _t(f"{prefix}.activities"),
            "p": _t(f"{prefix}.person_times"),
            "h": _t(f"{prefix}.hours"),
        }
        if nonzero(figures, f"{prefix}.places"):
            places = figure_int(figures, f"{prefix}.places")
            text += (
                npgettext("volunteer service", ", at %(pl)s place", ", at %(pl)s places", places)
                if prefix == "service"
                else npgettext("social practice", ", at %(pl)s place", ", at %(pl)s places", places)
            ) % {"pl": _t(f"{prefix}.places")}
        out += _p(text + pgettext("end of a sentence", "."))
    if nonzero(figures, "activities.hours"):
        out += _p(_("All activities together came to %(h)s hours.") % {"h": _t("activities.hours")})
    return out + _prompt(
        _("Describe the theme activities and the volunteer service in your own words; the figures above are compiled.")
    )


def _draft_honors(figures: dict, scope: Scope, period: Period) -> str:
    out = ""
    if nonzero(figures, "honors.total"):
        levels = [
            phrase % {"n": _t(key)}
            for key, phrase in (
                ("honors.level.national", _("%(n)s national")),
                ("honors.level.province", _("%(n)s provincial")),
                ("honors.level.city", _("%(n)s city")),
                ("honors.level.county", _("%(n)s county")),
                ("honors.level.school", _("%(n)s school")),
            )
            if nonzero(figures, key)
        ]
        out += _p(
            ngettext(
                "%(when)s, %(n)s honor was received (%(list)s).",
                "%(when)s, %(n)s honors were received (%(list)s).",
                figure_int(figures, "honors.total"),
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
