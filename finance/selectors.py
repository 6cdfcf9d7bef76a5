"""Reads of the fund and dues books. Each selector owns its joins and runs a fixed number of queries.

Figures for the reports (`reports` calls these for a period and an organization subtree):
- `fund_figures(organization=..., period=...)` → `FundFigures`: raised, granted, grants, recipients in
  the period; balance at the period's end; raised, granted and recipients since each fund began.
- `dues_collected(organization=..., period=..., kind=None)` → Decimal: dues received (by payment date)
  in the period by the organizations of the subtree, net of reversals.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.periods import Period, calendar_year
from branches.permissions import access, scope
from core.due import DueItem
from members.models import PARTY_MEMBER_STATUSES
from members.models.people import in_league_q

from .dues import add_months, format_yuan, month_start, to_fen
from .models import AidFund, DuesAccount, DuesKind, DuesPayment, EntryKind, FundEntry, live_payments

ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """An aggregate as an exact two-place Decimal. (SQLite sums decimals as floats; Django rounds them
    to 15 digits, which this brings back to the fen. PostgreSQL sums numerics exactly.)"""
    return to_fen(value) if value is not None else ZERO


WARN_MONTHS = 3
ALARM_MONTHS = 6

# A donation and the reversal of a donation; a grant and the reversal of a grant.
RAISED_Q = Q(kind=EntryKind.DONATION) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.DONATION)
GRANTED_Q = Q(kind=EntryKind.GRANT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.GRANT)
# Grants that stand (not reversed).
LIVE_GRANT_Q = Q(kind=EntryKind.GRANT, reversal__isnull=True)


# --- aid fund ---------------------------------------------------------------------------------------


def funds_for(user):
    return scope(user, AidFund.objects.select_related("organization"))


def _totals(qs) -> dict:
    agg = qs.aggregate(
        raised=Sum("amount", filter=RAISED_Q),
        granted=Sum("amount", filter=GRANTED_Q),
        balance=Sum("amount"),
        grants=Count("pk", filter=LIVE_GRANT_Q),
        recipients=Count("recipient", filter=LIVE_GRANT_Q, distinct=True),
    )
    return {
        "raised": money(agg["raised"]),
        "granted": -money(agg["granted"]),
        "balance": money(agg["balance"]),
        "grants": agg["grants"],
        "recipients": agg["recipients"],
    }


def fund_summary(fund: AidFund) -> dict:
    """Since the fund began: raised, granted, balance, grants, distinct recipients (one query)."""
    return _totals(FundEntry.objects.filter(fund=fund))


def fund_summaries(funds: list[AidFund]) -> dict[int, dict]:
    """`fund_summary` for several funds in one query, by fund pk."""
    rows = (
        FundEntry.objects.filter(fund__in=funds)
        .values("fund")
        .annotate(
            raised=Sum("amount", filter=RAISED_Q),
            granted=Sum("amount", filter=GRANTED_Q),
            balance=Sum("amount"),
            grants=Count("pk", filter=LIVE_GRANT_Q),
            recipients=Count("recipient", filter=LIVE_GRANT_Q, distinct=True),
        )
    )
    empty = {"raised": ZERO, "granted": ZERO, "balance": ZERO, "grants": 0, "recipients": 0}
    out = {f.pk: dict(empty) for f in funds}
    for r in rows:
        out[r["fund"]] = {
            "raised": money(r["raised"]),
            "granted": -money(r["granted"]),
            "balance": money(r["balance"]),
            "grants": r["grants"],
            "recipients": r["recipients"],
        }
    return out


def fund_years(fund: AidFund) -> list[dict]:
    """Totals per calendar year, newest first (one query)."""
    rows = (
        FundEntry.objects.filter(fund=fund)
        .annotate(year=ExtractYear("entry_date"))
        .values("year")
        .annotate(
            raised=Sum("amount", filter=RAISED_Q),
            granted=Sum("amount", filter=GRANTED_Q),
            net=Sum("amount"),
            grants=Count("pk", filter=LIVE_GRANT_Q),
            recipients=Count("recipient", filter=LIVE_GRANT_Q, distinct=True),
        )
        .order_by("year")
    )
    out, balance = [], ZERO
    for r in rows:
        balance += money(r["net"])
        out.append(
            {
                "year": r["year"],
                "raised": money(r["raised"]),
                "granted": -money(r["granted"]),
                "grants": r["grants"],
                "recipients": r["recipients"],
                "balance": balance,
            }
        )
    return out[::-1]


def ledger_entries(
    fund: AidFund, period: Period | None = None, search: str = "", newest_first: bool = True, *, names: bool = True
):
    """The fund's entries with what the ledger shows of them, newest first by default. Without `names`
    (`finance.access.can_see_recipients`) the search does not look at recipients' names and grants'
    reasons, which such a reader is not shown."""
    qs = FundEntry.objects.filter(fund=fund).select_related(
        "donor", "recipient", "recipient__organization", "drive", "reverses", "reversal"
    )
    if period is not None:
        qs = qs.filter(entry_date__gte=period.start, entry_date__lte=period.end)
    if search:
        found = Q(donor__name__icontains=search) | Q(donor_name__icontains=search)
        found |= Q(receipt_number__icontains=search)
        if names:
            found |= Q(recipient__name__icontains=search) | Q(reason__icontains=search)
        else:
            found |= Q(reason__icontains=search) & ~Q(kind=EntryKind.GRANT)
        qs = qs.filter(found)
    return qs.order_by("-entry_date", "-pk") if newest_first else qs.order_by("entry_date", "pk")


def with_running_balance(fund: AidFund, rows: list[FundEntry]) -> list[FundEntry]:
    """Set `.balance` (the balance after the entry) on consecutive ledger rows, in either order: one
    aggregate for the balance at the row that comes first in time, then one pass. Rows must be a
    contiguous slice of the ledger (no search filter)."""
    if not rows:
        return rows
    newest_first = len(rows) > 1 and (rows[0].entry_date, rows[0].pk) > (rows[-1].entry_date, rows[-1].pk)
    anchor = rows[0]
    if newest_first:
        # The balance after the newest row on the page: everything up to and including it.
        upto = Q(entry_date__lt=anchor.entry_date) | Q(entry_date=anchor.entry_date, pk__lte=anchor.pk)
    else:
        upto = Q(entry_date__lt=anchor.entry_date) | Q(entry_date=anchor.entry_date, pk__lt=anchor.pk)
    running = money(FundEntry.objects.filter(fund=fund).filter(upto).aggregate(total=Sum("amount"))["total"])
    for row in rows:
        if newest_first:
            row.balance = running
            running -= row.amount
        else:
            running += row.amount
            row.balance = running
    return rows


def ledger_export_rows(fund: AidFund, period: Period | None = None, *, names: bool = True):
    """The ledger oldest first as export rows (date, kind, donor / recipient, drive, receipt, reason or
    note, amount, balance after the entry): one aggregate for the balance carried into the period, then
    the entries read in chunks as tuples, the balance kept along the way. Without `names`
    (`finance.access.can_see_recipients`) a grant's recipient is masked ("邓某某") and its reason left out."""
    qs = FundEntry.objects.filter(fund=fund)
    carried = ZERO
    if period is not None:
        carried = money(qs.filter(entry_date__lt=period.start).aggregate(t=Sum("amount"))["t"])
        qs = qs.filter(entry_date__gte=period.start, entry_date__lte=period.end)
    kinds = {k: str(label) for k, label in EntryKind.choices}
    columns = ("entry_date", "kind", "donor__name", "donor_name", "recipient__name", "drive__title")
    rows = qs.order_by("entry_date", "pk").values_list(*columns, "receipt_number", "reason", "note", "amount")
    balance = carried
    for day, kind, donor, donor_name, recipient, drive, receipt, reason, note, amount in rows.iterator(2000):
        amount = money(amount)
        balance += amount
        detail = reason or note
        if kind == EntryKind.GRANT:
            party = (recipient or "") if names else mask_name(recipient)
            detail = detail if names else ""
        elif kind == EntryKind.DONATION:
            party = donor or donor_name
        else:
            party = ""
        yield [day, kinds.get(kind, kind), party, drive or "", receipt, detail, amount, balance]


