"""Check a proof pack offline: the manifest's Ed25519 signature, then each file against its
SHA-256. Names every file added, removed or changed. Touches no database (it runs on any
machine with the project's code, even without its settings' database).

Exit code 0 when everything matches; 1 on any problem.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.proofs import seal


class Command(BaseCommand):
    help = "Verify a proof pack (ZIP): signature and every file's SHA-256; exit 1 on a problem."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="The pack's ZIP file.")
        parser.add_argument(
            "--key-fingerprint",
            default="",
            help="The organisation's key fingerprint (legal notice page) the pack must be signed with.",
        )

    def handle(self, *args, file, key_fingerprint="", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        result = seal.pack_verify(path, expected_fingerprint=key_fingerprint)
        for problem in result.problems:
            self.stdout.write(self.style.ERROR(f"PROBLEM {problem}"))
        for name in result.changed:
            self.stdout.write(
                self.style.ERROR(f"CHANGED {name}: its SHA-256 is not the manifest's")
            )
        for name in result.added:
            self.stdout.write(self.style.ERROR(f"ADDED {name}: not in the manifest"))
        for name in result.removed:
            self.stdout.write(self.style.ERROR(f"REMOVED {name}: in the manifest, not in the ZIP"))
        if result.key_fingerprint:
            self.stdout.write(f"Key that signed: {result.key_fingerprint}")
        if not result.ok:
            count = (
                len(result.problems) + len(result.changed) + len(result.added) + len(result.removed)
            )
            self.stdout.write(self.style.ERROR(f"NOT VALID: {count} problem(s)."))
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: signature valid, {result.files_checked} files match the manifest"
                f" (session {result.session})."
            )
        )
        if not key_fingerprint:
            self.stdout.write(
                "Compare the key's fingerprint with the one on the organisation's legal notice page"
                " (or pass --key-fingerprint)."
            )
