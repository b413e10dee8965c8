"""The task module: the same tests on every backend of the task framework.

``make test`` runs them on the database backend in the SQLite pass and in the PostgreSQL
pass, and ``make pytest-rq`` runs this very module with ``TASKS_BACKEND=rq`` against a real
redis-server started on a private port (scripts/redis_test.sh). Tasks run through the
``run_tasks`` fixture: the backend's own worker, in this process. The mail server is a real
SMTP server (aiosmtpd) that the tests start and stop; nothing of the framework is mocked.
"""

from __future__ import annotations

import datetime
import time
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory, attested_session
from training.background.health import queue_health
from training.background.models import EmailDelivery, PeriodicRun, TaskFailure
from training.background.scheduler import scheduler_tick
from training.background.services import heartbeat_record

pytestmark = pytest.mark.django_db


def _wait_until(moment: datetime.datetime) -> None:
    delay = (moment - timezone.now()).total_seconds()
    if delay > 0:
        time.sleep(delay + 0.2)


def test_an_enrolment_with_the_mail_server_down_answers_then_the_email_goes_once(
    client, trainer, smtp, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.EMAIL_RETRY_DELAYS = [1, 1, 1]
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:enrolment_create", args=[session.pk]),
            {"email": "lea@exemple.fr", "first_name": "Léa", "last_name": "Dubois"},
        )
    assert response.status_code == 302  # saved, and no error although the server is down
    run_tasks()  # first attempt: connection refused
    convocation = EmailDelivery.objects.get(kind="convocation", recipient__email="lea@exemple.fr")
    assert (convocation.status, convocation.attempts) == ("queued", 1)
    assert "injoignable" in convocation.reason
    page = client.get(reverse("training:session_trainees", args=[session.pk])).content.decode()
    assert "1 tentative échouée" in page and "injoignable" in page

    smtp.start()  # the mail server is back
    _wait_until(max(EmailDelivery.objects.values_list("next_attempt_at", flat=True)))
    run_tasks()
    run_tasks()  # nothing left: a second pass sends nothing more
    received = [(m["To"], str(m["Subject"]).split()[0]) for m in smtp.sink.messages()]
    assert sorted(received) == [("lea@exemple.fr", "Convocation"), ("lea@exemple.fr", "Votre")]
    convocation.refresh_from_db()
    assert (convocation.status, convocation.attempts) == ("sent", 2)
    message_ids = {m["Message-ID"] for m in smtp.sink.messages()}
    assert f"<{convocation.message_id}@127.0.0.1>" in message_ids
    assert session.enrolments.get().convocation_sent_at == convocation.sent_at
    page = client.get(reverse("training:session_trainees", args=[session.pk])).content.decode()
    assert "Envoyée" in page


