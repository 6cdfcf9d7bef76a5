"""Production: PostgreSQL behind nginx + gunicorn. Secrets have no default: a missing one stops start-up."""

from .base import *  # noqa: F403
from .base import _proxy_networks, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# gunicorn listens on the loopback address behind nginx on the same host (docs/deploy): trust it by default. A
# client connecting from elsewhere is never a loopback peer, so its own X-Forwarded-For is still ignored.
PARTYLEAGUE_TRUSTED_PROXIES = _proxy_networks("PARTYLEAGUE_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
