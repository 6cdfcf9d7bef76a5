"""The student aid fund (爱心助学基金) and Party/League dues (党费, 团费).

Money is `Decimal` with two places everywhere. Financial entries (`FundEntry`, `DuesPayment`) are
append-only: once saved they are never edited or deleted; a mistake is corrected by a reversing entry
that points at the original (see `finance.services`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.audit import audit_history
from core.models import DomainModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class ImmutableEntry(DomainModel):
    """Append-only ledger rows: saving an existing row or deleting one is refused (a reversing entry
    corrects a mistake, so the books keep their history)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("Financial entries cannot be changed; record a reversal instead."), code="immutable"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Financial entries cannot be deleted; record a reversal instead."), code="immutable")


# --- Student aid fund -------------------------------------------------------------------------------


class AidFund(DomainModel):
    """A fund held by an organization (normally the school's Youth League committee)."""

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="aid_funds"
    )
    name = models.CharField(_("name"), max_length=100, default="爱心助学基金")
    started_on = models.DateField(_("started on"))
    notes = models.TextField(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("student aid fund")
        verbose_name_plural = _("student aid funds")
        ordering = ["organization__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:ledger", args=[self.pk])

    def history_organization(self):
        return self.organization


class Drive(DomainModel):
    """A fund-raising drive, e.g. one each semester (募捐活动)."""

    fund = models.ForeignKey(AidFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="drives")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    notes = models.TextField(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("drive")
        verbose_name_plural = _("drives")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="finance_drive_order"),
        ]

    def __str__(self):
        return self.title

    def history_organization(self):
        return self.fund.organization


class EntryKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    GRANT = "grant", _("Grant")
    REVERSAL = "reversal", _("Reversal")


