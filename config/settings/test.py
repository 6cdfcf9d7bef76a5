"""Test settings: fast hashing, no throttling surprises between tests."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
# Tests see every change at once: no cached figures or Due lists (tests/core/test_datacache.py turns the
# cache on to test it). The test database's history ids restart with each test on SQLite, so a cached
# result could otherwise outlive the data it was computed from.
PARTYLEAGUE_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile
    from pathlib import Path

    # A file, not Django's shared in-memory database: the browser journeys' live server answers a page and
    # its htmx requests (the charts) in parallel threads, and one in-memory connection shared by those
    # threads hung a journey. With a file each thread has its own connection, as under the dev server.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"partyleague-test-{os.getpid()}.sqlite3")
    }
