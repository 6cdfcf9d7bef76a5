from datetime import date
from decimal import Decimal

import pytest

from finance import services
from tests.finance.factories import AidFundFactory, StudentFactory


@pytest.fixture
def fund(orgs):
    """The League committee's aid fund, begun 2020-01-01."""
    return AidFundFactory(organization=orgs.league)


@pytest.fixture
def student(orgs):
    return StudentFactory(name="张小伟", organization=orgs.class1)


@pytest.fixture
def donate(fund, admin_user):
    def _donate(amount, on=date(2024, 3, 1), **kw):
        kw.setdefault("donor_name", "校友会")
        return services.fund_donation_record(fund=fund, amount=Decimal(amount), on=on, by=admin_user, **kw)

    return _donate


@pytest.fixture
def grant(fund, student, admin_user):
    def _grant(amount, on=date(2024, 3, 10), recipient=None, **kw):
        return services.fund_grant_record(
            fund=fund,
            recipient=recipient or student,
            amount=Decimal(amount),
            on=on,
            reason=kw.pop("reason", "家庭困难"),
            approved_by=kw.pop("approved_by", "校团委会议"),
            by=admin_user,
            **kw,
        )

    return _grant
