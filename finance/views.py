from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from branches.models import Organization, OrgKind
from branches.periods import Period, academic_year_containing, calendar_year
from branches.permissions import access, can_edit, editable_organizations, get_for_user_or_404, scope
from core.audit import log_export
from core.exports import Counted
from core.pagination import paginate
from members.models import Person

from . import selectors, services
from .access import can_see_recipients
from .exports import Column, Table, xlsx_download
from .forms import DonationForm, DriveForm, DuesAccountForm, FundForm, GrantForm, PaymentForm, ReversalForm
from .models import AidFund, Drive, DuesAccount, DuesKind, DuesPayment, FundEntry


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2200 else default


def _fund(request, pk, edit=False) -> AidFund:
    return get_for_user_or_404(request.user, AidFund.objects.select_related("organization"), edit=edit, pk=pk)


def _school_people(fund: AidFund):
    school_path = fund.organization.path[:6]
    return Person.objects.active().filter(organization__path__startswith=school_path).select_related("organization")


def _form_errors(form, exc: ValidationError):
    for message in exc.messages:
        form.add_error(None, message)


# --- overview ---------------------------------------------------------------------------------------


def index(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    today = timezone.localdate()
    year = _year(request, today.year)
    funds = list(selectors.funds_for(request.user))
    summaries = selectors.fund_summaries(funds)
    for fund in funds:
        fund.summary = summaries[fund.pk]
    warn, alarm = selectors.arrears_counts(selectors.accounts_for(request.user), today)
    context = {
        "funds": funds,
        "year": year,
        "totals": selectors.dues_year_totals(request.user, year),
        "warn": warn,
        "alarm": alarm,
        "can_create_fund": editable_organizations(request.user).exists() and not funds,
        "dues_orgs": scope(request.user, Organization.objects.filter(depth__lte=2), field="")[:20],
    }
    return render(request, "finance/index.html", context)


# --- aid fund ---------------------------------------------------------------------------------------


def fund_create(request):
    orgs = editable_organizations(request.user)
    form = FundForm(request.POST or None, organizations=orgs)
    if not form.fields["organization"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        fund = form.save()
        messages.success(request, _("Fund created."))
        return redirect(fund)
    return render(request, "finance/fund_form.html", {"form": form})


def _ledger_period(request) -> Period | None:
    """The ledger shows the current year unless asked for another period or `all`."""
    value = request.GET.get("period", "")
    return None if value == "all" else Period.parse(value)


def ledger(request, pk):
    fund = _fund(request, pk)
    period = _ledger_period(request)
    search = request.GET.get("q", "").strip()
    show_names = can_see_recipients(request.user, fund)
    page = paginate(request, selectors.ledger_entries(fund, period, search, names=show_names), per_page=50)
    if not search:
        selectors.with_running_balance(fund, list(page.object_list))
    context = {
        "fund": fund,
        "page_obj": page,
        "entries": page.object_list,
        "period": period or calendar_year(timezone.localdate().year),
        "whole": period is None,
        "search": search,
        "summary": selectors.fund_summary(fund),
        "years": selectors.fund_years(fund),
        "can_edit": can_edit(request.user, fund.organization),
        "show_names": show_names,
    }
    return render(request, "finance/ledger.html", context)


def ledger_export(request, pk):
    """The ledger as Excel: recipients named as the ledger page names them (`can_see_recipients`); logged."""
    fund = _fund(request, pk)
    period = _ledger_period(request)
    rows = Counted(selectors.ledger_export_rows(fund, period, names=can_see_recipients(request.user, fund)))
    entries = Table(
        _("Ledger"),
        [
            Column(_("Date"), 12),
            Column(_("Kind"), 8),
            Column(_("Donor / recipient"), 24),
            Column(_("Drive"), 30),
            Column(_("Receipt"), 14),
            Column(pgettext("grant", "Reason"), 30),
            Column(_("Amount"), 12),
            Column(_("Balance"), 12),
        ],
        rows,
    )
    years = Table(
        _("Totals per year"),
        [
            Column(_("Year"), 8),
            Column(_("Raised")),
            Column(_("Granted")),
            Column(_("Grants")),
            Column(_("Recipients")),
            Column(_("Balance at year end")),
        ],
        (
            [y["year"], y["raised"], y["granted"], y["grants"], y["recipients"], y["balance"]]
            for y in selectors.fund_years(fund)
        ),
    )
    response = xlsx_download(f"{fund.name}.xlsx", [entries, years])
    log_export(request, "finance.ledger", rows=rows.count)
    return response


def donation_create(request, pk):
    fund = _fund(request, pk, edit=True)
    form = DonationForm(request.POST or None, fund=fund, people=_school_people(fund))
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_donation_record(fund=fund, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Donation recorded."))
            return redirect(fund)
    return render(request, "finance/entry_form.html", {"fund": fund, "form": form, "title": _("Record a donation")})


def grant_create(request, pk):
    fund = _fund(request, pk, edit=True)
    students = _school_people(fund).students()
    classes = Organization.objects.filter(path__startswith=fund.organization.path, kind=OrgKind.LEAGUE_BRANCH)
    class_id = request.GET.get("class", "")
    chosen = classes.filter(pk=class_id).first() if class_id.isdecimal() else None
    if chosen:  # a large school has thousands of students: pick the class first
        students = students.filter(organization__path__startswith=chosen.path)
    form = GrantForm(request.POST or None, fund=fund, students=students, chosen_class=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_grant_record(fund=fund, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Grant recorded."))
            return redirect(fund)
    context = {"fund": fund, "form": form, "title": _("Record a grant"), "balance": services.fund_balance(fund=fund)}
    return render(request, "finance/entry_form.html", {**context, "classes": classes, "chosen": chosen})


def entry_reverse(request, pk):
    qs = FundEntry.objects.select_related("fund__organization", "donor", "recipient", "drive")
    entry = get_for_user_or_404(request.user, qs, edit=True, org_of=lambda e: e.fund.organization, pk=pk)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_entry_reverse(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Reversal recorded."))
            return redirect(entry.fund)
    context = {"fund": entry.fund, "entry": entry, "form": form, "title": _("Reverse an entry")}
    return render(request, "finance/entry_form.html", context)


def drive_list(request, pk):
    fund = _fund(request, pk)
    drives = selectors.drives_with_totals(fund, request.GET.get("q", "").strip())
    context = {
        "fund": fund,
        "page_obj": paginate(request, drives),
        "can_edit": can_edit(request.user, fund.organization),
    }
    return render(request, "finance/drive_list.html", context)


def drive_form(request, pk, drive_pk=None):
    fund = _fund(request, pk, edit=True)
    drive = Drive(fund=fund)
    if drive_pk:
        drive = get_for_user_or_404(request.user, fund.drives.all(), org_of=lambda d: fund.organization, pk=drive_pk)
    form = DriveForm(request.POST or None, instance=drive)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Drive saved."))
        return redirect("finance:drives", pk=fund.pk)
    return render(request, "finance/drive_form.html", {"fund": fund, "form": form, "drive": drive})


def notice(request, pk):
    fund = _fund(request, pk)
    year = _year(request, timezone.localdate().year)
    context = {"fund": fund, "year": year, **selectors.notice_rows(fund, year)}
    return render(request, "finance/notice.html", context)


# --- dues -------------------------------------------------------------------------------------------


def _org(request, pk, edit=False) -> Organization:
    return get_for_user_or_404(request.user, Organization.objects.all(), edit=edit, org_of=lambda o: o, pk=pk)


def dues_org(request, pk):
    org = _org(request, pk)
    today = timezone.localdate()
    year = _year(request, today.year)
    kind = request.GET.get("kind", "")
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.accounts_for(request.user, org, kind, search))
    rows = selectors.year_grid(list(page.object_list), year, today)
    for row in rows:
        row["can_edit"] = can_edit(request.user, row["account"].organization)
    context = {
        "org": org,
        "year": year,
        "kind": kind,
        "kinds": DuesKind.choices,
        "search": search,
        "page_obj": page,
        "rows": rows,
        "months": range(1, 13),
        "can_edit": can_edit(request.user, org),
        "missing": selectors.missing_accounts(org),
    }
    return render(request, "finance/dues_org.html", context)


@require_POST
def dues_setup(request, pk):
    org = _org(request, pk, edit=True)
    n = services.dues_accounts_ensure(organization=org)
    messages.success(request, _("%(n)s dues accounts opened.") % {"n": n})
    return redirect("finance:dues_org", pk=org.pk)


def _account(request, pk) -> DuesAccount:
    qs = DuesAccount.objects.select_related("person", "organization")
    return get_for_user_or_404(request.user, qs, edit=True, pk=pk)


def account_edit(request, pk):
    account = _account(request, pk)
    form = DuesAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dues account saved."))
        return redirect("finance:dues_org", pk=account.organization_id)
    return render(request, "finance/account_form.html", {"account": account, "form": form})


def payment_create(request, pk):
    account = _account(request, pk)
    today = timezone.localdate()
    paid = services.paid_months(account=account)
    form = PaymentForm(request.POST or None, account=account, paid=paid, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.dues_payment_record(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            total = sum(r.amount for r in rows)
            messages.success(request, _("Payment of %(total)s yuan recorded.") % {"total": total})
            return redirect("finance:dues_org", pk=account.organization_id)
    history = account.payments.select_related("reversal", "reverses").order_by("-month", "-pk")[:36]
    context = {"account": account, "form": form, "due": account.monthly_due(), "history": history}
    return render(request, "finance/payment_form.html", context)


def payment_reverse(request, pk):
    qs = DuesPayment.objects.select_related("account__person", "account__organization")
    payment = get_for_user_or_404(request.user, qs, edit=True, org_of=lambda p: p.account.organization, pk=pk)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dues_payment_reverse(payment=payment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Reversal recorded."))
            return redirect("finance:payment", pk=payment.account_id)
    return render(request, "finance/payment_reverse.html", {"payment": payment, "form": form})


def _arrears(request):
    kind = request.GET.get("kind", "")
    minimum = 1 if request.GET.get("all") else selectors.WARN_MONTHS
    accounts = selectors.accounts_for(request.user, kind=kind, search=request.GET.get("q", "").strip())
    return selectors.arrears_queryset(accounts, timezone.localdate(), minimum=minimum), kind


def arrears(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    accounts, kind = _arrears(request)
    page = paginate(request, accounts)  # counted and sliced in SQL
    page.object_list = [selectors.Arrears.of(a) for a in page.object_list]
    context = {
        "page_obj": page,
        "kind": kind,
        "kinds": DuesKind.choices,
        "search": request.GET.get("q", ""),
    }
    return render(request, "finance/arrears.html", context)


def arrears_export(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    accounts, _kind = _arrears(request)
    rows = Counted(selectors.Arrears.of(a) for a in accounts.iterator(chunk_size=1000))
    sheet = Table(
        _("Arrears"),
        [
            Column(_("Member"), 10),
            Column(_("Organization"), 24),
            Column(_("Dues"), 10),
            Column(_("Months unpaid")),
            Column(_("Last month paid")),
            Column(_("Amount owed")),
        ],
        (
            [
                r.account.person.name,
                r.account.organization.name,
                r.account.get_kind_display(),
                r.unpaid,
                r.last_paid.strftime("%Y-%m") if r.last_paid else "",
                r.amount if r.amount is not None else "",
            ]
            for r in rows
        ),
    )
    response = xlsx_download(_("dues-arrears") + ".xlsx", [sheet])
    log_export(request, "finance.arrears", rows=rows.count)
    return response


def _export_period(request) -> Period:
    """The period of the dues export: `?period=` (the period picker's keys), else `?year=` (the calendar
    year the overview shows), else the current academic year. Never the whole history."""
    if request.GET.get("period"):
        return Period.parse(request.GET["period"])
    today = timezone.localdate()
    if request.GET.get("year"):
        return calendar_year(_year(request, today.year))
    return academic_year_containing(today)


def dues_export(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    period = _export_period(request)
    kinds = {k: str(label) for k, label in DuesKind.choices}
    payments = Counted(
        [paid_on, name, org, kinds.get(kind, kind), month.strftime("%Y-%m"), amount, payer, batch, note]
        for paid_on, name, org, kind, month, amount, payer, batch, note in selectors.payments_for_export(
            request.user, period
        )
    )
    sheet = Table(
        _("Dues payments"),
        [
            Column(_("Paid on"), 12),
            Column(_("Member"), 10),
            Column(_("Organization"), 24),
            Column(_("Dues"), 10),
            Column(_("Month"), 9),
            Column(_("Amount"), 10),
            Column(_("Paid by"), 10),
            Column(_("Receipt"), 14),
            Column(_("Note"), 24),
        ],
        payments,
    )
    totals = Table(
        _("Totals"),
        [
            Column(_("Organization"), 24),
            Column(_("Dues"), 10),
            Column(pgettext("head count", "Members"), 10),
            Column(_("Collected"), 12),
        ],
        (
            [t["organization__name"], t["kind_label"], t["members"], t["total"]]
            for t in selectors.dues_totals(request.user, period)
        ),
    )
    filename = _("dues-%(start)s-%(end)s") % {"start": period.start.isoformat(), "end": period.end.isoformat()}
    response = xlsx_download(filename + ".xlsx", [sheet, totals])
    log_export(request, "finance.dues", rows=payments.count)
    return response
