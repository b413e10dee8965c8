"""Backups of the database: SQLite through its online backup API, PostgreSQL with pg_dump.

SQLite's backup API copies a consistent snapshot page by page while the site keeps running
(writers wait a moment, readers are not blocked). PostgreSQL is dumped in the custom format
(``pg_dump -Fc``) and restored with ``pg_restore --clean --if-exists``; the password goes
through ``PGPASSWORD`` in the child's environment, never on the command line.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """Raised when a backup or a restore cannot be made."""


def _vendor(alias: str) -> str:
    return connections[alias].vendor


def _settings(alias: str) -> dict:
    return connections[alias].settings_dict


def pg_environment(db: dict) -> dict:
    """Return the environment for pg_dump/pg_restore (PGPASSWORD etc. from DATABASES)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def pg_dump_command(db: dict, out: Path) -> list[str]:
    return ["pg_dump", "-Fc", "--no-owner", "--file", str(out), "--dbname", str(db["NAME"])]


def pg_restore_command(db: dict, source: Path) -> list[str]:
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--dbname",
        str(db["NAME"]),
        str(source),
    ]


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell, values from settings
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed or not on PATH.") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sqlite_copy(source: str, target: str) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _private_file(out: Path) -> None:
    """Create ``out`` empty, readable and writable by its owner only (0600).

    A backup holds every trainee's personal data and evidence: no other local user may read
    it, even for the moment it is being written. A folder created for it is 0700.
    """
    if not out.parent.exists():
        out.parent.mkdir(parents=True, mode=0o700)
    if out.exists():
        out.unlink()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    os.chmod(out, 0o600)  # whatever the umask


def backup_db(*, out: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``out`` (mode 0600); return the path."""
    out = Path(out)
    db = _settings(alias)
    vendor = _vendor(alias)
    if vendor == "sqlite":
        if str(db["NAME"]) == ":memory:" or "mode=memory" in str(db["NAME"]):
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        _private_file(out)  # SQLite writes into the empty file (and its journal takes its mode)
        _sqlite_copy(str(db["NAME"]), str(out))
    elif vendor == "postgresql":
        _private_file(out)  # pg_dump truncates and writes it, keeping its mode
        _run(pg_dump_command(db, out), pg_environment(db))
    else:
        raise BackupError(f"No backup method for the {vendor} database.")
    os.chmod(out, 0o600)
    return out


def restore_db(*, source: Path, alias: str = "default") -> None:
    """Replace the database's content by the backup ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    db = _settings(alias)
    vendor = _vendor(alias)
    connections[alias].close()
    if vendor == "sqlite":
        with open(source, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not a SQLite database.")
        _sqlite_copy(str(source), str(db["NAME"]))
    elif vendor == "postgresql":
        _run(pg_restore_command(db, source), pg_environment(db))
    else:
        raise BackupError(f"No restore method for the {vendor} database.")
