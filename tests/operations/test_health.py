"""/sante/, the load balancer's probe: 200 when the site can serve, 503 and which check failed
otherwise; public, not cached, without personal data."""

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from training.operations.health import HealthProblem

pytestmark = pytest.mark.django_db

CHECKS = {"database_reachable", "migrations_applied", "media_writable", "queue_moves"}


def failing_check():
    """A check that finds a problem (as a stuck queue or an unwritable volume would)."""
    raise HealthProblem("something is wrong")


def test_health_answers_200_with_each_check_for_anyone_without_cookie_or_cache():
    response = Client().get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert "no-store" in response.headers["Cache-Control"]
    assert not response.cookies


def test_health_leaves_no_file_behind_in_media(settings):
    Client().get("/sante/")
    leftovers = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert leftovers == []


def test_health_answers_503_when_media_cannot_be_written(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = Client().get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["media_writable"]["status"] == "error"
    assert body["checks"]["database_reachable"]["status"] == "ok"
    # The reason goes to the log, not to whoever asks.
    assert "not-a-folder" not in response.content.decode()


def test_health_answers_503_while_a_migration_is_not_applied():
    last = MigrationRecorder.Migration.objects.filter(app="training").order_by("-id").first()
    last.delete()  # as if the new code were deployed before `migrate` (rolled back after)
    response = Client().get("/sante/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations_applied"]["status"] == "error"


def test_a_check_added_in_the_setting_runs_and_a_failing_one_does_not_stop_the_others(
    settings, caplog
):
    settings.HEALTH_CHECKS = [
        *settings.HEALTH_CHECKS,
        "tests.operations.test_health.failing_check",
    ]
    response = Client().get("/sante/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["failing_check"]["status"] == "error"
    assert {name for name, check in checks.items() if check["status"] == "ok"} == CHECKS
    assert "something is wrong" in caplog.text
    assert "something is wrong" not in response.content.decode()


def test_health_refuses_a_post():
    assert Client().post("/sante/").status_code == 405


def test_a_queue_that_does_not_move_makes_the_service_unhealthy(settings):
    """The task queue's check: a ready task waiting longer than TASKS_STUCK_MINUTES, no worker."""
    import datetime

    import time_machine
    from django.utils import timezone

    from training.sessions import tasks as session_tasks

    session_tasks.emails_send.enqueue(delivery_ids=[])
    later = timezone.now() + datetime.timedelta(minutes=settings.TASKS_STUCK_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = Client().get("/sante/")
    assert response.status_code == 503
    assert response.json()["checks"]["queue_moves"]["status"] == "error"
