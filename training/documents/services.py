"""Make, cache and bundle a session's documents.

``document_get`` is the one entry point: it fingerprints the document's inputs, returns the
stored PDF when that fingerprint was rendered before, and renders (then stores) it otherwise.
Views, the ZIP builder and the ``session_documents`` command all call it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.storage import file_save
from training.accounts.models import User
from training.background.services import failure_record
from training.documents import integrity, rendering
from training.documents.data import SessionData
from training.documents.models import DocumentBundle, GeneratedDocument
from training.documents.registry import KINDS, SESSION_KINDS, DocumentKind
from training.sessions.models import TrainingSession

logger = logging.getLogger(__name__)

ZIP_ALL = "tout"
ZIP_CERTIFICATES = "certificats"
ZIP_CHOICES = (ZIP_ALL, ZIP_CERTIFICATES)


@dataclass
class Document:
    """A document ready to be served: its stored row and its download name."""

    kind: DocumentKind
    record: GeneratedDocument
    filename: str
    rendered: bool  # False when served from the cache

    def read(self) -> bytes:
        with self.record.file.open("rb") as handle:
            return handle.read()


def _title(kind: DocumentKind, session: TrainingSession, trainee: User | None) -> str:
    from django.utils import translation

    with translation.override(rendering.DOCUMENT_LANGUAGE):
        title = f"{kind.label} — {session.code}"
        if trainee is not None:
            title += f" — {trainee.get_full_name()}"
        return str(title)


def _inputs(kind: DocumentKind, data: SessionData, trainee: User | None) -> tuple[str, str]:
    """Return the fingerprint of a document and its HTML (empty when rendered elsewhere)."""
    if kind.render is not None:
        extra = kind.fingerprint(data) if kind.fingerprint else ""
        return rendering.input_hash(kind.key, str(data.session.pk), extra), ""
    html = rendering.html_render(kind.template, kind.build(data, trainee))
    return rendering.input_hash(kind.key, html), html


def document_fingerprint(
    *, kind: DocumentKind, data: SessionData, trainee: User | None = None
) -> str:
    """The fingerprint of a document's inputs (its HTML; nothing printed): the proof pack's."""
    return _inputs(kind, data, trainee if kind.personal else None)[0]


def _stored(session, kind, trainee, digest) -> GeneratedDocument | None:
    record = GeneratedDocument.objects.filter(
        session=session, kind=kind.key, trainee=trainee, input_hash=digest
    ).first()
    if record is not None and integrity.stored_file_matches(record):
        return record
    if record is not None:  # the file is missing, truncated or altered: print it again
        name = record.file.name
        record.delete()
        if name:
            with contextlib.suppress(OSError):
                record.file.storage.delete(name)
    return None


def document_get(
    *,
    session: TrainingSession,
    kind: DocumentKind | str,
    trainee: User | None = None,
    data: SessionData | None = None,
) -> Document:
    """Return a session document, rendering it only if its inputs changed since last time."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    return documents_get(
        session=session, data=data or SessionData(session), wanted=[(kind, trainee)]
    )[0]


def documents_get(
    *,
    session: TrainingSession,
    data: SessionData,
    wanted,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Document]:
    """Return the documents ``wanted`` ([(kind, trainee)]), printing those whose inputs changed.

    Each document's HTML and fingerprint are made once, here, with the database; the stored
    PDF is served when the fingerprint is known, and the others are printed by ``_print``.
    ``processes`` > 1 is for the worker only (``bundle_build``): a process serving a request
    never forks. ``progress(done)`` is called as documents become ready.
    """
    documents: list[Document | None] = []
    missing = []
    for kind, trainee in wanted:
        if kind.personal and (trainee is None or not data.is_enrolled(trainee)):
            raise ValidationError(_("This trainee is not enrolled in the session."), code="trainee")
        trainee = trainee if kind.personal else None
        digest, html = _inputs(kind, data, trainee)
        record = _stored(session, kind, trainee, digest)
        if record is None:
            missing.append((len(documents), kind, trainee, digest, html))
            documents.append(None)
        else:
            filename = kind.filename(session, trainee)
            documents.append(Document(kind, record, filename, rendered=False))
    done = len(documents) - len(missing)
    if progress is not None:
        progress(done)
    by_index = {index: (kind, trainee, digest) for index, kind, trainee, digest, _html in missing}
    for index, pdf in _print(data, missing, processes):
        kind, trainee, digest = by_index[index]
        documents[index] = _store(session, kind, trainee, digest, pdf)
        done += 1
        if progress is not None:
            progress(done)
    return documents


