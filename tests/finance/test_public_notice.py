"""What the aid fund tells about the students it helps (docs/privacy.md): the public notice shows a masked name,
the date and the amount, never the class or the hardship reason; on the ledger and in its Excel file a
recipient is named only for those who record grants."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.finance.factories import StudentFactory

pytestmark = pytest.mark.django_db

REASON = "孤儿，由祖父母抚养"


@pytest.fixture
def aided(orgs, donate, grant):
    donate("2000.00", on=date(2024, 1, 5))
    deng = StudentFactory(name="邓小梅", organization=orgs.class1)
    grant("800.00", on=date(2024, 3, 10), recipient=deng, reason=REASON)
    grant("300.00", on=date(2024, 4, 2), recipient=StudentFactory(name="邓林", organization=orgs.class2))
    return deng


def test_notice_shows_a_masked_name_the_date_and_the_amount_only(client_for, admin_user, fund, orgs, aided):
    html = client_for(admin_user).get(reverse("finance:notice", args=[fund.pk]) + "?year=2024").content.decode()
    assert "邓某某" in html and "邓某" in html
    assert "2024-03-10" in html and "800.00" in html
    assert "邓小梅" not in html and "邓林" not in html
    assert REASON not in html
    assert orgs.class1.name not in html and orgs.class2.name not in html


@pytest.mark.parametrize("who", ["viewer", "party_secretary"])
def test_who_only_views_the_fund_reads_recipients_masked_on_the_ledger_and_in_its_file(
    request, who, client_for, fund, orgs, aided
):
    c = client_for(request.getfixturevalue(who))
    html = c.get(reverse("finance:ledger", args=[fund.pk]) + "?period=all").content.decode()
    assert "邓某某" in html
    assert "邓小梅" not in html and REASON not in html and orgs.class1.name not in html
    # Searching by the name or the reason does not single the grant out either.
    assert (
        "800.00"
        not in c.get(reverse("finance:ledger", args=[fund.pk]), {"period": "all", "q": "邓小梅"}).content.decode()
    )
    assert (
        "800.00"
        not in c.get(reverse("finance:ledger", args=[fund.pk]), {"period": "all", "q": "孤儿"}).content.decode()
    )
    ws = load_workbook(BytesIO(c.get(reverse("finance:ledger_export", args=[fund.pk]) + "?period=all").content))
    rows = list(ws.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["校友会", "邓某某", "邓某"]
    assert all(REASON not in str(r[5] or "") for r in rows)
    # Nor the records behind the summary's "aid grants" figure.
    html = c.get(reverse("reports:drilldown", args=["fund.grants"]), {"org": orgs.school.pk, "period": "year:2024"})
    assert "邓某某" in html.content.decode() and "邓小梅" not in html.content.decode()


def test_who_records_grants_reads_the_names_on_the_ledger_but_not_on_the_notice(
    client_for, league_secretary, fund, aided
):
    c = client_for(league_secretary)
    notice = c.get(reverse("finance:notice", args=[fund.pk]) + "?year=2024").content.decode()
    assert "邓某某" in notice and "邓小梅" not in notice and REASON not in notice
    html = c.get(reverse("finance:ledger", args=[fund.pk]) + "?period=all").content.decode()
    assert "邓小梅" in html and REASON in html
    ws = load_workbook(BytesIO(c.get(reverse("finance:ledger_export", args=[fund.pk]) + "?period=all").content))
    rows = list(ws.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert rows[1][2] == "邓小梅" and rows[1][5] == REASON
