"""Reads about the content as a whole: its revisions, a module's update history, the edits
made in the admin that the last load kept."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import AdminEdit, ContentRevision


def content_revision_current() -> ContentRevision | None:
    """The latest revision of the content (what documents and the proof pack print)."""
    return ContentRevision.objects.order_by("-number").first()


def revisions(*, limit: int = 20) -> list[ContentRevision]:
    return list(ContentRevision.objects.order_by("-number")[:limit])


def module_revisions(*, module_slug: str, limit: int = 10) -> list[ContentRevision]:
    """The revisions that changed something in a module, latest first."""
    return list(
        ContentRevision.objects.filter(changes__modules__has_key=module_slug).order_by("-number")[
            :limit
        ]
    )


def admin_edits() -> list[AdminEdit]:
    return list(AdminEdit.objects.order_by("path", "line", "pk"))


@dataclass
class HistoryEntry:
    """One line of a module's « Historique des mises à jour »."""

    date: datetime.date
    kind: str  # "revision" or "verification"
    counts: dict | None = None  # revision: {kind: {outcome: n}}
    lessons: list | None = None  # revision: titles of the lessons changed
    reference: object = None  # verification: the reference
    outcome: str = ""

    @property
    def local_date(self):
        return self.date


def revision_counts(revision: ContentRevision, module_slug: str) -> tuple[dict, list[str]]:
    """Per kind of object, how many were created, updated, removed in a module."""
    changes = revision.module_changes(module_slug)
    counts = {
        kind: {outcome: len(labels) for outcome, labels in outcomes.items()}
        for kind, outcomes in changes.items()
    }
    lessons = sorted(
        {label for outcome in changes.get("lessons", {}).values() for label in outcome}
    )
    return counts, lessons


def module_updated_on(*, module_slug: str) -> datetime.date | None:
    latest = (
        ContentRevision.objects.filter(changes__modules__has_key=module_slug)
        .order_by("-number")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(latest) if latest else None