class NoticeRow(NamedTuple):
    """One line of the public notice, with what is shown already worked out (the notice lists every
    donation and grant of the year: plain tuples, not model instances with four related rows each)."""

    entry_date: date
    amount: Decimal  # signed, as booked
    name: str  # donor; for a grant the recipient's name, masked
    drive: str
    shown: str  # the amount without sign, formatted in yuan


def notice_rows(fund: AidFund, year: int) -> dict:
    """The public notice (公示) for a calendar year: donations and grants that stand (reversed ones and
    the reversals themselves are left out), and the totals. A grant shows only what the notice needs
    (docs/privacy.md): the date, the recipient's masked name and the amount — never the class or the
    hardship reason, which are not even read. Two queries."""
    qs = (
        FundEntry.objects.filter(fund=fund, entry_date__year=year, reversal__isnull=True)
        .exclude(kind=EntryKind.REVERSAL)
        .order_by("entry_date", "pk")
        .values_list(
            "kind",
            "entry_date",
            "amount",
            "donor__name",
            "donor_name",
            "drive__title",
            "recipient_id",
            "recipient__name",
        )
    )
    donations, grants, recipients = [], [], set()
    for kind, day, amount, donor, donor_name, drive, rid, recipient in qs:
        amount = money(amount)
        if kind == EntryKind.DONATION:
            donations.append(NoticeRow(day, amount, donor or donor_name, drive or "", format_yuan(amount)))
        else:
            recipients.add(rid)
            grants.append(NoticeRow(day, amount, mask_name(recipient), "", format_yuan(-amount)))
    return {
        "donations": donations,
        "grants": grants,
        "raised": sum((e.amount for e in donations), ZERO),
        "granted": -sum((e.amount for e in grants), ZERO),
        "recipients": len(recipients),
        "balance_end": money(
            FundEntry.objects.filter(fund=fund, entry_date__year__lte=year).aggregate(t=Sum("amount"))["t"]
        ),
    }


