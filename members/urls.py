from django.urls import path

from . import views, views_lookup

app_name = "members"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("lookup/", views_lookup.person_lookup, name="person_lookup"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/step/<slug:step>/", views.person_step, name="step"),
    path("documents/<int:pk>/", views.event_document, name="document"),
    path("events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("pipeline/", views.pipeline_board, name="board"),
    path("due/", views.due_list, name="due"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/target/", views.recommendation_target, name="recommendation_target"),
    path("recommendations/<int:pk>/vote/", views.recommendation_vote, name="recommendation_vote"),
    path("recommendations/<int:pk>/decide/", views.recommendation_decide, name="recommendation_decide"),
    path("appraisal/", views.appraisal_sheet, name="appraisal"),
    path("league/appraisal/", views.league_sheet, name="league_sheet"),
    path("league/turning-28/", views.league_turning, name="league_turning"),
    path("import/", views.roster_upload, name="import"),
    path("import/template/", views.roster_template, name="import_template"),
    path("import/<int:pk>/", views.roster_preview, name="import_preview"),
]
