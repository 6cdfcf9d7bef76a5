"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import environ

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    drop = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the e2e harness sets the last
    full_env = {k: v for k, v in os.environ.items() if k not in drop}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_database_url_selects_postgresql():
    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/partyleague")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "partyleague"


def test_default_database_is_sqlite_in_the_project():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local'; django.setup();"
        "from django.conf import settings; d=settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "db.sqlite3"


def test_environment_switches_database_without_code_change():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local'; django.setup();"
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://u:p@db.example:5432/school",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_production_refuses_to_start_without_secret_key():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production'; django.setup()",
        ALLOWED_HOSTS="school.example",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_deploy_check_is_clean():
    result = run_python(
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production';"
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY="x" * 30 + "-production-secret-with-enough-entropy-1234567890",
        ALLOWED_HOSTS="school.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
