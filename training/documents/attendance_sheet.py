"""The attendance sheet in the documents list: rendered by the attendance feature, cached here.

The sheet is made by ``training.attendance.attendance_sheet_pdf``; its inputs are the
recorded evidence (whose fingerprint the attendance feature computes), the session's
identity, slots and trainees, and the sheet's own templates.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings


def render(*, session) -> bytes:
    """Return the signed attendance sheet of the session (PDF)."""
    from training import attendance

    return attendance.attendance_sheet_pdf(session=session)


def _templates_digest() -> str:
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted((Path(folder) / "training" / "pdf").glob("attendance*")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(*, data) -> str:
    """Return what the sheet depends on, as one string (evidence, session, people, templates)."""
    session = data.session
    payload = {
        "evidence": data.evidence_fingerprint,
        "session": [
            session.code,
            session.title,
            session.start_date.isoformat(),
            session.end_date.isoformat(),
            session.place_name,
            session.address,
            session.status,
        ],
        "organisation": data.organisation,
        "trainers": [[t.pk, t.get_full_name()] for t in data.trainers],
        "trainees": [[t.pk, t.get_full_name(), t.organisation] for t in data.trainees],
        "slots": [
            [s.pk, [m.number for m in s.modules.all()], [m.title for m in s.modules.all()]]
            for s in data.slots
        ],
        "templates": _templates_digest(),
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
