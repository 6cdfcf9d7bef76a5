from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("export.xlsx", views.activity_export, name="export"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/participants/", views.participants_pick, name="participants"),
    path("<int:pk>/participants/import/", views.participants_import, name="participants_import"),
    path("<int:pk>/participants/template.xlsx", views.participants_template, name="participants_template"),
    path("<int:pk>/participants/<int:item>/remove/", views.participation_remove, name="participation_remove"),
    path("<int:pk>/head-counts/", views.head_count_add, name="head_count_add"),
    path("<int:pk>/head-counts/<int:item>/remove/", views.head_count_remove, name="head_count_remove"),
    path("<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("places/", views.place_list, name="place_list"),
    path("places/new/", views.place_form, name="place_create"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_form, name="place_edit"),
    path("places/<int:pk>/delete/", views.place_delete, name="place_delete"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_form, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_form, name="series_edit"),
    path("series/<int:pk>/delete/", views.series_delete, name="series_delete"),
    path("honors/", views.honor_list, name="honor_list"),
    path("honors/new/", views.honor_form, name="honor_create"),
    path("honors/<int:pk>/edit/", views.honor_form, name="honor_edit"),
    path("honors/<int:pk>/delete/", views.honor_delete, name="honor_delete"),
    path("honors/<int:pk>/certificate/", views.honor_certificate, name="honor_certificate"),
    path("honors/organization/<int:pk>/", views.honors_for_org, name="honors_for_org"),
    path("honors/person/<int:pk>/", views.honors_for_person, name="honors_for_person"),
]
