"""Restore the database from a file written by ``backup_db`` (replaces the current content)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.privacy.backup import BackupError, restore_db


class Command(BaseCommand):
    help = "Replace the database's content by the backup FILE (SQLite copy or pg_restore)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="Backup file.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, source, database, **options):
        try:
            restore_db(source=Path(source), alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Database restored from {source}"))
