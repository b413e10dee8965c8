"""deploy/ agrees with the application: body sizes, timeouts, headers, media, variables."""

import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from core.uploads import RESOURCE_MAX_BYTES
from training.attendance.services import SCAN_MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
NGINX = (ROOT / "deploy/nginx-site.conf").read_text()
NGINX_DIRECTIVES = "\n".join(line.split("#", 1)[0] for line in NGINX.splitlines())
GUNICORN = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
SIZES = {"k": 1024, "m": 1024**2, "g": 1024**3}


def directive(name):
    return re.findall(rf"^\s*{name}\s+([^;]+);", NGINX_DIRECTIVES, re.MULTILINE)


def test_nginx_takes_the_largest_upload_the_application_accepts():
    (value,) = directive("client_max_body_size")
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    limit = int(number) * SIZES.get(unit, 1)
    largest = max(RESOURCE_MAX_BYTES, SCAN_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    # The multipart form around the file (CSRF token, other fields, boundaries).
    assert limit >= largest + 1024**2


def test_nginx_waits_longer_than_gunicorn_so_gunicorn_decides_a_timeout():
    for name in ("proxy_read_timeout", "proxy_send_timeout"):
        (value,) = directive(name)
        assert int(value.rstrip("s")) > GUNICORN["timeout"]


def test_nginx_forwards_the_client_and_the_scheme_and_overwrites_what_the_client_sent():
    headers = dict(value.split(None, 1) for value in directive("proxy_set_header"))
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Request-ID"] == "$request_id"
    assert headers["Host"] == "$http_host"


def test_nginx_never_serves_media_from_disk():
    assert not directive("alias")
    assert directive("root") == ["/var/www/letsencrypt"]
    media = re.search(r"location \^~ /media/ \{([^}]*)\}", NGINX_DIRECTIVES)
    assert media and media.group(1).split() == ["return", "404;"]


def test_gunicorn_recycles_workers_and_finishes_requests_on_reload():
    assert GUNICORN["wsgi_app"] == "training.wsgi:application"
    assert GUNICORN["max_requests"] > 0 and GUNICORN["max_requests_jitter"] > 0
    assert 0 < GUNICORN["graceful_timeout"] < GUNICORN["timeout"]
    assert 1 <= GUNICORN["workers"] <= 8
    assert GUNICORN["bind"] == ["127.0.0.1:8000"]
    assert "{x-forwarded-for}i" in GUNICORN["access_log_format"]


def environment_variables_read() -> set[str]:
    names = set()
    for path in ("training/settings.py", "deploy/gunicorn.conf.py"):
        text = (ROOT / path).read_text()
        names |= set(re.findall(r"(?:env_\w+|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
    return names


def documented_variables() -> set[str]:
    text = (ROOT / "docs/operations.md").read_text()
    section = text.split("### Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def test_every_variable_the_code_reads_is_documented_for_the_operator():
    read = environment_variables_read()
    assert {"DJANGO_SECRET_KEY", "GUNICORN_TIMEOUT", "SENTRY_DSN"} <= read
    assert read - documented_variables() == set()


def test_env_example_lists_every_documented_variable():
    example = (ROOT / "deploy/.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert documented_variables() - listed == set()
    assert listed - documented_variables() == set()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_the_systemd_unit_is_valid(tmp_path):
    unit = (ROOT / "deploy/partage-web.service").read_text()
    gunicorn = tmp_path / "gunicorn"
    gunicorn.write_text("#!/bin/sh\n")
    gunicorn.chmod(0o755)
    (tmp_path / "partage-web.service").write_text(
        unit.replace("/srv/partage/.venv/bin/gunicorn", str(gunicorn))
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "partage-web.service")],
        capture_output=True,
        text=True,
    )
    problems = [
        line
        for line in result.stderr.splitlines()
        # Missing users and unrelated units of this machine are not the unit's fault.
        if "partage-web.service" in line and "Failed to resolve" not in line
    ]
    assert problems == []
    assert "--config deploy/gunicorn.conf.py" in unit