# Two-character surnames: their bearer keeps both characters ("欧阳某某"), as on any notice board.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 司徒 司空 夏侯 轩辕 宇文 澹台 端木 南宫 独孤 西门 "
    "呼延 万俟 闻人 赫连 申屠 太史 公羊 钟离 宗政 濮阳 淳于 单于 拓跋 百里 东郭 第五".split()
)


def mask_name(name) -> str:
    """A recipient's name for a public notice or a reader who may not know who was aided: the surname,
    then 某某 (邓小平 → 邓某某, 欧阳小明 → 欧阳某某) — 某 for a one-character given name (邓林 → 邓某). Nothing
    of the given name is kept."""
    name = str(name or "").strip()
    if not name:
        return ""
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname + ("某" if len(name) - len(surname) <= 1 else "某某")


@dataclass
class FundFigures:
    raised: Decimal = ZERO
    granted: Decimal = ZERO
    grants: int = 0
    recipients: int = 0
    balance_end: Decimal = ZERO
    raised_total: Decimal = ZERO
    granted_total: Decimal = ZERO
    recipients_total: int = 0
    funds: list = field(default_factory=list)


def fund_figures(*, organization: Organization, period: Period) -> FundFigures:
    """The aid fund figures of the annual summary for the funds held in `organization`'s subtree:
    raised, granted (net of reversals), grants and distinct recipients in the period; the balance at
    the period's end; raised, granted and distinct recipients from each fund's start to the period's
    end. Three queries."""
    funds = list(AidFund.objects.filter(organization__path__startswith=organization.path))
    base = FundEntry.objects.filter(fund__in=funds)
    in_period = _totals(base.filter(entry_date__gte=period.start, entry_date__lte=period.end))
    to_end = _totals(base.filter(entry_date__lte=period.end))
    return FundFigures(
        raised=in_period["raised"],
        granted=in_period["granted"],
        grants=in_period["grants"],
        recipients=in_period["recipients"],
        balance_end=to_end["balance"],
        raised_total=to_end["raised"],
        granted_total=to_end["granted"],
        recipients_total=to_end["recipients"],
        funds=funds,
    )


# --- dues -------------------------------------------------------------------------------------------


def owes_dues_q(kind: str, prefix: str = "") -> Q:
    """The people (reached through `prefix`) who owe `kind` dues now, active ones only: Party dues, the
    probationary and full members; League dues, the League members by their League membership whatever their
    Party status, except Party members, who pay Party dues only (`finance.dues.owes_league_dues`)."""
    party = Q(**{f"{prefix}political_status__in": list(PARTY_MEMBER_STATUSES)})
    owes = party if kind == DuesKind.PARTY else in_league_q(prefix=prefix) & ~party
    return Q(**{f"{prefix}is_active": True}) & owes


def payer_q(prefix: str = "person__") -> Q:
    """Accounts whose member owes that kind of dues now (`owes_dues_q`)."""
    return Q(owes_dues_q(DuesKind.PARTY, prefix), kind=DuesKind.PARTY) | Q(
        owes_dues_q(DuesKind.LEAGUE, prefix), kind=DuesKind.LEAGUE
    )


def accounts_for(user, organization: Organization | None = None, kind: str = "", search: str = ""):
    qs = scope(user, DuesAccount.objects.select_related("person", "organization")).filter(payer_q())
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if kind in DuesKind.values:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(person__name__icontains=search) | Q(person__pinyin__startswith=search.lower()))
    return qs.order_by("organization__path", "person__pinyin", "kind")


