from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "organization", "political_status", "is_active"]
    list_filter = ["category", "political_status", "is_active"]
    search_fields = ["name", "pinyin", "pinyin_initials"]
    list_select_related = ["organization"]
