import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from quizzes import charts, exports
from quizzes.models import Attempt, Quiz
from training.models import TrainingSession


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+33 1 23", "'+33 1 23"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Dupont", "Dupont"),
        (12, 12),
        (None, None),
    ],
)
def test_cells_that_look_like_formulas_are_escaped(value, expected):
    assert exports.cell_safe(value) == expected


def test_csv_lines_have_a_bom_semicolons_and_decimal_commas():
    rows = [
        ["Nom", "Score"],
        ["=evil", Decimal("66.67")],
        ["a;b", None],
        ["Date", datetime.datetime(2026, 3, 2, 9, 5)],
    ]
    text = "".join(exports.csv_lines(rows))
    assert text.startswith("\ufeffNom;Score\r\n")
    assert "'=evil;66,67\r\n" in text
    assert '"a;b";\r\n' in text
    assert "Date;02/03/2026 09:05\r\n" in text


def test_xlsx_escapes_formulas_and_keeps_numbers():
    import io

    from openpyxl import load_workbook

    data = exports.xlsx_bytes(
        [["Nom", "Score"], ["=HYPERLINK()", Decimal("50.5")]], title="Éval: [1]"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Éval   1 "
    assert sheet["A2"].value == "'=HYPERLINK()"
    assert sheet["B2"].value == 50.5


def test_the_gain_chart_places_scores_on_a_0_to_100_axis():
    chart = charts.dumbbell_chart(
        [("Léa Dubois", 40, 80), ("Un nom vraiment beaucoup trop long pour la marge", 60, None)],
        average=("", 50, 80),
    )
    first, second, average = chart["rows"]
    assert first.x_before == charts.LABEL_WIDTH + 0.4 * charts.PLOT_WIDTH
    assert first.x_after == charts.LABEL_WIDTH + 0.8 * charts.PLOT_WIDTH
    assert (first.delta, first.direction) == (40, "up")
    assert second.delta is None and second.x_after is None
    assert second.label.endswith("…") and len(second.label) <= charts.LABEL_MAX
    assert average.is_average and average.y > second.y
    assert [t["label"] for t in chart["ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]


@pytest.mark.django_db
def test_seed_demo_records_plausible_attempts_for_the_finished_session(settings, course_loaded):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    session = TrainingSession.objects.get(code="DEMO-TERMINEE")
    attempts = Attempt.objects.filter(session=session).submitted()
    trainees = session.enrolments.count()
    assert attempts.filter(quiz__kind=Quiz.Kind.POSITIONING).count() == trainees
    assert attempts.filter(quiz__kind=Quiz.Kind.FINAL).values("user").distinct().count() == trainees
    positioning = attempts.filter(quiz__kind=Quiz.Kind.POSITIONING)
    final = attempts.filter(quiz__kind=Quiz.Kind.FINAL)
    assert max(a.submitted_at for a in positioning) < min(a.submitted_at for a in final)
    assert (
        sum(a.score_percent for a in final) / final.count()
        > sum(a.score_percent for a in positioning) / positioning.count()
    )
    count = Attempt.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Attempt.objects.count() == count  # idempotent
