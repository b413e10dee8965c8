"""Exports of results as rows (pure functions), then as streamed CSV or write-only XLSX.

CSV is written for French spreadsheets: UTF-8 with a byte order mark, ``;`` between cells,
decimal commas. Any text cell starting with = + - @ (or a tab / carriage return) gets a
leading apostrophe so that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell_safe(value):
    """Escape a text cell a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def quiz_result_rows(data: dict) -> Iterator[list]:
    """Yield a header then one row per submitted attempt, with points per question key."""
    quiz = data["quiz"]
    keys = data["keys"]
    yield [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Organisation"),
        _("Quiz"),
        _("Attempt"),
        _("Retained"),
        _("Started at"),
        _("Submitted at"),
        _("Points"),
        _("Out of"),
        _("Score (%)"),
        _("Passed"),
        *keys,
    ]
    number: dict[int, int] = {}
    for attempt in data["attempts"]:  # oldest first
        number[attempt.user_id] = number.get(attempt.user_id, 0) + 1
        user = attempt.user
        points = data["points"].get(attempt.pk, {})
        yield [
            user.last_name,
            user.first_name,
            user.email,
            user.organisation,
            quiz.title,
            number[attempt.user_id],
            _yes_no(attempt.pk in data["retained_ids"]),
            _local(attempt.started_at),
            _local(attempt.submitted_at),
            attempt.score_points,
            attempt.max_points,
            attempt.score_percent,
            _yes_no(attempt.passed),
            *(points.get(key) for key in keys),
        ]


def learning_gain_rows(gain) -> Iterator[list]:
    """Yield a header, one row per trainee and a last row with the group average."""
    objective_headers = []
    for objective in gain.objectives:
        objective_headers += [
            _("%(code)s before (%%)") % {"code": objective.code},
            _("%(code)s after (%%)") % {"code": objective.code},
        ]
    yield [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Positioning test (%)"),
        _("Final evaluation (%)"),
        _("Gain (points)"),
        *objective_headers,
    ]
    for trainee in gain.trainees:
        cells = []
        for g in trainee.objectives:
            cells += [g.before, g.after]
        yield [
            trainee.user.last_name,
            trainee.user.first_name,
            trainee.user.email,
            trainee.overall.before,
            trainee.overall.after,
            trainee.overall.delta,
            *cells,
        ]
    cells = []
    for g in gain.objective_averages:
        cells += [g.before, g.after]
    yield [
        _("Group average"),
        "",
        "",
        gain.average.before,
        gain.average.after,
        gain.average.delta,
        *cells,
    ]


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Decimal | float):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(cell_safe(str(value)))


class _Line:
    """A file-like object whose write() returns what it was given (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """Yield the CSV text line by line, starting with the byte order mark."""
    writer = csv.writer(_Line(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def xlsx_bytes(rows: Iterable[list], *, title: str) -> bytes:
    """Return an XLSX workbook of the rows, written in constant memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, row in enumerate(rows):
        values = [cell_safe(v) if isinstance(v, str) else v for v in row]
        if index == 0:
            header = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Export"
