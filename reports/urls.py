from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("due/", views.due, name="due"),
    path("charts/", views.dashboard_charts, name="dashboard_charts"),
    path("figures/<str:key>/", views.drilldown, name="drilldown"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sections/<slug:key>/", views.edit_section, name="edit_section"),
    path("<int:pk>/finalize/", views.finalize, name="finalize"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/charts/", views.summary_charts, name="summary_charts"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/docx/", views.docx, name="docx"),
    path("<int:pk>/xlsx/", views.xlsx, name="xlsx"),
]
