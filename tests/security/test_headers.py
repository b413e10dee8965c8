"""Security headers on every page a role can open, and HSTS/secure cookies in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.security.matrix import MATRIX
from tests.security.world import ROLES, url_for, world_build

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Generated files (PDF, ZIP, spreadsheets) are slow to build: their headers are checked once,
# for the administrator, who can open all of them.
GENERATED = {
    "boussole:fiche_pdf",
    "training:attendance_blank_pdf",
    "training:session_document",
    "training:session_trainee_document",
    "training:my_document",
    "quizzes:quiz_results_export",
    "quizzes:learning_gain_export",
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def header_problems(response) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    if not policy:
        problems.append("no Content-Security-Policy")
    parsed = directives(policy)
    for name in ("script-src", "style-src", "default-src"):
        if "'unsafe-inline'" in parsed.get(name, []) or "'unsafe-eval'" in parsed.get(name, []):
            problems.append(f"unsafe source in {name}")
    if "script-src" not in parsed and "default-src" not in parsed:
        problems.append("no script-src")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    framing = response.headers.get("X-Frame-Options") == "DENY" or parsed.get(
        "frame-ancestors"
    ) == ["'none'"]
    if not framing:
        problems.append("framing allowed")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_open_sends_the_security_headers(course_loaded, role):
    world = world_build()
    column = ROLES.index(role)
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    checked, wrong = 0, []
    for name, expected in sorted(MATRIX.items()):
        if expected[column] != 200 or (name in GENERATED and role != "admin"):
            continue
        response = client.get(url_for(world, name))
        assert response.status_code == 200, name
        checked += 1
        wrong.extend(f"{name}: {problem}" for problem in header_problems(response))
    assert checked
    assert not wrong, "\n".join(wrong)


def test_error_pages_also_send_the_security_headers(course_loaded):
    world = world_build()
    client = Client()
    client.force_login(world.users["other_trainee"])
    for name, status in [("training:session_detail", 404), ("training:session_list", 403)]:
        response = client.get(url_for(world, name))
        assert response.status_code == status
        assert not header_problems(response), name


PRODUCTION_SCRIPT = r"""
import json
import django
from django.conf import settings
django.setup()
from django.test import Client
client = Client(HTTP_HOST="formation.example.org")
plain = client.get("/comptes/connexion/")
secure = client.get("/comptes/connexion/", secure=True)
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "status": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "csp": secure.headers.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_setting_secure": settings.CSRF_COOKIE_SECURE,
}))
"""


def test_production_settings_send_hsts_redirect_to_https_and_use_secure_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "training.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-header-check-0123456789",
            "DJANGO_ALLOWED_HOSTS": "formation.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            # The files collected with the production storage for this test run (conftest).
            "DJANGO_STATIC_ROOT": str(settings.STATIC_ROOT),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://formation.example.org/")
    assert seen["status"] == 200
    assert "max-age=31536000" in seen["hsts"]
    assert "includeSubDomains" in seen["hsts"]
    assert "'unsafe-inline'" not in seen["csp"]
    assert seen["csrf_cookie_secure"]
    assert seen["csrf_setting_secure"]
    assert seen["session_cookie_secure"]
    assert seen["session_cookie_httponly"]
