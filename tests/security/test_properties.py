"""Property-based tests (hypothesis) on the domain's rules and services: each rule is written here again,
independently, and the app must agree with it on every generated case."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from activities import selectors as activity_selectors
from branches import periods
from branches.periods import Period
from core.seeding import GIVEN, SURNAMES
from finance import services as fund_services
from finance.dues import monthly_dues
from finance.models import FundEntry
from meetings.models import Vote
from members.models import Category, Person
from tests.activities.factories import ActivityFactory, HeadCountFactory, ParticipationFactory
from tests.factories import PersonFactory, UserFactory
from tests.finance.factories import AidFundFactory

pytestmark = pytest.mark.django_db

DB_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
PURE_SETTINGS = settings(max_examples=200, deadline=None)


class Rollback(Exception):
    pass


def in_savepoint(fn):
    """Run one hypothesis example in a savepoint that is rolled back: examples don't see each other."""
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass


# --- votes ------------------------------------------------------------------------------------------


@st.composite
def votes(draw):
    entitled = draw(st.integers(1, 200))
    present = draw(st.integers(0, entitled))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return entitled, present, yes, no, abstain


@PURE_SETTINGS
@given(votes())
def test_a_vote_passes_exactly_when_more_than_half_are_present_and_more_than_half_say_yes(v):
    entitled, present, yes, no, abstain = v
    vote = Vote(entitled=entitled, present=present, yes=yes, no=no, abstain=abstain)
    half = Fraction(entitled, 2)
    assert vote.quorum == (present > half)
    assert vote.passed == (present > half and yes > half)


@PURE_SETTINGS
@given(votes())
def test_one_more_yes_never_makes_a_vote_fail(v):
    entitled, present, yes, no, abstain = v
    assume(yes + no + abstain < present)
    before = Vote(entitled=entitled, present=present, yes=yes, no=no, abstain=abstain).passed
    after = Vote(entitled=entitled, present=present, yes=yes + 1, no=no, abstain=abstain).passed
    assert after or not before


# --- periods ----------------------------------------------------------------------------------------

years = st.integers(1900, 2199)
# Periods within the dates a school's records may carry (core.dates: 1900-01-01 to 2100-12-31).
days = st.dates(date(1901, 1, 1), date(2099, 12, 31))


@st.composite
def any_period(draw):
    kind = draw(st.sampled_from(["year", "academic", "semester", "quarter", "month", "custom"]))
    y = draw(st.integers(1901, 2099))
    if kind == "year":
        return periods.calendar_year(y)
    if kind == "academic":
        return periods.academic_year(y)
    if kind == "semester":
        return periods.semester(y, draw(st.sampled_from(["autumn", "spring"])))
    if kind == "quarter":
        return periods.quarter(y, draw(st.integers(1, 4)))
    if kind == "month":
        return periods.month(y, draw(st.integers(1, 12)))
    a, b = sorted([draw(days), draw(days)])
    return periods.custom(a, b)


@PURE_SETTINGS
@given(any_period())
def test_a_period_reads_back_from_its_key(p):
    assert Period.parse(p.key) == p


@PURE_SETTINGS
@given(st.text(max_size=40))
def test_any_text_parses_to_some_period(text):
    """A query string can hold anything: parsing never raises and always gives a sane period."""
    p = Period.parse(text, today=date(2026, 11, 25))
    assert p.start <= p.end


@PURE_SETTINGS
@given(days)
def test_every_day_lies_in_exactly_one_semester_or_in_august(day):
    candidates = [
        periods.semester(day.year - 1, "autumn"),
        periods.semester(day.year, "spring"),
        periods.semester(day.year, "autumn"),
    ]
    holding = [s for s in candidates if day in s]
    if day.month == 8:
        assert holding == []
        # Reports in August use the spring semester that just ended.
        assert periods.semester_containing(day) == periods.semester(day.year, "spring")
    else:
        assert len(holding) == 1
        assert periods.semester_containing(day) == holding[0]
    assert day in periods.academic_year_containing(day)


@PURE_SETTINGS
@given(years)
def test_the_quarters_partition_the_year(y):
    year = periods.calendar_year(y)
    quarters = year.quarters()
    assert len(quarters) == 4
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for a, b in zip(quarters, quarters[1:], strict=False):
        assert a.end + timedelta(days=1) == b.start
    assert sum(q.days for q in quarters) == year.days
    assert [(y, m) for q in quarters for (y, m) in q.months()] == year.months()


