"""Every download answers the same way: the file's name, attachment or inline, no caching."""

import io

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from core.downloads import CSV, PDF, download_response


def test_bytes_are_sent_at_once_as_an_attachment_never_cached():
    response = download_response(b"%PDF-1.7", filename="fiche.pdf", content_type=PDF)
    assert type(response) is HttpResponse
    assert response["Content-Disposition"] == 'attachment; filename="fiche.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == PDF


def test_an_open_file_is_streamed_and_a_text_stream_too():
    from_file = download_response(io.BytesIO(b"PK"), filename="a.zip", content_type="x/zip")
    assert isinstance(from_file, FileResponse)
    stream = download_response(iter(["\ufeffa;b\r\n"]), filename="a.csv", content_type=CSV)
    assert isinstance(stream, StreamingHttpResponse)
    assert b"".join(stream.streaming_content).decode("utf-8-sig") == "a;b\r\n"


def test_a_french_file_name_survives_and_inline_files_open_in_the_browser():
    response = download_response(b"x", filename="émargement été.pdf", content_type=PDF, inline=True)
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%C3%A9margement%20%C3%A9t%C3%A9.pdf"
    )
