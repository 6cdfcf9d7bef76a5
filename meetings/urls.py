from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("frequency/", views.frequency, name="frequency"),
    path("new/", views.meeting_create, name="create"),
    path("people/search/", views.person_search, name="person_search"),
    path("feed/", views.feed_settings, name="feed"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/delete/", views.meeting_delete, name="delete"),
    path("<int:pk>/print/", views.meeting_print, name="print"),
    path("<int:pk>/votes/new/", views.vote_create, name="vote_create"),
    path("votes/<int:pk>/delete/", views.vote_delete, name="vote_delete"),
    path("<int:pk>/files/new/", views.attachment_upload, name="attachment_upload"),
    path("files/<int:pk>/", views.attachment_view, name="attachment"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
