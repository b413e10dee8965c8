"""Saving a file of a model's ``FileField`` so that a failure leaves nothing behind.

Django's ``FileSystemStorage`` creates the file, then writes it: when the disk is full the
write fails and an empty or partial file stays (five of them after the fault-injection run).
``file_save`` removes it and turns « no space left » into ``StorageFull``, which the callers
turn into a French message that says what to do; the row is saved by the caller afterwards,
in its transaction, so a failed save records nothing.
"""

from __future__ import annotations

import contextlib
import errno

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(Exception):
    """The file could not be written: no space left on the media volume (or quota reached)."""


def is_no_space(error: BaseException) -> bool:
    """Return whether an exception is (or was caused by) « no space left on device »."""
    while error is not None:
        if isinstance(error, StorageFull):
            return True
        if isinstance(error, OSError) and error.errno in NO_SPACE:
            return True
        error = error.__cause__ or error.__context__
    return False


def file_save(field_file: FieldFile, filename: str, data: bytes) -> str:
    """Write ``data`` as the file of ``field_file`` (the row is not saved); return its name.

    Raises ``StorageFull`` when the volume is full, after removing what was written; any
    other ``OSError`` is raised as it is, also after removing the partial file.
    """
    storage = field_file.storage
    name = field_file.field.generate_filename(field_file.instance, filename)
    name = storage.get_available_name(name, max_length=field_file.field.max_length)
    try:
        field_file.save(filename, ContentFile(data), save=False)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if storage.exists(name):
                storage.delete(name)
        if exc.errno in NO_SPACE:
            raise StorageFull(str(exc)) from exc
        raise
    return field_file.name