def _print(data: SessionData, missing, processes: int = 1) -> Iterator[tuple[int, bytes]]:
    """Yield (index, PDF) for the missing documents as they are printed.

    A session's pack is some fifty independent PDFs (``make bench``, P8): one after the other
    they use one core. In the worker (``processes`` > 1) the PDFs printed from HTML, which
    need no database, go to forked printer processes; documents printed from the database
    (the attendance sheet) are made here first.
    """
    jobs = [
        (index, (html, _title(kind, data.session, trainee)))
        for index, kind, trainee, _digest, html in missing
        if kind.render is None
    ]
    workers = min(processes, len(jobs))
    if workers < 2:
        jobs_by_index = dict(jobs)
        for index, kind, *_rest in missing:
            yield index, (kind.render(data) if kind.render else _print_pdf(jobs_by_index[index]))
        return
    for index, kind, *_rest in missing:
        if kind.render is not None:
            yield index, kind.render(data)
    import weasyprint  # noqa: F401 — imported once here, inherited by the forked printers

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        results = pool.map(_print_pdf, [job for _index, job in jobs])
        yield from zip([index for index, _job in jobs], results, strict=True)


def _print_pdf(job: tuple[str, str]) -> bytes:
    """Print one document's HTML to PDF (also in a printer process: no database)."""
    html, title = job
    return rendering.pdf_render(html, title=title)


def _store(session, kind: DocumentKind, trainee, digest: str, pdf: bytes) -> Document:
    """Save a freshly rendered PDF as the current version of its document."""
    filename = kind.filename(session, trainee)
    record = GeneratedDocument(session=session, kind=kind.key, trainee=trainee, input_hash=digest)
    record.size, record.sha256 = integrity.fingerprint(pdf)
    file_save(record.file, f"{digest[:16]}-{filename}", pdf)  # StorageFull when the disk is full
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another request rendered the same inputs meanwhile: keep theirs, drop ours.
        record.file.delete(save=False)
        existing = GeneratedDocument.objects.get(
            session=session, kind=kind.key, trainee=trainee, input_hash=digest
        )
        return Document(kind, existing, filename, rendered=True)
    _supersede(record)
    return Document(kind, record, filename, rendered=True)


def _supersede(record: GeneratedDocument) -> None:
    """Delete the older versions of a document (their inputs changed) and their files."""
    older = GeneratedDocument.objects.filter(
        session_id=record.session_id, kind=record.kind, trainee_id=record.trainee_id
    ).exclude(pk=record.pk)
    for old in older:
        name = old.file.name
        old.delete()
        if name:
            try:
                old.file.storage.delete(name)
            except OSError:  # pragma: no cover - a missing file is already gone
                logger.warning("Could not delete superseded document %s", name)


def documents_plan(
    *, data: SessionData, which: str = ZIP_ALL, kinds: list[str] | None = None
) -> Iterator[tuple[DocumentKind, User | None, str]]:
    """Yield (kind, trainee, path inside the bundle) for the documents of every kind or of ``kinds``."""
    session = data.session
    kinds = list(KINDS.values()) if kinds is None else [KINDS[key] for key in kinds]
    if which == ZIP_CERTIFICATES:
        kinds = [KINDS[GeneratedDocument.Kind.CERTIFICATE]]
    for item in kinds:
        if item in SESSION_KINDS:
            yield item, None, item.filename(session)
        else:
            for trainee in data.trainees:
                yield item, trainee, f"{item.slug}/{item.filename(session, trainee)}"


def documents_bundle(
    *,
    session: TrainingSession,
    which: str = ZIP_ALL,
    kinds: list[str] | None = None,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, Document]]:
    """Yield (path inside the bundle, document) for every document of the bundle."""
    data = SessionData(session)
    plan = list(documents_plan(data=data, which=which, kinds=kinds))
    documents = documents_get(
        session=session,
        data=data,
        wanted=[(kind, trainee) for kind, trainee, _path in plan],
        processes=processes,
        progress=progress,
    )
    for (_kind, _trainee, path), document in zip(plan, documents, strict=True):
        yield path, document


# --- Bundles (ZIP) built by the worker -----------------------------------------------------------
# The request fingerprints the bundle (cheap: HTML, no PDF) and finds or creates its row; the
# worker (training/documents/tasks.py) prints what is missing, writes the ZIP under a temporary
# name and renames it into place; the page polls the row's progress.

BUNDLE_ATTEMPTS = 3


def bundle_kinds(which: str) -> list[str] | None:
    """The document kinds of a bundle: every kind, the certificates, or one kind (command)."""
    if which == ZIP_ALL:
        return None
    if which == ZIP_CERTIFICATES:
        return [GeneratedDocument.Kind.CERTIFICATE]
    if which in KINDS:
        return [which]
    raise ValidationError(_("Unknown bundle."), code="bundle")


