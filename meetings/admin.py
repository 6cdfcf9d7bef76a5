from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Meeting, MeetingAttachment, Vote


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["person"]


class AttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "caption", "uploaded_by"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["topic", "kind", "organization", "starts_at"]
    list_filter = ["kind"]
    search_fields = ["topic"]
    list_select_related = ["organization"]
    inlines = [AttendanceInline, AttachmentInline]
    raw_id_fields = ["chair", "recorder", "lecturer"]
    readonly_fields = ["expected_count", "present_count", "leave_count", "absent_count"]  # counted from attendance

    def save_related(self, request, form, formsets, change):
        # The attendance inline changes the stored counts.
        super().save_related(request, form, formsets, change)
        form.instance.recount()


@admin.register(Vote)
class VoteAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "kind", "subject", "entitled", "present", "yes"]
    raw_id_fields = ["subject", "meeting"]
