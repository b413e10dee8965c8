"""Make, cache and bundle a session's documents.

``document_get`` is the one entry point: it fingerprints the document's inputs, returns the
stored PDF when that fingerprint was rendered before, and renders (then stores) it otherwise.
Views, the ZIP builder and the ``session_documents`` command all call it.
"""

from __future__ import annotations

import logging
import multiprocessing
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from training.documents import rendering
from training.documents.data import SessionData
from training.documents.registry import KINDS, SESSION_KINDS, DocumentKind
from training.models import TrainingSession, User
from training.models_documents import GeneratedDocument

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
    if record is not None and record.file and record.file.storage.exists(record.file.name):
        return record
    if record is not None:  # the file went missing (media wiped): make it again
        record.delete()
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
    data = data or SessionData(session)
    if kind.personal and (trainee is None or not data.is_enrolled(trainee)):
        raise ValidationError(_("This trainee is not enrolled in the session."), code="trainee")
    if not kind.personal:
        trainee = None
    digest, html = _inputs(kind, data, trainee)
    filename = kind.filename(session, trainee)
    record = _stored(session, kind, trainee, digest)
    if record is not None:
        return Document(kind, record, filename, rendered=False)

    if kind.render is not None:
        pdf = kind.render(data)
    else:
        pdf = rendering.pdf_render(html, title=_title(kind, session, trainee))
    return _store(session, kind, trainee, digest, pdf)


def _store(session, kind: DocumentKind, trainee, digest: str, pdf: bytes) -> Document:
    """Save a freshly rendered PDF as the current version of its document."""
    filename = kind.filename(session, trainee)
    record = GeneratedDocument(session=session, kind=kind.key, trainee=trainee, input_hash=digest)
    record.file.save(f"{digest[:16]}-{filename}", ContentFile(pdf), save=False)
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
    *, data: SessionData, which: str = ZIP_ALL, kind: str | None = None, kinds=None
) -> Iterator[tuple[DocumentKind, User | None, str]]:
    """Yield (kind, trainee, path inside the bundle) for a bundle of documents.

    The bundle is every kind, or one ``kind``, or the list ``kinds``.
    """
    session = data.session
    if kind is not None:
        kinds = [kind]
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
    *, session: TrainingSession, which: str = ZIP_ALL, kind: str | None = None, kinds=None
) -> Iterator[tuple[str, Document]]:
    """Yield (path inside the bundle, document) for every document of the bundle."""
    data = SessionData(session)
    plan = list(documents_plan(data=data, which=which, kind=kind, kinds=kinds))
    ready = _render_missing(session=session, data=data, plan=plan)
    for item, trainee, path in plan:
        document = ready.get((item.key, getattr(trainee, "pk", None)))
        yield path, document or document_get(session=session, kind=item, trainee=trainee, data=data)


def _worker_start() -> None:
    """Give a forked worker its own WeasyPrint font configuration, not a copy of ours."""
    from modules import pdf

    pdf._local.__dict__.clear()


def _print_pdf(job: tuple[str, str]) -> bytes:
    """Print one document's HTML to PDF (runs in a worker process: no database)."""
    html, title = job
    return rendering.pdf_render(html, title=title)


def _render_missing(*, session, data: SessionData, plan) -> dict[tuple, Document]:
    """Print the bundle's documents whose inputs changed, on several processes at once.

    A session's pack is some fifty independent PDFs (``make bench``, P8); printing them one
    after the other used one core. The HTML and the fingerprints are made here, with the
    database; only the printing, which needs neither, goes to forked workers, which also
    take WeasyPrint's memory away with them. Documents printed elsewhere (the attendance
    sheet) are made here while the workers print. Returns the documents made, by
    (kind, trainee id); the others are left to ``document_get``.
    """
    jobs = []
    for item, trainee, _path in plan:
        if item.render is not None or (item.personal and not data.is_enrolled(trainee)):
            continue
        digest, html = _inputs(item, data, trainee)
        if _stored(session, item, trainee, digest) is None:
            jobs.append((item, trainee, digest, (html, _title(item, session, trainee))))
    workers = min(settings.DOCUMENTS_PDF_PROCESSES, len(jobs))
    if workers < 2:
        return {}
    import weasyprint  # noqa: F401 — imported once here, inherited by the forked workers

    ready: dict[tuple, Document] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_start
    ) as pool:
        printed = pool.map(_print_pdf, [job for *_rest, job in jobs])
        for item, _trainee, _path in plan:
            if item.render is not None:
                ready[(item.key, None)] = document_get(session=session, kind=item, data=data)
        for (item, trainee, digest, _job), pdf in zip(jobs, printed, strict=True):
            ready[(item.key, getattr(trainee, "pk", None))] = _store(
                session, item, trainee, digest, pdf
            )
    return ready


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
    for path, document in documents_bundle(session=session, kind=kind):
        target = Path(out) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document.read())
        written.append(target)
    return written
