"""Dues accounts, payments, reversals, arrears and the collected totals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches.periods import calendar_year
from finance import selectors, services
from finance.models import DuesAccount, DuesBasis, DuesKind, DuesPayment
from members.models import Category, PoliticalStatus
from tests.factories import PersonFactory
from tests.finance.factories import DuesAccountFactory, StudentFactory

pytestmark = pytest.mark.django_db
D = Decimal


def pay(account, months, user, paid_on=date(2025, 1, 10), **kw):
    return services.dues_payment_record(account=account, months=months, paid_on=paid_on, by=user, **kw)


@pytest.fixture
def account(orgs):
    person = PersonFactory(name="王建国", organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
    return DuesAccountFactory(person=person, base_pay=D("3000.01"), starts_on=date(2024, 1, 1))


def test_several_months_paid_at_once_at_the_amount_due(account, admin_user):
    rows = pay(account, [date(2024, 1, 1), date(2024, 2, 15), date(2024, 3, 1)], admin_user)
    assert [r.month for r in rows] == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert {r.amount for r in rows} == {D("30.00")}
    assert len({r.batch for r in rows}) == 1
    assert rows[0].organization == account.organization


def test_paid_by_someone_else_is_kept(account, admin_user):
    (row,) = pay(account, [date(2024, 1, 1)], admin_user, payer_name="王建国之妻")
    assert row.payer_name == "王建国之妻"


def test_a_month_cannot_be_paid_twice(account, admin_user):
    pay(account, [date(2024, 1, 1)], admin_user)
    with pytest.raises(ValidationError) as exc:
        pay(account, [date(2024, 1, 1), date(2024, 2, 1)], admin_user)
    assert exc.value.code == "already_paid"
    assert DuesPayment.objects.count() == 1


def test_months_before_the_member_owed_are_refused(account, admin_user):
    with pytest.raises(ValidationError):
        pay(account, [date(2023, 12, 1)], admin_user)


def test_staff_without_base_pay_cannot_pay_until_it_is_entered(account, admin_user):
    account.base_pay = None
    account.save()
    with pytest.raises(ValidationError) as exc:
        pay(account, [date(2024, 1, 1)], admin_user)
    assert exc.value.code == "no_base"


def test_reversal_makes_the_month_unpaid_again(account, admin_user):
    (row,) = pay(account, [date(2024, 1, 1)], admin_user)
    rev = services.dues_payment_reverse(payment=row, on=date(2025, 1, 11), reason="误记", by=admin_user)
    assert rev.amount == D("-30.00") and rev.reverses == row
    assert services.paid_months(account=account) == set()
    pay(account, [date(2024, 1, 1)], admin_user)  # and can be paid again
    with pytest.raises(ValidationError):
        services.dues_payment_reverse(payment=row, on=date(2025, 1, 11), reason="again", by=admin_user)
    with pytest.raises(ValidationError):
        row.delete()


def test_arrears_count_across_the_new_year(account, admin_user):
    account.starts_on = date(2026, 6, 1)
    account.save()
    pay(account, [date(2026, m, 1) for m in (6, 7, 8, 9, 10)], admin_user, paid_on=date(2026, 10, 5))
    # On 2027-02-10: November, December and January are owed and unpaid (February is not due yet).
    (row,) = selectors.arrears(DuesAccount.objects.all(), date(2027, 2, 10))
    assert row.unpaid == 3
    assert row.severity == "warning"
    assert row.last_paid == date(2026, 10, 1)
    assert row.first_unpaid_estimate == date(2026, 11, 1)
    assert row.amount == D("90.00")
    (row,) = selectors.arrears(DuesAccount.objects.all(), date(2027, 5, 1))
    assert row.unpaid == 6 and row.severity == "danger"


def test_no_arrears_for_a_member_who_paid_up_or_left(account, admin_user, orgs):
    pay(account, [date(2024, m, 1) for m in range(1, 13)], admin_user)
    assert selectors.arrears(DuesAccount.objects.all(), date(2025, 1, 20)) == []
    # A member who left the Party (status changed) owes nothing any more.
    gone = DuesAccountFactory(
        person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.MASSES),
        starts_on=date(2024, 1, 1),
    )
    accounts = DuesAccount.objects.filter(selectors.payer_q())
    assert gone not in accounts
    assert selectors.arrears(accounts, date(2025, 1, 20)) == []


def test_reversed_payments_count_as_unpaid_in_arrears(account, admin_user):
    rows = pay(account, [date(2024, m, 1) for m in range(1, 13)], admin_user)
    services.dues_payment_reverse(payment=rows[0], on=date(2025, 1, 11), reason="误记", by=admin_user)
    (row,) = selectors.arrears(DuesAccount.objects.all(), date(2025, 1, 20), minimum=1)
    assert row.unpaid == 1


def test_probationary_member_owes_from_admission(orgs):
    person = PersonFactory(
        organization=orgs.group1, political_status=PoliticalStatus.PROBATIONARY, status_since=date(2026, 5, 20)
    )
    assert services.dues_accounts_ensure(organization=orgs.general, today=date(2026, 11, 1)) == 1
    account = DuesAccount.objects.get(person=person)
    assert account.kind == DuesKind.PARTY
    assert account.starts_on == date(2026, 5, 1)
    assert account.basis == DuesBasis.SALARIED and account.monthly_due() is None


def test_accounts_opened_for_league_members_students_and_young_teachers(orgs):
    s = StudentFactory(organization=orgs.class1)
    t = PersonFactory(
        organization=orgs.group1,
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        category=Category.TEACHER,
        league_joined_on=date(2016, 5, 4),
    )
    PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.MASSES)
    assert services.dues_accounts_ensure(organization=orgs.school, today=date(2026, 11, 1)) == 2
    assert services.dues_accounts_ensure(organization=orgs.school, today=date(2026, 11, 1)) == 0
    student_account = DuesAccount.objects.get(person=s)
    assert student_account.organization == orgs.class1 and student_account.monthly_due() == D("0.20")
    # A young teacher's League dues go to the League committee.
    assert DuesAccount.objects.get(person=t).organization == orgs.league


def test_dues_collected_for_a_period_and_subtree(account, admin_user, orgs):
    pay(account, [date(2024, 1, 1), date(2024, 2, 1)], admin_user, paid_on=date(2024, 2, 5))
    rows = pay(account, [date(2024, 3, 1)], admin_user, paid_on=date(2025, 1, 5))
    services.dues_payment_reverse(payment=rows[0], on=date(2025, 1, 6), reason="误记", by=admin_user)
    assert selectors.dues_collected(organization=orgs.general, period=calendar_year(2024)) == D("60.00")
    assert selectors.dues_collected(organization=orgs.general, period=calendar_year(2025)) == D("0.00")
    assert selectors.dues_collected(organization=orgs.league, period=calendar_year(2024)) == D("0.00")
    assert selectors.dues_collected(organization=orgs.school, period=calendar_year(2024), kind="league") == D("0.00")


def test_due_items_warn_at_three_and_alarm_at_six_months(orgs, account, party_secretary, outsider):
    other = DuesAccountFactory(
        person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
        starts_on=date(2026, 5, 1),
    )
    today = date(2026, 8, 15)  # `account` owes since 2024-01, `other` since 2026-05 (3 months)
    items = selectors.due_items(party_secretary, today)
    by_sev = {i.severity: i for i in items}
    assert set(by_sev) == {"danger", "warning"}
    assert other.person.name in by_sev["warning"].title
    assert selectors.due_items(outsider, today) == []  # the Second branch sees nothing of the First


def test_due_items_run_a_fixed_number_of_queries(orgs, party_secretary, django_assert_num_queries):
    for n in (2, 20):
        for _ in range(n):
            DuesAccountFactory(
                person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
            )
        party_secretary._partyleague_access = None
        del party_secretary._partyleague_access
        with django_assert_num_queries(3):  # two for access, one for the arrears (in SQL)
            items = selectors.due_items(party_secretary, date(2026, 8, 15))
        assert len(items) >= n


def test_dues_totals_per_organization_and_kind_in_the_period(account, admin_user, orgs):
    from branches.periods import custom

    student = DuesAccountFactory(
        person=StudentFactory(organization=orgs.class1),
        kind=DuesKind.LEAGUE,
        organization=orgs.class1,
        basis=DuesBasis.STUDENT,
        base_pay=None,
    )
    pay(account, [date(2024, 1, 1), date(2024, 2, 1)], admin_user, paid_on=date(2024, 2, 5))
    pay(account, [date(2024, 3, 1)], admin_user, paid_on=date(2024, 3, 31))
    pay(student, [date(2024, m, 1) for m in range(1, 7)], admin_user, paid_on=date(2024, 3, 1))
    pay(student, [date(2024, 7, 1)], admin_user, paid_on=date(2024, 4, 1))  # after the period
    rows = selectors.dues_totals(admin_user, custom(date(2024, 2, 1), date(2024, 3, 31)))
    got = [(r["organization__name"], r["account__kind"], r["members"], r["total"]) for r in rows]
    expected = [
        (orgs.group1.path, (orgs.group1.name, "party", 1, D("90.00"))),  # 30.00 × 3 months: Feb and Mar receipts
        (orgs.class1.path, (orgs.class1.name, "league", 1, D("1.20"))),  # six months at 0.20, one receipt
    ]
    assert got == [row for _path, row in sorted(expected)]  # in tree order; each member counted once
    assert rows[0]["kind_label"] in ("Party dues", "League dues")
