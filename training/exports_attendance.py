"""Attendance exports for administrators: pure row builders, then CSV and XLSX writers.

Rows are produced session by session (one query for its slots, one for its records), so
memory stays bounded by the largest session, not by the export. The CSV is streamed (UTF-8
with a BOM and ``;`` so French spreadsheets open it as is); the XLSX is written by openpyxl in
write-only mode. Text cells starting with ``= + - @`` (or a tab / carriage return) get a
leading apostrophe so no spreadsheet runs them as formulas.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from training import attendance
from training.models import Enrolment, Slot, TrainingSession, User
from training.models_attendance import AttendanceSignature, SignatureMethod, SlotAttendance

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SIGNED_METHODS = {SignatureMethod.DRAWN, SignatureMethod.TYPED, SignatureMethod.PAPER}


def cell_escape(value):
    """Return text that cannot start a spreadsheet formula (other values unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return cell_escape(str(value))


def _csv_stream(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([cell_escape(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def attendance_csv_stream(*, session=None, since=None, until=None) -> Iterator[str]:
    """Stream the rows as CSV text chunks (BOM, ``;``, French number and date formats)."""
    return _stream(attendance_rows, attendance_header, session, since, until)


def summary_csv_stream(*, session=None, since=None, until=None) -> Iterator[str]:
    """Stream the hours summary as CSV text chunks."""
    return _stream(summary_rows, summary_header, session, since, until)


def _stream(rows_function, header_function, session, since, until) -> Iterator[str]:
    # Header and labels are translated now, in the language of the request or command.
    header = header_function()
    rows = rows_function(session=session, since=since, until=until)
    return _csv_stream(header, rows)


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return cell_escape(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | Decimal):
        cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
        if isinstance(value, datetime.datetime):
            cell.number_format = "DD/MM/YYYY HH:MM:SS"
        elif isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, datetime.time):
            cell.number_format = "HH:MM"
        else:
            cell.number_format = "0.00"
        return cell
    return value


def attendance_xlsx_write(*, handle, session=None, since=None, until=None) -> None:
    """Write the workbook (sheet 1: rows, sheet 2: hours summary) to an open binary file."""
    from openpyxl import Workbook  # heavy import, only for XLSX exports

    workbook = Workbook(write_only=True)
    rows_sheet = workbook.create_sheet(_("Attendance"))
    rows_sheet.append([cell_escape(h) for h in attendance_header()])
    for row in attendance_rows(session=session, since=since, until=until):
        rows_sheet.append([_xlsx_cell(rows_sheet, value) for value in row])
    summary_sheet = workbook.create_sheet(_("Hours summary"))
    summary_sheet.append([cell_escape(h) for h in summary_header()])
    for row in summary_rows(session=session, since=since, until=until):
        summary_sheet.append([_xlsx_cell(summary_sheet, value) for value in row])
    workbook.save(handle)


def attendance_xlsx(*, session=None, since=None, until=None):
    """Return a temporary file (rewound) holding the XLSX export."""
    # The caller (FileResponse, a test) owns and closes the file.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    attendance_xlsx_write(handle=handle, session=session, since=since, until=until)
    handle.seek(0)
    return handle
