"""The finance pages: who may see and change what, the happy paths, and query budgets."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from branches.periods import academic_year_containing
from finance import services
from finance.models import DuesAccount, DuesPayment, EntryKind, FundEntry
from members.models import PoliticalStatus
from tests.factories import PersonFactory
from tests.finance.factories import DriveFactory, DuesAccountFactory, StudentFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def entry(donate):
    return donate("1000.00")


@pytest.fixture
def dues_account(orgs):
    person = PersonFactory(name="王建国", organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
    return DuesAccountFactory(person=person, base_pay=D("6543.21"), starts_on=date(2024, 1, 1))


@pytest.fixture
def payment(dues_account, admin_user):
    return services.dues_payment_record(
        account=dues_account, months=[date(2024, 1, 1)], paid_on=date(2024, 1, 5), by=admin_user
    )[0]


FUND_VIEW = ["ledger", "ledger_export", "notice", "drives"]
FUND_EDIT = ["donation_create", "grant_create", "drive_create"]


def _fund_urls(fund, names):
    return [reverse(f"finance:{n}", args=[fund.pk]) for n in names]


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "class_secretary", "branch_secretary"])
def test_fund_pages_are_hidden_from_those_who_cannot_view_the_league_committee(request, who, client_for, fund, entry):
    client = client_for(request.getfixturevalue(who))
    drive = DriveFactory(fund=fund)
    urls = _fund_urls(fund, FUND_VIEW + FUND_EDIT) + [
        reverse("finance:entry_reverse", args=[entry.pk]),
        reverse("finance:drive_edit", args=[fund.pk, drive.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("finance:donation_create", args=[fund.pk]), {}).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "party_secretary"])
def test_viewers_see_the_fund_but_record_nothing(request, who, client_for, fund, entry):
    client = client_for(request.getfixturevalue(who))
    for url in _fund_urls(fund, FUND_VIEW):
        assert client.get(url).status_code == 200, url
    for url in _fund_urls(fund, FUND_EDIT) + [reverse("finance:entry_reverse", args=[entry.pk])]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"on": "2024-05-01", "amount": "1", "donor_name": "x"}).status_code == 403, url
    page = client.get(reverse("finance:ledger", args=[fund.pk])).content.decode()
    assert reverse("finance:donation_create", args=[fund.pk]) not in page
    assert FundEntry.objects.count() == 1


def test_no_edit_or_delete_urls_exist_for_entries(entry):
    from finance import urls

    names = {p.name for p in urls.urlpatterns}
    assert not any(("delete" in n or "edit" in n) and ("entry" in n or "payment" in n) for n in names)


@pytest.mark.parametrize("who", ["outsider", "class_secretary"])
def test_dues_pages_of_the_first_branch_are_hidden_from_others(request, who, client_for, orgs, dues_account, payment):
    client = client_for(request.getfixturevalue(who))
    urls = [
        reverse("finance:dues_org", args=[orgs.group1.pk]),
        reverse("finance:payment", args=[dues_account.pk]),
        reverse("finance:account_edit", args=[dues_account.pk]),
        reverse("finance:payment_reverse", args=[payment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("finance:dues_setup", args=[orgs.group1.pk])).status_code == 404


def test_dues_viewer_sees_the_grid_without_base_pay_and_changes_nothing(
    client_for, viewer, orgs, dues_account, payment
):
    client = client_for(viewer)
    page = client.get(reverse("finance:dues_org", args=[orgs.group1.pk]))
    assert page.status_code == 200
    assert "王建国" in page.content.decode()
    assert "6,543.21" not in page.content.decode()
    for url in [
        reverse("finance:payment", args=[dues_account.pk]),
        reverse("finance:account_edit", args=[dues_account.pk]),
        reverse("finance:payment_reverse", args=[payment.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("finance:dues_setup", args=[orgs.group1.pk])).status_code == 403


def test_branch_secretary_sees_base_pay_of_own_members(client_for, branch_secretary, orgs, dues_account):
    page = client_for(branch_secretary).get(reverse("finance:dues_org", args=[orgs.group1.pk]))
    assert "6,543.21" in page.content.decode()


@pytest.mark.parametrize("name", ["index", "arrears", "arrears_export", "dues_export"])
def test_overview_pages_need_some_role(client_for, norole_user, name):
    assert client_for(norole_user).get(reverse(f"finance:{name}")).status_code == 403


def test_accounts_without_a_role_see_no_finance_page(client_for, norole_user, orgs, fund, entry, dues_account, payment):
    client = client_for(norole_user)
    urls = _fund_urls(fund, FUND_VIEW + FUND_EDIT) + [
        reverse("finance:entry_reverse", args=[entry.pk]),
        reverse("finance:dues_org", args=[orgs.group1.pk]),
        reverse("finance:payment", args=[dues_account.pk]),
        reverse("finance:payment_reverse", args=[payment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (403, 404), url


def test_outsider_overview_and_arrears_do_not_show_the_first_branch(client_for, outsider, fund, entry, dues_account):
    client = client_for(outsider)
    index = client.get(reverse("finance:index")).content.decode()
    assert fund.name not in index
    arrears = client.get(reverse("finance:arrears")).content.decode()
    assert "王建国" not in arrears


# --- happy paths ------------------------------------------------------------------------------------


def test_league_secretary_records_a_donation(client_for, league_secretary, fund, student):
    today = timezone.localdate().isoformat()
    response = client_for(league_secretary).post(
        reverse("finance:donation_create", args=[fund.pk]),
        {"on": today, "amount": "1234.56", "donor_name": "城南校友会", "receipt_number": "No.0012"},
    )
    assert response.status_code == 302
    entry = FundEntry.objects.get()
    assert entry.amount == D("1234.56") and entry.recorded_by == league_secretary
    assert entry.history.first().history_user == league_secretary


def test_grant_over_the_balance_is_refused_on_the_form(client_for, league_secretary, fund, student, donate):
    donate("100.00")
    response = client_for(league_secretary).post(
        reverse("finance:grant_create", args=[fund.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "recipient": student.pk,
            "amount": "100.01",
            "reason": "家庭困难",
            "approved_by": "校团委会议",
        },
    )
    assert response.status_code == 200
    assert "more than the fund holds" in response.content.decode()
    assert not FundEntry.objects.filter(kind=EntryKind.GRANT).exists()


def test_grant_refusal_is_in_chinese_for_chinese_users(client_for, league_secretary, fund, student, donate):
    donate("100.00")
    client = client_for(league_secretary)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        reverse("finance:grant_create", args=[fund.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "recipient": student.pk,
            "amount": "500",
            "reason": "r",
            "approved_by": "a",
        },
    )
    assert "余额不足" in response.content.decode()


def test_reversal_through_the_page(client_for, league_secretary, fund, entry):
    client = client_for(league_secretary)
    response = client.post(
        reverse("finance:entry_reverse", args=[entry.pk]),
        {"on": timezone.localdate().isoformat(), "reason": "录入错误"},
    )
    assert response.status_code == 302
    assert FundEntry.objects.get(kind=EntryKind.REVERSAL).reverses == entry
    page = client.get(reverse("finance:ledger", args=[fund.pk])).content.decode()
    assert reverse("finance:entry_reverse", args=[entry.pk]) not in page  # nothing left to reverse


def test_ledger_shows_running_balance_and_yearly_totals(client_for, league_secretary, fund, donate, grant):
    donate("100.10", on=date(2024, 1, 1))
    donate("0.20", on=date(2024, 1, 2))
    grant("50.00", on=date(2024, 1, 3))
    client = client_for(league_secretary)
    page = client.get(reverse("finance:ledger", args=[fund.pk]) + "?period=all").content.decode()
    assert "100.30" in page and "50.30" in page
    page = client.get(reverse("finance:ledger", args=[fund.pk]) + "?period=year:2024").content.decode()
    assert "100.30" in page and "50.30" in page
    page = client.get(reverse("finance:ledger", args=[fund.pk]) + "?period=year:2023").content.decode()
    assert "2024-01-03" not in page


def test_public_notice_masks_recipients(client_for, viewer, fund, donate, grant, orgs):
    donate("500.00", on=date(2024, 1, 1), donor_name="陈明静")
    grant("100.00", on=date(2024, 2, 1))  # 张小伟
    grant("100.00", on=date(2024, 2, 2), recipient=StudentFactory(name="李娜", organization=orgs.class2))
    page = client_for(viewer).get(reverse("finance:notice", args=[fund.pk]) + "?year=2024").content.decode()
    assert "张某某" in page and "李某" in page
    assert "张小伟" not in page and "李娜" not in page
    assert "陈明静" in page  # donors are thanked by name
    assert "notice.css" in page


def test_ledger_export_is_exact(client_for, viewer, fund, donate):
    donate("0.10", on=date(2024, 1, 1))
    donate("0.20", on=date(2024, 1, 2))
    response = client_for(viewer).get(reverse("finance:ledger_export", args=[fund.pk]) + "?period=all")
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    assert str(ws.cell(row=3, column=8).value) in ("0.3", "0.30")


def test_ledger_export_of_a_period_carries_the_balance_in(client_for, viewer, fund, donate, grant, student):
    donate("100.00", on=date(2023, 12, 30))  # before the period: only in the balance carried in
    donate("50.00", on=date(2024, 1, 2), donor_name="=HYPERLINK(1)")
    grant("30.00", on=date(2024, 2, 1))
    response = client_for(viewer).get(reverse("finance:ledger_export", args=[fund.pk]) + "?period=year:2024")
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 2
    assert rows[0][2] == "'=HYPERLINK(1)"  # shown, never evaluated
    assert [str(r[6]) for r in rows] == ["50", "-30"]
    assert [str(r[7]) for r in rows] == ["150", "120"]  # the balance after each entry, 100 carried in
    assert rows[1][2] == "张某某" and rows[1][1] == "Grant"  # the viewer does not learn who was aided


def test_dues_export_defaults_to_the_academic_year_and_takes_a_period(client_for, party_secretary, dues_account):
    today = timezone.localdate()
    this_year = academic_year_containing(today)
    last_year = this_year.previous()
    services.dues_payment_record(
        account=dues_account, months=[date(2024, 1, 1)], paid_on=last_year.start, by=party_secretary
    )
    services.dues_payment_record(
        account=dues_account, months=[date(2024, 2, 1)], paid_on=this_year.start, by=party_secretary
    )
    client = client_for(party_secretary)

    def months(query=""):
        response = client.get(reverse("finance:dues_export") + query)
        ws = load_workbook(BytesIO(response.content)).worksheets[0]
        return [row[4].value for row in ws.iter_rows(min_row=2)]

    assert months() == ["2024-02"]  # not the whole history
    assert months(f"?period={last_year.key}") == ["2024-01"]
    assert months(f"?year={last_year.start.year}") == (["2024-01"] if last_year.start.year != today.year else [])


def test_branch_secretary_records_payment_for_several_months(client_for, branch_secretary, dues_account):
    response = client_for(branch_secretary).post(
        reverse("finance:payment", args=[dues_account.pk]),
        {"months": ["2024-01-01", "2024-02-01"], "paid_on": "2024-02-05", "payer_name": "配偶代交"},
    )
    assert response.status_code == 302
    assert list(DuesPayment.objects.values_list("amount", flat=True)) == [D("98.15"), D("98.15")]


def test_account_edit_keeps_base_pay(client_for, branch_secretary, dues_account):
    response = client_for(branch_secretary).post(
        reverse("finance:account_edit", args=[dues_account.pk]),
        {"basis": "salaried", "base_pay": "3000.00", "starts_on": "2024-01-15", "record_version": dues_account.version},
    )
    assert response.status_code == 302
    dues_account.refresh_from_db()
    assert dues_account.base_pay == D("3000.00") and dues_account.starts_on == date(2024, 1, 1)
    assert dues_account.monthly_due() == D("15.00")


def test_dues_setup_opens_accounts(client_for, branch_secretary, orgs):
    PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
    response = client_for(branch_secretary).post(reverse("finance:dues_setup", args=[orgs.group1.pk]))
    assert response.status_code == 302
    assert DuesAccount.objects.count() == 1


def test_arrears_page_highlights_and_alarms(client_for, party_secretary, orgs):
    today = timezone.localdate()
    DuesAccountFactory(
        person=PersonFactory(name="欠六月", organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
        starts_on=date(today.year - 2, 1, 1),
    )
    with translation.override("en"):
        page = client_for(party_secretary).get(reverse("finance:arrears")).content.decode()
    assert "欠六月" in page and "table-danger" in page


def test_dues_export(client_for, party_secretary, payment):
    response = client_for(party_secretary).get(reverse("finance:dues_export") + "?year=2024")
    wb = load_workbook(BytesIO(response.content))
    assert wb.worksheets[0].max_row == 2
    assert wb.worksheets[1].cell(row=2, column=4).value in (98.15, "98.15")


# --- query budgets ----------------------------------------------------------------------------------


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add_fund_rows(fund, student, user, n):
    for i in range(n):
        services.fund_donation_record(
            fund=fund, amount=D("10.00"), on=date(2024, 1, 1 + i % 28), donor_name=f"捐赠人{i}", by=user
        )
        if i % 3 == 0:
            services.fund_grant_record(
                fund=fund,
                recipient=student,
                amount=D("1.00"),
                on=date(2024, 2, 1),
                reason="r",
                approved_by="a",
                by=user,
            )


def test_fund_pages_query_counts_do_not_grow(client_for, league_secretary, fund, student, admin_user):
    client = client_for(league_secretary)
    urls = [
        reverse("finance:index"),
        reverse("finance:ledger", args=[fund.pk]) + "?period=all",
        reverse("finance:ledger", args=[fund.pk]) + "?period=year:2024&page=2",
        reverse("finance:ledger", args=[fund.pk]) + "?q=捐赠人",
        reverse("finance:notice", args=[fund.pk]) + "?year=2024",
        reverse("finance:drives", args=[fund.pk]),
        reverse("finance:ledger_export", args=[fund.pk]) + "?period=all",
    ]
    _add_fund_rows(fund, student, admin_user, 3)
    client.get(urls[0])  # warm the session
    small = [_count(client, u) for u in urls]
    _add_fund_rows(fund, student, admin_user, 90)
    large = [_count(client, u) for u in urls]
    assert small == large
    assert max(large) <= 12


def _add_accounts(orgs, user, n):
    for i in range(n):
        account = DuesAccountFactory(
            person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
            starts_on=date(2024, 1, 1),
        )
        if i % 2:
            services.dues_payment_record(account=account, months=[date(2024, 1, 1)], paid_on=date(2024, 1, 5), by=user)


def test_dues_pages_query_counts_do_not_grow(client_for, party_secretary, orgs, admin_user):
    client = client_for(party_secretary)
    urls = [
        reverse("finance:index"),
        reverse("finance:arrears"),
        reverse("finance:arrears") + "?all=1&kind=party",
        reverse("finance:dues_org", args=[orgs.group1.pk]) + "?year=2024",
        reverse("finance:dues_org", args=[orgs.general.pk]) + "?year=2024&page=2",
        reverse("finance:arrears_export"),
        reverse("finance:dues_export") + "?year=2024",
    ]
    _add_accounts(orgs, admin_user, 3)
    client.get(urls[0])
    small = [_count(client, u) for u in urls]
    _add_accounts(orgs, admin_user, 30)
    large = [_count(client, u) for u in urls]
    assert small == large
    assert max(large) <= 12


def test_payment_page_query_count_does_not_grow(client_for, branch_secretary, dues_account, admin_user):
    client = client_for(branch_secretary)
    url = reverse("finance:payment", args=[dues_account.pk])
    services.dues_payment_record(
        account=dues_account, months=[date(2024, 1, 1)], paid_on=date(2024, 1, 5), by=admin_user
    )
    client.get(url)
    small = _count(client, url)
    months = [date(2024, m, 1) for m in range(2, 13)]
    services.dues_payment_record(account=dues_account, months=months, paid_on=date(2024, 12, 5), by=admin_user)
    assert _count(client, url) == small


@pytest.mark.parametrize("who", ["viewer", "class_secretary", "outsider", "party_secretary"])
def test_only_league_side_editors_set_up_a_fund(request, who, client_for):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("finance:fund_create")).status_code == 403


def test_league_secretary_sets_up_the_fund(client_for, league_secretary, orgs):
    client = client_for(league_secretary)
    assert client.get(reverse("finance:fund_create")).status_code == 200
    response = client.post(
        reverse("finance:fund_create"),
        {"organization": orgs.league.pk, "name": "爱心助学基金", "started_on": "2020-09-01"},
    )
    assert response.status_code == 302
    assert client.get(reverse("finance:index")).content.decode().count("爱心助学基金") >= 1


def test_class_secretary_collects_league_dues_of_own_class_only(client_for, class_secretary, orgs, admin_user):
    mine = services.default_account(StudentFactory(organization=orgs.class1), "league", date(2024, 1, 1))
    mine.save()
    theirs = services.default_account(StudentFactory(organization=orgs.class2), "league", date(2024, 1, 1))
    theirs.save()
    client = client_for(class_secretary)
    response = client.post(
        reverse("finance:payment", args=[mine.pk]),
        {"months": ["2024-01-01", "2024-02-01", "2024-03-01"], "paid_on": "2024-03-05"},
    )
    assert response.status_code == 302
    assert sum(p.amount for p in DuesPayment.objects.filter(account=mine)) == D("0.60")
    assert client.get(reverse("finance:payment", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("finance:dues_org", args=[orgs.class2.pk])).status_code == 404
    assert client.get(reverse("finance:dues_org", args=[orgs.class1.pk])).status_code == 200


def test_payment_form_refuses_a_month_paid_twice(client_for, branch_secretary, dues_account, payment):
    response = client_for(branch_secretary).post(
        reverse("finance:payment", args=[dues_account.pk]), {"months": ["2024-01-01"], "paid_on": "2024-02-05"}
    )
    assert response.status_code == 200
    assert DuesPayment.objects.count() == 1


def test_payment_reversal_through_the_page(client_for, branch_secretary, dues_account, payment):
    response = client_for(branch_secretary).post(
        reverse("finance:payment_reverse", args=[payment.pk]),
        {"on": timezone.localdate().isoformat(), "reason": "误记"},
    )
    assert response.status_code == 302
    assert DuesPayment.objects.get(reverses=payment).amount == D("-98.15")


def test_grant_form_narrows_recipients_to_a_class(client_for, league_secretary, fund, orgs, student):
    other = StudentFactory(name="赵敏", organization=orgs.class2)
    client = client_for(league_secretary)

    def recipients(query=""):
        response = client.get(reverse("finance:grant_create", args=[fund.pk]) + query)
        return set(response.context["form"].fields["recipient"].queryset)

    # The choices that are valid (whatever the widget shows: a list or a search picker).
    assert recipients(f"?class={orgs.class2.pk}") == {other}
    assert {other, student} <= recipients()


def test_dues_export_memory_does_not_grow_with_its_rows(client_for, party_secretary, orgs, admin_user):
    """Rows are streamed into the workbook (write-only, tuples read in chunks): an export of 3,000
    payments allocates a few MB, not the ~20 MB that cells and model instances held in lists took."""
    import tracemalloc

    accounts = [
        DuesAccountFactory(
            person=PersonFactory(organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER),
            starts_on=date(2020, 1, 1),
        )
        for _ in range(25)
    ]
    DuesPayment.objects.bulk_create(
        [
            DuesPayment(
                account=a,
                organization=a.organization,
                month=date(2020 + m // 12, m % 12 + 1, 1),
                amount=D("60.00"),
                paid_on=date(2024, 1 + m % 12, 5),
                batch=f"B{a.pk}-{m}",
                note="按月缴纳",
            )
            for a in accounts
            for m in range(120)
        ]
    )
    client = client_for(party_secretary)
    url = reverse("finance:dues_export") + "?period=custom:2024-01-01..2024-12-31"
    client.get(url)
    tracemalloc.start()
    response = client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ws = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    assert sum(1 for _ in ws.iter_rows(min_row=2)) == 3000
    assert peak < 8 * 1024 * 1024, peak
