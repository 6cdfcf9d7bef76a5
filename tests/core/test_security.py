"""Hardened defaults: login throttling, security headers, a CSP the pages live under, Argon2."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # re-read settings
    yield
    AxesProxyHandler.implementation = None


def test_login_is_locked_after_repeated_failures(client, axes_on):
    from tests.factories import UserFactory

    UserFactory(username="teacher")
    for _ in range(3):
        client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "teacher", "password": "pass12345"})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_wrong_password_shows_a_clear_message(client, db):
    from tests.factories import UserFactory

    UserFactory(username="teacher")
    response = client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_security_headers_on_pages(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "site-packages" in path.parts:
            continue
        yield path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("path", sorted(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_scripts(path):
    """The CSP forbids inline scripts: a template with one would silently break in the browser."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<script[^>]*type="application/(ld\+)?json"[^>]*>', "", text)  # data, not code
    assert not INLINE_SCRIPT.search(text), "inline <script> block"
    assert not INLINE_HANDLER.search(text), "inline on* event handler attribute"


def test_passwords_are_hashed_with_argon2_in_production():
    assert django_settings.PASSWORD_HASHERS  # test settings use MD5 for speed; check the base settings
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "core.hashers.TunedArgon2PasswordHasher"
    from core.hashers import TunedArgon2PasswordHasher

    assert TunedArgon2PasswordHasher().algorithm == "argon2"
    assert len(base.AUTH_PASSWORD_VALIDATORS) == 4


def test_sessions_expire():
    from config.settings import base

    assert base.SESSION_COOKIE_AGE <= 12 * 3600
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE
