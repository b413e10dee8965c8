"""Tamper evidence: each half-day's records form a hash chain whose head is sealed.

A link is ``sha256(previous head + canonical JSON of one record)``; the chain starts from
``sha256("slot:<id>")`` and takes the signatures in signing order (server time, then id),
then the corrections in the order they were made, then the trainer's attestation. The head
is stored in ``SlotEvidenceSeal`` when the half-day is closed and again after each correction
(new records); ``evidence_verify`` recomputes every chain and compares.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone

from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance
from training.privacy.models import SlotEvidenceSeal
from training.sessions.models import Slot, TrainingSession


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _next(previous: str, item) -> str:
    return hashlib.sha256((previous + _canonical(item)).encode()).hexdigest()


def slot_links(*, slot: Slot) -> list[list]:
    """Return the canonical records of a half-day, in chain order."""
    links: list[list] = []
    for record in AttendanceSignature.objects.filter(slot=slot).order_by("signed_at", "pk"):
        links.append(
            [
                "signature",
                record.pk,
                record.trainee_id,
                record.status,
                record.method,
                _iso(record.signed_at),
                record.ip_address,
                record.user_agent,
                record.evidence_sha256,
                record.typed_name,
                record.reason,
                record.recorded_by_id,
            ]
        )
    for correction in AttendanceCorrection.objects.filter(signature__slot=slot).order_by(
        "created_at", "pk"
    ):
        links.append(
            [
                "correction",
                correction.pk,
                correction.signature_id,
                correction.author_id,
                correction.previous_status,
                correction.new_status,
                correction.reason,
                _iso(correction.created_at),
            ]
        )
    state = SlotAttendance.objects.filter(slot=slot).first()
    if state is not None and state.attested_by_id:
        links.append(
            [
                "attestation",
                state.attested_by_id,
                _iso(state.attested_at),
                state.attestation_method,
                state.attestation_sha256,
            ]
        )
    return links


def slot_chain(*, slot: Slot) -> tuple[str, int]:
    """Return (head, number of links) of the half-day's evidence chain."""
    head = hashlib.sha256(f"slot:{slot.pk}".encode()).hexdigest()
    links = slot_links(slot=slot)
    for item in links:
        head = _next(head, item)
    return head, len(links)


def session_fingerprint(*, session: TrainingSession) -> str:
    """Return the session's fingerprint: its half-days (times, state) and their chain heads."""
    states = {s.slot_id: s for s in SlotAttendance.objects.filter(slot__session=session)}
    slots = []
    for slot in Slot.objects.filter(session=session).order_by("date", "period", "pk"):
        state = states.get(slot.pk)
        slots.append(
            [
                slot.pk,
                slot.date.isoformat(),
                slot.period,
                slot.start_time.isoformat(),
                slot.end_time.isoformat(),
                state.status if state else SlotAttendance.Status.UPCOMING,
                _iso(state.opened_at) if state else None,
                _iso(state.closed_at) if state else None,
                slot_chain(slot=slot)[0],
            ]
        )
    return hashlib.sha256(
        _canonical({"session": session.code, "slots": slots}).encode()
    ).hexdigest()


def seal_update(*, slot: Slot) -> SlotEvidenceSeal:
    """Store the current head of the half-day's chain (create the seal on first use)."""
    head, count = slot_chain(slot=slot)
    now = timezone.now()
    seal, created = SlotEvidenceSeal.objects.get_or_create(
        slot=slot,
        defaults={"chain_head": head, "links": count, "sealed_at": now, "updated_at": now},
    )
    if not created and (seal.chain_head != head or seal.links != count):
        seal.chain_head, seal.links, seal.updated_at = head, count, now
        seal.save(update_fields=["chain_head", "links", "updated_at"])
    return seal


@dataclass(frozen=True)
class Mismatch:
    slot: Slot
    kind: str  # "altered" or "unsealed"
    expected: str
    found: str


def evidence_verify(*, session: TrainingSession | None = None) -> tuple[int, list[Mismatch]]:
    """Recompute the chain of every closed or sealed half-day; return (checked, mismatches)."""
    slots = Slot.objects.select_related("session").order_by("session__code", "date", "period")
    if session is not None:
        slots = slots.filter(session=session)
    seals = {s.slot_id: s for s in SlotEvidenceSeal.objects.filter(slot__in=slots)}
    closed = set(
        SlotAttendance.objects.filter(
            slot__in=slots, status=SlotAttendance.Status.CLOSED
        ).values_list("slot_id", flat=True)
    )
    checked, problems = 0, []
    for slot in slots:
        seal = seals.get(slot.pk)
        if seal is None:
            if slot.pk in closed:
                checked += 1
                problems.append(Mismatch(slot, "unsealed", "", slot_chain(slot=slot)[0]))
            continue
        checked += 1
        head, _count = slot_chain(slot=slot)
        if head != seal.chain_head:
            problems.append(Mismatch(slot, "altered", seal.chain_head, head))
    return checked, problems