class FundEntry(ImmutableEntry):
    """One line of the fund's book. `amount` is the signed effect on the balance: a donation is
    positive, a grant negative, a reversal the opposite of the entry it reverses."""

    fund = models.ForeignKey(AidFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    entry_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    drive = models.ForeignKey(
        Drive, verbose_name=_("drive"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    donor = models.ForeignKey(
        "members.Person",
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_donations",
    )
    donor_name = models.CharField(_("donor name"), max_length=100, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    recipient = models.ForeignKey(
        "members.Person",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_grants",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["entry_date", "pk"]
        indexes = [models.Index(fields=["fund", "entry_date"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="finance_entry_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="donation") | (Q(amount__gt=0) & (Q(donor__isnull=False) | ~Q(donor_name=""))),
                name="finance_donation_positive_with_donor",
            ),
            models.CheckConstraint(
                condition=~Q(kind="grant") | (Q(amount__lt=0) & Q(recipient__isnull=False)),
                name="finance_grant_negative_with_recipient",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | Q(~Q(kind="reversal"), reverses__isnull=True),
                name="finance_reversal_links_original",
            ),
        ]

    def __str__(self):
        return f"{self.entry_date:%Y-%m-%d} {self.get_kind_display()} {self.amount}"

    @property
    def abs_amount(self):
        return abs(self.amount)

    @property
    def party_name(self) -> str:
        """Who gave or received the money."""
        if self.kind == EntryKind.GRANT:
            return self.recipient.name if self.recipient_id else ""
        if self.kind == EntryKind.DONATION:
            return self.donor.name if self.donor_id else self.donor_name
        return ""

    def history_organization(self):
        return self.fund.organization


# --- Dues -------------------------------------------------------------------------------------------


class DuesKind(models.TextChoices):
    PARTY = "party", _("Party dues")
    LEAGUE = "league", _("League dues")


class DuesBasis(models.TextChoices):
    SALARIED = "salaried", _("In post (salaried)")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")


class DuesAccount(DomainModel):
    """What one member owes one kind of dues: the collecting organization, the basis, the monthly
    after-tax regular pay (sensitive: shown only to those who may edit the organization) and the first
    month owed (a probationary member pays from the month of admission)."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_accounts"
    )
    kind = models.CharField(_("dues"), max_length=10, choices=DuesKind.choices)
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("collected by"),
        on_delete=models.PROTECT,
        related_name="dues_accounts",
    )
    basis = models.CharField(_("basis"), max_length=10, choices=DuesBasis.choices)
    base_pay = models.DecimalField(
        _("monthly base pay"),
        null=True,
        blank=True,
        help_text=_("Regular monthly pay after tax, in yuan."),
        **MONEY,
    )
    starts_on = models.DateField(_("owed from"), help_text=_("The first month owed."))
    ends_on = models.DateField(_("owed until"), null=True, blank=True, help_text=_("The last month owed, if any."))
    # Kept by `sync_standing` (the one writer) from the payments, so that arrears are filtered, counted,
    # sorted and paginated in SQL (`finance.selectors.arrears_queryset`) without reading every payment.
    paid_through = models.DateField(
        _("paid through"),
        editable=False,
        help_text=_(
            "The last month of the unbroken run of paid months from the first month owed (the month before "
            "the first month owed when that one is unpaid)."
        ),
    )
    last_paid = models.DateField(_("last month paid"), null=True, editable=False)

    history = audit_history(excluded_fields=["paid_through", "last_paid"])

    class Meta:
        verbose_name = _("dues account")
        verbose_name_plural = _("dues accounts")
        ordering = ["organization__path", "person__pinyin", "kind"]
        indexes = [models.Index(fields=["paid_through"], name="finance_dues_paid_through")]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="finance_one_account_per_kind"),
            models.CheckConstraint(condition=Q(base_pay__isnull=True) | Q(base_pay__gte=0), name="finance_base_pay"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="finance_account_order",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"

    def monthly_due(self):
        from .dues import monthly_dues

        return monthly_dues(kind=self.kind, basis=self.basis, base_pay=self.base_pay)

    def save(self, *args, **kwargs):
        """A new account has nothing paid; an edited one (its first or last month owed may have moved)
        has its standing recomputed from its payments."""
        if self._state.adding:
            self.paid_through, self.last_paid = standing(self.starts_on, [])
        else:
            self.paid_through, self.last_paid = standing(self.starts_on, live_months(self.pk))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "paid_through", "last_paid"}
        super().save(*args, **kwargs)

    def history_organization(self):
        return self.organization


class DuesPayment(ImmutableEntry):
    """One month of dues paid (a payment of several months is several rows sharing `batch`). A reversal
    carries the opposite amount and points at the row it corrects."""

    account = models.ForeignKey(
        DuesAccount, verbose_name=_("dues account"), on_delete=models.PROTECT, related_name="payments"
    )
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("collected by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The collecting organization when the payment was made (kept for the yearly totals)."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    payer_name = models.CharField(
        _("paid by"), max_length=50, blank=True, help_text=_("Only when someone paid on the member's behalf.")
    )
    batch = models.CharField(_("receipt"), max_length=40, db_index=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["month", "pk"]
        indexes = [
            models.Index(fields=["account", "month"]),
            models.Index(fields=["organization", "paid_on"]),
            # The totals and the export of a period, over every organization (the history grows by years).
            models.Index(fields=["paid_on"], name="finance_payment_paid_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="finance_payment_not_zero"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="finance_payment_sign",
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.month:%Y-%m} {self.amount}"

    def history_organization(self):
        return self.organization


# --- the standing of a dues account (denormalized, one writer) -------------------------------------------


def standing(starts_on, months) -> tuple:
    """(paid_through, last_paid) of an account owed from `starts_on` whose live payments (neither
    reversed nor reversals) are for `months`: the last month of the unbroken run of paid months from
    the first month owed (the month before it when it is unpaid), and the latest month paid (None if none)."""
    from .dues import add_months, month_start

    paid = set(months)
    through = add_months(month_start(starts_on), -1)
    while add_months(through, 1) in paid:
        through = add_months(through, 1)
    return through, max(paid, default=None)


def live_payments():
    return DuesPayment.objects.filter(reverses__isnull=True, reversal__isnull=True)


def live_months(account_id) -> list:
    return list(live_payments().filter(account_id=account_id).values_list("month", flat=True))


def sync_standing(account_ids) -> int:
    """Recompute `paid_through` and `last_paid` of the given accounts from their payments: the one place
    that writes them (the dues payment services call it after each write, the seed after its bulk insert;
    `DuesAccount.save` computes them the same way). Two queries plus one UPDATE per 500 accounts; no
    history record and no version bump (they are derived, not edited)."""
    ids = list(account_ids)
    if not ids:
        return 0
    months: dict = {pk: [] for pk in ids}
    for account_id, month in live_payments().filter(account_id__in=ids).values_list("account_id", "month"):
        months[account_id].append(month)
    accounts = list(DuesAccount.objects.filter(pk__in=ids).only("pk", "starts_on", "paid_through", "last_paid"))
    changed = []
    for account in accounts:
        new = standing(account.starts_on, months[account.pk])
        if new != (account.paid_through, account.last_paid):
            account.paid_through, account.last_paid = new
            changed.append(account)
    DuesAccount.objects.bulk_update(changed, ["paid_through", "last_paid"], batch_size=500)
    return len(changed)
