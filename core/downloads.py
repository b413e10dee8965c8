"""The one way to answer a file download: a file name the browser keeps (non-ASCII names
included), attachment or inline, and never cached by a shared cache.

Every download of the platform is personal or restricted (attendance, results, documents,
personal data), hence ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"
JSON = "application/json; charset=utf-8"
ICS = "text/calendar; charset=utf-8"


def download_response(
    content: bytes | str | IO[bytes] | Iterable[str] | Iterator[str],
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """Return the response that sends ``content`` as a file named ``filename``.

    ``bytes``/``str`` are sent at once, an open binary file is streamed from disk (and
    closed by Django), any other iterable of text chunks (a CSV stream) is streamed as is.
    """
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response
