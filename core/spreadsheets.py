"""Exports for spreadsheets, written once for every export of the platform.

- **Formula escaping**: a text cell starting with ``= + - @`` (or a tab / carriage return) gets
  a leading apostrophe, so that no spreadsheet runs it as a formula (CSV injection).
- **CSV for French spreadsheets**: UTF-8 with a byte order mark, ``;`` between cells, CRLF,
  decimal commas, dates as ``dd/mm/yyyy``; streamed line by line (constant memory).
- **XLSX**: openpyxl in write-only mode (constant memory), a bold header, typed cells (dates,
  times, numbers keep their type and get a French display format); every sheet gets column
  widths fitted to its header and first rows, a frozen header row and an autofilter.

Rows are lists whose first item is the header; values are Python values (``None``, ``bool``,
numbers, dates, text); the functions here decide how each looks.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell_escape(value):
    """Return text that cannot start a spreadsheet formula (other values unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(value) -> str:
    """Return how a value reads in a French CSV cell (escaped when it is text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return cell_escape(str(value))


class _Line:
    """A file-like object whose write() returns what it was given (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list]) -> Iterator[str]:
    """Yield the CSV text line by line, starting with the byte order mark."""
    writer = csv.writer(_Line(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM
    for row in rows:
        yield writer.writerow([csv_text(v) for v in row])


XLSX_FORMATS = (
    (datetime.datetime, "DD/MM/YYYY HH:MM:SS"),
    (datetime.date, "DD/MM/YYYY"),
    (datetime.time, "HH:MM"),
    (Decimal, "0.00"),
)


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return cell_escape(value)
    for kind, number_format in XLSX_FORMATS:
        if isinstance(value, kind):
            cell = WriteOnlyCell(sheet, value=float(value) if kind is Decimal else value)
            cell.number_format = number_format
            return cell
    return value


def xlsx_sheet_title(title: str) -> str:
    """Return a title Excel accepts for a sheet (no ``[]:*?/\\``, at most 31 characters)."""
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Export"


# Column widths are fitted to the header and this many first rows (write-only mode writes the
# widths before the rows, so the rest of a long export is not waited for), within bounds.
XLSX_WIDTH_SAMPLE = 200
XLSX_WIDTH_MIN = 8
XLSX_WIDTH_MAX = 60
XLSX_DISPLAY_LENGTH = ((datetime.datetime, 19), (datetime.date, 10), (datetime.time, 5))


def _display_length(value) -> int:
    """Return about how many characters a value takes in its cell."""
    if value is None:
        return 0
    for kind, length in XLSX_DISPLAY_LENGTH:
        if isinstance(value, kind):
            return length
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_column_widths(header: list, rows: list[list]) -> list[float]:
    """Return a width per column: the longest of its header (bold) and sampled cells."""
    widths = []
    for index, title in enumerate(header):
        longest = max(
            [_display_length(title) * 1.15]
            + [_display_length(row[index]) for row in rows if index < len(row)]
        )
        widths.append(round(min(max(longest + 2, XLSX_WIDTH_MIN), XLSX_WIDTH_MAX), 1))
    return widths


def xlsx_write(sheets: Iterable[tuple[str, Iterable[list]]], *, handle: IO[bytes]) -> None:
    """Write a workbook of ``(title, rows)`` sheets to an open binary file.

    Each sheet: header in bold and frozen (it stays in view while scrolling), an autofilter on
    the header, column widths fitted to the header and the first rows.
    """
    from itertools import chain, islice

    from openpyxl import Workbook  # heavy import, only for XLSX exports
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=xlsx_sheet_title(title))
        rows = iter(rows)
        header = next(rows, None)
        if header is None:
            continue
        sample = list(islice(rows, XLSX_WIDTH_SAMPLE))
        # Widths and the frozen pane are written before the first row, in write-only mode.
        for index, width in enumerate(xlsx_column_widths(header, sample), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        cells = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=cell_escape(value))
            cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
        count = 1
        for row in chain(sample, rows):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            count += 1
        if header:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"
    workbook.save(handle)


def xlsx_file(sheets: Iterable[tuple[str, Iterable[list]]]) -> IO[bytes]:
    """Return a temporary file (rewound) holding the workbook; the caller closes it."""
    import tempfile

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    xlsx_write(sheets, handle=handle)
    handle.seek(0)
    return handle