def test_an_email_that_keeps_failing_is_listed_and_can_be_resent(
    client, trainer, administrator, smtp, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.EMAIL_RETRY_DELAYS = [0]  # one retry, at once
    session = SessionFactory(trainers=[trainer])
    enrolment = EnrolmentFactory(session=session)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:convocations_resend", args=[session.pk]))
    run_tasks()
    run_tasks()  # the retry (RQ moves a deferred job to the queue when a worker starts)
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    failure = TaskFailure.objects.get()
    assert failure.attempts == 2 and enrolment.trainee.email in failure.description
    page = client.get(reverse("training:session_trainees", args=[session.pk])).content.decode()
    assert "Échec" in page and "injoignable" in page
    client.force_login(administrator)
    page = client.get(reverse("training:task_failures")).content.decode()
    assert enrolment.trainee.email in page and "injoignable" in page

    smtp.start()
    client.force_login(trainer)
    url = reverse("training:convocation_resend", args=[session.pk, enrolment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    run_tasks()
    assert [m["To"] for m in smtp.sink.messages()] == [enrolment.trainee.email]
    assert EmailDelivery.objects.filter(status="sent").count() == 1


def test_an_email_sent_before_a_crash_is_not_sent_again(
    trainer, smtp, django_capture_on_commit_callbacks, run_tasks
):
    """A worker killed during the SMTP conversation leaves the row « sending »: it is never
    retried by itself (at most once), the recovery marks it failed for the trainer to decide."""
    from training.background.services import SENDING_STALE, deliveries_recover
    from training.sessions import emails

    smtp.start()
    session = SessionFactory(trainers=[trainer])
    enrolment = EnrolmentFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        emails.convocations_queue(session=session, trainee_ids=[enrolment.trainee_id])
    # What a worker does just before it dies in the middle of the send:
    EmailDelivery.objects.update(status="sending", attempts=1, attempt_started_at=timezone.now())
    run_tasks()
    assert smtp.sink.messages() == []  # the task found it « sending »: not sent twice
    assert deliveries_recover(now=timezone.now() + SENDING_STALE * 2) == 1
    delivery = EmailDelivery.objects.get()
    assert delivery.status == "failed" and "renvoyez-le si besoin" in delivery.reason


def test_a_scheduled_send_waits_for_its_time(
    trainer, django_capture_on_commit_callbacks, run_tasks
):
    from training.sessions import emails

    session = SessionFactory(trainers=[trainer])
    enrolment = EnrolmentFactory(session=session)
    send_at = timezone.now() + datetime.timedelta(seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        emails.emails_schedule(
            kind=EmailDelivery.Kind.CONVOCATION,
            recipient_ids=[enrolment.trainee_id],
            session=session,
            send_at=send_at,
        )
    run_tasks()
    assert mail.outbox == []
    _wait_until(send_at)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[enrolment.trainee.email]]


def test_a_task_that_raises_is_listed_for_the_administrators(client, administrator, run_tasks):
    from tests.background.failing import always_fails

    always_fails.enqueue("disque plein")
    run_tasks()
    failure = TaskFailure.objects.get()
    assert failure.task == "tests.background.failing.always_fails"
    assert "RuntimeError: boom: disque plein" in failure.error
    client.force_login(administrator)
    page = client.get(reverse("training:task_failures")).content.decode()
    assert "tests.background.failing.always_fails" in page and "boom: disque plein" in page


def test_a_bundle_is_built_once_by_the_worker(
    trainer, monkeypatch, django_capture_on_commit_callbacks, run_tasks
):
    from core import pdf
    from training.documents import services

    monkeypatch.setattr(
        pdf, "render_pdf", lambda *a, title, **k: b"%PDF-1.7\n% " + title.encode() + b"\n%%EOF\n"
    )
    session, _trainer, trainees = attested_session(trainees=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, started = services.bundle_request(session=session, which="tout")
        again, started_again = services.bundle_request(session=session, which="tout")
    assert started and not started_again and again.pk == first.pk
    assert run_tasks() == 1
    first.refresh_from_db()
    assert (first.status, first.done, first.total) == ("ready", 10, 10)
    with zipfile.ZipFile(first.file.path) as archive:
        assert archive.testzip() is None and len(archive.namelist()) == 4 + 3 * len(trainees)


def test_the_scheduler_closes_half_days_left_open_once(
    client, trainer, django_capture_on_commit_callbacks, run_tasks
):
    from training.attendance import services as attendance
    from training.attendance.models import SlotAttendance
    from training.privacy.models import AuditEvent

    today = timezone.localdate()
    session = SessionFactory(
        trainers=[trainer],
        dates=[today - datetime.timedelta(days=2), today - datetime.timedelta(days=1)],
    )
    EnrolmentFactory(session=session)
    slot = session.slots.order_by("date", "period").first()
    SlotAttendance.objects.create(
        slot=slot, status="ouvert", opened_at=timezone.now(), opened_by=trainer
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler_tick(worker="hôte-a:1", started_at=now, now=now)
        second = scheduler_tick(worker="hôte-b:2", started_at=now, now=now)  # another worker
    assert "attendance.close_overdue" in first and second == []
    assert PeriodicRun.objects.filter(name="attendance.close_overdue").count() == 1
    run_tasks()
    state = SlotAttendance.objects.get(slot=slot)
    assert state.status == "clos_auto" and state.closed_at is not None
    event = AuditEvent.objects.get(action="slot.auto_close")
    assert event.actor is None and "close automatiquement" in event.summary
    client.force_login(trainer)
    page = client.get(reverse("training:attendance_session", args=[session.pk])).content.decode()
    assert "Close automatiquement, à attester" in page and "close automatiquement le" in page
    # The trainer still attests it; the absents are recorded then.
    attendance.slot_close_and_attest(
        slot=slot, trainer=trainer, typed_name=trainer.get_full_name(), certified=True
    )
    assert SlotAttendance.objects.get(slot=slot).status == "clos"


def test_the_queue_health_reports_a_queue_that_does_not_move(settings, run_tasks):
    from tests.background.failing import always_fails

    now = timezone.now()
    assert queue_health(now=now).ok
    always_fails.enqueue("pour la file")
    later = now + datetime.timedelta(minutes=settings.TASKS_STUCK_MINUTES + 1)
    health = queue_health(now=later)
    assert not health.ok and health.ready == 1
    assert "no worker heartbeat" in health.problem
    heartbeat_record(name="hôte:1", backend=settings.TASKS_BACKEND, started_at=later, now=later)
    health = queue_health(now=later)
    assert not health.ok and health.workers == ["hôte:1"]  # alive, but the task still waits
    run_tasks()
    health = queue_health(now=later)
    assert health.ok and health.ready == 0 and health.oldest_ready_seconds is None
    assert health.as_dict()["backend"] == settings.TASKS_BACKEND


def test_an_unused_account_gets_no_invitation_once_it_is_in_use(
    django_capture_on_commit_callbacks, run_tasks
):
    from training.sessions import emails

    user = UserFactory(role="Stagiaire")  # has a password: the link is no longer needed
    with django_capture_on_commit_callbacks(execute=True):
        emails.invitations_queue(user_ids=[user.pk])
    run_tasks()
    assert mail.outbox == []
    assert EmailDelivery.objects.get().status == "cancelled"
