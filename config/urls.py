from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language

from reports.views import dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("core.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("organizations/", include("branches.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("activities/", include("activities.urls")),
    path("finance/", include("finance.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
        name="favicon",
    ),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
