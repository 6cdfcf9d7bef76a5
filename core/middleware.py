from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers. Pages use no inline scripts or styles' attributes
    that need scripts; everything is served from 'self'."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(
            settings,
            "CONTENT_SECURITY_POLICY",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
            "base-uri 'self'; object-src 'none'",
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


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
        ):
            from branches.permissions import access

            if not access(user).has_any_access:
                from django.core.exceptions import PermissionDenied

                from core.views import permission_denied

                return permission_denied(request, PermissionDenied())
        return self.get_response(request)
