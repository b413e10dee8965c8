"""Recompute each half-day's signature chain and compare it with its stored seal.

Exit code 1 when a chain differs from its seal (a record was changed, added or removed
outside the application) or a closed half-day has no seal.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from training.privacy.evidence import evidence_verify
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
        if problems:
            self.stdout.write(f"{len(problems)} problem(s) in {checked} half-day(s) checked.")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"OK: {checked} half-day(s) verified."))