# The proof pack (training.proofs) is a bundle too: same row, worker, page and progress; its
# fingerprint and its files are made by that package (imported where used: it imports this one).
PROOF_PACK = "preuves"


def bundle_fingerprint(*, data: SessionData, which: str) -> tuple[str, int]:
    """Return the fingerprint of a bundle's inputs (each document's, and its place) and its size."""
    if which == PROOF_PACK:
        from training.proofs.services import pack_fingerprint

        return pack_fingerprint(session=data.session)
    kinds = bundle_kinds(which)
    digest = hashlib.sha256(which.encode())
    count = 0
    for kind, trainee, path in documents_plan(data=data, which=which, kinds=kinds):
        document_digest, _html = _inputs(kind, data, trainee if kind.personal else None)
        digest.update(f"{path}\x00{document_digest}\x00".encode())
        count += 1
    return digest.hexdigest(), count


def bundle_request(
    *, session: TrainingSession, which: str, user: User | None = None
) -> tuple[DocumentBundle, bool]:
    """Find the bundle of the session's current documents, or queue its build.

    Returns (bundle, started): ``started`` is False when the same bundle (same documents,
    same inputs) is already built or being built — the caller follows that one.
    """
    data = SessionData(session)
    fingerprint, total = bundle_fingerprint(data=data, which=which)
    bundle = DocumentBundle.objects.filter(
        session=session, which=which, fingerprint=fingerprint
    ).first()
    if bundle is None:
        try:
            with transaction.atomic():
                bundle = DocumentBundle.objects.create(
                    session=session,
                    which=which,
                    fingerprint=fingerprint,
                    total=total,
                    requested_by=user if user is not None and user.pk else None,
                )
        except IntegrityError:  # the same request, at the same instant: follow theirs
            bundle = DocumentBundle.objects.get(
                session=session, which=which, fingerprint=fingerprint
            )
            return bundle, False
        _bundle_enqueue(bundle.pk)
        return bundle, True
    if bundle.status == DocumentBundle.Status.READY and not _bundle_file_exists(bundle):
        restart = DocumentBundle.Status.READY  # the file went missing (media wiped)
    elif bundle.status == DocumentBundle.Status.FAILED:
        restart = DocumentBundle.Status.FAILED  # asked again after a failure: try again
    else:
        return bundle, False
    updated = DocumentBundle.objects.filter(pk=bundle.pk, status=restart).update(
        status=DocumentBundle.Status.QUEUED,
        attempts=0,
        done=0,
        error="",
        file="",
        enqueued_at=timezone.now(),
    )
    bundle.refresh_from_db()
    if updated:
        _bundle_enqueue(bundle.pk)
    return bundle, bool(updated)


def _bundle_enqueue(bundle_id: int, run_after: datetime.datetime | None = None) -> None:
    from training.documents.tasks import bundle_enqueue

    transaction.on_commit(lambda: bundle_enqueue(bundle_id=bundle_id, run_after=run_after))


def _bundle_file_exists(bundle: DocumentBundle) -> bool:
    return bool(bundle.file) and bundle.file.storage.exists(bundle.file.name)


def bundle_build(*, bundle_id: int, processes: int = 1) -> str:
    """Build a bundle's ZIP (in the worker). Returns what happened, for the task's result.

    Safe to run twice for the same bundle (a duplicate task, a worker taking over from one
    that died): a bundle being built with recent progress is left to its builder, a ready
    one is not built again. The ZIP is written under a temporary name and renamed into place
    only once complete; the row says « ready » only after that.
    """
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.BUNDLE_STALE_SECONDS)
    with transaction.atomic():
        bundle = (
            DocumentBundle.objects.select_for_update()
            .select_related("session")
            .filter(pk=bundle_id)
            .first()
        )
        if bundle is None:
            return "gone"
        if bundle.status == DocumentBundle.Status.READY:
            return "ready"
        if (
            bundle.status == DocumentBundle.Status.RUNNING
            and bundle.heartbeat_at is not None
            and bundle.heartbeat_at > stale
        ):
            return "busy"
        if bundle.status == DocumentBundle.Status.FAILED:
            return "failed"
        bundle.status = DocumentBundle.Status.RUNNING
        bundle.attempts += 1
        bundle.started_at = bundle.heartbeat_at = now
        bundle.done = 0
        bundle.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "done"])
    try:
        name, total = _bundle_write(bundle, processes=processes)
    except Exception as exc:  # noqa: BLE001 - recorded on the bundle, retried, then listed
        return _bundle_failed(bundle, exc)
    DocumentBundle.objects.filter(pk=bundle.pk).update(
        status=DocumentBundle.Status.READY,
        file=name,
        total=total,
        done=total,
        error="",
        finished_at=timezone.now(),
    )
    _bundles_supersede(bundle)
    return "built"


