from django.db import models
from django.utils.translation import gettext_lazy as _


class DomainModel(models.Model):
    """Base of every domain record: timestamps and the version used for optimistic locking
    (see `core.forms.VersionedModelForm`)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
