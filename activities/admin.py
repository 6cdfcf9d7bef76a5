from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, HeadCount, Honor, Participation, Photo, Place, Series


class ParticipationInline(admin.TabularInline):
    model = Participation
    raw_id_fields = ["person"]
    extra = 0


class HeadCountInline(admin.TabularInline):
    model = HeadCount
    raw_id_fields = ["organization"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "organization", "starts_on", "place", "series"]
    list_filter = ["category", "starts_on"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["organization", "series", "place"]
    filter_horizontal = ["co_organizers"]
    list_select_related = ["organization", "place", "series"]
    inlines = [ParticipationInline, HeadCountInline]

    def save_related(self, request, form, formsets, change):
        # The inlines (and the activity's own hours) change the stored person-times and hours.
        super().save_related(request, form, formsets, change)
        form.instance.recount()


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "organization", "since", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]


@admin.register(Series)
class SeriesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "organization"]
    list_filter = ["year"]
    search_fields = ["name"]


@admin.register(Honor)
class HonorAdmin(SimpleHistoryAdmin):
    list_display = ["title", "level", "organization", "person", "awarded_on"]
    list_filter = ["level", "awarded_on"]
    search_fields = ["title", "awarding_body", "person__name"]
    raw_id_fields = ["organization", "person"]
    list_select_related = ["organization", "person"]


@admin.register(Photo)
class PhotoAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "activity", "created_at"]
    raw_id_fields = ["activity"]
