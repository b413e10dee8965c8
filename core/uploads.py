"""The content checks for uploaded files: resources (admin) and scanned attendance sheets.

A file under ``MEDIA_ROOT`` may one day be served by the reverse proxy from our own origin:
an SVG or HTML file there would run script as the site. So only a few document types are
accepted, recognised by their bytes, and the name's extension must agree with the content.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader

# pypdf reports every oddity of a hostile file as a warning; the refusal says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)

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


@contextlib.contextmanager
def _truncated_images_refused():
    # WeasyPrint turns PIL's LOAD_TRUNCATED_IMAGES on for the whole process when it is
    # imported; a truncated upload would then decode as a partial image.
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def image_verify(data: bytes, *, max_pixels: int, error: ValidationError) -> None:
    """Raise ``error`` unless ``data`` decodes as an image of at most ``max_pixels``.

    The pixel count is read from the header, before any decoding, so a decompression bomb is
    refused without being expanded; then the whole image is decoded (a JPEG header followed
    by anything passes PIL's ``verify``, not its decoder). Used for resource files and
    scanned attendance sheets.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > max_pixels:
                raise Image.DecompressionBombError(image.size)
            image.verify()
        with _truncated_images_refused(), Image.open(io.BytesIO(data)) as image:
            image.load()
    except IMAGE_ERRORS as exc:
        raise error from exc


PDF_MAX_PAGES = 500


def pdf_verify(data: bytes, *, error: ValidationError) -> None:
    """Raise ``error`` unless ``data`` parses as a PDF with 1 to ``PDF_MAX_PAGES`` pages.

    The magic bytes say nothing: an HTML page or random bytes behind ``%PDF-`` were recorded
    as attendance evidence. pypdf reads the cross-reference table, the document catalogue and
    every page's size; anything it cannot read is refused.
    """
    if not data.startswith(b"%PDF-"):
        raise error
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise error
        pages = len(reader.pages)
        if not 1 <= pages <= PDF_MAX_PAGES:
            raise error
        for page in reader.pages:
            box = page.mediabox
            if box.width <= 0 or box.height <= 0:
                raise error
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parsing failure means "not a PDF"
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
    if kind == "pdf":
        pdf_verify(data, error=_refuse())
    else:
        _image_check(data)
    return kind
