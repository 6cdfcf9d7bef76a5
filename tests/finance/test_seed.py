"""The demo fund and dues: deterministic, the balance never below zero, some members in arrears."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db.models import Sum

from branches import seed as branches_seed
from branches.permissions import Role
from core.seeding import SeedContext
from finance import seed as finance_seed
from finance import selectors
from finance.models import AidFund, DuesAccount, DuesPayment, EntryKind, FundEntry
from members import seed as members_seed

pytestmark = pytest.mark.django_db


def _seed(today=date(2026, 11, 20)):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    ctx = SeedContext(rng=random.Random(2026), size="small", today=today)
    branches_seed.seed(ctx)
    members_seed.seed(ctx)
    finance_seed.seed(ctx)
    return ctx


def test_demo_fund_and_dues_are_realistic():
    ctx = _seed()
    fund = AidFund.objects.get()
    assert fund.organization == ctx.orgs["league"]
    running = Decimal("0.00")
    for day, total in FundEntry.objects.values_list("entry_date").annotate(t=Sum("amount")).order_by("entry_date"):
        running += selectors.money(total)
        assert running >= 0, day
    summary = selectors.fund_summary(fund)
    assert Decimal("30000") < summary["raised"] < Decimal("200000")
    assert summary["recipients"] > 50
    assert FundEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    assert not FundEntry.objects.filter(entry_date__gt=ctx.today).exists()
    assert DuesAccount.objects.count() > 50
    assert DuesPayment.objects.count() > 1000
    behind = selectors.arrears(DuesAccount.objects.all(), ctx.today, minimum=3)
    assert any(r.severity == "danger" for r in behind) or any(r.severity == "warning" for r in behind)
    assert len(behind) < DuesAccount.objects.count() / 5  # a few, not most


def test_demo_dues_accounts_have_their_standing_computed():
    """The seed inserts payments in bulk (no services): it must still leave every account's
    `paid_through` and `last_paid` as the payments say, or the arrears pages would be wrong."""
    from finance.models import live_months, standing

    _seed()
    for account in DuesAccount.objects.all():
        assert (account.paid_through, account.last_paid) == standing(account.starts_on, live_months(account.pk))
