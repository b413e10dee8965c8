"""Make, cache and bundle a session's documents.

``document_get`` is the one entry point: it fingerprints the document's inputs, returns the
stored PDF when that fingerprint was rendered before, and renders (then stores) it otherwise.
Views, the ZIP builder and the ``session_documents`` command all call it.
"""

from __future__ import annotations

import contextlib
import logging
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.storage import file_save
from training.accounts.models import User
from training.documents import integrity, rendering
from training.documents.data import SessionData
from training.documents.models import GeneratedDocument
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


def documents_get(*, session: TrainingSession, data: SessionData, wanted) -> list[Document]:
    """Return the documents ``wanted`` ([(kind, trainee)]), printing those whose inputs changed.

    Each document's HTML and fingerprint are made once, here, with the database; the stored
    PDF is served when the fingerprint is known, and the others are printed by ``_print``.
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
    printed = _print(data, missing)
    for index, kind, trainee, digest, _html in missing:
        documents[index] = _store(session, kind, trainee, digest, printed[index])
    return documents


def _print(data: SessionData, missing) -> dict[int, bytes]:
    """Print the missing documents' PDFs, by their index; several processes when there are many.

    A session's pack is some fifty independent PDFs (``make bench``, P8): one after the other
    they use one core. Printing from HTML needs no database, so it goes to forked workers;
    documents printed from the database (the attendance sheet) are made here meanwhile.
    """
    jobs = [
        (index, (html, _title(kind, data.session, trainee)))
        for index, kind, trainee, _digest, html in missing
        if kind.render is None
    ]
    workers = min(settings.DOCUMENTS_PDF_PROCESSES, len(jobs))
    printed: dict[int, bytes] = {}
    if workers < 2:
        jobs_by_index = dict(jobs)
        for index, kind, *_rest in missing:
            printed[index] = kind.render(data) if kind.render else _print_pdf(jobs_by_index[index])
        return printed
    import weasyprint  # noqa: F401 — imported once here, inherited by the forked workers

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        results = pool.map(_print_pdf, [job for _index, job in jobs])
        for index, kind, *_rest in missing:
            if kind.render is not None:
                printed[index] = kind.render(data)
        printed.update(zip([index for index, _job in jobs], results, strict=True))
    return printed


def _print_pdf(job: tuple[str, str]) -> bytes:
    """Print one document's HTML to PDF (also in a worker process: no database)."""
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
    *, session: TrainingSession, which: str = ZIP_ALL, kinds: list[str] | None = None
) -> Iterator[tuple[str, Document]]:
    """Yield (path inside the bundle, document) for every document of the bundle."""
    data = SessionData(session)
    plan = list(documents_plan(data=data, which=which, kinds=kinds))
    documents = documents_get(
        session=session, data=data, wanted=[(kind, trainee) for kind, trainee, _path in plan]
    )
    for (_kind, _trainee, path), document in zip(plan, documents, strict=True):
        yield path, document


def documents_zip(*, session: TrainingSession, which: str, fileobj) -> int:
    """Write a ZIP of the session's documents (all, or every certificate) into ``fileobj``."""
    if which not in ZIP_CHOICES:
        raise ValidationError(_("Unknown bundle."), code="bundle")
    count = 0
    # PDFs are already compressed: store them as they are.
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for path, document in documents_bundle(session=session, which=which):
            with document.record.file.open("rb") as source, archive.open(path, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
            count += 1
    return count


def documents_write(*, session: TrainingSession, out: Path, kind: str | None = None) -> list[Path]:
    """Write the session's documents (or those of one kind) into a folder; return the paths."""
    written = []
    for path, document in documents_bundle(session=session, kinds=[kind] if kind else None):
        target = Path(out) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document.read())
        written.append(target)
    return written
