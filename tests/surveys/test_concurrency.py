"""Several senders running at the same moment (the periodic tick on two workers, a cron
job at the same time) still send each invitation and each reminder exactly once.

Real threads and transactions: each thread has its own database connection. Runs on
SQLite (a file, as in production) and on PostgreSQL (DATABASE_URL).
"""

import threading

import pytest
from django.core import mail
from django.db import connections

from tests.attendance.test_concurrency import threads_database
from tests.surveys.helpers import at, full_answers, session_on
from training.surveys import services
from training.surveys.models import SurveyInvitation, SurveyMessage

pytestmark = pytest.mark.django_db(transaction=True)

TRAINEES = 12
RUNNERS = 6


def _concurrently(when, tmp_path):
    barrier = threading.Barrier(RUNNERS)
    errors: list[BaseException] = []
    reports = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait(timeout=30)
            report = services.survey_sends_run(now=when)
            with lock:
                reports.append(report)
        except BaseException as exc:  # reported by the assertions
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    with threads_database(tmp_path):
        threads = [threading.Thread(target=run) for _ in range(RUNNERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return errors, reports


def test_concurrent_senders_send_each_invitation_and_reminder_once(course_loaded, tmp_path):
    session, trainer, people = session_on(trainees=TRAINEES)
    mail.outbox.clear()
    errors, reports = _concurrently(at("2026-03-10", 17, 0), tmp_path)
    assert errors == []
    recipients = sorted(a for m in mail.outbox for a in m.to)
    assert recipients == sorted([p.email for p in people] + [trainer.email])
    assert sum(r.invitations for r in reports) == TRAINEES + 1
    assert SurveyInvitation.objects.filter(session=session).count() == TRAINEES + 1
    assert SurveyMessage.objects.filter(number=0).count() == TRAINEES + 1

    # Half of them answer; the J+3 reminder goes once to each of the others.
    for person in people[: TRAINEES // 2]:
        invitation = SurveyInvitation.objects.get(recipient=person)
        services.response_submit(
            invitation=invitation,
            answers=full_answers(invitation.questionnaire),
            now=at("2026-03-11"),
        )
    mail.outbox.clear()
    errors, reports = _concurrently(at("2026-03-13", 9, 0), tmp_path)
    assert errors == []
    reminded = sorted(a for m in mail.outbox for a in m.to)
    assert reminded == sorted([p.email for p in people[TRAINEES // 2 :]] + [trainer.email])
    assert SurveyMessage.objects.filter(number=1).count() == TRAINEES // 2 + 1
