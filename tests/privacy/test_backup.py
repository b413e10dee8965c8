"""Backup and restore round trips (file SQLite, and PostgreSQL in its pass), in subprocesses."""

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from training.privacy import backup

ROOT = Path(__file__).resolve().parents[2]


def _manage(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _shell(env, action):
    script = (Path(__file__).parent / "_roundtrip.py").read_text()
    return _manage({**env, "ROUNDTRIP_ACTION": action}, "shell", stdin=script)


def _snapshot(env):
    out = _shell(env, "snapshot")
    return json.loads(out.split("SNAPSHOT", 1)[1])


def _base_env():
    return {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }


def _round_trip(env, backup_file):
    """Seed, back up, damage, restore: the restored database equals the one backed up."""
    _manage(env, "migrate", "--noinput")
    _shell(env, "seed")
    before = _snapshot(env)
    assert before["counts"]["training_attendancesignature"] == 12
    assert before["fingerprints"]

    out = _manage(env, "backup_db", "--out", str(backup_file))
    assert "Backup written" in out
    assert backup_file.stat().st_size > 0
    # Personal data: readable by the owner only, and so is the folder the command created.
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_file.parent.stat().st_mode) == 0o700
    assert not any(p.name.endswith(("-journal", "-wal")) for p in backup_file.parent.iterdir())
    # A second backup over the first keeps the permissions.
    backup_file.chmod(0o644)
    _manage(env, "backup_db", "--out", str(backup_file))
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    _shell(env, "damage")
    damaged = _snapshot(env)
    assert damaged != before
    verify = subprocess.run(
        [sys.executable, "manage.py", "verify_evidence"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 1 and "MISMATCH" in verify.stdout

    _manage(env, "restore_db", "--from", str(backup_file))
    after = _snapshot(env)
    assert after["counts"] == before["counts"]
    assert after["fingerprints"] == before["fingerprints"]
    assert "OK" in _manage(env, "verify_evidence")


def test_backup_then_restore_gives_identical_counts_and_fingerprints(tmp_path):
    env = _base_env()
    env.update(
        SQLITE_PATH=str(tmp_path / "site.sqlite3"), DJANGO_MEDIA_ROOT=str(tmp_path / "media")
    )
    _round_trip(env, tmp_path / "backup" / "site.sqlite3")


@pytest.fixture
def scratch_postgres():
    """A throw-away PostgreSQL database next to the test database (PostgreSQL pass only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL pass only (DATABASE_URL=postgres://...)")
    import psycopg

    db = connection.settings_dict
    name = f"training_backup_{uuid.uuid4().hex[:12]}"
    params = {
        "dbname": "postgres",
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}"
            f"@{params['host']}:{params['port']}/{name}"
        )
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_backup_then_restore_gives_identical_counts_and_fingerprints(
    tmp_path, scratch_postgres
):
    """pg_dump -Fc then pg_restore --clean over a damaged database, on a real cluster."""
    env = _base_env()
    env.update(DATABASE_URL=scratch_postgres, DJANGO_MEDIA_ROOT=str(tmp_path / "media"))
    _round_trip(env, tmp_path / "backup" / "site.dump")
    assert (tmp_path / "backup" / "site.dump").read_bytes()[:5] == b"PGDMP"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = _base_env()
    env["SQLITE_PATH"] = str(tmp_path / "site.sqlite3")
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"not a database")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_db", "--from", str(bogus)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "not a SQLite database" in result.stderr


def test_postgresql_commands_use_pg_dump_and_the_password_in_the_environment(tmp_path):
    db = {
        "NAME": "training",
        "USER": "training",
        "PASSWORD": "s3cret",
        "HOST": "127.0.0.1",
        "PORT": 5432,
    }
    command = backup.pg_dump_command(db, tmp_path / "dump")
    assert command[:2] == ["pg_dump", "-Fc"] and "s3cret" not in " ".join(command)
    env = backup.pg_environment(db)
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "127.0.0.1"
    restore = backup.pg_restore_command(db, tmp_path / "dump")
    assert restore[0] == "pg_restore" and "--clean" in restore
