"""Attendance reads: hours planned and attended, the evidence fingerprint, the state of each
half-day and the records shown on pages and documents.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models
from django.utils import timezone

from core.sql import column
from training.accounts.models import User
from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance
from training.privacy.evidence import session_fingerprint
from training.sessions.models import Enrolment, Slot, TrainingSession

HOURS = Decimal("0.01")


# --- Hours ----------------------------------------------------------------------------------


def minutes_to_hours(minutes: int) -> Decimal:
    """Return minutes as hours with two decimals (3 h 30 → 3.50)."""
    return (Decimal(minutes) / Decimal(60)).quantize(HOURS, rounding=ROUND_HALF_UP)


def _slots(session: TrainingSession, since=None, until=None):
    slots = Slot.objects.filter(session=session)
    if since:
        slots = slots.filter(date__gte=since)
    if until:
        slots = slots.filter(date__lte=until)
    return slots


def planned_hours(
    *,
    session: TrainingSession,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Decimal:
    """Return the hours of the session's half-days (within ``since``/``until`` if given)."""
    minutes = sum(slot.duration_minutes for slot in _slots(session, since, until))
    return minutes_to_hours(minutes)


def attended_hours(
    *,
    session: TrainingSession,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> dict[int, Decimal]:
    """Return the hours attended by each trainee of the session: ``{user_id: Decimal}``.

    This is the one place where attendance becomes hours (certificates, exports, pages).
    Rule: a half-day counts for its whole planned duration (end − start) when the trainee's
    record, after corrections, is *present* or *late*; *absent*, *excused* or no record count
    zero. A late arrival keeps the full half-day: the sheet shows the signing time, and a
    trainer who judges the absence substantial records the trainee as absent (by a
    correction, with its reason). Every trainee currently enrolled appears, with 0 if need be.
    """
    slots = {slot.pk: slot for slot in _slots(session, since, until)}
    minutes: dict[int, int] = dict.fromkeys(
        Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).values_list(
            "trainee_id", flat=True
        ),
        0,
    )
    records = (
        AttendanceSignature.objects.filter(slot_id__in=slots.keys())
        .with_effective_status()
        .values_list("trainee_id", "slot_id", "effective_status")
    )
    for trainee_id, slot_id, status in records:
        minutes.setdefault(trainee_id, 0)
        if status in AttendanceSignature.ATTENDED:
            minutes[trainee_id] += slots[slot_id].duration_minutes
    return {trainee_id: minutes_to_hours(total) for trainee_id, total in minutes.items()}


# --- Evidence fingerprint ---------------------------------------------------------------------


def evidence_fingerprint(*, session: TrainingSession) -> str:
    """Return the SHA-256 (hex) of the session's evidence, built on the per-half-day chains.

    Each half-day's records (signatures in signing order, then corrections, then the trainer's
    attestation) are chained by hash (``training.privacy.evidence``); the fingerprint covers
    the half-days' times and states and the head of each chain, so any change to the evidence
    changes the fingerprint printed on the sheet, and ``verify_evidence`` finds the half-day.
    """

    return session_fingerprint(session=session)


# --- Reads for the pages and documents ------------------------------------------------------


def slot_states(*, slots) -> dict[int, SlotAttendance]:
    """Return the attendance state of each slot (an unsaved « upcoming » one when missing)."""
    slots = list(slots)
    found = {s.slot_id: s for s in SlotAttendance.objects.filter(slot__in=slots)}
    return {
        slot.pk: found.get(slot.pk)
        or SlotAttendance(slot=slot, status=SlotAttendance.Status.UPCOMING)
        for slot in slots
    }


def session_trainees(*, session: TrainingSession) -> list:
    """Return the enrolled trainees, plus anyone with a record (removed later), by name."""
    with_records = AttendanceSignature.objects.filter(slot__session=session).values("trainee_id")
    enrolled = Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).values(
        "trainee_id"
    )
    return list(
        User.objects.filter(models.Q(pk__in=enrolled) | models.Q(pk__in=with_records)).order_by(
            "last_name", "first_name", "pk"
        )
    )


def slot_records(*, slot: Slot) -> dict[int, AttendanceSignature]:
    """Return the slot's records by trainee id, with ``effective_status`` annotated."""
    return {
        record.trainee_id: record
        for record in AttendanceSignature.objects.filter(slot=slot)
        .with_effective_status()
        .select_related("recorded_by")
    }


def session_records(*, session: TrainingSession) -> dict[tuple[int, int], AttendanceSignature]:
    """Return every record of the session by (slot id, trainee id), with effective status."""
    return {
        (record.slot_id, record.trainee_id): record
        for record in AttendanceSignature.objects.filter(slot__session=session)
        .with_effective_status()
        .select_related("recorded_by")
    }


def session_corrections(*, session: TrainingSession) -> list[AttendanceCorrection]:
    """Return the session's corrections, latest first, with who and which record."""
    return list(
        AttendanceCorrection.objects.filter(signature__slot__session=session)
        .select_related("author", "signature__trainee", "signature__slot")
        .order_by("-created_at", "-pk")
    )


def open_slots_for_trainee(
    *, user, now: datetime.datetime | None = None, sessions: list | None = None
) -> list[Slot]:
    """Return today's open half-days of the sessions the user is enrolled in.

    ``sessions``: the user's sessions already read (``sessions.selectors.trainee_sessions``);
    no query when none of them runs today.
    """
    if not user.is_authenticated:
        return []
    today = timezone.localdate(now or timezone.now())
    if sessions is None:
        in_scope = TrainingSession.objects.for_trainee(user).not_cancelled()
    else:
        in_scope = [s.pk for s in sessions if s.start_date <= today <= s.end_date]
        if not in_scope or not _open_slot_exists(session_ids=in_scope, day=today):
            return []
    return list(
        Slot.objects.filter(
            session__in=in_scope, date=today, attendance__status=SlotAttendance.Status.OPEN
        )
        .select_related("session")
        .order_by("start_time")
    )


def _open_slot_exists(*, session_ids: list[int], day: datetime.date) -> bool:
    """Whether one of these sessions has a half-day open for signing on ``day``: one plain
    query (the ORM would spend ten times the query building it), so that a dashboard reads
    the half-days only while one is open."""
    quote = connection.ops.quote_name
    slot, attendance = Slot._meta, SlotAttendance._meta

    places = ", ".join(["%s"] * len(session_ids))
    # Quoted names from the models only; the values are parameters.
    sql = (
        f"SELECT 1 FROM {quote(slot.db_table)} s INNER JOIN {quote(attendance.db_table)} a "  # noqa: S608
        f"ON a.{column(attendance, 'slot')} = s.{quote(slot.pk.column)} "
        f"WHERE s.{column(slot, 'session')} IN ({places}) AND s.{column(slot, 'date')} = %s "
        f"AND a.{column(attendance, 'status')} = %s LIMIT 1"
    )
    params = [*session_ids, connection.ops.adapt_datefield_value(day), SlotAttendance.Status.OPEN]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def slot_has_attendance(*, slot: Slot) -> bool:
    """Return whether a half-day has attendance evidence (it must not be removed or re-timed)."""
    return (
        AttendanceSignature.objects.filter(slot=slot).exists()
        or SlotAttendance.objects.filter(slot=slot)
        .exclude(status=SlotAttendance.Status.UPCOMING)
        .exists()
    )


def status_label(value: str) -> str:
    return str(AttendanceSignature.Status(value).label) if value else ""
