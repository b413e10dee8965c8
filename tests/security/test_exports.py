"""Formula injection is neutralised in every CSV and XLSX export, downloaded through the views."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from quizzes import services as quiz_services
from tests.quizzes.helpers import right_answers
from tests.security.world import world_build

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "first_name": '=HYPERLINK("http://evil","x")',
    "last_name": "+cmd|' /C calc'!A0",
    "organisation": "@SUM(A1:A9)",
    "profession": "-1+1",
}


@pytest.fixture
def world(course_loaded):
    world = world_build(trainee=HOSTILE, other_trainee=HOSTILE)
    quiz_services.attempt_submit(
        attempt=world.attempt, answers=right_answers(world.quiz, wrong_keys=())
    )
    return world


def admin_client(world):
    client = Client()
    client.force_login(world.users["admin"])
    return client


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_cells(response) -> list[str]:
    assert response.status_code == 200
    text = _body(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def xlsx_cells(response) -> list:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(_body(response)))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                cells.append(cell.value)
    return cells


def assert_inert(cells):
    texts = [cell for cell in cells if isinstance(cell, str)]
    dangerous = [cell for cell in texts if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, dangerous
    joined = "\n".join(texts)
    # The hostile values are still there, escaped with a leading apostrophe.
    assert "'=HYPERLINK" in joined
    return joined


EXPORTS = {
    "attendance csv": lambda w: (
        reverse("training:attendance_export") + f"?session={w.session.code}&telecharger=csv"
    ),
    "attendance hours csv": lambda w: (
        reverse("training:attendance_export") + f"?session={w.session.code}&telecharger=resume-csv"
    ),
    "quiz results csv": lambda w: reverse("quizzes:quiz_results_export", args=[w.quiz.slug, "csv"]),
}
XLSX_EXPORTS = {
    "attendance xlsx": lambda w: (
        reverse("training:attendance_export") + f"?session={w.session.code}&telecharger=xlsx"
    ),
    "quiz results xlsx": lambda w: reverse(
        "quizzes:quiz_results_export", args=[w.quiz.slug, "xlsx"]
    ),
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_exports_escape_formulas(world, name):
    assert_inert(csv_cells(admin_client(world).get(EXPORTS[name](world))))


@pytest.mark.parametrize("name", sorted(XLSX_EXPORTS))
def test_xlsx_exports_escape_formulas(world, name):
    assert_inert(xlsx_cells(admin_client(world).get(XLSX_EXPORTS[name](world))))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_learning_gain_exports_contain_no_formula(world, fmt):
    response = admin_client(world).get(reverse("quizzes:learning_gain_export", args=[fmt]))
    cells = csv_cells(response) if fmt == "csv" else xlsx_cells(response)
    assert not [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)]
