"""The aid fund's money rules: the balance never goes below zero, entries are append-only, reversals
correct mistakes, and the figures the ledger and the reports show."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches.periods import calendar_year
from finance import selectors, services
from finance.models import EntryKind, FundEntry
from tests.factories import PersonFactory
from tests.finance.factories import DriveFactory, StudentFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_grant_within_balance_is_recorded(fund, donate, grant):
    donate("1000.00")
    entry = grant("600.00")
    assert entry.amount == D("-600.00")
    assert services.fund_balance(fund=fund) == D("400.00")


def test_grant_larger_than_balance_is_refused_with_a_clear_message(fund, donate, grant):
    donate("500.00")
    with pytest.raises(ValidationError) as exc:
        grant("500.01")
    assert exc.value.code == "insufficient_balance"
    assert "500.01" in exc.value.messages[0] and "500.00" in exc.value.messages[0]
    assert FundEntry.objects.filter(kind=EntryKind.GRANT).count() == 0


def test_grant_is_checked_against_the_balance_on_its_date(fund, donate, grant):
    donate("1000.00", on=date(2024, 6, 1))
    with pytest.raises(ValidationError):
        grant("100.00", on=date(2024, 5, 31))  # the money had not arrived yet
    grant("100.00", on=date(2024, 6, 1))


def test_back_dated_grant_cannot_overdraw_a_later_day(fund, donate, grant):
    donate("100.00", on=date(2024, 1, 1))
    grant("90.00", on=date(2024, 2, 1))
    donate("100.00", on=date(2024, 3, 1))
    # On 2024-01-15 the balance is 100 and the total today is 110, but a 50 grant then would leave
    # -40 on 2024-02-01.
    with pytest.raises(ValidationError):
        grant("50.00", on=date(2024, 1, 15))
    grant("10.00", on=date(2024, 1, 15))
    assert services.available_on(fund=fund, on=date(2024, 1, 15)) == D("0.00")


def test_decimal_sums_are_exact(fund, donate):
    donate("0.10")
    donate("0.20")
    assert services.fund_balance(fund=fund) == D("0.30")
    assert selectors.fund_summary(fund)["raised"] == D("0.30")
    for _ in range(10):
        donate("0.10")
    assert services.fund_balance(fund=fund) == D("1.30")


def test_amount_with_more_than_two_decimals_is_refused(donate):
    with pytest.raises(ValidationError):
        donate("1.005")


def test_entries_are_never_edited_or_deleted(donate):
    entry = donate("100.00")
    entry.amount = D("1000.00")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert FundEntry.objects.get(pk=entry.pk).amount == D("100.00")


def test_reversal_of_a_grant_returns_the_money_and_is_linked_and_audited(fund, donate, grant, admin_user):
    donate("1000.00")
    g = grant("300.00")
    rev = services.fund_entry_reverse(entry=g, on=date(2024, 4, 1), reason="发放对象有误", by=admin_user)
    assert rev.amount == D("300.00")
    assert rev.reverses == g
    assert services.fund_balance(fund=fund) == D("1000.00")
    assert rev.history.count() == 1
    summary = selectors.fund_summary(fund)
    assert summary["granted"] == D("0.00")
    assert summary["grants"] == 0
    assert summary["recipients"] == 0


def test_an_entry_is_reversed_only_once_and_reversals_are_not_reversed(donate, admin_user):
    d = donate("100.00")
    rev = services.fund_entry_reverse(entry=d, on=date(2024, 4, 1), reason="录入错误", by=admin_user)
    with pytest.raises(ValidationError):
        services.fund_entry_reverse(entry=d, on=date(2024, 4, 2), reason="again", by=admin_user)
    with pytest.raises(ValidationError):
        services.fund_entry_reverse(entry=rev, on=date(2024, 4, 2), reason="undo", by=admin_user)


def test_reversing_a_donation_that_was_already_spent_is_refused(fund, donate, grant, admin_user):
    d = donate("500.00")
    grant("400.00")
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=d, on=date(2024, 4, 1), reason="退回捐款", by=admin_user)
    assert exc.value.code == "insufficient_balance"
    assert services.fund_balance(fund=fund) == D("100.00")


def test_reversal_cannot_predate_the_entry(donate, admin_user):
    d = donate("100.00", on=date(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.fund_entry_reverse(entry=d, on=date(2024, 2, 1), reason="x", by=admin_user)


def test_grants_go_to_students_only(orgs, donate, grant):
    donate("100.00")
    teacher = PersonFactory(organization=orgs.group1)
    with pytest.raises(ValidationError):
        grant("10.00", recipient=teacher)


def test_donation_needs_a_donor(fund, admin_user):
    with pytest.raises(ValidationError):
        services.fund_donation_record(fund=fund, amount=D("10.00"), on=date(2024, 1, 1), by=admin_user)


def test_running_balance_on_a_page_of_the_ledger(fund, donate, grant):
    donate("100.00", on=date(2024, 1, 1))
    donate("50.50", on=date(2024, 1, 2))
    grant("20.25", on=date(2024, 1, 3))
    rows = list(selectors.ledger_entries(fund, newest_first=False))
    selectors.with_running_balance(fund, rows[1:])  # a later page: starts from the balance before it
    assert [r.balance for r in rows[1:]] == [D("150.50"), D("130.25")]
    newest = list(selectors.ledger_entries(fund))
    selectors.with_running_balance(fund, newest[1:])  # newest first, second page
    assert [r.balance for r in newest[1:]] == [D("150.50"), D("100.00")]
    selectors.with_running_balance(fund, newest)
    assert [r.balance for r in newest] == [D("130.25"), D("150.50"), D("100.00")]


def test_totals_per_year_and_distinct_recipients(orgs, fund, donate, grant):
    other = StudentFactory(name="李娜", organization=orgs.class2)
    donate("1000.00", on=date(2023, 5, 1))
    grant("100.00", on=date(2023, 6, 1))
    grant("100.00", on=date(2023, 12, 1))  # the same student twice
    donate("200.00", on=date(2024, 2, 1))
    grant("50.00", on=date(2024, 3, 1), recipient=other)
    years = {y["year"]: y for y in selectors.fund_years(fund)}
    assert years[2023]["raised"] == D("1000.00")
    assert years[2023]["granted"] == D("200.00")
    assert years[2023]["grants"] == 2 and years[2023]["recipients"] == 1
    assert years[2023]["balance"] == D("800.00")
    assert years[2024]["balance"] == D("950.00")
    assert selectors.fund_summary(fund)["recipients"] == 2
    assert selectors.fund_summaries([fund])[fund.pk] == selectors.fund_summary(fund)


def test_report_figures_for_a_period_and_subtree(orgs, fund, donate, grant):
    donate("1000.00", on=date(2023, 5, 1))
    grant("100.00", on=date(2023, 6, 1))
    donate("84506.30", on=date(2024, 2, 1))
    grant("300.00", on=date(2024, 3, 1))
    figures = selectors.fund_figures(organization=orgs.school, period=calendar_year(2024))
    assert figures.raised == D("84506.30")
    assert figures.granted == D("300.00")
    assert figures.grants == 1 and figures.recipients == 1
    assert figures.balance_end == D("85106.30")
    assert figures.raised_total == D("85506.30")
    assert figures.granted_total == D("400.00")
    # The Party side of the tree holds no fund.
    assert selectors.fund_figures(organization=orgs.general, period=calendar_year(2024)).raised == D("0.00")


def test_public_notice_leaves_out_reversed_entries(fund, donate, grant, admin_user):
    donate("1000.00")
    g = grant("100.00")
    services.fund_entry_reverse(entry=g, on=date(2024, 3, 11), reason="重复发放", by=admin_user)
    grant("80.00", on=date(2024, 3, 12))
    notice = selectors.notice_rows(fund, 2024)
    assert [e.amount for e in notice["grants"]] == [D("-80.00")]
    assert notice["granted"] == D("80.00")
    assert notice["balance_end"] == D("920.00")


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张某"), ("李", "李某"), ("张小伟", "张某某"), ("欧阳小明", "欧阳某某"), ("欧阳明", "欧阳某"), ("", "")],
)
def test_names_keep_only_the_surname(name, masked):
    assert selectors.mask_name(name) == masked


def test_drive_belongs_to_the_fund(fund, admin_user):
    other = DriveFactory()
    with pytest.raises(ValidationError):
        services.fund_donation_record(
            fund=fund, amount=D("1.00"), on=date(2024, 1, 1), by=admin_user, donor_name="x", drive=other
        )
