"""The watch log as evidence (Qualiopi indicator 23): rows for a spreadsheet, bytes of a PDF.

Pure functions: the views wrap them in a download (``core.downloads``); a future proof pack
(issue 19) can call them too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from . import selectors
from .models import ReviewFlag, Verification


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def watch_log_rows(*, today: datetime.date | None = None):
    """Yield the log as rows: a header, each reference, each verification, each flag."""
    yield [
        _("Entry"),
        _("Reference"),
        _("Code or source"),
        _("Status"),
        _("In force since"),
        _("Date"),
        _("By"),
        _("Source consulted"),
        _("Outcome"),
        _("Content"),
        _("File"),
        _("Note"),
    ]
    rows = selectors.reference_rows(today=today)
    for row in rows:
        reference = row.reference
        yield [
            _("Reference"),
            reference.cite,
            reference.source,
            reference.get_status_display(),
            reference.in_force_since or _("to be checked"),
            row.last_verified,
            "",
            "",
            row.last_outcome or (_("never verified") if not row.last_verified else ""),
            _("cited in %(count)s item(s)") % {"count": row.citations},
            "",
            _("due now")
            if row.is_overdue
            else _("due on %(date)s") % {"date": row.due_on.strftime("%d/%m/%Y")},
        ]
    for verification in Verification.objects.select_related("reference", "checked_by").order_by(
        "checked_on", "recorded_at"
    ):
        yield [
            _("Verification"),
            verification.reference.cite,
            verification.reference.source,
            verification.reference.get_status_display(),
            "",
            verification.checked_on,
            _person(verification.checked_by),
            verification.source_consulted,
            verification.get_outcome_display(),
            "",
            "",
            " ".join(filter(None, [verification.note, verification.action_reference])),
        ]
    for flag in ReviewFlag.objects.select_related("reference", "resolved_by").order_by(
        "created_at", "pk"
    ):
        yield [
            _("Flagged for review"),
            flag.reference.cite,
            flag.reference.source,
            flag.reference.get_status_display(),
            "",
            timezone.localtime(flag.created_at).date(),
            "",
            "",
            _("reviewed") if flag.resolved_at else _("to review"),
            f"{flag.get_item_kind_display()} : {flag.item_label}",
            f"{flag.path}:{','.join(str(n) for n in flag.lines)}" if flag.path else "",
            "",
        ]
        if flag.resolved_at:
            yield [
                _("Reviewed"),
                flag.reference.cite,
                flag.reference.source,
                flag.reference.get_status_display(),
                "",
                timezone.localtime(flag.resolved_at).date(),
                _person(flag.resolved_by),
                "",
                _("reviewed"),
                f"{flag.get_item_kind_display()} : {flag.item_label}",
                flag.path,
                flag.resolution_note,
            ]


def watch_log_pdf(*, author: str, today: datetime.date | None = None) -> bytes:
    """The watch log as a readable PDF: summary, references, verifications, reviews."""
    today = today or timezone.localdate()
    rows = selectors.reference_rows(today=today)
    context = {
        "organisation": settings.ORGANISATION,
        "today": today,
        "generated_at": timezone.localtime(),
        "months": selectors.watch_months(),
        "rows": rows,
        "summary": selectors.watch_summary(rows),
        "verifications": Verification.objects.select_related("reference", "checked_by").order_by(
            "-checked_on", "-recorded_at"
        ),
        "flags": ReviewFlag.objects.select_related("reference", "resolved_by").order_by(
            "-created_at", "reference__order", "item_kind"
        ),
        "stylesheet": "css/pdf-documents.css",
    }
    title = _("Legal watch log")
    return render_pdf("training/pdf/legal_watch.html", context, title=title, author=author)
