"""Local development: `make run`. Safe defaults so a fresh clone starts with no configuration."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only-key-partyleague")
