"""PDF documents from Django templates, through WeasyPrint, with a fetcher limited to our files.

WeasyPrint's default fetcher follows any URL, so a template (or content rendered into it) that
mentions ``file:///etc/passwd`` or an internal ``http://`` address would read it. Ours serves
only:

- ``/static/…`` → a file found by the staticfiles finders (``STATICFILES_DIRS``, app
  folders) or under ``STATIC_ROOT``;
- ``/media/…`` → a file under ``MEDIA_ROOT``;
- ``data:image/…`` URLs (decoded in memory, no network).

Relative URLs in templates are resolved against ``PDF_BASE_URL``, an address that exists only
for this purpose; every other scheme, host or path is refused.

``import weasyprint`` costs about half a second, so it happens on the first call only.
"""

from __future__ import annotations

import atexit
import gc
import mimetypes
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF_BASE_URL = "https://pdf.invalid/"
_BASE = urlsplit(PDF_BASE_URL)


class RefusedURL(ValueError):
    """The PDF tried to load something that is not one of our static or media files."""


def _inside(root: Path, relative: str) -> Path | None:
    """Return root/relative if it is a file that stays inside root (no '..' escape)."""
    root = Path(root).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def local_file_for(url: str) -> Path:
    """Map one of our /static/ or /media/ URLs to a file on disk; refuse anything else."""
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (_BASE.scheme, _BASE.netloc):
        raise RefusedURL(f"refused URL (not one of our files): {url[:200]}")
    path = unquote(parts.path)
    if "\x00" in path:
        raise RefusedURL("refused URL (invalid characters)")
    static_url = urlsplit(settings.STATIC_URL).path
    media_url = urlsplit(settings.MEDIA_URL).path
    if static_url and path.startswith(static_url):
        relative = path[len(static_url) :]
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if found:
            return Path(found)
        if settings.STATIC_ROOT and (file := _inside(settings.STATIC_ROOT, relative)):
            return file
    elif media_url and path.startswith(media_url):
        relative = path[len(media_url) :]
        if settings.MEDIA_ROOT and (file := _inside(settings.MEDIA_ROOT, relative)):
            return file
    raise RefusedURL(f"refused URL (no such static or media file): {url[:200]}")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedURLFetcher(URLFetcher):
        """Serve our static and media files and data: images; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                if not url[5:].lower().startswith("image/"):
                    raise RefusedURL("refused data: URL (only images are allowed)")
                return super().fetch(url, headers)
            file = local_file_for(url)
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                file.as_uri(), body=file.read_bytes(), headers={"Content-Type": mime}
            )

    return RestrictedURLFetcher


def restricted_fetcher():
    """Return a WeasyPrint URL fetcher limited to our static and media files."""
    return _fetcher_class()(timeout=5, allow_redirects=False)


_local = threading.local()
# A forked process (the document printers of training.documents.services) starts with its own.
os.register_at_fork(after_in_child=_local.__dict__.clear)


@atexit.register
def _release_font_config():
    """Free the main thread's font configuration while Pango and fontconfig still exist.

    Left to interpreter teardown, it was freed after the libraries it points into, and every
    process that had printed a PDF (``manage.py session_documents``, a shell) ended with a
    segmentation fault once its work was done.
    """
    _local.__dict__.clear()
    gc.collect()


def _font_config():
    """Return this thread's WeasyPrint font configuration and A4 page stylesheet.

    Without one, WeasyPrint builds a new font configuration (a Pango font map) for every
    document, and the native memory of those maps is not all given back: a long-lived worker
    grew by about half a megabyte per PDF (``make bench``, P9). Reusing one keeps the memory
    flat and saves about a tenth of each render. Pango font maps are not thread-safe, hence
    one per thread.
    """
    if getattr(_local, "font_config", None) is None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        _local.font_config = FontConfiguration()
        _local.page_css = weasyprint.CSS(
            string="@page { size: A4; }", font_config=_local.font_config
        )
    return _local.font_config, _local.page_css


def render_pdf(template_name: str, context: dict, *, title: str, author: str, lang="fr") -> bytes:
    """Render a Django template to an A4 PDF with its metadata; fonts are embedded.

    Pages are A4 unless the template's CSS says otherwise; the base URL makes ``{% static %}``
    paths resolvable by the restricted fetcher.
    """
    import weasyprint

    html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": lang})
    font_config, page_css = _font_config()
    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=restricted_fetcher()
    ).render(stylesheets=[page_css], font_config=font_config, pdf_tags=True)
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = lang
    return document.write_pdf(pdf_tags=True)  # tagged PDF for screen readers
