import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from training.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "formation.example.org",
    "DATABASE_URL": "",
    # What the deploy checks of training/operations/checks.py ask of a production setup.
    "SITE_URL": "https://formation.example.org",
    "DJANGO_ADMINS": "Exploitation <exploitation@example.org>",
    "AXES_PROXY_COUNT": "1",
}


def run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "SITE_URL", "AXES_", "SENTRY_"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("on", True), ("0", False), ("False", False), ("", True)],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", True) is expected


def test_env_bool_rejects_garbage_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("X_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be a boolean"):
        env_bool("X_FLAG", False)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_INT", "douze")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be an integer"):
        env_int("X_INT", 1)


def test_missing_secret_key_in_production_stops_startup_with_a_clear_message():
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_missing_allowed_hosts_in_production_stops_startup_with_a_clear_message():
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_defaults_are_french_and_sqlite(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    if not os.environ.get("DATABASE_URL"):
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # In-memory test databases cannot use WAL ("memory"); a file database must.
    assert mode in ("wal", "memory")


def read_settings(env_overrides):
    """Import training.settings in a fresh interpreter with the given environment."""
    script = (
        "import json, training.settings as s; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'],"
        "'name': s.DATABASES['default']['NAME'],"
        "'host': s.DATABASES['default'].get('HOST', ''),"
        "'options': s.DATABASES['default'].get('OPTIONS', {}),"
        "'email': s.EMAIL_BACKEND, 'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS,"
        "'organisation': s.ORGANISATION['name'], 'nda': s.ORGANISATION['nda'],"
        "'ssl_redirect': getattr(s, 'SECURE_SSL_REDIRECT', False)}))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_", "ORGANISATION_", "SQLITE_"))
    }
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_environment_the_site_runs_in_debug_on_sqlite_with_console_email():
    got = read_settings({})
    assert got["debug"] is True
    assert got["engine"] == "django.db.backends.sqlite3"
    assert got["name"] == str(ROOT / "db.sqlite3")
    assert got["options"]["transaction_mode"] == "IMMEDIATE"
    assert got["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in got["options"]["init_command"]
    assert "busy_timeout" in got["options"]["init_command"]
    assert got["email"] == "django.core.mail.backends.console.EmailBackend"
    assert "démonstration" in got["organisation"]
    assert "démonstration" in got["nda"]


def test_production_variables_select_postgresql_smtp_and_the_organisation():
    got = read_settings(
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://training:secret@db.example:5432/training",
            "EMAIL_HOST": "smtp.example.org",
            "ORGANISATION_NAME": "Formations Exemple SARL",
            "ORGANISATION_NDA": "11 75 12345 75",
        }
    )
    assert got["debug"] is False
    assert got["engine"] == "django.db.backends.postgresql"
    assert (got["host"], got["name"]) == ("db.example", "training")
    assert got["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert got["hosts"] == ["formation.example.org"]
    assert got["organisation"] == "Formations Exemple SARL"
    assert got["nda"] == "11 75 12345 75"
    assert got["ssl_redirect"] is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"TASKS_BACKEND": "rq", "REDIS_URL": ""}, "TASKS_BACKEND=rq needs REDIS_URL"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be database or rq"),
    ],
)
def test_the_task_backend_is_checked_at_start_up(overrides, message):
    result = run_manage("check", env_overrides=overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_rq_backend_is_chosen_by_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        env_overrides={"TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6391/0"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django_tasks_rq.RQBackend"
