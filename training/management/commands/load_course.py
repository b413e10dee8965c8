"""Load the course content from fixtures/ into the database.

Authors edit files; this command is the only way they reach the database, so that the
rendered HTML is always produced by the one render function and a malformed file never leaves
half-loaded content behind (one transaction, precise error, non-zero exit).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from modules.content import ContentError
from training.content.loader import FIXTURES_DIR, content_load


class Command(BaseCommand):
    help = "Create or update the course, quizzes and guide from the fixtures folder, by slug."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing."
        )
        parser.add_argument(
            "--path", default=str(FIXTURES_DIR), help="Content folder (default: fixtures/)."
        )

    def handle(self, *args, dry_run=False, path=None, **options):
        try:
            report = content_load(base=Path(path), dry_run=dry_run)
        except ContentError as exc:
            raise CommandError(f"Content error, nothing was changed: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        prefix = "Dry run: nothing saved. " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.total('created')} created, {report.total('updated')} updated, "
                f"{report.total('unchanged')} unchanged, {report.total('removed')} removed."
            )
        )
