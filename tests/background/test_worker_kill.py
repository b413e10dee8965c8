"""A real worker process killed in the middle of a bundle: no half-written ZIP is offered,
and a restarted worker finishes it.

Everything runs in real processes on a database of their own (a SQLite file, or a PostgreSQL
database in the PostgreSQL pass): ``migrate``, ``load_course`` and ``seed_demo`` build the demo
(its finished session: 13 trainees, 43 documents), ``manage.py tasks_worker`` is started in a
process group of its own and killed with SIGKILL (the whole group, as systemd does for a unit
whose main process dies), then started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]

pytestmark = pytest.mark.django_db


class Database:
    """A throwaway database for the processes of this test, read back with a plain driver."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            import psycopg

            base = dict(connection.settings_dict)
            self.name = f"training_kill_{uuid.uuid4().hex[:8]}"
            self.params = {
                "host": base["HOST"] or "127.0.0.1",
                "port": base["PORT"] or 5432,
                "user": base["USER"],
                "password": base["PASSWORD"],
            }
            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            p = self.params
            self.env = {
                "DATABASE_URL": f"postgres://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{self.name}"
            }
        else:
            self.path = tmp_path / "kill.sqlite3"
            self.env = {"DATABASE_URL": "", "SQLITE_PATH": str(self.path)}

    def row(self, sql: str, params=()):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname=self.name, **self.params) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()
        import sqlite3

        with sqlite3.connect(self.path, timeout=20) as conn:
            return conn.execute(sql, params).fetchone()

    def drop(self):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(settings.TASKS_BACKEND != "database", reason="database backend only")
def test_a_worker_killed_mid_bundle_leaves_no_zip_and_a_restarted_one_finishes_it(tmp_path):
    database = Database(tmp_path)
    media = tmp_path / "media"
    env = {
        **os.environ,
        **database.env,
        "DJANGO_SETTINGS_MODULE": "training.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_MEDIA_ROOT": str(media),
        "TASKS_BACKEND": "database",
        "TASKS_TICK_SECONDS": "1",
        "BUNDLE_STALE_SECONDS": "3",
        "WORKER_PDF_PROCESSES": "1",
    }
    workers = []

    def start_worker():
        log = open(tmp_path / f"worker-{len(workers)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [*MANAGE, "tasks_worker"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        workers.append(process)
        return process

    def bundle():
        return database.row(
            "SELECT status, done, total, file FROM training_documentbundle WHERE id = ?",
            (bundle_id,),
        )

    try:
        for command in (["migrate", "-v0"], ["load_course"], ["seed_demo"]):
            subprocess.run([*MANAGE, *command], env=env, cwd=ROOT, check=True, capture_output=True)
        asked = subprocess.run(
            [
                *MANAGE,
                "shell",
                "-c",
                (
                    "from training.documents.services import bundle_request\n"
                    "from training.sessions.models import TrainingSession\n"
                    "s = TrainingSession.objects.get(code='DEMO-TERMINEE')\n"
                    "b, started = bundle_request(session=s, which='tout')\n"
                    "print('BUNDLE', b.pk, started)\n"
                ),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        line = next(x for x in asked.stdout.splitlines() if x.startswith("BUNDLE"))
        bundle_id = int(line.split()[1])

        first = start_worker()
        status, done, total, _file = _wait(
            lambda: (row := bundle()) and row[0] == "running" and row[1] >= 5 and row,
            120,
            "the bundle to be half built",
        )
        assert done < total == 43
        os.killpg(first.pid, signal.SIGKILL)  # the worker and whatever it started
        first.wait(timeout=10)
        time.sleep(0.5)
        status, done_at_kill, total, file = bundle()
        assert status == "running" and file == ""  # never marked ready
        assert done_at_kill < total
        assert not list(media.rglob("*.zip"))  # no ZIP under its final name, nothing served

        start_worker()
        status, done, total, file = _wait(
            lambda: (row := bundle()) and row[0] == "ready" and row, 180, "the bundle to be ready"
        )
        assert done == total == 43
        path = media / file
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
        assert len(names) == 43
        assert all(name.endswith(".pdf") for name in names)
        assert not list(media.rglob("*.part"))  # the killed worker's temporary file is gone
        attempts = database.row(
            "SELECT attempts FROM training_documentbundle WHERE id = ?", (bundle_id,)
        )
        assert attempts[0] == 2  # the killed build, then the one that finished it
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        database.drop()