def _bundle_write(bundle: DocumentBundle, *, processes: int) -> tuple[str, int]:
    session = bundle.session
    storage = DocumentBundle._meta.get_field("file").storage
    name = f"bundles/{session.pk}/{slugify(session.code) or session.pk}-{bundle.which}-{bundle.fingerprint[:16]}.zip"
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f".{final.name}.*.part"):  # from a worker that died
        leftover.unlink(missing_ok=True)
    temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.part")

    def progress(done: int) -> None:
        DocumentBundle.objects.filter(pk=bundle.pk).update(done=done, heartbeat_at=timezone.now())

    try:
        if bundle.which == PROOF_PACK:
            from training.proofs.services import pack_write

            total = pack_write(
                session=session, path=temporary, processes=processes, progress=progress
            )
        else:
            total = _documents_zip_write(bundle, temporary, processes, progress)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return name, total


def _documents_zip_write(bundle: DocumentBundle, temporary: Path, processes: int, progress) -> int:
    total = 0
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
        # PDFs are already compressed: stored as they are.
        documents = documents_bundle(
            session=bundle.session,
            kinds=bundle_kinds(bundle.which),
            which=bundle.which,
            processes=processes,
            progress=progress,
        )
        for path, document in documents:
            with document.record.file.open("rb") as source, archive.open(path, "w") as target:
                for chunk in iter(lambda source=source: source.read(1024 * 1024), b""):
                    target.write(chunk)
            total += 1
    return total


def _bundle_failed(bundle: DocumentBundle, exc: BaseException) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("Bundle %s failed (attempt %d): %s", bundle.pk, bundle.attempts, error)
    if bundle.attempts < BUNDLE_ATTEMPTS:
        run_after = timezone.now() + datetime.timedelta(seconds=30 * bundle.attempts)
        DocumentBundle.objects.filter(pk=bundle.pk).update(
            status=DocumentBundle.Status.QUEUED, error=error, enqueued_at=timezone.now()
        )
        from training.documents.tasks import bundle_enqueue

        bundle_enqueue(bundle_id=bundle.pk, run_after=run_after)
        return "retry"
    DocumentBundle.objects.filter(pk=bundle.pk).update(
        status=DocumentBundle.Status.FAILED, error=error, finished_at=timezone.now()
    )
    failure_record(
        task="training.documents.tasks.bundle_build",
        description=f"{bundle.which} — {bundle.session.code}",
        error=error,
        attempts=bundle.attempts,
    )
    return "failed"


def _bundles_supersede(bundle: DocumentBundle) -> None:
    """Delete the older bundles of the same session and kind (their inputs changed)."""
    older = DocumentBundle.objects.filter(session_id=bundle.session_id, which=bundle.which).exclude(
        pk=bundle.pk
    )
    for old in older.exclude(
        status__in=[DocumentBundle.Status.QUEUED, DocumentBundle.Status.RUNNING]
    ):
        name = old.file.name
        old.delete()
        if name:
            old.file.storage.delete(name)


def bundles_recover(*, now: datetime.datetime | None = None) -> int:
    """Queue again the bundles whose worker died (no progress for BUNDLE_STALE_SECONDS) or whose
    task was lost (queued for an hour). Safe with several workers: ``bundle_build`` decides."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.BUNDLE_STALE_SECONDS)
    lost = now - datetime.timedelta(hours=1)
    ids = list(
        DocumentBundle.objects.filter(
            Q(status=DocumentBundle.Status.RUNNING, heartbeat_at__lt=stale)
            | Q(status=DocumentBundle.Status.QUEUED, enqueued_at__lt=lost)
        ).values_list("pk", flat=True)
    )
    from training.documents.tasks import bundle_enqueue

    for bundle_id in ids:
        DocumentBundle.objects.filter(pk=bundle_id).update(enqueued_at=now)
        bundle_enqueue(bundle_id=bundle_id)
    return len(ids)


def bundle_wait(*, bundle: DocumentBundle, timeout: float, poll: float = 0.5) -> DocumentBundle:
    """Wait until a bundle is ready or failed (the ``session_documents`` command)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        bundle.refresh_from_db()
        if not bundle.is_pending or time.monotonic() > deadline:
            return bundle
        time.sleep(poll)
