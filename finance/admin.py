from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AidFund, Drive, DuesAccount, DuesPayment, FundEntry


@admin.register(AidFund)
class AidFundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "started_on"]


@admin.register(Drive)
class DriveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "fund", "starts_on", "ends_on"]


@admin.register(DuesAccount)
class DuesAccountAdmin(SimpleHistoryAdmin):
    list_display = ["person", "kind", "organization", "basis", "starts_on"]
    list_filter = ["kind", "basis"]
    raw_id_fields = ["person", "organization"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Financial entries are append-only: the admin may look, never change or delete."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["entry_date", "kind", "amount", "fund"]
    list_filter = ["kind"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnlyAdmin):
    list_display = ["month", "account", "amount", "paid_on"]
