from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.periods import Period
from core.audit import audit_history
from core.models import DomainModel


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALIZED = "finalized", _("Finalized")


class SectionKey(models.TextChoices):
    """The parts of the annual work summary (DESIGN §4), in print order."""

    INTRODUCTION = "introduction", _("Introduction")
    ORGANIZATION = "organization", _("Organization building")
    EDUCATION = "education", _("Education plan")
    SYSTEMS = "systems", _("Systems in practice")
    ACTIVITIES = "activities", _("Theme activities")
    HONORS = "honors", _("Honors received")
    PLANS = "plans", _("Plans for next year")


class Summary(DomainModel):
    """An annual (or semester, or custom) work summary of an organization subtree. While a draft, its
    figures are compiled live; finalizing stores them in `snapshot`, so later edits to records never
    change a printed summary."""

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="summaries"
    )
    title = models.CharField(_("title"), max_length=200)
    period_key = models.CharField(_("period"), max_length=40)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    status = models.CharField(_("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    snapshot = models.JSONField(_("frozen figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalized by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        ordering = ["-period_start", "-created_at"]
        indexes = [models.Index(fields=["organization", "period_start"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="summary_period_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period.parse(self.period_key)

    @property
    def is_finalized(self) -> bool:
        return self.status == SummaryStatus.FINALIZED

    def history_organization(self):
        return self.organization


class SummarySection(DomainModel):
    """The secretary's narrative of one part of a summary: sanitized rich text (p, br, strong, em, ul, ol,
    li). `[[figure.key]]` tokens in it are replaced by the figure's value (a link on screen) when shown."""

    summary = models.ForeignKey(Summary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=20, choices=SectionKey.choices)
    narrative = models.TextField(_("narrative"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("summary section")
        verbose_name_plural = _("summary sections")
        constraints = [models.UniqueConstraint(fields=["summary", "key"], name="unique_summary_section")]

    def __str__(self):
        return f"{self.summary} · {self.get_key_display()}"

    @property
    def position(self) -> int:
        return list(SectionKey.values).index(self.key)

    def history_organization(self):
        return self.summary.organization
