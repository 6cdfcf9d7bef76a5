"""The figures of the student aid fund and of dues the annual summary prints (DESIGN §4, part 4): raised,
granted, recipients, balance; dues collected. Declared here, on the Q definitions of `finance.selectors`;
`reports` compiles them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.figures import Breakdown, Column, Figure, Source

from .models import DuesKind, DuesPayment, FundEntry
from .selectors import GRANTED_Q, LIVE_GRANT_Q, RAISED_Q, mask_name


def _fund_entries(root, period):
    return FundEntry.objects.filter(
        fund__organization__path__startswith=root.path, entry_date__gte=period.start, entry_date__lte=period.end
    ).select_related("fund", "donor", "recipient")


def _fund_to_date(root, period):
    return FundEntry.objects.filter(
        fund__organization__path__startswith=root.path, entry_date__lte=period.end
    ).select_related("fund", "donor", "recipient")


FUND_COLUMNS = [
    Column(_("Date"), lambda e: e.entry_date),
    Column(_("Kind"), lambda e: e.get_kind_display()),
    Column(_("Amount (yuan)"), lambda e: e.amount),
    # A recipient as on the public notice (邓某某): who was aided is read on the fund's ledger (finance.access).
    Column(_("Donor / recipient"), lambda e: e.donor or e.donor_name or mask_name(e.recipient)),
]

FUND = Source(
    key="fund",
    label=_("Student aid fund"),
    queryset=_fund_entries,
    figures=lambda period: [
        Figure("fund.raised", _("Aid fund raised (yuan)"), RAISED_Q, sum_field="amount", money=True),
        Figure("fund.granted", _("Aid fund granted (yuan)"), GRANTED_Q, sum_field="amount", money=True, negate=True),
        Figure("fund.grants", _("Aid grants"), LIVE_GRANT_Q),
        Figure("fund.recipients", _("Students aided"), LIVE_GRANT_Q, distinct="recipient"),
    ],
    columns=FUND_COLUMNS,
    order_by=("entry_date", "pk"),
)

FUND_TO_DATE = Source(
    key="fund_to_date",
    label=_("Student aid fund since inception"),
    queryset=_fund_to_date,
    figures=lambda period: [
        Figure("fund.balance", _("Aid fund balance at the end of the period (yuan)"), sum_field="amount", money=True),
        Figure(
            "fund.raised_total", _("Aid fund raised since inception (yuan)"), RAISED_Q, sum_field="amount", money=True
        ),
        Figure(
            "fund.granted_total",
            _("Aid fund granted since inception (yuan)"),
            GRANTED_Q,
            sum_field="amount",
            money=True,
            negate=True,
        ),
        Figure("fund.grants_total", _("Aid grants since inception"), LIVE_GRANT_Q),
        Figure("fund.recipients_total", _("Students aided since inception"), LIVE_GRANT_Q, distinct="recipient"),
    ],
    columns=FUND_COLUMNS,
    order_by=("entry_date", "pk"),
)


def _dues(root, period):
    return DuesPayment.objects.filter(
        organization__path__startswith=root.path, paid_on__gte=period.start, paid_on__lte=period.end
    ).select_related("account__person", "organization")


PARTY_DUES = Q(account__kind=DuesKind.PARTY)
LEAGUE_DUES = Q(account__kind=DuesKind.LEAGUE)

DUES = Source(
    key="dues",
    label=_("Dues"),
    queryset=_dues,
    figures=lambda period: [
        Figure("dues.payments", _("Dues payments")),
        Figure("dues.party", _("Party dues collected (yuan)"), PARTY_DUES, sum_field="amount", money=True),
        Figure("dues.league", _("League dues collected (yuan)"), LEAGUE_DUES, sum_field="amount", money=True),
    ],
    columns=[
        Column(_("Paid on"), lambda p: p.paid_on),
        Column(_("Member"), lambda p: p.account.person.name),
        Column(_("Month"), lambda p: p.month.strftime("%Y-%m")),
        Column(_("Amount (yuan)"), lambda p: p.amount),
    ],
    order_by=("paid_on", "pk"),
)

DUES_BY_ORGANIZATION = Breakdown(
    key="dues.by_organization",
    title=_("Dues collected per organization"),
    source="dues",
    by="organization",
    name="organization__name",
    measures=[
        Figure("dues.payments", _("Payments")),
        Figure("dues.party", _("Party dues (yuan)"), PARTY_DUES, sum_field="amount", money=True),
        Figure("dues.league", _("League dues (yuan)"), LEAGUE_DUES, sum_field="amount", money=True),
    ],
)

SOURCES = [FUND, FUND_TO_DATE, DUES]
BREAKDOWNS = [DUES_BY_ORGANIZATION]
EXTRAS = []
