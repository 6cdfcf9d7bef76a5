"""The dues rules of DESIGN §2 as a pure function (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from finance.dues import add_months, month_count, monthly_dues, months_between

D = Decimal


@pytest.mark.parametrize(
    ("base", "due"),
    [
        ("0.00", "0.00"),
        ("1234.50", "6.17"),  # 6.1725 → 6.17
        ("2999.00", "15.00"),  # 14.995 → 15.00: half up, not half even
        ("3000.00", "15.00"),
        ("3000.01", "30.00"),
        ("4999.99", "50.00"),
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),
        ("9999.99", "150.00"),
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),
        ("12345.67", "246.91"),
    ],
)
def test_party_dues_brackets_at_their_boundaries(base, due):
    assert monthly_dues(kind="party", basis="salaried", base_pay=D(base)) == D(due)


@pytest.mark.parametrize(
    ("base", "due"),
    [("3000.00", "15.00"), ("5000.00", "25.00"), ("5000.01", "50.00"), ("8000.00", "80.00")],
)
def test_retirees_pay_half_a_percent_up_to_5000_then_one_percent(base, due):
    assert monthly_dues(kind="party", basis="retired", base_pay=D(base)) == D(due)


def test_students_pay_twenty_fen_whatever_the_kind():
    assert monthly_dues(kind="party", basis="student", base_pay=None) == D("0.20")
    assert monthly_dues(kind="league", basis="student", base_pay=D("9999")) == D("0.20")


@pytest.mark.parametrize(("base", "due"), [("3000.00", "15.00"), ("3000.01", "30.00"), ("6000.00", "60.00")])
def test_teachers_league_dues(base, due):
    assert monthly_dues(kind="league", basis="salaried", base_pay=D(base)) == D(due)


def test_missing_base_pay_gives_no_amount_rather_than_a_guess():
    assert monthly_dues(kind="party", basis="salaried", base_pay=None) is None


def test_rounding_is_half_up_to_the_fen():
    # 2,999.00 × 0.5 % = 14.995: banker's rounding would give 14.99.
    assert monthly_dues(kind="party", basis="salaried", base_pay=D("2999.00")) == D("15.00")
    assert monthly_dues(kind="party", basis="salaried", base_pay=D("2998.99")) == D("14.99")


def test_result_is_an_exact_decimal_with_two_places():
    due = monthly_dues(kind="party", basis="salaried", base_pay=D("7777.77"))
    assert isinstance(due, Decimal)
    assert due.as_tuple().exponent == -2


def test_floats_are_refused():
    with pytest.raises(TypeError):
        monthly_dues(kind="party", basis="salaried", base_pay=3000.0)


def test_month_arithmetic_crosses_the_new_year():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2027, 1, 1), -1) == date(2026, 12, 1)
    assert month_count(date(2026, 10, 1), date(2027, 1, 31)) == 4
    assert months_between(date(2026, 12, 15), date(2027, 2, 1)) == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert month_count(date(2027, 2, 1), date(2027, 1, 1)) == 0
