"""A stored PDF is served only if it is still the file that was printed.

The cache (``services.document_get``) keeps each PDF with its size and SHA-256; a file
truncated by a full disk, cut by a crash or changed by hand no longer matches and is printed
again. Reading the file to hash it costs a few milliseconds for a certificate, far less than
printing it (about half a second).
"""

from __future__ import annotations

import hashlib
import logging

from training.documents.models import GeneratedDocument

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def fingerprint(data: bytes) -> tuple[int, str]:
    """Return (size, SHA-256) of a document's bytes."""
    return len(data), hashlib.sha256(data).hexdigest()


def stored_file_matches(record: GeneratedDocument) -> bool:
    """Return whether the record's file exists with its recorded size and SHA-256."""
    if not record.file or not record.sha256 or record.size is None:
        return False  # no file, or stored before fingerprints were recorded: print it again
    storage, name = record.file.storage, record.file.name
    try:
        if storage.size(name) != record.size:
            logger.warning("Stored document %s has the wrong size: printed again", name)
            return False
        digest = hashlib.sha256()
        with storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return False  # missing or unreadable
    if digest.hexdigest() != record.sha256:
        logger.warning("Stored document %s does not match its fingerprint: printed again", name)
        return False
    return True
