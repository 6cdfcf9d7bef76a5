"""Whose summary it is (the Party side, the League side, or both for the school), the side of the work each
figure tells of, and the small helpers the tables and the prose share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from branches.periods import Period


def figure_int(figures: dict, key: str) -> int:
    fig = figures.get(key)
    return int(Decimal(fig["value"] or 0)) if fig else 0


def rate_text(rate: Decimal) -> str:
    """An attendance rate (a percentage, one decimal) as the school writes it: "96.3%", "100%"."""
    from django.utils.translation import gettext as _

    shown = f"{rate:.0f}" if rate == rate.to_integral_value() else f"{rate:.1f}"
    return _("%(rate)s%%") % {"rate": shown}


def nonzero(figures: dict, key: str) -> bool:
    """The figure is there and is not zero."""
    fig = figures.get(key)
    return bool(fig) and Decimal(fig["value"] or 0) != 0


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
    if key.startswith(("votes.recommendation", "recommendations.", "league_registration.", "league.")):
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


def semester_label(key: str) -> str:
    return Period.parse("semester:" + key.rsplit(".", 1)[-1]).label


def semester_running(key: str) -> bool:
    from django.utils import timezone

    return Period.parse("semester:" + key.rsplit(".", 1)[-1]).end >= timezone.localdate()
