from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("fund/new/", views.fund_create, name="fund_create"),
    path("fund/<int:pk>/", views.ledger, name="ledger"),
    path("fund/<int:pk>/export/", views.ledger_export, name="ledger_export"),
    path("fund/<int:pk>/donation/", views.donation_create, name="donation_create"),
    path("fund/<int:pk>/grant/", views.grant_create, name="grant_create"),
    path("fund/<int:pk>/notice/", views.notice, name="notice"),
    path("fund/<int:pk>/drives/", views.drive_list, name="drives"),
    path("fund/<int:pk>/drives/new/", views.drive_form, name="drive_create"),
    path("fund/<int:pk>/drives/<int:drive_pk>/edit/", views.drive_form, name="drive_edit"),
    path("entry/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("dues/organization/<int:pk>/", views.dues_org, name="dues_org"),
    path("dues/organization/<int:pk>/setup/", views.dues_setup, name="dues_setup"),
    path("dues/account/<int:pk>/", views.payment_create, name="payment"),
    path("dues/account/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("dues/payment/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("dues/arrears/", views.arrears, name="arrears"),
    path("dues/arrears/export/", views.arrears_export, name="arrears_export"),
    path("dues/export/", views.dues_export, name="dues_export"),
]
