"""Writes of the reports app: create a summary (with drafted sections), finalize (freeze the figures),
reopen (administrators only, audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.periods import Period
from branches.permissions import access, can_edit

from .figures import compile_figures
from .models import SectionKey, Summary, SummarySection, SummaryStatus
from .narrative import draft_section


def default_title(organization: Organization, period: Period) -> str:
    return _("%(org)s: work summary, %(period)s") % {"org": organization.name, "period": period.label}


@transaction.atomic
def summary_create(*, organization: Organization, period: Period, title: str = "", by) -> Summary:
    """A new draft summary whose sections are drafted from the live figures in the active language."""
    if not can_edit(by, organization):
        raise PermissionDenied
    summary = Summary.objects.create(
        organization=organization,
        title=title.strip() or default_title(organization, period),
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        created_by=by,
    )
    figures = compile_figures(organization, period)["figures"]
    SummarySection.objects.bulk_create(
        SummarySection(summary=summary, key=key, narrative=draft_section(key, figures, organization, period))
        for key in SectionKey.values
    )
    return summary


@transaction.atomic
def summary_redraft_section(*, section: SummarySection, by) -> SummarySection:
    """Replace a section's narrative with a fresh draft from the live figures (drafts only)."""
    summary = section.summary
    if not can_edit(by, summary.organization):
        raise PermissionDenied
    if summary.is_finalized:
        raise ValidationError(_("A finalized summary cannot be changed."), code="finalized")
    figures = compile_figures(summary.organization, summary.period)["figures"]
    section.narrative = draft_section(section.key, figures, summary.organization, summary.period)
    section.version += 1
    section.save()
    return section


@transaction.atomic
def summary_finalize(*, summary: Summary, by) -> Summary:
    """Freeze the figures into the snapshot: later edits to records do not change this summary."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not can_edit(by, summary.organization):
        raise PermissionDenied
    if summary.is_finalized:
        raise ValidationError(_("This summary is already finalized."), code="already_finalized")
    summary.snapshot = compile_figures(summary.organization, summary.period)
    summary.status = SummaryStatus.FINALIZED
    summary.finalized_at = timezone.now()
    summary.finalized_by = by
    summary.version += 1
    summary.save()
    return summary


@transaction.atomic
def summary_reopen(*, summary: Summary, by, reason: str) -> Summary:
    """Back to draft (administrators only). The frozen figures are dropped; the history keeps who reopened
    it, when and why."""
    if not access(by).administers(summary.organization):
        raise PermissionDenied
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not summary.is_finalized:
        raise ValidationError(_("Only a finalized summary can be reopened."), code="not_finalized")
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."), code="reason_required")
    summary.status = SummaryStatus.DRAFT
    summary.snapshot = {}
    summary.reopened_at = timezone.now()
    summary.reopened_by = by
    summary.reopen_reason = reason.strip()
    summary.version += 1
    summary._change_reason = reason.strip()
    summary.save()
    return summary
