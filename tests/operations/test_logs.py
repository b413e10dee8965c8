"""Logs: a request id through nginx, gunicorn and Django; JSON lines on request; errors
emailed to ADMINS."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import path

from tests.test_settings import ROOT
from training import urls as site_urls
from training.operations.logs import JsonFormatter, RequestIdFilter, request_id_var


def broken_view(request):
    raise RuntimeError("the view broke")


# The site's URLs and error handler, plus a view that breaks.
urlpatterns = [path("casse/", broken_view), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def record(name="django.request", msg="Internal Server Error: %s", args=("/casse/",), **extra):
    item = logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(item, key, value)
    return item


def test_a_json_line_carries_the_request_and_its_id():
    request = RequestFactory().get("/casse/?q=1")
    token = request_id_var.set("abcd1234efgh")
    try:
        line = JsonFormatter().format(record(request=request, status_code=500))
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error: /casse/"
    assert entry["request_id"] == "abcd1234efgh"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/casse/", 500)
    assert entry["level"] == "ERROR" and entry["logger"] == "django.request"
    assert "\n" not in line


def test_a_json_line_keeps_the_traceback_and_french_text():
    try:
        raise ValueError("échec à l'ouverture")
    except ValueError:
        item = logging.LogRecord("x", logging.ERROR, __file__, 1, "Élève %s", ("Zoé",), None)
        item.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(item))
    assert entry["message"] == "Élève Zoé"
    assert "ValueError: échec à l'ouverture" in entry["exception"]


def test_gunicorn_access_lines_become_typed_fields():
    atoms = {
        "h": "127.0.0.1",
        "{x-forwarded-for}i": "203.0.113.7",
        "{x-request-id}i": "0123456789abcdef",
        "m": "GET",
        "U": "/sante/",
        "s": "200",
        "B": 179,
        "M": 4,
        "a": "curl",
    }
    item = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", None, None)
    item.args = atoms
    entry = json.loads(JsonFormatter().format(item))
    assert entry["forwarded_for"] == "203.0.113.7"
    assert entry["request_id"] == "0123456789abcdef"
    assert (entry["path"], entry["status"], entry["duration_ms"]) == ("/sante/", "200", 4)


def test_the_text_format_gets_the_request_id_too():
    item = record()
    RequestIdFilter().filter(item)
    assert item.request_id == "-"


def test_each_response_names_its_request_id_and_keeps_the_proxys():
    client = Client()
    fresh = client.get("/mentions-legales/")
    assert len(fresh["X-Request-ID"]) == 32
    assert client.get("/mentions-legales/")["X-Request-ID"] != fresh["X-Request-ID"]
    proxied = client.get("/mentions-legales/", HTTP_X_REQUEST_ID="4f1c2b9e0d8a7f6e")
    assert proxied["X-Request-ID"] == "4f1c2b9e0d8a7f6e"
    forged = client.get("/mentions-legales/", HTTP_X_REQUEST_ID="x\n{forged log line}")
    assert "forged" not in forged["X-Request-ID"] and len(forged["X-Request-ID"]) == 32


@pytest.mark.urls("tests.operations.test_logs")
def test_a_server_error_is_emailed_to_the_admins_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.ADMINS = [("Exploitation", "exploitation@example.org")]
    response = Client(raise_request_exception=False).get("/casse/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["exploitation@example.org"]
    assert message.subject.startswith("[Formation] ERROR")
    assert "the view broke" in message.body


def django_log(env_overrides, code):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "training.settings", **env_overrides})
    script = f"import django, logging; django.setup(); {code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_log_format_json_writes_one_json_object_per_line():
    result = django_log(
        {"LOG_FORMAT": "json"}, "logging.getLogger('training').warning('Zoé %s', 'absente')"
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "Zoé absente" and entry["level"] == "WARNING"


def test_an_unknown_log_format_stops_startup_with_a_clear_message():
    result = django_log({"LOG_FORMAT": "xml"}, "pass")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr
