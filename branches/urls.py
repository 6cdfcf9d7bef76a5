from django.urls import path

from . import views

app_name = "branches"

urlpatterns = [
    path("", views.organization_tree_view, name="tree"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/officers/new/", views.officer_create, name="officer_create"),
    path("<int:pk>/elections/new/", views.election_create, name="election_create"),
]
