"""Backup and restore round trip on a file SQLite database, in subprocesses like in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_backup_then_restore_gives_identical_counts_and_fingerprints(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        SQLITE_PATH=str(tmp_path / "site.sqlite3"), DJANGO_MEDIA_ROOT=str(tmp_path / "media")
    )
    _manage(env, "migrate", "--noinput")
    _shell(env, "seed")
    before = _snapshot(env)
    assert before["counts"]["training_attendancesignature"] == 12
    assert before["fingerprints"]

    out = _manage(env, "backup_db", "--out", str(tmp_path / "backup" / "site.sqlite3"))
    assert "Backup written" in out
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

    _manage(env, "restore_db", "--from", str(tmp_path / "backup" / "site.sqlite3"))
    after = _snapshot(env)
    assert after["counts"] == before["counts"]
    assert after["fingerprints"] == before["fingerprints"]
    assert "OK" in _manage(env, "verify_evidence")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
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
