"""The content check for resource files uploaded in the admin (by content, not by name).

A file under ``MEDIA_ROOT`` may one day be served by the reverse proxy from our own origin:
an SVG or HTML file there would run script as the site. So only a few document types are
accepted, recognised by their bytes, and the name's extension must agree with the content.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

RESOURCE_MAX_BYTES = 20 * 1024 * 1024
RESOURCE_MAX_PIXELS = 60_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Office documents are ZIP files; the member that names their type.
OFFICE_KINDS = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "mimetype",
    "odp": "mimetype",
    "ods": "mimetype",
}
OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "odp": b"application/vnd.oasis.opendocument.presentation",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}}


def resource_too_large() -> ValidationError:
    """Return the refusal for a file over the size limit."""
    return ValidationError(
        _("The resource file is too large (%(size)d MB at most).")
        % {"size": RESOURCE_MAX_BYTES // (1024 * 1024)},
        code="too_large",
    )


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "The resource file must be a PDF, PNG, JPEG or office document "
            "(docx, pptx, xlsx, odt, odp, ods) whose content matches its name."
        ),
        code="invalid_resource",
    )


# What PIL raises on a file that is not a sound image (truncated, corrupt, a bomb, not an image).
IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


def image_verify(data: bytes, *, max_pixels: int, error: ValidationError) -> None:
    """Raise ``error`` unless ``data`` is an image PIL can verify, of at most ``max_pixels``.

    The pixel count is read from the header, before any decoding, so a decompression bomb is
    refused without being expanded. Used for resource files and scanned attendance sheets.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > max_pixels:
                raise Image.DecompressionBombError(image.size)
            image.verify()
    except IMAGE_ERRORS as exc:
        raise error from exc


def _image_check(data: bytes) -> None:
    image_verify(data, max_pixels=RESOURCE_MAX_PIXELS, error=_refuse())


def _office_kind(data: bytes, extension: str) -> str:
    member = OFFICE_KINDS.get(extension)
    if member is None:
        raise _refuse()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if member not in names:
                raise _refuse()
            opendocument = OPENDOCUMENT_TYPES.get(extension)
            if opendocument and archive.read("mimetype").strip() != opendocument:
                raise _refuse()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise _refuse() from exc
    return extension


def resource_file_check(*, name: str, data: bytes) -> str:
    """Return the file's kind (``pdf``, ``png``, ``docx``…) or refuse it with a French message."""
    if not data:
        raise ValidationError(_("The resource file is empty."), code="invalid_resource")
    if len(data) > RESOURCE_MAX_BYTES:
        raise resource_too_large()
    extension = PurePath(name).suffix.lower().lstrip(".")
    if data.startswith(b"%PDF-"):
        kind = "pdf"
    elif data.startswith(PNG_MAGIC):
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif data.startswith(b"PK\x03\x04"):
        return _office_kind(data, extension)
    else:
        raise _refuse()
    if extension not in EXTENSIONS[kind]:
        raise _refuse()
    if kind != "pdf":
        _image_check(data)
    return kind
