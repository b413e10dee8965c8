"""Build the proof pack (« dossier de preuves ») of one session into a ZIP file, directly:
the same function as the worker's, without the worker (for a script, or a server whose worker
is stopped). Prints the file's SHA-256 and the key's fingerprint.
"""

import hashlib
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.proofs import seal
from training.proofs.services import pack_write
from training.sessions.models import TrainingSession


class Command(BaseCommand):
    help = "Build the proof pack of a session (its reference code) into a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Reference code of the session, e.g. DEMO-TERMINEE.")
        parser.add_argument("--out", required=True, help="The ZIP file to write.")

    def handle(self, *args, code, out, **options):
        session = TrainingSession.objects.filter(code=code).select_related("course").first()
        if session is None:
            raise CommandError(f"No session with the reference {code}.")
        target = Path(out)
        if target.is_dir():
            raise CommandError(f"{target} is a folder: give the name of the ZIP file to write.")
        temporary = target.with_name(f".{target.name}.part")
        try:
            count = pack_write(session=session, path=temporary)
            os.replace(temporary, target)
        except seal.KeyUnavailable as exc:
            raise CommandError(f"The signing key is unavailable: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror or exc}") from exc
        finally:
            temporary.unlink(missing_ok=True)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        fingerprint = seal.key_fingerprint(seal.signing_key_get().public_key())
        self.stdout.write(self.style.SUCCESS(f"{target}: {count} files, SHA-256 {digest}"))
        self.stdout.write(f"Signed with the key {fingerprint}")
