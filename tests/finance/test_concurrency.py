"""Two secretaries recording grants at the same moment cannot both spend the same money: the fund row
is locked (SELECT … FOR UPDATE) for the check and the insert. Needs PostgreSQL (SQLite serialises
writers anyway and ignores FOR UPDATE)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from finance import services
from finance.models import EntryKind, FundEntry

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db
def test_grant_locks_the_fund_row(fund, donate, grant):
    donate("100.00")
    with CaptureQueriesContext(connection) as ctx:
        grant("10.00")
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in q["sql"] for q in ctx.captured_queries)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_cannot_overdraw(fund, student, admin_user, donate):
    donate("100.00")
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.fund_grant_record(
                fund=fund,
                recipient=student,
                amount=Decimal("60.00"),
                on=date(2024, 3, 10),
                reason="家庭困难",
                approved_by="校团委会议",
                by=admin_user,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert FundEntry.objects.filter(kind=EntryKind.GRANT).count() == 1
