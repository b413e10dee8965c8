"""Write a session's documents (PDF) into a folder.

For printing a whole pack before a session, or archiving one after it, without a browser.
The bundle is built by the task worker, like « Tout télécharger »: this command asks for it
(joining a build already under way for the same documents), follows its progress, then
unpacks the ZIP into the folder. Documents whose inputs did not change since their last
rendering are not printed again.
"""

import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.documents.models import DocumentBundle
from training.documents.registry import KINDS, kind_get
from training.documents.services import ZIP_ALL, bundle_request, bundle_wait
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
        parser.add_argument(
            "--timeout",
            type=float,
            default=1800,
            help="Seconds to wait for the worker (default: 1800).",
        )

    def handle(self, *args, reference, out, kind=None, timeout=1800, **options):
        session = TrainingSession.objects.filter(code=reference).first()
        if session is None:
            raise CommandError(f"No session with the reference {reference!r}.")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create the folder {folder}: {exc}") from exc
        which = kind_get(kind).key if kind else ZIP_ALL
        bundle, started = bundle_request(session=session, which=which)
        self.stdout.write(
            f"Bundle {bundle.pk}: {'queued' if started else 'already ' + bundle.status}, "
            f"{bundle.total} document(s); waiting for the task worker…"
        )
        bundle = bundle_wait(bundle=bundle, timeout=timeout)
        if bundle.status == DocumentBundle.Status.FAILED:
            raise CommandError(f"The bundle could not be built: {bundle.error}")
        if bundle.status != DocumentBundle.Status.READY:
            raise CommandError(
                f"The bundle is still {bundle.status} ({bundle.done}/{bundle.total}) after "
                f"{timeout:.0f} s. Is a task worker running? (make run starts one; in "
                "production: systemctl status partage-worker)"
            )
        written = []
        with bundle.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            for member in archive.infolist():
                target = (folder / member.filename).resolve()
                if folder.resolve() not in target.parents:  # pragma: no cover - our own ZIP
                    raise CommandError(f"Unexpected path in the bundle: {member.filename}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
                written.append(target)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} document(s) written to {folder}."))
