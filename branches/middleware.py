from django.core.exceptions import PermissionDenied

from core.views import permission_denied

from .permissions import access


class NoRoleMiddleware:
    """A signed-in account with no role and no officer post sees only the dashboard (which tells them to
    ask the administrator for a role) and their own account pages: every other page answers 403, the same
    way in every app."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/jsi18n/", "/static/", "/admin/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path != "/"
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not access(user).has_any_access
        ):
            return permission_denied(request, PermissionDenied())
        return self.get_response(request)
