"""Writes about the content as a whole: the revision a load records."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db.models import Max

from modules.loader import LoadReport

from .models import ContentRevision

CONTENT_SUFFIXES = (".md", ".yaml", ".yml")


def content_fingerprints(base: Path) -> dict[str, str]:
    """Return the SHA-256 of every content file under ``base``, by relative path."""
    base = Path(base)
    out = {}
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_SUFFIXES and path.name != "README.md":
            out[str(path.relative_to(base))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def revision_record(*, report: LoadReport, base: Path) -> ContentRevision | None:
    """Record what a load changed, per module, with the source files' fingerprints.

    A load that changed nothing records nothing.
    """
    if not report.changes:
        return None
    changes: dict = {"course": {}, "modules": {}}
    for kind, outcome, label, module in report.changes:
        bucket = changes["modules"].setdefault(module, {}) if module else changes["course"]
        bucket.setdefault(kind, {}).setdefault(outcome, []).append(label)
    totals = {
        outcome: sum(1 for _k, o, _l, _m in report.changes if o == outcome)
        for outcome in ("created", "updated", "removed")
    }
    number = (ContentRevision.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    return ContentRevision.objects.create(
        number=number,
        changes=changes,
        fingerprints=content_fingerprints(base),
        totals=totals,
    )
