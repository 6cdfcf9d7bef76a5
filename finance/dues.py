"""How much dues a member owes for one month: pure functions, no database.

Party dues (DESIGN §2, the Party's rules on dues): a share of the monthly after-tax regular pay (the
"base pay"), by bracket, each bracket's upper bound included:

    in post    ≤ 3,000.00 → 0.5 %;  3,000.01–5,000.00 → 1 %;  5,000.01–10,000.00 → 1.5 %;  > 10,000.00 → 2 %
    retired    ≤ 5,000.00 → 0.5 %;  > 5,000.00 → 1 %
    students   0.20 yuan a month

League dues: students 0.20 yuan a month. Members with wage income (young teachers) pay, by the school's
reading of the League's rules on dues (a share of monthly wage income, two brackets), 0.5 % of the base
pay up to 3,000.00 and 1 % above; a League member whose base pay is not entered yet has no amount due
(the page asks the secretary for it) rather than a guess.

Who owes League dues (the accounts `finance.services.dues_accounts_ensure` opens): League dues follow League
membership (团籍, `Person.objects.league_members`), whatever the Party status — a League member who is a Party
applicant, activist or development target pays them — except a Party member (probationary or full) who keeps
League membership, who pays Party dues only (`owes_league_dues`). A League account is owed from the month the
person joined the League.

Rounding: the product is rounded to the fen (0.01 yuan) with ROUND_HALF_UP, the rounding people do by
hand (0.005 rounds up), so 3,000.01 × 1 % = 30.0001 → 30.00 and 1,234.50 × 0.5 % = 6.1725 → 6.17.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
STUDENT_MONTHLY = Decimal("0.20")

# (upper bound inclusive, rate); None = no upper bound.
PARTY_SALARIED = [
    (Decimal("3000.00"), Decimal("0.005")),
    (Decimal("5000.00"), Decimal("0.01")),
    (Decimal("10000.00"), Decimal("0.015")),
    (None, Decimal("0.02")),
]
PARTY_RETIRED = [(Decimal("5000.00"), Decimal("0.005")), (None, Decimal("0.01"))]
LEAGUE_WAGE = [(Decimal("3000.00"), Decimal("0.005")), (None, Decimal("0.01"))]


def owes_league_dues(*, is_league_member: bool, is_party_member: bool) -> bool:
    """Whether a person owes League dues (the rule `finance.services.payers` filters by)."""
    return is_league_member and not is_party_member


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(value) -> str:
    """An amount as 84,506.30 (exact: no float on the way); "—" for none."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return f"{value:,.2f}"


def _rate(brackets, base_pay: Decimal) -> Decimal:
    for upper, rate in brackets:
        if upper is None or base_pay <= upper:
            return rate
    raise AssertionError("unreachable: the last bracket is open")


def monthly_dues(*, kind: str, basis: str, base_pay: Decimal | None) -> Decimal | None:
    """The amount owed for one month, or None when it cannot be computed (base pay not entered)."""
    if basis == "student":
        return STUDENT_MONTHLY
    if base_pay is None:
        return None
    if not isinstance(base_pay, Decimal):
        raise TypeError("base_pay must be a Decimal")
    if base_pay < 0:
        raise ValueError("base_pay cannot be negative")
    if kind == "party":
        brackets = PARTY_RETIRED if basis == "retired" else PARTY_SALARIED
    elif kind == "league":
        brackets = LEAGUE_WAGE
    else:
        raise ValueError(kind)
    return to_fen(base_pay * _rate(brackets, base_pay))


# --- months ---------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s month to `last`'s month, both included."""
    out, m, end = [], month_start(first), month_start(last)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


def month_count(first: date, last: date) -> int:
    """How many months from `first`'s month to `last`'s month, both included (0 if last < first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)
