"""Audit trail: every domain model declares `history = audit_history()`; django-simple-history records
who changed what and when, and this module adds from where (the client IP)."""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class AuditFields(models.Model):
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


def audit_history(**kwargs) -> HistoricalRecords:
    kwargs.setdefault("bases", [AuditFields])
    return HistoricalRecords(**kwargs)


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(pre_create_historical_record)
def _add_ip_address(sender, instance, history_instance, **kwargs):
    request = getattr(HistoricalRecords.context, "request", None)
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = client_ip(request)
