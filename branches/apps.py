from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organizations")

    def ready(self):
        # The audit trail's pages (core) ask the access rules who may read and restore.
        from core.history import set_access_policy

        from .permissions import can_read_history, can_restore_records

        set_access_policy(can_read=can_read_history, can_restore=can_restore_records)
