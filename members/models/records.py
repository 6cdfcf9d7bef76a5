"""Memberships of organizations over time, the yearly appraisals (Party democratic appraisal, League
appraisal and registration), and the logs of exports and roster imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audit_history
from core.models import DomainModel


class MembershipStart(models.TextChoices):
    JOINED = "joined", _("Enrolled or hired")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    MOVED = "moved", _("Moved within the school")


class MembershipEnd(models.TextChoices):
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    GRADUATED = "graduated", _("Graduated")
    MOVED = "moved", _("Moved within the school")
    OTHER = "other", _("Other")


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        q = Q(ended_on__isnull=True)
        if on is not None:
            q = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        return self.filter(q)


class Membership(DomainModel):
    """A person's membership of one organization from a date to a date. A transfer (组织关系转接) or a
    move closes the row; nothing is deleted, so the history stays."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="memberships"
    )
    started_on = models.DateField(_("from"))
    start_reason = models.CharField(
        _("how"), max_length=20, choices=MembershipStart.choices, default=MembershipStart.JOINED
    )
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=MembershipEnd.choices, blank=True)
    counterpart = models.CharField(
        _("from / to"), max_length=200, blank=True, help_text=_("The organization outside the school, for transfers.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_open_membership_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.organization}"

    def history_organization(self):
        return self.organization


class AppraisalRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


REGISTERABLE_RATINGS = frozenset({AppraisalRating.EXCELLENT, AppraisalRating.QUALIFIED, AppraisalRating.BASIC})


class PartyAppraisal(DomainModel):
    """Democratic appraisal of a Party member (民主评议党员), once a year."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="party_appraisals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=AppraisalRating.choices)
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="unique_party_appraisal")]

    def __str__(self):
        return f"{self.person} · {self.year} · {self.get_rating_display()}"

    def history_organization(self):
        return self.organization


class LeagueRegistration(DomainModel):
    """A League member's annual appraisal (团员教育评议) and registration (团籍注册): only those rated
    "basically qualified" or better are registered."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="league_registrations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=AppraisalRating.choices)
    registered = models.BooleanField(_("registered"), default=False, editable=False)
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("League branch"), on_delete=models.PROTECT, related_name="+"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("League appraisal and registration")
        verbose_name_plural = _("League appraisals and registrations")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="unique_league_registration"),
            models.CheckConstraint(
                condition=Q(registered=False) | Q(rating__in=["excellent", "qualified", "basic"]),
                name="league_registration_needs_basic",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.year} · {self.get_rating_display()}"

    def history_organization(self):
        return self.organization


class ExportLog(models.Model):
    """Who exported which people's personal data, when, through which export, with which filters (an
    export leaves the system; this is its trace). Written by `core.audit.log_export` for every export."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    export = models.CharField(_("export"), max_length=50, default="members")
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    sensitive_rows = models.PositiveIntegerField(_("rows with ID number and phone"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M} · {self.export} · {self.rows}"


class RosterImport(models.Model):
    """An uploaded roster waiting for confirmation (and, once applied, its record)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename
