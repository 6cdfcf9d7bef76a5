"""Writes to the fund and the dues books. Every function is atomic; fund writes lock the fund row first
(`select_for_update`), so two grants recorded at the same moment cannot both spend the same money, and
dues writes lock the member's dues account."""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import LEAGUE_KINDS, Organization, OrgKind
from members.models import Category, Person

from .dues import add_months, month_start, to_fen
from .models import (
    AidFund,
    Drive,
    DuesAccount,
    DuesBasis,
    DuesKind,
    DuesPayment,
    EntryKind,
    FundEntry,
    sync_standing,
)
from .selectors import owes_dues_q

# --- aid fund ---------------------------------------------------------------------------------------


def _positive(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal")
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Amounts are in yuan with at most two decimals."), code="amount_places")
    return amount


def _lock_fund(fund: AidFund) -> AidFund:
    return AidFund.objects.select_for_update().get(pk=fund.pk)


def fund_balance(*, fund: AidFund, on: date | None = None) -> Decimal:
    """The balance after every entry dated on or before `on` (all entries if None)."""
    qs = FundEntry.objects.filter(fund=fund)
    if on is not None:
        qs = qs.filter(entry_date__lte=on)
    return to_fen(qs.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"))


def available_on(*, fund: AidFund, on: date) -> Decimal:
    """The most that can leave the fund on `on` without the balance going below zero on that day or
    any later day already booked (a back-dated grant must not overdraw the months after it)."""
    daily = (
        FundEntry.objects.filter(fund=fund)
        .values_list("entry_date")
        .annotate(total=Sum("amount"))
        .order_by("entry_date")
    )
    running, lowest = Decimal("0.00"), None
    for day, total in daily:
        if day > on and lowest is None:
            lowest = running  # the balance as of `on` itself
        running += to_fen(total)
        if day > on:
            lowest = min(lowest, running)
    return running if lowest is None else lowest


def _check_outflow(fund: AidFund, amount: Decimal, on: date):
    available = available_on(fund=fund, on=on)
    if amount > available:
        raise ValidationError(
            _(
                "Refused: %(amount)s yuan is more than the fund holds (%(available)s yuan available on "
                "%(date)s and after)."
            )
            % {"amount": amount, "available": available, "date": on.isoformat()},
            code="insufficient_balance",
        )


def _check_date(fund: AidFund, on: date):
    if on < fund.started_on:
        raise ValidationError(_("The date is before the fund began."), code="before_fund")
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


@transaction.atomic
def fund_donation_record(
    *,
    fund: AidFund,
    amount: Decimal,
    on: date,
    by,
    donor: Person | None = None,
    donor_name: str = "",
    drive: Drive | None = None,
    receipt_number: str = "",
    note: str = "",
) -> FundEntry:
    """Record money received."""
    fund = _lock_fund(fund)
    _positive(amount)
    _check_date(fund, on)
    if donor is None and not donor_name.strip():
        raise ValidationError(_("Name the donor: a person or a name."), code="donor")
    if drive is not None and drive.fund_id != fund.pk:
        raise ValidationError(_("The drive belongs to another fund."), code="drive")
    return FundEntry.objects.create(
        fund=fund,
        kind=EntryKind.DONATION,
        entry_date=on,
        amount=amount,
        donor=donor,
        donor_name="" if donor else donor_name.strip(),
        drive=drive,
        receipt_number=receipt_number,
        note=note,
        recorded_by=by,
    )


@transaction.atomic
def fund_grant_record(
    *,
    fund: AidFund,
    recipient: Person,
    amount: Decimal,
    on: date,
    reason: str,
    approved_by: str,
    by,
    note: str = "",
) -> FundEntry:
    """Pay a grant to a student; refused when the fund cannot cover it on that date or later."""
    fund = _lock_fund(fund)
    _positive(amount)
    _check_date(fund, on)
    if recipient.category != Category.STUDENT:
        raise ValidationError(_("Grants go to students."), code="recipient")
    _check_outflow(fund, amount, on)
    return FundEntry.objects.create(
        fund=fund,
        kind=EntryKind.GRANT,
        entry_date=on,
        amount=-amount,
        recipient=recipient,
        reason=reason,
        approved_by=approved_by,
        note=note,
        recorded_by=by,
    )


@transaction.atomic
def fund_entry_reverse(*, entry: FundEntry, on: date, reason: str, by) -> FundEntry:
    """Correct a mistaken donation or grant with an opposite entry linked to it. Reversing a donation
    takes money out, so it must not overdraw the fund either."""
    fund = _lock_fund(entry.fund)
    entry = FundEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; record a new entry."), code="reverse_reversal")
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."), code="already_reversed")
    if on < entry.entry_date:
        raise ValidationError(_("A reversal cannot be dated before the entry it corrects."), code="reverse_date")
    _check_date(fund, on)
    if not reason.strip():
        raise ValidationError(_("Say why the entry is reversed."), code="reason")
    if entry.amount > 0:
        _check_outflow(fund, entry.amount, on)
    return FundEntry.objects.create(
        fund=fund,
        kind=EntryKind.REVERSAL,
        entry_date=on,
        amount=-entry.amount,
        reverses=entry,
        drive=entry.drive,
        reason=reason.strip(),
        recorded_by=by,
    )


# --- dues -------------------------------------------------------------------------------------------


def _league_collector(person: Person) -> Organization:
    """League dues go to the person's League branch; staff (whose home is a Party group) pay the
    school's League committee."""
    org = person.organization
    if org.kind in LEAGUE_KINDS:
        return org
    school_path = org.path[:6]
    return Organization.objects.filter(path__startswith=school_path, kind=OrgKind.LEAGUE_COMMITTEE).first() or org


def default_account(person: Person, kind: str, today: date) -> DuesAccount:
    """An unsaved account with the defaults: the home organization, student or in-post basis, owed
    from the month the status began (a probationary member from admission; League dues from joining the
    League, whatever the Party status since) or this month."""
    began = person.league_joined_on if kind == DuesKind.LEAGUE else person.status_since
    since = month_start(began or today)
    return DuesAccount(
        person=person,
        kind=kind,
        organization=person.organization if kind == DuesKind.PARTY else _league_collector(person),
        basis=DuesBasis.STUDENT if person.category == Category.STUDENT else DuesBasis.SALARIED,
        starts_on=since,
        paid_through=add_months(since, -1),  # nothing paid yet (bulk_create skips `save`)
    )


def payers(kind: str):
    """People who owe `kind` dues now (`finance.selectors.owes_dues_q`): League dues follow League membership
    whatever the Party status (an applicant, activist or development target pays them)."""
    return Person.objects.filter(owes_dues_q(kind))


@transaction.atomic
def dues_accounts_ensure(*, organization: Organization, today: date | None = None) -> int:
    """Open the missing dues accounts of the payers in `organization`'s subtree; returns how many."""
    today = today or timezone.localdate()
    created = 0
    for kind in DuesKind.values:
        people = payers(kind).filter(organization__path__startswith=organization.path).exclude(dues_accounts__kind=kind)
        new = [default_account(p, kind, today) for p in people.select_related("organization")]
        DuesAccount.objects.bulk_create(new)
        created += len(new)
    return created


@transaction.atomic
def dues_payment_record(
    *,
    account: DuesAccount,
    months: list[date],
    paid_on: date,
    by,
    payer_name: str = "",
    note: str = "",
) -> list[DuesPayment]:
    """Record dues paid for one or several months at once (one receipt). Each month is paid at the
    amount due for it; a month already paid is refused."""
    account = DuesAccount.objects.select_for_update().get(pk=account.pk)
    if not months:
        raise ValidationError(_("Choose at least one month."), code="no_months")
    if paid_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    due = account.monthly_due()
    if due is None:
        raise ValidationError(_("Enter the member's base pay first: the amount due depends on it."), code="no_base")
    if due <= 0:
        raise ValidationError(_("Nothing is owed at this base pay."), code="nothing_due")
    months = sorted({month_start(m) for m in months})
    if months[0] < account.starts_on or (account.ends_on and months[-1] > month_start(account.ends_on)):
        raise ValidationError(_("A month lies outside the period the member owes dues."), code="month_range")
    if months[-1] > add_months(month_start(paid_on), 12):
        raise ValidationError(_("Dues can be paid at most twelve months ahead."), code="too_far_ahead")
    already = paid_months(account=account, months=months)
    if already:
        raise ValidationError(
            _("Already paid: %(months)s.") % {"months": ", ".join(m.strftime("%Y-%m") for m in sorted(already))},
            code="already_paid",
        )
    batch = uuid.uuid4().hex[:12]
    rows = [
        DuesPayment(
            account=account,
            organization_id=account.organization_id,
            month=m,
            amount=due,
            paid_on=paid_on,
            payer_name=payer_name.strip(),
            batch=batch,
            note=note,
            recorded_by=by,
        )
        for m in months
    ]
    # Saved one by one so each row gets its audit record.
    for row in rows:
        row.save()
    sync_standing([account.pk])
    return rows


def paid_months(*, account: DuesAccount, months: list[date] | None = None) -> set[date]:
    """Months of `account` with a payment that has not been reversed."""
    qs = DuesPayment.objects.filter(account=account, reverses__isnull=True, reversal__isnull=True)
    if months is not None:
        qs = qs.filter(month__in=months)
    return set(qs.values_list("month", flat=True))


@transaction.atomic
def dues_payment_reverse(*, payment: DuesPayment, on: date, reason: str, by) -> DuesPayment:
    """Cancel a mistaken payment row with an opposite row; the month becomes unpaid again."""
    DuesAccount.objects.select_for_update().get(pk=payment.account_id)
    payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.reverses_id:
        raise ValidationError(_("A reversal cannot itself be reversed; record a new entry."), code="reverse_reversal")
    if DuesPayment.objects.filter(reverses=payment).exists():
        raise ValidationError(_("This entry has already been reversed."), code="already_reversed")
    if not reason.strip():
        raise ValidationError(_("Say why the entry is reversed."), code="reason")
    reversal = DuesPayment.objects.create(
        account_id=payment.account_id,
        organization_id=payment.organization_id,
        month=payment.month,
        amount=-payment.amount,
        paid_on=on,
        batch=payment.batch,
        reverses=payment,
        note=reason.strip(),
        recorded_by=by,
    )
    sync_standing([payment.account_id])
    return reversal


def group_by_account(payments) -> dict[int, dict[date, DuesPayment]]:
    out: dict[int, dict[date, DuesPayment]] = defaultdict(dict)
    for p in payments:
        out[p.account_id][p.month] = p
    return out
