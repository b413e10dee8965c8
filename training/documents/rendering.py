"""Render a document to HTML (cheap), fingerprint it, and to PDF (costly, only on a miss).

The fingerprint is the SHA-256 of the rendered HTML — which holds the content, the session
data, the attendance hours and the results — plus the version of the templates and of the
stylesheet. Two renderings with the same fingerprint give the same PDF, so the PDF is made
once per fingerprint and served from storage afterwards.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from core import pdf
from core.typography import french_html

# Bump when a change outside the templates and the stylesheet alters the output.
TEMPLATE_VERSION = "1"
STYLESHEET = "css/pdf-documents.css"
DOCUMENT_LANGUAGE = "fr"
HTML_TEMPLATE = "training/includes/_documents_pdf_html.html"


@lru_cache(maxsize=8)
def _file_digest(path: str, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def stylesheet_digest() -> str:
    """Return the SHA-256 of the documents' stylesheet (its content is an input too)."""
    import os

    path = finders.find(STYLESHEET)
    if not path:
        return "missing"
    return _file_digest(path, os.path.getmtime(path))


def html_render(template: str, context: dict) -> str:
    """Render a document's HTML in French, with French spacing in all of its text."""
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(template, {**context, "stylesheet": STYLESHEET})
    return french_html(html)


def input_hash(*parts: str) -> str:
    """Return the fingerprint of a document's inputs."""
    digest = hashlib.sha256()
    for part in (TEMPLATE_VERSION, stylesheet_digest(), *parts):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def pdf_render(html: str, *, title: str) -> bytes:
    """Print already rendered HTML to PDF through the project's WeasyPrint wrapper.

    The HTML is the very one the fingerprint was computed from: it goes through a template
    that outputs it unchanged, so it is rendered once.
    """

    return pdf.render_pdf(
        HTML_TEMPLATE,
        {"html": mark_safe(html)},  # noqa: S308 — our own rendered, escaped template output
        title=title,
        author=settings.ORGANISATION.get("name", ""),
        lang=DOCUMENT_LANGUAGE,
    )
