"""Arrears computed in SQL from `DuesAccount.paid_through`: the months due are exactly those of the rule
(owed months before the current one, paid = a live payment), at the boundaries, against a brute-force
reference over random histories, and the list page counts and slices in SQL with flat query counts."""

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance import selectors, services
from finance.dues import add_months, month_start, months_between
from finance.models import DuesAccount, DuesPayment, sync_standing
from members.models import PoliticalStatus
from tests.factories import PersonFactory
from tests.finance.factories import DuesAccountFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2025, 1, 20)  # the months due are 2024-12 and before


def pay(account, months, user, paid_on=date(2025, 1, 10)):
    return services.dues_payment_record(account=account, months=months, paid_on=paid_on, by=user)


def reverse_payment(row, user):
    return services.dues_payment_reverse(payment=row, on=date(2025, 1, 11), reason="误记", by=user)


@pytest.fixture
def account(orgs):
    person = PersonFactory(name="王建国", organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
    return DuesAccountFactory(person=person, base_pay=D("3000.01"), starts_on=date(2024, 1, 1))


def unpaid(today=TODAY, minimum=1):
    return {r.account_id: r.unpaid for r in selectors.arrears(DuesAccount.objects.all(), today, minimum=minimum)}


def reference_unpaid(account: DuesAccount, today: date) -> int:
    """The rule as it was computed before `paid_through` (every payment read): the owed months from the
    first owed to the month before `today`'s (or to the last owed), less the live payments among them."""
    last_month = add_months(month_start(today), -1)
    end = min(last_month, month_start(account.ends_on)) if account.ends_on else last_month
    owed = months_between(account.starts_on, end) if account.starts_on <= end else []
    live = DuesPayment.objects.filter(account=account, reverses__isnull=True, reversal__isnull=True)
    paid = {p.month for p in live if account.starts_on <= p.month <= last_month}
    return len(owed) - len(paid & set(owed))


# --- paid_through: kept by the services ------------------------------------------------------------


def test_a_new_account_is_paid_through_the_month_before_its_first(account):
    assert account.paid_through == date(2023, 12, 1) and account.last_paid is None


def test_payments_and_reversals_move_paid_through(account, admin_user):
    rows = pay(account, [date(2024, m, 1) for m in (1, 2, 3, 5)], admin_user)
    account.refresh_from_db()
    assert account.paid_through == date(2024, 3, 1)  # April is missing: the run stops at March
    assert account.last_paid == date(2024, 5, 1)
    pay(account, [date(2024, 4, 1)], admin_user)
    account.refresh_from_db()
    assert account.paid_through == date(2024, 5, 1)  # the gap filled: the run reaches May
    reverse_payment(rows[1], admin_user)  # February reversed
    account.refresh_from_db()
    assert account.paid_through == date(2024, 1, 1) and account.last_paid == date(2024, 5, 1)


def test_moving_the_first_month_owed_recomputes_paid_through(account, admin_user, client_for, branch_secretary):
    pay(account, [date(2024, m, 1) for m in range(1, 7)], admin_user)
    account.refresh_from_db()
    assert account.paid_through == date(2024, 6, 1)
    response = client_for(branch_secretary).post(
        reverse("finance:account_edit", args=[account.pk]),
        {"basis": "salaried", "base_pay": "3000.01", "starts_on": "2023-11-01", "record_version": account.version},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.paid_through == date(2023, 10, 1)  # November and December 2023 are now owed, unpaid
    assert unpaid()[account.pk] == 2 + 6  # 2023-11, 2023-12 and 2024-07..12


def test_sync_repairs_a_stale_standing(account, admin_user):
    pay(account, [date(2024, 1, 1), date(2024, 2, 1)], admin_user)
    DuesAccount.objects.filter(pk=account.pk).update(paid_through=date(2030, 1, 1), last_paid=None)
    assert sync_standing([account.pk]) == 1
    account.refresh_from_db()
    assert (account.paid_through, account.last_paid) == (date(2024, 2, 1), date(2024, 2, 1))
    assert sync_standing([account.pk]) == 0  # nothing left to change


# --- the months due, at the boundaries --------------------------------------------------------------


def test_the_current_month_is_not_yet_due(account, admin_user):
    pay(account, [date(2024, m, 1) for m in range(1, 13)], admin_user)
    assert unpaid() == {}  # January 2025 is the current month: not in arrears yet
    assert unpaid(date(2025, 2, 1)) == {account.pk: 1}  # on 1 February, January is due


def test_a_payment_covering_the_last_month_due_clears_it(account, admin_user):
    pay(account, [date(2024, m, 1) for m in range(1, 12)], admin_user)
    assert unpaid() == {account.pk: 1}  # December
    pay(account, [date(2024, 12, 1)], admin_user)
    assert unpaid() == {}


def test_a_missing_month_in_the_middle_is_unpaid(account, admin_user):
    pay(account, [date(2024, m, 1) for m in range(1, 13) if m != 6], admin_user)
    (row,) = selectors.arrears(DuesAccount.objects.all(), TODAY)
    assert row.unpaid == 1 and row.last_paid == date(2024, 12, 1)
    assert row.amount == D("30.00")
    assert unpaid(minimum=2) == {}


def test_the_first_month_owed_counts(account, admin_user):
    pay(account, [date(2024, m, 1) for m in range(2, 13)], admin_user)  # all but the first month
    assert unpaid() == {account.pk: 1}
    assert unpaid(date(2024, 1, 31)) == {}  # in its own month the first month is not due yet
    assert unpaid(date(2024, 2, 1)) == {account.pk: 1}


def test_nothing_paid_owes_every_month_from_the_first(account):
    assert unpaid() == {account.pk: 12}
    assert unpaid(date(2024, 1, 15)) == {}  # an account that starts this month owes nothing yet


def test_a_reversed_payment_leaves_its_month_unpaid_and_the_reversal_pays_nothing(account, admin_user):
    rows = pay(account, [date(2024, m, 1) for m in range(1, 13)], admin_user)
    reverse_payment(rows[11], admin_user)  # December
    reverse_payment(rows[4], admin_user)  # May
    assert unpaid() == {account.pk: 2}
    pay(account, [date(2024, 5, 1)], admin_user)  # May paid again
    assert unpaid() == {account.pk: 1}


def test_months_paid_ahead_do_not_cover_months_due(account, admin_user):
    pay(account, [date(2025, m, 1) for m in range(1, 7)], admin_user)  # the next six months, none due
    assert unpaid() == {account.pk: 12}
    (row,) = selectors.arrears(DuesAccount.objects.all(), TODAY)
    assert row.last_paid == date(2025, 6, 1)


def test_nothing_is_owed_after_the_last_month_owed(account, admin_user):
    account.ends_on = date(2024, 6, 1)
    account.save()
    pay(account, [date(2024, m, 1) for m in range(1, 5)], admin_user)
    assert unpaid() == {account.pk: 2}  # May and June; nothing after June
    (row,) = selectors.arrears(DuesAccount.objects.all(), TODAY)
    assert row.owed_months == 6


def test_the_minimum_and_the_order_worst_first(orgs, admin_user):
    def person(name):
        return PersonFactory(name=name, organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)

    two = DuesAccountFactory(person=person("乙"), starts_on=date(2024, 11, 1))
    seven = DuesAccountFactory(person=person("甲"), starts_on=date(2024, 6, 1))
    three = DuesAccountFactory(person=person("丙"), starts_on=date(2024, 1, 1))
    pay(three, [date(2024, m, 1) for m in range(1, 10)], admin_user)
    rows = selectors.arrears(DuesAccount.objects.all(), TODAY, minimum=1)
    assert [(r.account_id, r.unpaid) for r in rows] == [(seven.pk, 7), (three.pk, 3), (two.pk, 2)]
    assert [r.account_id for r in selectors.arrears(DuesAccount.objects.all(), TODAY, minimum=3)] == [
        seven.pk,
        three.pk,
    ]
    assert selectors.arrears_counts(DuesAccount.objects.all(), TODAY) == (1, 1)  # 3–5 months, 6+ months


def test_random_histories_match_the_rule_computed_from_every_payment(orgs, admin_user):
    rng = random.Random(8)
    accounts = []
    for _ in range(25):
        start = date(2023, rng.randint(1, 12), 1)
        ends = add_months(start, rng.randint(3, 30)) if rng.random() < 0.3 else None
        a = DuesAccountFactory(
            person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
            starts_on=start,
            ends_on=ends,
        )
        last = min(add_months(month_start(TODAY), 6), month_start(ends) if ends else date(2099, 1, 1))
        months = [m for m in months_between(start, last) if rng.random() < 0.8]
        rng.shuffle(months)
        for k in range(0, len(months), 4):  # several receipts, in any order
            rows = pay(a, months[k : k + 4], admin_user)
            if rng.random() < 0.2:
                reverse_payment(rows[0], admin_user)
        accounts.append(a)
    for today in (TODAY, date(2024, 3, 5), date(2025, 9, 1)):
        got = unpaid(today)
        expected = {a.pk: reference_unpaid(a, today) for a in accounts}
        assert got == {pk: n for pk, n in expected.items() if n >= 1}, today


# --- the page: counted and sliced in SQL, flat query counts ------------------------------------------


def _behind(orgs, n, months_behind=4):
    """`n` members in arrears by `months_behind` months as of today."""
    from django.utils import timezone

    start = add_months(month_start(timezone.localdate()), -months_behind)
    for _ in range(n):
        DuesAccountFactory(
            person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
            starts_on=start,
        )


def test_the_arrears_page_paginates_in_sql(client_for, party_secretary, orgs):
    _behind(orgs, 30)
    client = client_for(party_secretary)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("finance:arrears") + "?page=2")
    page = response.context["page_obj"]
    assert page.paginator.count == 30 and page.number == 2 and len(page.object_list) == 5
    sql = [q["sql"] for q in ctx.captured_queries if "finance_duesaccount" in q["sql"]]
    # Two reads of the accounts: the count, by the database, and the page's rows only.
    assert len(sql) == 2, sql
    assert sql[0].startswith("SELECT COUNT(")
    assert re.search(r"LIMIT \d+ OFFSET 25\b", sql[1])


def test_arrears_pages_query_counts_are_flat(client_for, party_secretary, orgs, django_assert_max_num_queries):
    client = client_for(party_secretary)
    urls = [
        reverse("finance:arrears"),
        reverse("finance:arrears") + "?all=1&kind=party&page=2",
        reverse("finance:arrears_export"),
        reverse("finance:index"),
    ]
    _behind(orgs, 3)
    client.get(urls[0])

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    small = counts()
    _behind(orgs, 40, months_behind=7)
    large = counts()
    assert small == large
    with django_assert_max_num_queries(9):
        client.get(urls[0])


def test_accounts_opened_in_bulk_owe_from_their_first_month(orgs):
    PersonFactory(
        organization=orgs.group1, political_status=PoliticalStatus.PROBATIONARY, status_since=date(2024, 9, 20)
    )
    assert services.dues_accounts_ensure(organization=orgs.general, today=TODAY) == 1
    account = DuesAccount.objects.get()
    assert account.paid_through == date(2024, 8, 1) and account.last_paid is None
    assert unpaid() == {account.pk: 4}  # September to December 2024
