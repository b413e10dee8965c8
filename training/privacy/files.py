"""Stored files and their rows: files without a row, rows without their file, altered evidence.

A file is written before its row is committed; a worker killed in between (or a crash, a
restore from an older backup) leaves a signature image that no purge or erasure would ever
find, personal data kept with no record of it. The other way round, a row whose file is
gone is evidence lost. ``stored_files_check`` lists both, and the evidence files whose
SHA-256 no longer matches the one recorded with the signature or the attestation;
``purge_expired`` removes the orphan files (and the cached documents whose file is gone,
printed again on demand) and ``verify_evidence`` reports everything.

Only the folders the platform writes itself are swept (``attendance/``, ``documents/``);
files younger than ``GRACE`` are left alone: their row may be about to be committed.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils import timezone

from training.attendance.models import AttendanceSignature, SlotAttendance
from training.documents.models import GeneratedDocument

GRACE = datetime.timedelta(hours=1)
FOLDERS = ("attendance", "documents")
# (model, file field, SHA-256 field of the file's content or "" when the file is not evidence)
FILE_FIELDS = (
    (AttendanceSignature, "evidence_file", "evidence_sha256"),
    (SlotAttendance, "attestation_image", "attestation_sha256"),
    (GeneratedDocument, "file", "sha256"),
)


@dataclass(frozen=True)
class MissingFile:
    model: str  # "attendancesignature", "slotattendance", "generateddocument"
    pk: int
    name: str
    altered: bool = False  # present, but not the bytes that were recorded


@dataclass
class FilesReport:
    orphan_files: list[str] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)

    @property
    def evidence_problems(self) -> list[MissingFile]:
        return [m for m in self.missing if m.model != "generateddocument"]

    @property
    def ok(self) -> bool:
        return not self.orphan_files and not self.missing


def _walk(storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def _sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files_check(*, now: datetime.datetime | None = None, hashes: bool = True) -> FilesReport:
    """Compare the stored files with the rows that name them (see the module's docstring)."""
    now = now or timezone.now()
    storage = default_storage
    report = FilesReport()
    known: set[str] = set()
    for model, file_field, hash_field in FILE_FIELDS:
        rows = model.objects.exclude(**{file_field: ""}).values_list("pk", file_field, hash_field)
        for pk, name, recorded in rows.iterator(chunk_size=1000):
            known.add(name)
            label = model._meta.model_name
            if not storage.exists(name):
                report.missing.append(MissingFile(label, pk, name))
            elif hashes and recorded and model is not GeneratedDocument:
                with contextlib.suppress(OSError):
                    if _sha256(storage, name) != recorded:
                        report.missing.append(MissingFile(label, pk, name, altered=True))
    for folder in FOLDERS:
        for name in _walk(storage, folder):
            if name in known:
                continue
            try:
                modified = storage.get_modified_time(name)
            except OSError:
                continue
            if now - modified >= GRACE:
                report.orphan_files.append(name)
    report.orphan_files.sort()
    return report


def orphans_remove(*, report: FilesReport) -> dict[str, int]:
    """Delete the orphan files and the cached documents' rows whose file is gone."""
    removed = 0
    for name in report.orphan_files:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
            removed += 1
    lost = [m.pk for m in report.missing if m.model == "generateddocument"]
    rows, _by_model = GeneratedDocument.objects.filter(pk__in=lost).delete()
    return {"orphan_files": removed, "documents_without_file": rows}
