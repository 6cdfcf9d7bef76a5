from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        # A member's pay is read only by who may edit the account's organization (as on the dues page);
        # the history of a dues account masks it for everyone else (core.history).
        from branches.permissions import can_edit
        from core.history import register_sensitive

        from .models import DuesAccount

        register_sensitive(
            DuesAccount,
            masks={"base_pay": lambda value: "" if value is None else "***"},
            can_see=lambda user, account: can_edit(user, account.organization),
        )
