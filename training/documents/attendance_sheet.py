"""The attendance sheet (signed, or blank to print for paper signing): what it shows, its PDF,
and the fingerprint of its inputs for the document cache.

Its inputs are the recorded evidence (whose fingerprint the attendance feature computes), the
session's identity, slots and trainees, and the sheet's own templates.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import pdf
from training.attendance.models import AttendanceCorrection, AttendanceSignature
from training.attendance.selectors import (
    evidence_fingerprint,
    minutes_to_hours,
    session_records,
    session_trainees,
    slot_states,
    status_label,
)
from training.sessions.models import Slot, TrainingSession


def _data_uri(field) -> str:
    """Return a stored PNG as a data: URI for the PDF (empty when missing or not a PNG)."""
    if not field:
        return ""
    try:
        with field.storage.open(field.name, "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _cell(record: AttendanceSignature | None, corrections: list) -> dict:
    if record is None:
        return {"kind": "empty"}
    Method = AttendanceSignature.Method
    status = record.effective_status
    cell = {
        "kind": "status",
        "status": status,
        "status_label": status_label(status),
        "time": timezone.localtime(record.signed_at),
        "attended": status in AttendanceSignature.ATTENDED,
        "corrections": corrections,
        "reason": record.reason,
        "method": record.method,
    }
    if record.method == Method.DRAWN:
        cell.update(kind="image", image=_data_uri(record.evidence_file))
    elif record.method == Method.TYPED:
        cell.update(kind="typed", text=record.typed_name)
    elif record.method == Method.PAPER:
        cell.update(kind="paper", sha=record.evidence_sha256[:12])
    return cell


def attendance_sheet_context(*, session: TrainingSession, blank: bool = False) -> dict:
    """Return what the attendance sheet shows: days, half-days, trainer, one row per trainee."""
    slots = list(
        Slot.objects.filter(session=session)
        .prefetch_related("modules")
        .order_by("date", "period", "pk")
    )
    trainers = list(session.trainers.order_by("last_name", "first_name"))
    trainer_names = ", ".join(t.get_full_name() for t in trainers)
    trainees = session_trainees(session=session)
    states = slot_states(slots=slots)
    records = {} if blank else session_records(session=session)
    corrections: dict[int, list] = {}
    if not blank:
        for correction in AttendanceCorrection.objects.filter(
            signature__slot__session=session
        ).select_related("author"):
            corrections.setdefault(correction.signature_id, []).append(correction)
    days: list[dict] = []
    for slot in slots:
        if not days or days[-1]["date"] != slot.date:
            days.append({"date": slot.date, "slots": []})
        state = states[slot.pk]
        attested = not blank and state.is_closed and state.attested_by_id
        days[-1]["slots"].append(
            {
                "slot": slot,
                "modules": list(slot.modules.all()),
                "hours": minutes_to_hours(slot.duration_minutes),
                "state": state,
                "trainer_name": state.attested_by.get_full_name() if attested else trainer_names,
                "trainer_image": _data_uri(state.attestation_image) if attested else "",
                "trainer_typed": state.attestation_name if attested else "",
                "attested_at": timezone.localtime(state.attested_at) if attested else None,
            }
        )
    for day in days:
        day["rows"] = []
        for trainee in trainees:
            cells = []
            for item in day["slots"]:
                record = records.get((item["slot"].pk, trainee.pk))
                cells.append(_cell(record, corrections.get(record.pk, []) if record else []))
            day["rows"].append({"trainee": trainee, "cells": cells})
    return {
        "session": session,
        "ORGANISATION": settings.ORGANISATION,
        "trainers": trainers,
        "trainer_names": trainer_names,
        "days": days,
        "trainees": trainees,
        "blank": blank,
        "generated_at": timezone.localtime(),
        "fingerprint": "" if blank else evidence_fingerprint(session=session),
        "evidence_years": settings.RETENTION_EVIDENCE_YEARS,
    }


def _render_sheet(*, session: TrainingSession, blank: bool) -> bytes:

    with translation.override(settings.LANGUAGE_CODE):
        context = attendance_sheet_context(session=session, blank=blank)
        title = (
            gettext("Blank attendance sheet — %(code)s")
            if blank
            else gettext("Attendance sheet — %(code)s")
        ) % {"code": session.code}
        return pdf.render_pdf(
            "training/pdf/attendance_sheet.html",
            context,
            title=title,
            author=settings.ORGANISATION["name"],
            lang=settings.LANGUAGE_CODE,
        )


def render(*, session: TrainingSession) -> bytes:
    """Return the session's attendance sheet (signatures, statuses, trainer, fingerprint)."""
    return _render_sheet(session=session, blank=False)


def blank_render(*, session: TrainingSession) -> bytes:
    """Return the pre-filled blank sheet to print when trainees sign on paper."""
    return _render_sheet(session=session, blank=True)


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
