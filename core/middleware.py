import re

from django.conf import settings
from django.shortcuts import render


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


class ControlCharactersMiddleware:
    """A NUL byte or another control character in a request's parameters: refused or removed before any view
    sees it. PostgreSQL cannot store or even compare a NUL (every filter and lookup answered 500), and the
    Word and Excel exports cannot write a control character, so none may reach a query or a record.

    - A NUL anywhere (names and values, query string and form) and any control character other than tab
      in a query string or in a form field's name: 400 with a page that says why. No browser sends them from
      what a user types; they come from scanners and broken clients, and a clear refusal beats silently
      answering a different question.
    - Other control characters (vertical tab, form feed, …) in a posted value: removed, keeping tab and line
      breaks. Text pasted from a slide or a word processor can carry them invisibly; refusing would throw
      away an honest form, and the user could not see what to fix.

    Uploaded files are not touched (their names are already cleaned by Django)."""

    REFUSED_IN_QUERY = re.compile(r"[\x00-\x08\x0a-\x1f]")
    REMOVED_FROM_FORM = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(self.REFUSED_IN_QUERY.search(k) or self.REFUSED_IN_QUERY.search(v) for k, v in _items(request.GET)):
            return self._refuse(request)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            post = request.POST
            if any("\x00" in v or self.REFUSED_IN_QUERY.search(k) for k, v in _items(post)):
                return self._refuse(request)
            if any(self.REMOVED_FROM_FORM.search(v) for _k, v in _items(post)):
                cleaned = post.copy()
                for key, values in post.lists():
                    cleaned.setlist(key, [self.REMOVED_FROM_FORM.sub("", v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)

    def _refuse(self, request):
        return render(request, "core/bad_input.html", status=400)


def _items(querydict):
    for key, values in querydict.lists():
        for value in values:
            yield key, value
