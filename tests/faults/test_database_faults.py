"""A read-only or locked SQLite database under a real gunicorn: 503 « réessayez » with
Retry-After, never a 500, and service back as soon as the database is (issue 24: 9.5 minutes
of 500s after a read-only window, 500 « database is locked » after 20 s).

Run by root, the read-only test's server drops the capabilities that let root ignore file
permissions (a read-only file would not be read-only for it otherwise).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections import Counter

import pytest

from tests.faults.server import children

pytestmark = pytest.mark.faults

TRAINEE = {"username": "stagiaire@demo.example", "password": "demo-stagiaire-2026"}


def _login(server):
    """A request that writes (session, last login, login log): 302 when it worked."""
    began = time.monotonic()
    status, headers, body = server.post_form("/comptes/connexion/", TRAINEE, who=None)
    return status, headers, body, time.monotonic() - began


def _read(server):
    began = time.monotonic()
    status, _headers, _body = server.get("/")
    return status, time.monotonic() - began


def _files(database):
    return [path for path in database.parent.glob(database.name + "*") if path.is_file()]


def _recycle_workers(server) -> None:
    """Replace the workers (a deploy or a crash during the fault): their new connections are
    opened while the file is read-only."""
    before = set(children(server.process.pid))
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = set(children(server.process.pid))
        if len(now) == server.workers and not now & before:
            break
        time.sleep(0.1)
    server.wait_ready(timeout=30)


def test_a_read_only_database_answers_503_then_service_returns_at_once(start_server):
    server = start_server(file_permissions_apply=True)
    database = server.folder / "db.sqlite3"
    assert _login(server)[0] == 302

    database.chmod(0o444)
    try:
        _recycle_workers(server)
        window = Counter()
        for _ in range(10):
            status, headers, body, _elapsed = _login(server)
            window[status] += 1
            if status == 503:
                assert headers["Retry-After"] == "30"
                assert "Service momentanément indisponible" in body.decode()
            read_status, _ = _read(server)
            window[f"read {read_status}"] += 1
    finally:
        # The operator makes the database writable again: the file and its -wal and -shm files,
        # which SQLite creates with the file's mode (read-only ones if made meanwhile).
        modes = {path.name: oct(path.stat().st_mode & 0o777) for path in _files(database)}
        for path in _files(database):
            path.chmod(0o644)
    restored = time.monotonic()
    after = Counter()
    while True:
        status = _login(server)[0]
        after[status] += 1
        if status == 302 or time.monotonic() - restored > 30:
            break
    recovery = time.monotonic() - restored
    errors = [line for line in server.log.read_text().splitlines() if "Error:" in line]
    assert window[500] == 0 and after[500] == 0, (window, after, errors[-5:])
    assert window[503] == 10, window  # every write refused cleanly…
    assert window["read 200"] == 10, window  # …while reading still works
    # Back at once: at most one refused write per worker (a connection opened read-only
    # that only read since), then the next one works.
    assert after[302] == 1 and after[503] <= server.workers, (after, modes, errors[-5:])
    assert recovery < 5
    print(
        f"read-only window: {dict(window)} (files {modes}); "
        f"after restore: {dict(after)} in {recovery:.2f} s"
    )


def test_a_locked_database_answers_503_after_the_lock_timeout_and_reads_go_on(start_server):
    server = start_server()
    assert _login(server)[0] == 302
    locker = sqlite3.connect(server.folder / "db.sqlite3", timeout=10, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # the write lock, as a long transaction would hold it
    results = {}

    def write():
        results["write"] = _login(server)

    try:
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        reads = [_read(server) for _ in range(3)]  # the other worker reads meanwhile
        writer.join(timeout=30)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    status, headers, body, elapsed = results["write"]
    assert status == 503, (status, body[:300])
    assert headers["Retry-After"] == "30"
    assert "Réessayez dans 30 secondes." in body.decode()
    assert 4 <= elapsed < 8  # DATABASE_LOCK_TIMEOUT (5 s), not 20
    assert all(read_status == 200 and took < 2 for read_status, took in reads), reads
    released = time.monotonic()
    assert _login(server)[0] == 302
    print(
        f"locked: write answered 503 in {elapsed:.2f} s; reads {[round(t, 2) for _s, t in reads]} s; "
        f"first write after release in {time.monotonic() - released:.2f} s"
    )
