"""The spreadsheet rules every export shares: formula escaping, French CSV, typed XLSX."""

import datetime
from decimal import Decimal

import pytest

from core.spreadsheets import cell_escape, csv_stream, xlsx_file


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+33 1 23", "'+33 1 23"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\r=1", "'\r=1"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("Dupont", "Dupont"),
        (-3, -3),
        (12, 12),
        (None, None),
    ],
)
def test_cells_that_look_like_formulas_are_escaped(value, expected):
    assert cell_escape(value) == expected


def test_csv_lines_have_a_bom_semicolons_and_decimal_commas():
    rows = [
        ["Nom", "Score"],
        ["=evil", Decimal("66.67")],
        ["a;b", None],
        ["Date", datetime.datetime(2026, 3, 2, 9, 5)],
    ]
    text = "".join(csv_stream(rows))
    assert text.startswith("\ufeffNom;Score\r\n")
    assert "'=evil;66,67\r\n" in text
    assert '"a;b";\r\n' in text
    assert "Date;02/03/2026 09:05:00\r\n" in text


def test_xlsx_escapes_formulas_and_keeps_numbers():

    from openpyxl import load_workbook

    handle = xlsx_file([("Éval: [1]", [["Nom", "Score"], ["=HYPERLINK()", Decimal("50.5")]])])
    sheet = load_workbook(handle).active
    assert sheet.title == "Éval   1 "
    assert sheet["A2"].value == "'=HYPERLINK()"
    assert sheet["B2"].value == 50.5


def test_csv_cells_read_as_french_values():
    rows = [
        ["a", "b", "c", "d"],
        [True, False, datetime.date(2026, 3, 2), datetime.time(9, 30)],
        [1.5, Decimal("3.50"), "+33 1 23", None],
    ]
    lines = "".join(csv_stream(rows)).split("\r\n")
    assert lines[1] == "oui;non;02/03/2026;09:30"
    assert lines[2] == "1,5;3,50;'+33 1 23;"


def test_every_xlsx_sheet_has_fitted_columns_a_frozen_header_and_an_autofilter():
    from openpyxl import load_workbook

    rows = [
        ["Référence", "Stagiaire", "Date", "Heures"],
        *[
            ["S1", "Marie-Christine de La Fontaine-Baudry", datetime.date(2026, 3, 2), Decimal(3)]
            for _ in range(30)
        ],
    ]
    handle = xlsx_file([("Émargement", rows), ("Vide", [["Seul en-tête"]])])
    workbook = load_workbook(handle)
    sheet = workbook["Émargement"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D31"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # The long name gets a wide column, the short reference a narrow one, the date fits.
    assert widths["B"] >= len("Marie-Christine de La Fontaine-Baudry")
    assert 8 <= widths["A"] < 15
    assert widths["C"] >= 10
    assert workbook["Vide"].freeze_panes == "A2"
    assert workbook["Vide"].auto_filter.ref == "A1:A1"


def test_xlsx_column_widths_stay_within_bounds():
    from core.spreadsheets import XLSX_WIDTH_MAX, XLSX_WIDTH_MIN, xlsx_column_widths

    widths = xlsx_column_widths(["A", "Long"], [["x" * 500, None]])
    assert widths == [XLSX_WIDTH_MAX, XLSX_WIDTH_MIN]
