"""Attendance exports for administrators: pure row builders, then CSV and XLSX writers.

Rows are produced session by session (one query for its slots, one for its records), so
memory stays bounded by the largest session, not by the export. The CSV is streamed (UTF-8
with a BOM and ``;`` so French spreadsheets open it as is); the XLSX is written by openpyxl in
write-only mode; both through ``core.spreadsheets``, which escapes formulas.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import chain

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import csv_stream, xlsx_file, xlsx_write
from training.accounts.models import User
from training.attendance import selectors as attendance
from training.attendance.models import AttendanceSignature, SignatureMethod, SlotAttendance
from training.sessions.models import Enrolment, Slot, TrainingSession

SIGNED_METHODS = {SignatureMethod.DRAWN, SignatureMethod.TYPED, SignatureMethod.PAPER}


def export_filename(
    kind: str,
    *,
    extension: str,
    session: TrainingSession | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> str:
    """Name an export by what it holds, not by when it was made:
    ``emargement-DEMO-TERMINEE-2026-10-27-au-2026-11-03.csv``,
    ``heures-toutes-sessions-2026-01-01-au-2026-06-30.csv``. A bound the filter leaves open
    is the first or last half-day the export can hold."""
    from django.db.models import Max, Min
    from django.utils.text import slugify

    reference = (slugify(session.code) or f"session-{session.pk}") if session else "toutes-sessions"
    start, end = since, until
    if start is None or end is None:
        slots = Slot.objects.all()
        if session is not None:
            slots = slots.filter(session=session)
        if since is not None:
            slots = slots.filter(date__gte=since)
        if until is not None:
            slots = slots.filter(date__lte=until)
        bounds = slots.aggregate(first=Min("date"), last=Max("date"))
        start = start or bounds["first"]
        end = end or bounds["last"]
    if start is None or end is None:
        period = "aucune-demi-journee"
    elif start == end:
        period = f"{start:%Y-%m-%d}"
    else:
        period = f"{start:%Y-%m-%d}-au-{end:%Y-%m-%d}"
    return f"{kind}-{reference}-{period}.{extension}"


def attendance_header() -> list[str]:
    return [
        _("Session reference"),
        _("Session title"),
        _("Date"),
        _("Half-day"),
        _("Start time"),
        _("End time"),
        _("Duration (hours)"),
        _("Trainee"),
        _("Email"),
        _("Organisation"),
        _("Status"),
        _("Signed at"),
        _("Method"),
        _("Trainer"),
    ]


def summary_header() -> list[str]:
    return [
        _("Session reference"),
        _("Session title"),
        _("Trainee"),
        _("Email"),
        _("Organisation"),
        _("Hours planned"),
        _("Hours attended"),
    ]


def _sessions(session=None, since=None, until=None):
    sessions = TrainingSession.objects.order_by("start_date", "code", "pk")
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    if since:
        sessions = sessions.filter(end_date__gte=since)
    if until:
        sessions = sessions.filter(start_date__lte=until)
    return sessions.prefetch_related("trainers")


def _trainees(session: TrainingSession, slots: list[Slot]) -> list[User]:
    enrolled = Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).values(
        "trainee_id"
    )
    recorded = AttendanceSignature.objects.filter(slot__in=slots).values("trainee_id")
    return list(
        User.objects.filter(Q(pk__in=enrolled) | Q(pk__in=recorded)).order_by(
            "last_name", "first_name", "pk"
        )
    )


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def attendance_rows(
    *,
    session: TrainingSession | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Iterator[list]:
    """Yield one row per trainee × half-day (typed values: date, time, Decimal, datetime).

    Labels are translated once, in the language active when this is called (not per row).
    """
    labels = {
        "periods": {key: str(label) for key, label in Slot.Period.choices},
        "statuses": {key: str(label) for key, label in AttendanceSignature.Status.choices},
        "methods": {key: str(label) for key, label in SignatureMethod.choices},
        "not_signed": str(_("Not signed")),
    }
    return _attendance_rows(labels, _sessions(session, since, until), since, until)


def _attendance_rows(labels: dict, sessions, since, until) -> Iterator[list]:
    periods, statuses, methods = labels["periods"], labels["statuses"], labels["methods"]
    for current in sessions.iterator(chunk_size=100):
        slots = Slot.objects.filter(session=current).order_by("date", "period", "pk")
        if since:
            slots = slots.filter(date__gte=since)
        if until:
            slots = slots.filter(date__lte=until)
        slots = list(slots)
        if not slots:
            continue
        states = {
            s.slot_id: s
            for s in SlotAttendance.objects.filter(slot__in=slots).select_related("attested_by")
        }
        records = {
            (r.slot_id, r.trainee_id): r
            for r in AttendanceSignature.objects.filter(slot__in=slots).with_effective_status()
        }
        trainers = ", ".join(t.get_full_name() for t in current.trainers.all())
        people = [(t, t.get_full_name()) for t in _trainees(current, slots)]
        for slot in slots:
            state = states.get(slot.pk)
            trainer = state.attested_by.get_full_name() if state and state.attested_by else trainers
            duration = attendance.minutes_to_hours(slot.duration_minutes)
            period = periods[slot.period]
            for trainee, name in people:
                record = records.get((slot.pk, trainee.pk))
                yield [
                    current.code,
                    current.title,
                    slot.date,
                    period,
                    slot.start_time,
                    slot.end_time,
                    duration,
                    name,
                    trainee.email,
                    trainee.organisation,
                    statuses[record.current_status] if record else labels["not_signed"],
                    _local(record.signed_at)
                    if record and record.method in SIGNED_METHODS
                    else None,
                    methods[record.method] if record else "",
                    trainer,
                ]


def summary_rows(
    *,
    session: TrainingSession | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Iterator[list]:
    """Yield one row per session × trainee: hours planned and hours attended."""
    for current in _sessions(session, since, until).iterator(chunk_size=100):
        planned = attendance.planned_hours(session=current, since=since, until=until)
        hours = attendance.attended_hours(session=current, since=since, until=until)
        trainees = User.objects.filter(pk__in=list(hours)).order_by("last_name", "first_name", "pk")
        for trainee in trainees:
            yield [
                current.code,
                current.title,
                trainee.get_full_name(),
                trainee.email,
                trainee.organisation,
                planned,
                hours[trainee.pk],
            ]


# --- Files (core.spreadsheets writes them) -------------------------------------------------


def _sheets(session, since, until):
    # Headers are translated now, in the language of the request or command.
    return [
        (
            _("Attendance"),
            chain(
                [attendance_header()], attendance_rows(session=session, since=since, until=until)
            ),
        ),
        (
            _("Hours summary"),
            chain([summary_header()], summary_rows(session=session, since=since, until=until)),
        ),
    ]


def attendance_csv_stream(*, session=None, since=None, until=None) -> Iterator[str]:
    """Stream the rows as CSV text chunks (BOM, ``;``, French number and date formats)."""
    return csv_stream(_sheets(session, since, until)[0][1])


def summary_csv_stream(*, session=None, since=None, until=None) -> Iterator[str]:
    """Stream the hours summary as CSV text chunks."""
    return csv_stream(_sheets(session, since, until)[1][1])


def attendance_xlsx_write(*, handle, session=None, since=None, until=None) -> None:
    """Write the workbook (sheet 1: rows, sheet 2: hours summary) to an open binary file."""
    xlsx_write(_sheets(session, since, until), handle=handle)


def attendance_xlsx(*, session=None, since=None, until=None):
    """Return a temporary file (rewound) holding the XLSX export."""
    return xlsx_file(_sheets(session, since, until))
