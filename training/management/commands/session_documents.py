"""Write a session's documents (PDF) into a folder.

For printing a whole pack before a session, or archiving one after it, without a browser.
It uses the same cached rendering as the site: documents whose inputs did not change since
their last rendering are copied from storage, not rendered again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.documents.registry import KINDS, kind_get
from training.documents.services import documents_write
from training.sessions.models import TrainingSession


class Command(BaseCommand):
    help = "Write the documents of the session REF (or only those of one kind) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Session reference code, e.g. PS-2025-03.")
        parser.add_argument("--out", required=True, help="Folder to write the PDF files into.")
        choices = sorted({*KINDS, *(kind.slug for kind in KINDS.values())})
        parser.add_argument(
            "--kind", choices=choices, help="Only this kind of document (default: all)."
        )

    def handle(self, *args, reference, out, kind=None, **options):
        session = TrainingSession.objects.filter(code=reference).first()
        if session is None:
            raise CommandError(f"No session with the reference {reference!r}.")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create the folder {folder}: {exc}") from exc
        key = kind_get(kind).key if kind else None
        written = documents_write(session=session, out=folder, kind=key)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} document(s) written to {folder}."))