@PURE_SETTINGS
@given(years)
def test_an_academic_year_is_two_semesters_and_august(y):
    ay = periods.academic_year(y)
    sems = ay.semesters()
    assert [s.key for s in sems] == [f"semester:{y}-autumn", f"semester:{y + 1}-spring"]
    august = periods.month(y + 1, 8)
    assert sum(s.days for s in sems) + august.days == ay.days


@PURE_SETTINGS
@given(any_period())
def test_the_previous_period_comes_just_before(p):
    prev = p.previous()
    assert prev.kind == p.kind
    if p.kind == "semester":
        assert prev.end < p.start and prev.start.month in (2, 9)
    else:
        assert prev.end + timedelta(days=1) == p.start
    if p.kind == "custom":
        assert prev.days == p.days


# --- dues -------------------------------------------------------------------------------------------

pay = st.decimals(min_value=0, max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False)


def dues_by_hand(kind: str, basis: str, base_pay: Decimal) -> Decimal:
    """DESIGN §2 written again: each bracket's upper bound included; rounded to the fen, half up."""
    if basis == "student":
        return Decimal("0.20")
    if kind == "party" and basis == "retired":
        rate = Decimal("0.005") if base_pay <= 5000 else Decimal("0.01")
    elif kind == "party":
        if base_pay <= 3000:
            rate = Decimal("0.005")
        elif base_pay <= 5000:
            rate = Decimal("0.01")
        elif base_pay <= 10000:
            rate = Decimal("0.015")
        else:
            rate = Decimal("0.02")
    else:
        rate = Decimal("0.005") if base_pay <= 3000 else Decimal("0.01")
    return (base_pay * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


CASES = st.sampled_from([("party", "salaried"), ("party", "retired"), ("league", "salaried"), ("party", "student")])


@PURE_SETTINGS
@given(CASES, pay)
def test_dues_follow_the_brackets_in_exact_fen(case, base_pay):
    kind, basis = case
    amount = monthly_dues(kind=kind, basis=basis, base_pay=base_pay)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2
    assert amount == dues_by_hand(kind, basis, base_pay)


@PURE_SETTINGS
@given(CASES, pay, pay)
def test_more_pay_never_means_less_dues(case, a, b):
    kind, basis = case
    low, high = sorted([a, b])
    assert monthly_dues(kind=kind, basis=basis, base_pay=low) <= monthly_dues(kind=kind, basis=basis, base_pay=high)


@pytest.mark.parametrize(
    ("basis", "pay_", "due"),
    [
        ("salaried", "3000.00", "15.00"),
        ("salaried", "3000.01", "30.00"),
        ("salaried", "5000.00", "50.00"),
        ("salaried", "5000.01", "75.00"),
        ("salaried", "10000.00", "150.00"),
        ("salaried", "10000.01", "200.00"),
        ("retired", "5000.00", "25.00"),
        ("retired", "5000.01", "50.00"),
    ],
)
def test_party_dues_at_the_bracket_boundaries(basis, pay_, due):
    assert monthly_dues(kind="party", basis=basis, base_pay=Decimal(pay_)) == Decimal(due)


# --- activities: person-times and hours -------------------------------------------------------------

hours = st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("99.9"), places=1))


@st.composite
def activity_plans(draw):
    return [
        {
            "service_hours": draw(st.decimals(min_value=0, max_value=Decimal("24"), places=1)),
            "named": draw(st.lists(hours, max_size=5)),
            "heads": draw(st.lists(st.tuples(st.integers(1, 500), hours), max_size=3)),
        }
        for _ in range(draw(st.integers(1, 3)))
    ]


def _by_hand(plan) -> tuple[int, Decimal]:
    times = len(plan["named"]) + sum(n for n, _h in plan["heads"])
    total = sum((h if h is not None else plan["service_hours"] for h in plan["named"]), Decimal("0"))
    total += sum((n * (h if h is not None else plan["service_hours"]) for n, h in plan["heads"]), Decimal("0"))
    return times, total


