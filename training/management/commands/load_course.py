"""Load the course content from fixtures/ into the database.

Authors edit files; this command is how they reach the database, so that the rendered HTML
is always produced by the one render function and a malformed file never leaves half-loaded
content behind (one transaction, precise error, non-zero exit). Every citation of a legal
text must be in ``fixtures/references.yaml``.

An edit made in the admin since the last load is kept, reported and written out as a patch
for the files (``training/content/guard.py``); the exit code stays 0 so that ``make run``
and deployments go on. ``--force`` overwrites such edits (listing what it discards);
``--strict`` refuses the load instead (exit code 1, nothing changed).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from modules.content import ContentError
from training.content.loader import FIXTURES_DIR, AdminEditsKept, content_load
from training.content.patches import patch_build


def _value(value, limit=100) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Command(BaseCommand):
    help = "Create or update the course, quizzes, guide and legal references from fixtures/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing."
        )
        parser.add_argument(
            "--path", default=str(FIXTURES_DIR), help="Content folder (default: fixtures/)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite the edits made in the admin with the files (and list them).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the load (exit code 1) if it would keep edits made in the admin.",
        )
        parser.add_argument(
            "--patch-file",
            default=str(settings.CONTENT_PATCH_FILE),
            help="Where to write the patch of the edits made in the admin.",
        )

    def handle(self, *args, dry_run=False, path=None, force=False, strict=False, **options):
        patch_file = Path(options["patch_file"])
        if force and strict:
            raise CommandError("--force and --strict cannot be used together.")
        try:
            report = content_load(base=Path(path), dry_run=dry_run, force=force, strict=strict)
        except ContentError as exc:
            raise CommandError(f"Content error, nothing was changed: {exc}") from exc
        except AdminEditsKept as exc:
            self._edits(exc.guard, dry_run=False, patch_file=patch_file)
            raise CommandError(
                f"{len(exc.guard.kept)} edit(s) made in the admin would be kept: nothing was "
                "changed (--strict). Apply the patch to the files, or run with --force."
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        self._edits(report.guard, dry_run=dry_run, patch_file=patch_file)
        prefix = "Dry run: nothing saved. " if dry_run else ""
        if report.revision is not None and not dry_run:
            self.stdout.write(f"Content revision {report.revision.number} recorded.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.total('created')} created, {report.total('updated')} updated, "
                f"{report.total('unchanged')} unchanged, {report.total('removed')} removed."
            )
        )

    def _edits(self, guard, *, dry_run: bool, patch_file: Path) -> None:
        if guard is None or not (guard.kept or guard.discarded):
            return
        for edit in guard.kept:
            where = f"{edit.path}:{edit.line}" if edit.line else edit.path
            if edit.created_in_admin:
                self.stderr.write(
                    self.style.WARNING(
                        f"Kept (created in the admin, not in the files): {edit.label}. Add it "
                        "to the files, or delete it in the admin."
                    )
                )
            else:
                self.stderr.write(
                    self.style.WARNING(
                        f"Kept the edit made in the admin: {edit.label}, field '{edit.field}' "
                        f"(file: {where}). The file says: « {_value(edit.file_value)} »"
                    )
                )
        for edit in guard.discarded:
            what = (
                "created in the admin, deleted"
                if edit.created_in_admin
                else (f"field '{edit.field}', the admin's text « {_value(edit.admin_value)} »")
            )
            self.stderr.write(self.style.WARNING(f"Overwritten by --force: {edit.label}, {what}."))
        patch = patch_build(guard.kept + guard.discarded, root=Path(settings.BASE_DIR))
        if not patch or dry_run:
            return
        try:
            patch_file.parent.mkdir(parents=True, exist_ok=True)
            patch_file.write_text(patch, encoding="utf-8")
        except OSError as exc:
            self.stderr.write(
                self.style.WARNING(f"Could not write the patch to {patch_file}: {exc}")
            )
            return
        self.stderr.write(
            self.style.WARNING(
                f"Patch written to {patch_file}: apply it from the project folder with "
                f"`git apply {patch_file}` to carry these edits into the files."
            )
        )
