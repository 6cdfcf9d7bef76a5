from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    ExportLog,
    LeagueRegistration,
    Membership,
    PartyAppraisal,
    Person,
    Recommendation,
    RecommendationTarget,
    RosterImport,
    Sponsor,
    StatusEvent,
)


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    fk_name = "person"
    extra = 0
    fields = ["date", "kind", "status", "organization", "meeting", "vote", "from_file"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organization", "started_on", "start_reason", "ended_on", "end_reason", "counterpart"]
    readonly_fields = fields
    can_delete = False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "organization", "political_status", "status_since", "is_active"]
    list_filter = ["category", "political_status", "is_active"]
    search_fields = ["name", "pinyin", "pinyin_initials"]
    list_select_related = ["organization"]
    inlines = [MembershipInline, StatusEventInline]


@admin.register(StatusEvent)
class StatusEventAdmin(SimpleHistoryAdmin):
    """Read-only: steps are recorded through the pipeline forms, which check the rules."""

    list_display = ["person", "kind", "date", "status", "organization", "from_file"]
    list_filter = ["kind", "from_file"]
    search_fields = ["person__name", "person__pinyin"]
    list_select_related = ["person", "organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "league_branch", "nominated_on", "status", "decided_on"]
    list_filter = ["status"]
    search_fields = ["person__name"]
    list_select_related = ["person", "league_branch"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "export", "rows", "sensitive_rows", "filters", "ip_address"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


for model in (Sponsor, Assessment, RecommendationTarget, Membership, PartyAppraisal, LeagueRegistration):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(RosterImport, admin.ModelAdmin)
