"""Settings of operations: SITE_URL follows `make run`'s PORT, ADMINS and Sentry from the
environment, and the deploy checks that stop a deployment missing them."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tests.factories import SessionFactory, session_dates
from tests.test_settings import PRODUCTION_ENV, ROOT, run_manage
from training.settings import env_addresses


def setting(name, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SITE_URL", "PORT", "SENTRY_", "DATABASE_URL"))
    }
    env.update(env_overrides)
    script = f"import json, training.settings as s; print(json.dumps(s.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_site_url_follows_the_port_of_make_run_and_an_explicit_one_wins():
    assert setting("SITE_URL", {}) == "http://127.0.0.1:8000"
    assert setting("SITE_URL", {"PORT": "8011"}) == "http://127.0.0.1:8011"
    explicit = {"PORT": "8011", "SITE_URL": "https://formation.example.org/"}
    assert setting("SITE_URL", explicit) == "https://formation.example.org"


@pytest.mark.django_db
def test_with_port_8011_the_emailed_invitation_opens_the_choose_a_password_page(
    settings, django_capture_on_commit_callbacks, run_tasks
):
    """`PORT=8011 make run`, a trainer enrols a new trainee: the link in the email works."""
    from training.sessions.services import enrolment_create

    settings.SITE_URL = setting("SITE_URL", {"PORT": "8011"})
    session = SessionFactory(dates=session_dates(days_ahead=10))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(
            session=session, email="ines.moreau@exemple.fr", first_name="Inès", last_name="Moreau"
        )
    run_tasks()  # the worker sends the emails
    invitation = next(m for m in mail.outbox if "ines.moreau@exemple.fr" in m.to)
    link = re.search(r"http://\S+/comptes/reinitialisation/\S+/\S+/", invitation.body).group(0)
    assert link.startswith("http://127.0.0.1:8011/comptes/reinitialisation/")
    client = Client()
    page = client.get(link.removeprefix("http://127.0.0.1:8011"), follow=True)
    assert page.status_code == 200
    assert "<h1>Choisir un mot de passe</h1>" in page.content.decode()


def test_admins_are_read_as_name_and_address_pairs(monkeypatch):
    monkeypatch.setenv("X_ADMINS", "Équipe exploitation <exploit@example.org>, veille@example.org")
    assert env_addresses("X_ADMINS") == [
        ("Équipe exploitation", "exploit@example.org"),
        ("", "veille@example.org"),
    ]
    monkeypatch.setenv("X_ADMINS", "l'équipe")
    with pytest.raises(ImproperlyConfigured, match="X_ADMINS must list email addresses"):
        env_addresses("X_ADMINS")


@pytest.mark.parametrize(
    ("missing", "warning"),
    [
        ({"SITE_URL": "http://127.0.0.1:8000"}, "operations.W001"),
        ({"DJANGO_ADMINS": ""}, "operations.W002"),
        ({"AXES_PROXY_COUNT": "0"}, "operations.W003"),
    ],
)
def test_check_deploy_stops_a_deployment_that_would_hurt_in_production(missing, warning):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides={**PRODUCTION_ENV, **missing}
    )
    assert result.returncode != 0
    assert warning in result.stderr


def test_sentry_instead_of_admins_satisfies_the_error_reporting_check():
    env = {**PRODUCTION_ENV, "DJANGO_ADMINS": "", "SENTRY_DSN": "http://key@127.0.0.1:9/1"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode == 0, result.stderr


SENTRY_SCRIPT = r"""
import json, django, sentry_sdk
from sentry_sdk.transport import Transport
django.setup()
client = sentry_sdk.get_client()
events = []

class Keep(Transport):
    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event:
            events.append(event)

active = client.is_active()
if active:
    client.transport = Keep(client.options)
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.operations.test_logs", ALLOWED_HOSTS=["testserver"]):
    Client(raise_request_exception=False).post(
        "/casse/?token=abc", {"name": "Zoé Martin"},
        HTTP_COOKIE="sessionid=s3cr3t", HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
sentry_sdk.flush()
options = client.options if active else {}
print(json.dumps({
    "active": active,
    "pii": options.get("send_default_pii"),
    "locals": options.get("include_local_variables"),
    "events": events,
}, default=str))
"""


def sentry_run(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "training.settings", **env_overrides})
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sentry_is_off_unless_a_dsn_is_set():
    assert sentry_run({})["active"] is False


def test_sentry_reports_an_error_without_personal_data():
    got = sentry_run({"SENTRY_DSN": "http://key@127.0.0.1:9/1"})
    assert got["active"] is True
    assert got["pii"] is False and got["locals"] is False
    errors = [e for e in got["events"] if e.get("exception")]
    assert len(errors) == 1
    event = errors[0]
    assert event["exception"]["values"][-1]["value"] == "the view broke"
    text = json.dumps(event)
    for personal in ("s3cr3t", "Zoé", "203.0.113.7"):
        assert personal not in text
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)