def year_grid(accounts: list[DuesAccount], year: int, today: date) -> list[dict]:
    """For a page of accounts: the twelve months of `year`, each paid (the payment), owed and unpaid,
    or not owed. One query for the payments."""
    months = [date(year, m, 1) for m in range(1, 13)]
    payments = DuesPayment.objects.filter(
        account__in=accounts, month__year=year, reverses__isnull=True, reversal__isnull=True
    )
    paid = defaultdict(dict)
    for p in payments:
        paid[p.account_id][p.month] = p
    rows = []
    for a in accounts:
        cells = []
        for m in months:
            owed = m >= a.starts_on and (a.ends_on is None or m <= a.ends_on)
            payment = paid[a.pk].get(m)
            state = "paid" if payment else ("owed" if owed and m <= month_start(today) else "none")
            if owed and not payment and m < month_start(today):
                state = "unpaid"
            cells.append({"month": m, "state": state, "payment": payment})
        rows.append({"account": a, "cells": cells, "due": a.monthly_due(), "paid_total": sum_paid(paid[a.pk])})
    return rows


def sum_paid(by_month: dict) -> Decimal:
    return sum((p.amount for p in by_month.values()), ZERO)


@dataclass
class Arrears:
    account_id: int
    unpaid: int
    owed_months: int
    last_paid: date | None
    starts_on: date
    account: DuesAccount | None = None

    @classmethod
    def of(cls, account: DuesAccount) -> "Arrears":
        """The row of an account from `arrears_queryset` (annotated with `unpaid` and `owed`)."""
        return cls(account.pk, account.unpaid, account.owed, account.last_paid, account.starts_on, account)

    @property
    def severity(self) -> str:
        if self.unpaid >= ALARM_MONTHS:
            return "danger"
        if self.unpaid >= WARN_MONTHS:
            return "warning"
        return "info"

    @property
    def first_unpaid_estimate(self) -> date:
        if self.last_paid and self.last_paid >= self.starts_on:
            return add_months(self.last_paid, 1)
        return self.starts_on

    @property
    def amount(self) -> Decimal | None:
        due = self.account.monthly_due() if self.account else None
        return None if due is None else due * self.unpaid


def _month_index(expression) -> Cast:
    """A date's month as one integer (year × 12 + month), in SQL on PostgreSQL and SQLite alike."""
    return Cast(ExtractYear(expression) * 12 + ExtractMonth(expression), IntegerField())


def arrears_queryset(accounts_qs, today: date, minimum: int = 1):
    """The accounts of `accounts_qs` with at least `minimum` owed months before the current one left
    unpaid, worst first (then by organization, name), annotated with `unpaid` and `owed`. All in SQL:

    - the months owed are those from the first month owed (`starts_on`) to the month before the current
      one, or to the last month owed (`ends_on`) if earlier;
    - a month is paid when it has a payment that is neither reversed nor itself a reversal;
    - unpaid = months owed without such a payment. `DuesAccount.paid_through` (the end of the unbroken
      run of paid months from the first owed) is indexed: the months up to it are paid, so only the
      accounts whose run stops at least `minimum` months before the current one are candidates, and
      only their payments after `paid_through` (after a gap, or paid ahead) are counted, on the
      (account, month) index.

    The page counts and slices this queryset: nothing is computed in Python for the accounts not shown."""
    minimum = max(1, minimum)
    last_month = add_months(month_start(today), -1)
    last_index = last_month.year * 12 + last_month.month
    end_index = Case(
        When(ends_on__lt=last_month, then=_month_index("ends_on")),
        default=Value(last_index),
        output_field=IntegerField(),
    )
    owed = end_index - _month_index("starts_on") + 1
    after_run = (
        live_payments()
        .filter(account=OuterRef("pk"), month__gt=OuterRef("paid_through"), month__lte=last_month)
        .filter(month__lte=Coalesce(OuterRef("ends_on"), Value(last_month)))
        .order_by()
        .values("account")
        .annotate(n=Count("month", distinct=True))
        .values("n")
    )
    unpaid = end_index - _month_index("paid_through") - Coalesce(Subquery(after_run), Value(0))
    return (
        accounts_qs.filter(starts_on__lte=last_month, paid_through__lte=add_months(last_month, -minimum))
        .annotate(unpaid=unpaid, owed=owed)
        .filter(unpaid__gte=minimum)
        .order_by("-unpaid", "organization__path", "person__pinyin", "pk")
    )


def arrears(accounts_qs, today: date, minimum: int = 1) -> list[Arrears]:
    """Every account with at least `minimum` owed months before the current one left unpaid, worst
    first (see `arrears_queryset`). One query, accounts with person and organization loaded."""
    return [Arrears.of(a) for a in arrears_queryset(accounts_qs, today, minimum)]


def arrears_counts(accounts_qs, today: date) -> tuple[int, int]:
    """(members 3–5 months behind, members 6+ months behind): one query."""
    agg = (
        arrears_queryset(accounts_qs, today, WARN_MONTHS)
        .order_by()
        .aggregate(behind=Count("pk"), alarm=Count("pk", filter=Q(unpaid__gte=ALARM_MONTHS)))
    )
    return agg["behind"] - agg["alarm"], agg["alarm"]


def due_items(user, today: date) -> list[DueItem]:
    """The Due list: members 3+ months behind with dues (warning), 6+ months (danger), in the
    organizations the user may view. Three queries (two for access, one here)."""
    if not access(user).has_any_access:
        return []
    url = reverse("finance:arrears")
    items = []
    for r in arrears(accounts_for(user), today, minimum=WARN_MONTHS):
        items.append(
            DueItem(
                category=_("Dues arrears"),
                title=_("%(name)s: %(kind)s unpaid for %(n)s months")
                % {"name": r.account.person.name, "kind": r.account.get_kind_display(), "n": r.unpaid},
                due_on=r.first_unpaid_estimate,
                url=url,
                organization=r.account.organization.name,
                severity=r.severity,
            )
        )
    return items


def dues_collected(*, organization: Organization, period: Period, kind: str | None = None) -> Decimal:
    """Dues received (by payment date) in the period by the organizations of the subtree, net of
    reversals. One query."""
    qs = DuesPayment.objects.filter(
        organization__path__startswith=organization.path, paid_on__gte=period.start, paid_on__lte=period.end
    )
    if kind:
        qs = qs.filter(account__kind=kind)
    return money(qs.aggregate(t=Sum("amount"))["t"])


def dues_totals(user, period: Period) -> list[dict]:
    """Dues collected in the period per collecting organization and kind, for the organizations the
    user may view. Two queries: the sums grouped on ids only (no text in the sort of a year's payments),
    then the names of the few organizations found."""
    rows = list(
        scope(user, DuesPayment.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end))
        .values("organization_id", "account__kind")
        .annotate(total=Sum("amount"), members=Count("account", distinct=True))
        .order_by()
    )
    orgs = Organization.objects.filter(pk__in={r["organization_id"] for r in rows}).values_list("pk", "name", "path")
    names = {pk: (name, path) for pk, name, path in orgs} if rows else {}
    labels = dict(DuesKind.choices)
    out = [
        {
            **r,
            "organization__name": names[r["organization_id"]][0],
            "organization__path": names[r["organization_id"]][1],
            "total": money(r["total"]),
            "kind_label": str(labels.get(r["account__kind"], "")),
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: (r["organization__path"], r["account__kind"]))


def dues_year_totals(user, year: int) -> list[dict]:
    """`dues_totals` for a calendar year."""
    return dues_totals(user, calendar_year(year))


def drives_with_totals(fund: AidFund, search: str = ""):
    """The fund's drives, newest first, with the money each raised (net of reversals) and donations."""
    qs = fund.drives.annotate(
        raised=Sum("entries__amount", filter=Q(entries__kind__in=[EntryKind.DONATION, EntryKind.REVERSAL])),
        donations=Count("entries", filter=Q(entries__kind=EntryKind.DONATION, entries__reversal__isnull=True)),
    )
    if search:
        qs = qs.filter(title__icontains=search)
    return qs.order_by("-starts_on", "pk")


def missing_accounts(organization: Organization) -> int:
    """How many current payers in the subtree have no dues account yet (one query)."""
    from .services import payers

    n = 0
    for kind in DuesKind.values:
        n += (
            payers(kind)
            .filter(organization__path__startswith=organization.path)
            .exclude(dues_accounts__kind=kind)
            .count()
        )
    return n


EXPORT_COLUMNS = (
    "paid_on",
    "account__person__name",
    "organization__name",
    "account__kind",
    "month",
    "amount",
    "payer_name",
    "batch",
    "note",
)


def payments_for_export(user, period: Period):
    """The dues payments received in the period by the organizations the user may view, as tuples of
    `EXPORT_COLUMNS` read in chunks (no model instances, nothing held for the whole period)."""
    qs = scope(user, DuesPayment.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end))
    return qs.order_by("paid_on", "organization__path", "pk").values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
