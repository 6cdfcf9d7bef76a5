"""Audit trail: every domain model declares `history = audit_history()`; django-simple-history records
who changed what and when, and this module adds from where (the client IP).

Exports are the other half of the trail: personal data that leaves the system. Every export view calls
`log_export` once its file is built (who, when, from where, which export, with which filters, how many
rows); the members app stores the entries (`members.ExportLog`, registered with `register_export_recorder`
when the app is ready: core knows no app). docs/privacy.md lists the exports."""

import logging
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from core.clientip import client_ip  # the client behind a trusted proxy too; members.views uses it


class AuditFields(models.Model):
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


def audit_history(**kwargs) -> HistoricalRecords:
    kwargs.setdefault("bases", [AuditFields])
    return HistoricalRecords(**kwargs)


logger = logging.getLogger("partyleague.audit")
_export_recorder: Callable[..., object] | None = None


def register_export_recorder(recorder: Callable[..., object]) -> None:
    """`recorder(user=, export=, filters=, rows=, sensitive_rows=, ip_address=)` stores one export entry."""
    global _export_recorder
    _export_recorder = recorder


def log_export(request, export: str, *, rows: int, sensitive_rows: int = 0) -> None:
    """Record that `request.user` exported `rows` rows through `export` (a stable code: "members",
    "finance.ledger", …); `sensitive_rows` of them with ID number or phone in full. The filters are the
    request's path and query string (they name the fund, the period, the search)."""
    if _export_recorder is None:
        raise ImproperlyConfigured("No export recorder registered (the members app records exports).")
    filters = request.get_full_path()[:500]
    _export_recorder(
        user=request.user,
        export=export,
        filters=filters,
        rows=rows,
        sensitive_rows=sensitive_rows,
        ip_address=client_ip(request),
    )
    logger.info(
        "export %s by %s: %s rows (%s with personal data) %s", export, request.user, rows, sensitive_rows, filters
    )


@receiver(pre_create_historical_record)
def _add_ip_address(sender, instance, history_instance, **kwargs):
    request = getattr(HistoricalRecords.context, "request", None)
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = client_ip(request)
