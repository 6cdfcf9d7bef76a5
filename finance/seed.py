"""Demo fund and dues: a drive each semester with donations from staff, students and donors outside the
school, grants to students after each drive (never more than the fund holds), two corrected mistakes,
dues accounts for every Party and League member with monthly or per-semester payments, and a few members
in arrears. Bulk inserts: the large school gets tens of thousands of rows in seconds."""

from datetime import date, timedelta
from decimal import Decimal

from .dues import add_months, month_start, monthly_dues, months_between
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
from .services import default_account, payers

OUTSIDE_DONORS = [
    "城南中学校友会",
    "县慈善总会",
    "华联超市（爱心企业）",
    "2009届高三（2）班校友",
    "学校家长委员会",
    "县教育基金会",
    "爱心人士（匿名）",
    "新华书店县分店",
]
REASONS = [
    "家庭经济困难",
    "父亲重病，家庭经济困难",
    "单亲家庭，生活困难",
    "建档立卡脱贫户家庭",
    "家中遭受洪灾",
    "父母务工收入微薄，多子女就学",
    "孤儿，由祖父母抚养",
    "本人患病，医疗费用负担重",
]


def _money(rng, low: int, high: int, step: int = 1) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step))


def _semesters(first: date, today: date):
    """(title, start) for each semester from `first` up to today."""
    out, year = [], first.year
    while True:
        for term, start in (("春季", date(year, 2, 20)), ("秋季", date(year, 9, 10))):
            if first <= start <= today:
                out.append((f"{year}年{term}学期爱心助学募捐", start))
        year += 1
        if date(year, 2, 20) > today:
            return out


