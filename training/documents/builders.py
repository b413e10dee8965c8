"""The context of each kind of document, built from a :class:`SessionData` (pure reads)."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import segno
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from training.content import selectors as content_selectors
from training.documents.results import empty_result
from training.legalwatch import selectors as legalwatch_selectors
from training.legalwatch.models import ItemKind

SLIDES_PER_PAGE = 3
NOTE_LINES = 9


def hours_text(value: Decimal | None) -> str:
    """Write hours the French way: « 14 », « 13,5 », « 3,25 »."""
    value = Decimal(value or 0).quantize(Decimal("0.01"))
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return text.replace(".", ",")


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def handout(data, trainee=None) -> dict:
    """Cover page, then every module's slides three per page with lines for notes.

    It prints the content revision it was made from, and « contenu en cours de révision »
    on the slides that cite a text found modified or repealed (legal watch).
    """
    modules = []
    keys = []
    for module in data.modules:
        slides = list(module.slides.all())
        total = len(slides)
        for number, slide in enumerate(slides, start=1):
            slide.number, slide.total = number, total
            keys.append(f"{module.slug}/{slide.order}")
        modules.append(
            {"module": module, "count": total, "pages": _chunks(slides, SLIDES_PER_PAGE)}
        )
    under_review = legalwatch_selectors.items_under_review(kind=ItemKind.SLIDE, keys=keys)
    for item in modules:
        for page in item["pages"]:
            for slide in page:
                slide.under_review = f"{item['module'].slug}/{slide.order}" in under_review
    return {
        **data.base_context(),
        "modules": modules,
        "slide_count": sum(m["count"] for m in modules),
        "note_lines": range(NOTE_LINES),
        "under_review_count": len(under_review),
        "content_revision": content_selectors.content_revision_current(),
    }


def bibliography(data, trainee=None) -> dict:
    """The course's entries and the session's, grouped by type, in one citation style."""
    groups = data.bibliography
    entries = [entry for group in groups for entry in group.entries]
    return {
        **data.base_context(),
        "groups": groups,
        "entry_count": len(entries),
        "session_count": sum(1 for entry in entries if entry.from_session),
    }


def _qr(url: str) -> str:
    return _qr_svg(url, get_language())


@functools.lru_cache(maxsize=512)
def _qr_svg(url: str, _language: str) -> str:
    """The QR code of an address (the same every time: drawn once per process and language)."""
    qr = segno.make(url, error="m", micro=False)
    # segno writes the SVG from the QR matrix; the address itself is not in the markup.
    return mark_safe(  # noqa: S308
        qr.svg_inline(
            scale=1,
            border=0,
            omitsize=True,
            svgclass="qr",
            # The text alternative of the image in the tagged PDF (segno escapes it).
            title=_("QR code of the address %(url)s") % {"url": url},
        )
    )


def links(data, trainee=None) -> dict:
    """Each link with its title, address, one-line description and a QR code."""
    items = [
        {"resource": resource, "qr": _qr(resource.url)} for resource in data.links if resource.url
    ]
    return {
        **data.base_context(),
        "links": items,
        "session_count": sum(1 for item in items if item["resource"].from_session),
    }


def issue_place(address: str) -> str:
    """Return the town of an address (« 1 rue X, 75000 Paris » → « Paris »)."""
    last = (address or "").replace("\n", ",").split(",")[-1].strip()
    return re.sub(r"^\d{4,5}\s*", "", last)


def _personal(data, trainee) -> dict:
    organisation = data.organisation
    return {
        **data.base_context(),
        "trainee": trainee,
        "employer": trainee.organisation,
        "planned_hours_text": hours_text(data.planned_hours),
        "planned_hours_count": int(data.planned_hours),
        "signatory": organisation.get("representative") or organisation.get("director", ""),
        "issue_place": issue_place(organisation.get("address", "")),
        "retention_years": settings.RETENTION_EVIDENCE_YEARS,
    }


def _hours(data, trainee) -> dict:
    hours = data.hours.get(trainee.pk, Decimal(0))
    return {"hours": hours, "hours_text": hours_text(hours), "hours_count": int(hours)}


def convocation(data, trainee) -> dict:
    """Where and when to come, what to bring, whom to contact."""
    return {
        **_personal(data, trainee),
        "objectives": data.objectives,
        "modules": data.modules,
    }


def certificate(data, trainee) -> dict:
    """The certificat de réalisation: hours actually attended, from attendance."""
    return {
        **_personal(data, trainee),
        **_hours(data, trainee),
        "issued_on": data.session.end_date,
        "is_provisional": not data.completion_documents_ready,
    }


def attestation(data, trainee) -> dict:
    """The attestation de fin de formation: objectives, nature, duration, final results."""
    result = data.results.get(trainee.pk) or empty_result(objectives=data.objectives)
    if not result.objectives:
        result.objectives = empty_result(objectives=data.objectives).objectives
    return {
        **_personal(data, trainee),
        **_hours(data, trainee),
        "objectives": data.objectives,
        "result": result,
        "issued_on": data.session.end_date,
        "is_provisional": not data.completion_documents_ready,
    }
