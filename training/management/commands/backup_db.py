"""Back up the database to a file, safely while the site runs (SQLite backup API or pg_dump)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.privacy.backup import BackupError, backup_db


class Command(BaseCommand):
    help = "Write a consistent backup of the database to FILE (SQLite copy or pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Path of the backup file to write.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, out, database, **options):
        try:
            path = backup_db(out=Path(out), alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