def seed_fund(ctx):
    rng, today = ctx.rng, ctx.today
    first_grade = today.year if today.month >= 9 else today.year - 1
    years = 5 if ctx.large else 3
    started = date(first_grade - years + 1, 9, 1)
    league_user = ctx.users.get(ctx.prefix() + "league")
    fund = AidFund.objects.create(
        organization=ctx.orgs["league"],
        name="爱心助学基金",
        started_on=started,
        notes="由校团委管理，每学期开展一次募捐，资助家庭经济困难学生。",
    )
    staff, students = list(ctx.staff), list(ctx.students)
    grants_per_drive = 120 if ctx.large else 35
    entries, balance, receipt = [], Decimal("0.00"), 1
    for title, start in _semesters(started, today):
        drive = Drive.objects.create(fund=fund, title=title, starts_on=start, ends_on=start + timedelta(days=30))
        donations = []
        for person in rng.sample(staff, k=max(1, int(len(staff) * 0.3))):
            donations.append((person, "", _money(rng, 50, 500, 50)))
        for person in rng.sample(students, k=min(len(students) // 4, 200)):
            donations.append((person, "", _money(rng, 10, 100, 5) + rng.choice([Decimal("0"), Decimal("0.50")])))
        for name in rng.sample(OUTSIDE_DONORS, k=rng.randint(1, 3)):
            donations.append((None, name, _money(rng, 2000, 6000, 100) + Decimal(rng.choice([0, 0, 66, 88])) / 10))
        for donor, name, amount in donations:
            day = start + timedelta(days=rng.randint(0, 25))
            if day > today:
                continue
            entries.append(
                FundEntry(
                    fund=fund,
                    kind=EntryKind.DONATION,
                    entry_date=day,
                    amount=amount.quantize(Decimal("0.01")),
                    donor=donor,
                    donor_name=name,
                    drive=drive,
                    receipt_number=f"ZX{start.year}{receipt:05d}",
                    recorded_by=league_user,
                )
            )
            receipt += 1
            balance += amount
        grant_day = start + timedelta(days=40)
        if grant_day > today:
            continue
        for student in rng.sample(students, k=min(grants_per_drive, len(students))):
            amount = Decimal(rng.choice([200, 300, 300, 500]))
            if amount > balance:
                break
            entries.append(
                FundEntry(
                    fund=fund,
                    kind=EntryKind.GRANT,
                    entry_date=grant_day,
                    amount=-amount,
                    recipient=student,
                    reason=rng.choice(REASONS),
                    approved_by=f"校团委会议（{grant_day - timedelta(days=3):%Y-%m-%d}）",
                    recorded_by=league_user,
                )
            )
            balance -= amount
    entries.sort(key=lambda e: e.entry_date)
    FundEntry.objects.bulk_create(entries, batch_size=2000)
    _seed_reversals(fund, league_user)


def _seed_reversals(fund, user):
    """Two corrected mistakes: a donation typed twice and a grant paid to the wrong student."""
    donation = FundEntry.objects.filter(fund=fund, kind=EntryKind.DONATION, donor__isnull=False).order_by("pk").first()
    grant = FundEntry.objects.filter(fund=fund, kind=EntryKind.GRANT).order_by("pk").first()
    for entry, reason, days in ((donation, "重复录入，冲正", 2), (grant, "发放对象有误，已收回", 5)):
        if entry is None:
            continue
        FundEntry.objects.create(
            fund=fund,
            kind=EntryKind.REVERSAL,
            entry_date=entry.entry_date + timedelta(days=days),
            amount=-entry.amount,
            reverses=entry,
            drive=entry.drive,
            reason=reason,
            recorded_by=user,
        )


def seed_dues(ctx):
    """Dues kept in the app for the last two years (the last year for the large school: ~30,000 rows)."""
    rng, today = ctx.rng, ctx.today
    tracking = add_months(month_start(today), -11 if ctx.large else -23)
    accounts = []
    school_path = ctx.school.path
    for kind in DuesKind.values:
        for person in payers(kind).filter(organization__path__startswith=school_path).select_related("organization"):
            account = default_account(person, kind, today)
            account.starts_on = max(month_start(person.status_since), tracking) if person.status_since else tracking
            if account.basis == DuesBasis.SALARIED:
                account.base_pay = Decimal(rng.randrange(320000, 1250000)) / 100
                if rng.random() < 0.06:
                    account.basis = DuesBasis.RETIRED
                    account.base_pay = Decimal(rng.randrange(380000, 700000)) / 100
            accounts.append(account)
    accounts = DuesAccount.objects.bulk_create(accounts, batch_size=2000)
    recorder = ctx.users.get(ctx.prefix() + "party")
    this_month = month_start(today)
    payments, batch = [], 0
    for account in accounts:
        due = monthly_dues(kind=account.kind, basis=account.basis, base_pay=account.base_pay)
        owed = months_between(account.starts_on, this_month)
        # A few members stop paying some months ago: arrears of 1 to 8 months.
        roll = rng.random()
        behind = rng.randint(3, 8) if roll < 0.04 else rng.randint(1, 2) if roll < 0.1 else 0
        stop = len(owed) - 1 - behind if behind else None
        paid = owed[:stop] if stop is not None else owed
        if stop is None and today.day < 10 and paid:
            paid = paid[:-1]  # this month's dues are collected around the 10th
        for group in _groups(paid, account.basis == DuesBasis.STUDENT, rng):
            batch += 1
            anchor = group[0] if account.basis == DuesBasis.STUDENT else group[-1]
            paid_on = min(today, anchor + timedelta(days=rng.randint(3, 15)))
            for m in group:
                payments.append(
                    DuesPayment(
                        account=account,
                        organization_id=account.organization_id,
                        month=m,
                        amount=due,
                        paid_on=paid_on,
                        batch=f"S{batch:07d}",
                        payer_name="家属代交" if rng.random() < 0.01 else "",
                        recorded_by=recorder,
                    )
                )
    DuesPayment.objects.bulk_create(payments, batch_size=5000)
    sync_standing(a.pk for a in accounts)  # bulk inserts skip the services that keep it


def _groups(months: list[date], student: bool, rng) -> list[list[date]]:
    """Students pay a semester at once (Feb–Aug, Sep–Jan); staff monthly, now and then a quarter at once."""
    lumped: dict[tuple, bool] = {}
    groups: list[list[date]] = []
    last_key = None
    for m in months:
        if student:
            key = ("spring", m.year) if 2 <= m.month <= 8 else ("autumn", m.year if m.month >= 9 else m.year - 1)
        else:
            quarter = (m.year, (m.month - 1) // 3)
            if quarter not in lumped:
                lumped[quarter] = rng.random() < 0.2
            key = quarter if lumped[quarter] else (m.year, m.month, "month")
        if groups and key == last_key:
            groups[-1].append(m)
        else:
            groups.append([m])
            last_key = key
    return groups


def seed(ctx):
    if not ctx.orgs.get("league"):
        return
    seed_fund(ctx)
    seed_dues(ctx)
