"""Reads for the documents pages: which documents a trainee may download, per session."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from training.documents.data import SessionData
from training.documents.models import DocumentBundle
from training.documents.registry import PERSONAL_KINDS, DocumentKind
from training.sessions.models import TrainingSession

RECENT_DAYS = 400


@dataclass
class TraineeDocuments:
    session: TrainingSession
    available: list[DocumentKind]
    pending: list[DocumentKind]  # issued once the session is over and attested


def trainee_session_get(*, user, pk: int) -> TrainingSession:
    """Return a live session the user is enrolled in, or 404."""
    return get_object_or_404(
        TrainingSession.objects.for_trainee(user).not_cancelled().select_related("course"),
        pk=pk,
    )


def trainee_kinds(*, data: SessionData) -> tuple[list[DocumentKind], list[DocumentKind]]:
    """Return the personal kinds a trainee may download now, and those still to come."""
    mine = [kind for kind in PERSONAL_KINDS if kind.for_trainee]
    if data.session.is_cancelled:
        return [], []
    ready = data.completion_documents_ready
    available = [kind for kind in mine if ready or not kind.needs_completion]
    pending = [kind for kind in mine if kind not in available]
    return available, pending


def recent_since() -> datetime.date:
    """The first day of the sessions whose documents a trainee still finds on the dashboard."""
    return timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)


def trainee_documents(*, user, sessions: list | None = None) -> list[TraineeDocuments]:
    """Return the user's recent and upcoming sessions with the documents they may download.

    ``sessions``: the user's sessions since ``recent_since()``, already read
    (``sessions.selectors.trainee_sessions``).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    since = recent_since()
    if sessions is None:
        sessions = (
            TrainingSession.objects.for_trainee(user)
            .not_cancelled()
            .filter(end_date__gte=since)
            .select_related("course")
            .order_by("-start_date", "-pk")[:5]
        )
    else:
        recent = [s for s in sessions if s.end_date >= since]
        sessions = sorted(recent, key=lambda s: (s.start_date, s.pk), reverse=True)[:5]
    found = []
    for session in sessions:
        available, pending = trainee_kinds(data=SessionData(session))
        found.append(TraineeDocuments(session, available, pending))
    return found


# --- Bundles ---------------------------------------------------------------------------------


def session_bundles(*, session: TrainingSession):
    """The bundles of a session (the caller fetched the session through its scoped queryset)."""
    return DocumentBundle.objects.filter(session=session).select_related("session")


def bundles_latest(*, session: TrainingSession) -> dict[str, DocumentBundle]:
    """The latest bundle of each kind of the session, for links from the documents tab."""
    latest: dict[str, DocumentBundle] = {}
    for bundle in session_bundles(session=session).order_by("-created_at", "-pk")[:20]:
        latest.setdefault(bundle.which, bundle)
    return latest


def bundle_state(*, bundle: DocumentBundle) -> dict:
    """What the bundle page shows and its script polls: status, progress, link when ready."""
    Status = DocumentBundle.Status
    total = max(bundle.total, bundle.done)
    state = {
        "status": bundle.status,
        "label": str(bundle.get_status_display()),
        "done": bundle.done,
        "total": total,
        "percent": round(100 * bundle.done / total) if total else 0,
        "error": bundle.error if bundle.status == Status.FAILED else "",
        "download_url": "",
        "finished_at": "",
    }
    if bundle.status == Status.READY:
        state["done"] = state["total"]
        state["percent"] = 100
        state["download_url"] = reverse(
            "training:session_bundle_download", args=[bundle.session_id, bundle.pk]
        )
        if bundle.finished_at:
            state["finished_at"] = formats.date_format(
                timezone.localtime(bundle.finished_at), "j F Y, H:i"
            )
    if bundle.status == Status.QUEUED:
        state["message"] = _("Waiting for the worker…")
    elif bundle.status == Status.RUNNING:
        state["message"] = ngettext(
            "%(done)d of %(total)d document ready",
            "%(done)d of %(total)d documents ready",
            bundle.done,
        ) % {"done": bundle.done, "total": total}
    elif bundle.status == Status.READY:
        state["message"] = ngettext(
            "The ZIP is ready: %(total)d document.", "The ZIP is ready: %(total)d documents.", total
        ) % {"total": total}
    else:
        state["message"] = _("The ZIP could not be built.")
    return state
