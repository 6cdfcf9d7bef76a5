from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("history/deleted/", views.deleted_records, name="deleted"),
    path("history/<str:label>/<int:pk>/", views.record_history, name="history"),
    path("history/<str:label>/restore/<int:history_id>/", views.restore_record, name="restore"),
]
