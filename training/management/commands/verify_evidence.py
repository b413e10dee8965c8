"""Recompute each half-day's signature chain and compare it with its stored seal, and check
the stored files against their rows.

Exit code 1 when a chain differs from its seal (a record was changed, added or removed
outside the application), a closed half-day has no seal, an evidence file is missing or no
longer has its recorded SHA-256, or a file has no row (``purge_expired`` removes those).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from training.privacy.evidence import evidence_verify
from training.privacy.files import stored_files_check
from training.sessions.models import TrainingSession


class Command(BaseCommand):
    help = "Verify the attendance evidence chains against their seals (exit 1 on mismatch)."

    def add_arguments(self, parser):
        parser.add_argument("--session", help="Reference code of one session.")

    def handle(self, *args, session=None, **options):
        target = None
        if session:
            target = TrainingSession.objects.filter(code=session).first()
            if target is None:
                raise CommandError(f"No session with the reference {session}.")
        checked, problems = evidence_verify(session=target)
        for problem in problems:
            slot = problem.slot
            if problem.kind == "unsealed":
                self.stdout.write(
                    self.style.ERROR(f"UNSEALED {slot.session.code} {slot}: closed without a seal")
                )
            else:
                self.stdout.write(
                    self.style.ERROR(
                        f"MISMATCH {slot.session.code} {slot}: sealed {problem.expected}, "
                        f"recomputed {problem.found}"
                    )
                )
        files = stored_files_check()
        for missing in files.missing:
            word = "ALTERED FILE" if missing.altered else "MISSING FILE"
            style = self.style.ERROR if missing.model != "generateddocument" else self.style.WARNING
            self.stdout.write(style(f"{word} {missing.model} #{missing.pk}: {missing.name}"))
        for name in files.orphan_files:
            self.stdout.write(self.style.WARNING(f"ORPHAN FILE {name}: no row names it"))
        if problems or not files.ok:
            self.stdout.write(
                f"{len(problems)} problem(s) in {checked} half-day(s) checked; "
                f"{len(files.missing)} file(s) missing or altered, "
                f"{len(files.orphan_files)} orphan file(s)."
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"OK: {checked} half-day(s) verified."))
        self.stdout.write(self.style.SUCCESS("OK: the stored files match their rows."))