@DB_SETTINGS
@given(activity_plans())
def test_person_times_and_hours_are_the_sum_of_their_parts(orgs, plans):
    people = [PersonFactory(organization=orgs.class1, name=f"学生{i}", category=Category.STUDENT) for i in range(5)]

    def example():
        made = []
        for plan in plans:
            activity = ActivityFactory(organization=orgs.class1, service_hours=plan["service_hours"])
            for person, h in zip(people, plan["named"], strict=False):
                ParticipationFactory(activity=activity, person=person, hours=h)
            # One head count per class and activity (a unique constraint): up to three classes.
            for (n, h), org in zip(plan["heads"], [orgs.class2, orgs.class1, orgs.league], strict=False):
                HeadCountFactory(activity=activity, organization=org, count=n, hours_per_head=h)
            made.append((activity, plan))
        qs = activity_selectors.Activity.objects.filter(pk__in=[a.pk for a, _p in made])
        per_activity = activity_selectors.grouped_totals(qs, "pk")
        grand_times, grand_hours = 0, Decimal("0")
        for activity, plan in made:
            times, total = _by_hand(plan)
            got = per_activity.get(activity.pk, activity_selectors.Totals())
            assert (got.person_times, got.hours) == (times, total)
            grand_times, grand_hours = grand_times + times, grand_hours + total
        rows = list(qs.with_live_totals())
        assert [a.person_times for a in rows] == [a.live_person_times for a in rows]  # stored = computed
        assert [a.total_hours for a in rows] == [a.live_hours for a in rows]
        assert sum(a.person_times for a in rows) == grand_times
        assert sum((a.total_hours for a in rows), Decimal("0")) == grand_hours
        year = activity_selectors.Activity.objects.started_in(periods.calendar_year(2026))
        whole = activity_selectors.grand_total(year.organized_within(orgs.class1))
        assert (whole.activities, whole.person_times, whole.hours) == (len(made), grand_times, grand_hours)

    in_savepoint(example)


# --- pinyin search ----------------------------------------------------------------------------------

names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
)


@DB_SETTINGS
@given(names)
def test_a_person_is_found_by_their_name_full_pinyin_and_initials(orgs, name):
    def example():
        person = PersonFactory(organization=orgs.group1, name=name)
        full = "".join(lazy_pinyin(name))
        spaced = " ".join(lazy_pinyin(name))
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
        for text in (name, full, full.upper(), spaced, initials, full[: max(1, len(full) - 1)]):
            assert Person.objects.search(text).filter(pk=person.pk).exists(), f"{name}: not found by {text!r}"

    in_savepoint(example)


# --- the aid fund never goes below zero -------------------------------------------------------------

TODAY = date(2026, 11, 25)
START = date(2026, 1, 1)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
op = st.one_of(
    st.tuples(st.just("donate"), money, st.integers(0, 300)),
    st.tuples(st.just("grant"), money, st.integers(0, 300)),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.integers(0, 300)),
)


def _available_by_hand(entries: list[tuple[date, Decimal]], on: date) -> Decimal:
    """The most that may leave the fund on `on`: the lowest running balance on `on` and every later day."""
    balance_on = sum((a for d, a in entries if d <= on), Decimal("0"))
    lowest = balance_on
    for day in sorted({d for d, _a in entries if d > on}):
        lowest = min(lowest, sum((a for d, a in entries if d <= day), Decimal("0")))
    return lowest


@DB_SETTINGS
@given(st.lists(op, min_size=1, max_size=12))
def test_the_aid_fund_never_goes_below_zero(orgs, monkeypatch, ops):
    monkeypatch.setattr(fund_services.timezone, "localdate", lambda: TODAY)
    user = UserFactory(username="treasurer")
    student = PersonFactory(organization=orgs.class1, name="李明", category=Category.STUDENT)

    def example():
        fund = AidFundFactory(organization=orgs.league, started_on=START)
        booked: list[FundEntry] = []
        for kind, x, offset in ops:
            on = START + timedelta(days=offset)
            entries = [(e.entry_date, e.amount) for e in FundEntry.objects.filter(fund=fund)]
            try:
                if kind == "donate":
                    booked.append(
                        fund_services.fund_donation_record(fund=fund, amount=x, on=on, by=user, donor_name="校友")
                    )
                elif kind == "grant":
                    should = x <= _available_by_hand(entries, on)
                    fund_services.fund_grant_record(
                        fund=fund, recipient=student, amount=x, on=on, reason="助学", approved_by="校团委", by=user
                    )
                    assert should, f"grant of {x} on {on} accepted beyond the available money"
                else:
                    if not booked:
                        continue
                    target = booked[x % len(booked)]
                    fund_services.fund_entry_reverse(entry=target, on=on, reason="录入错误", by=user)
            except ValidationError:
                if kind == "grant":
                    assert not should, f"grant of {x} on {on} refused although {entries} cover it"
            rows = list(FundEntry.objects.filter(fund=fund).order_by("entry_date", "pk"))
            running = Decimal("0")
            for day in sorted({r.entry_date for r in rows}):
                running = sum((r.amount for r in rows if r.entry_date <= day), Decimal("0"))
                assert running >= 0, f"balance {running} on {day}"
            assert fund_services.fund_balance(fund=fund) == running

    in_savepoint(example)
