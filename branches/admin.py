from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AcademicYear, Election, Officer, Organization, Semester


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "grade", "class_number", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "post", "person", "user", "started_on", "ended_on"]
    list_filter = ["post"]
    list_select_related = ["organization", "person", "user"]
    raw_id_fields = ["person"]


@admin.register(Election)
class ElectionAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "held_on", "title", "posts_filled"]
    list_select_related = ["organization"]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [SemesterInline]
