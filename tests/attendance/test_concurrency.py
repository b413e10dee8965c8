"""25 trainees sign one half-day at the same moment, each sending their form twice.

Real threads and real transactions (``transaction=True``): every request gets its own
database connection, as under gunicorn. Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

import base64
import contextlib
import sqlite3
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.factories import attendance_session, signature_png
from training.attendance import codes
from training.attendance.models import AttendanceSignature, SlotAttendance

pytestmark = pytest.mark.django_db(transaction=True)

TRAINEES = 25


@contextlib.contextmanager
def threads_database(tmp_path):
    """On SQLite, let the threads use a database file, as in production.

    Django's SQLite test database lives in memory in "shared cache" mode, where concurrent
    writers fail at once with "database table is locked" instead of waiting (busy timeout,
    WAL). So the in-memory database is copied to a file, the threads' new connections use the
    file (with the project's WAL / IMMEDIATE / timeout options), and the result is copied
    back for the assertions. PostgreSQL needs none of this.
    """
    main = connections["default"]
    if main.vendor != "sqlite" or not main.is_in_memory_db():
        yield
        return
    main.ensure_connection()
    path = str(tmp_path / "concurrency.sqlite3")
    target = sqlite3.connect(path)
    main.connection.backup(target)
    # WAL before the threads connect, as a migrated database already is: connections that
    # each switch the journal mode at once can fail with "database is locked" (no busy wait).
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": path}
    try:
        yield
    finally:
        connections.settings["default"] = original
        source = sqlite3.connect(path)
        source.backup(main.connection)
        source.close()


def test_concurrent_and_repeated_submissions_record_exactly_one_signature_each(tmp_path):
    session, slot, trainer, people = attendance_session(trainees=TRAINEES, open_slot=True)
    state = SlotAttendance.objects.get(slot=slot)
    url = reverse("training:attendance_sign", args=[slot.pk])
    image = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)
    barrier = threading.Barrier(TRAINEES * 2)
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(client):
        try:
            code = codes.code_current(secret=state.secret)
            barrier.wait(timeout=30)
            response = client.post(url, {"code": code, "signature": image})
            with lock:
                statuses.append(response.status_code)
        except BaseException as exc:  # reported by the assertions below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    with threads_database(tmp_path):
        threads = [
            threading.Thread(target=submit, args=(client,)) for client in clients for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert len(statuses) == TRAINEES * 2
    assert 500 not in statuses
    assert statuses.count(302) == TRAINEES  # one success per trainee
    assert statuses.count(400) == TRAINEES  # the duplicate is refused clearly
    assert AttendanceSignature.objects.filter(slot=slot).count() == TRAINEES
    assert set(AttendanceSignature.objects.values_list("trainee_id", flat=True)) == {
        p.pk for p in people
    }
