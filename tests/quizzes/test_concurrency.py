"""Concurrent submissions of one attempt, with real threads and their own DB connections.

On SQLite the test database is normally a shared-cache in-memory database, whose table locks
fail at once ("database table is locked") instead of waiting like a real database file does.
The threads therefore run against a file copy of it, configured as in production (WAL,
IMMEDIATE transactions, busy timeout); on PostgreSQL they use the test database directly.
"""

import contextlib
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer, Attempt
from tests.factories import UserFactory, quiz_with_questions
from tests.quizzes.helpers import as_post, right_answers

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@contextlib.contextmanager
def real_database(tmp_path):
    """Point new connections at a file copy of an in-memory SQLite test database."""
    default = connections["default"]
    if default.vendor != "sqlite" or not default.is_in_memory_db():
        yield
        return
    default.ensure_connection()
    path = tmp_path / "concurrency.sqlite3"
    copy = sqlite3.connect(path)
    default.connection.backup(copy)
    # WAL before the threads connect, as a migrated database already is: 20 connections that
    # each switch the journal mode at once can fail with "database is locked" (no busy wait).
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    name = default.settings_dict["NAME"]
    default.settings_dict["NAME"] = str(path)  # shared with the connections threads open
    try:
        yield
    finally:
        default.settings_dict["NAME"] = name


def in_thread(function):
    """Run a read in a thread of its own (so that it uses the same database as the workers)."""
    results, errors = run_together(lambda _index: function(), count=1)
    if errors:
        raise errors[0]
    return results[0]


def run_together(target, count=THREADS):
    """Start ``count`` threads on a barrier so that they hit the database at the same time."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results.append(target(index))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def _quiz():
    return quiz_with_questions(
        [
            ("single", (True, False, False)),
            ("multiple", (True, True, False)),
            ("true_false", (True, False)),
        ]
    )


def test_twenty_simultaneous_service_submissions_grade_once(tmp_path):
    quiz = _quiz()
    user = UserFactory(role="Stagiaire")
    attempt_id = services.attempt_start(user=user, quiz=quiz).pk
    answers = right_answers(quiz)

    def submit(_index):
        attempt = Attempt.objects.select_related("quiz").get(pk=attempt_id)
        graded, won = services.attempt_submit(attempt=attempt, answers=answers)
        return won, graded.score_percent

    with real_database(tmp_path):
        results, errors = run_together(submit)
        saved = in_thread(
            lambda: (
                Answer.objects.filter(attempt_id=attempt_id).count(),
                Attempt.objects.get(pk=attempt_id).status,
            )
        )
    assert errors == []
    assert len(results) == THREADS
    assert sum(1 for won, _ in results if won) == 1
    assert {score for _, score in results} == {100}
    assert saved == (3, Attempt.Status.SUBMITTED)


def test_twenty_simultaneous_posts_of_the_quiz_page_give_one_result_and_no_500(tmp_path):
    quiz = _quiz()
    user = UserFactory(role="Stagiaire")
    attempt_id = services.attempt_start(user=user, quiz=quiz).pk
    url = reverse("quizzes:attempt_take", args=[attempt_id])
    data = as_post(right_answers(quiz))
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def post(index):
        response = clients[index].post(url, data)
        return response.status_code, response.headers.get("Location")

    with real_database(tmp_path):
        results, errors = run_together(post)
        saved = in_thread(
            lambda: (
                Answer.objects.filter(attempt_id=attempt_id).count(),
                Attempt.objects.get(pk=attempt_id).score_percent,
            )
        )
    assert errors == []
    assert {status for status, _ in results} == {302}
    assert {location for _, location in results} == {
        reverse("quizzes:attempt_result", args=[attempt_id])
    }
    assert saved == (3, 100)


def test_simultaneous_starts_create_one_attempt(tmp_path):
    quiz = _quiz()
    user = UserFactory(role="Stagiaire")

    def start(_index):
        return services.attempt_start(user=user, quiz=quiz).pk

    with real_database(tmp_path):
        results, errors = run_together(start, count=10)
        count = in_thread(lambda: Attempt.objects.filter(user=user, quiz=quiz).count())
    assert errors == []
    assert len(set(results)) == 1
    assert count == 1
