"""Questionnaires as data: ``fixtures/surveys/*.yaml`` loaded and validated by load_course,
errors naming the file and the line, nothing changed on error."""

import shutil
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from modules.content import ContentError
from modules.loader import LoadReport
from modules.models import Course
from training.content.loader import content_load
from training.surveys.loader import questionnaires_apply, questionnaires_parse
from training.surveys.models import Questionnaire, SurveyAnswer, SurveyQuestion, SurveyResponse

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MODULES = {"m-un", "m-deux"}
OBJECTIVES = {"distinguer", "appliquer"}


def write(folder: Path, name: str, text: str) -> Path:
    (folder / "surveys").mkdir(exist_ok=True)
    path = folder / "surveys" / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = """
slug: test-chaud
kind: chaud
title: Votre avis
scales:
  satisfaction: [Très mauvais, Mauvais, Moyen, Bon, Très bon]
sections:
  - title: Ensemble
    questions:
      - key: global
        type: likert
        scale: satisfaction
        measure: satisfaction
        text: Satisfaction globale
"""


def parse(tmp_path):
    return questionnaires_parse(tmp_path, module_slugs=MODULES, objective_codes=OBJECTIVES)


def error_of(tmp_path, text, name="q.yaml") -> ContentError:
    write(tmp_path, name, text)
    with pytest.raises(ContentError) as caught:
        parse(tmp_path)
    return caught.value


def test_the_four_french_questionnaires_load_with_one_question_per_objective_and_module(
    course_loaded,
):
    kinds = dict(Questionnaire.objects.filter(is_active=True).values_list("kind", "anonymous"))
    assert kinds == {"chaud": True, "froid": True, "formateur": False, "commanditaire": False}
    hot = Questionnaire.objects.get(kind="chaud")
    course = Course.objects.get()
    objective_questions = hot.questions.filter(objective__isnull=False)
    assert {q.objective.code for q in objective_questions} == set(
        course.objectives.values_list("code", flat=True)
    )
    assert {q.text for q in objective_questions} == set(
        course.objectives.values_list("text", flat=True)
    )
    module_questions = hot.questions.filter(module__isnull=False).order_by("order")
    assert [q.module.number for q in module_questions] == [1, 2, 3, 4, 5]
    assert module_questions[0].text.startswith("Module 1 : L'évolution réglementaire")
    assert hot.questions.get(measure="satisfaction").type == "likert"
    assert hot.questions.get(measure="recommendation").type == "recommendation"
    assert hot.minutes <= 3
    # « ≤ 3 minutes on a phone »: no more than 20 questions, at most two free texts.
    assert hot.questions.count() <= 20
    assert hot.questions.filter(type="text").count() <= 2
    assert not hot.questions.filter(type="text", required=True).exists()


def test_loading_twice_changes_nothing():
    report = content_load(dry_run=True)
    assert report.counts["survey questions"]["created"] == 0
    assert report.counts["survey questions"]["updated"] == 0
    assert report.counts["questionnaires"]["unchanged"] == 4


def test_expanded_keys_and_defaults(tmp_path):
    write(
        tmp_path,
        "chaud.yaml",
        MINIMAL
        + """
      - key: module
        for_each: module
        type: yes_no
        text: "Module {numero} : {titre}"
      - key: objectif
        for_each: objective
        type: likert
        labels: [a, b, c, d, e]
        text: "{objectif}"
      - key: libre
        type: text
        text: Un commentaire
""",
    )
    [parsed] = parse(tmp_path).questionnaires
    by_key = {q["key"]: q for q in parsed["questions"]}
    assert by_key["libre"]["required"] is False
    assert by_key["module"]["required"] is True
    assert by_key["objectif"]["options"] == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("addition", "line", "message"),
    [
        (
            "      - key: x\n        type: slider\n        text: Une question\n",
            15,
            "unknown question type 'slider'",
        ),
        (
            "      - key: x\n        type: likert\n        scale: accord\n        text: Q\n",
            16,
            "unknown scale 'accord'",
        ),
        (
            "      - key: x\n        type: likert\n        text: Q\n",
            14,
            "needs a 'scale'",
        ),
        (
            "      - key: x\n        type: choice\n        text: Q\n        choices: [Seul]\n",
            17,
            "at least two choices",
        ),
        (
            "      - key: global\n        type: yes_no\n        text: Encore\n",
            14,
            "duplicate question key 'global'",
        ),
        (
            "      - key: x\n        type: yes_no\n        text: 'Module {numero}'\n",
            16,
            "unknown placeholder {numero}",
        ),
        (
            "      - key: x\n        for_each: module\n        type: yes_no\n        text: Sans nom\n",
            17,
            "must name it in its text",
        ),
        (
            "      - key: x\n        type: yes_no\n        text: Q\n        colour: rouge\n",
            17,
            "unknown field 'colour'",
        ),
        (
            "      - key: x\n        type: text\n        measure: satisfaction\n        text: Q\n",
            16,
            "needs a likert question",
        ),
    ],
)
def test_a_malformed_question_names_its_file_and_line(tmp_path, addition, line, message):
    error = error_of(tmp_path, MINIMAL + addition)
    assert Path(error.path).name == "q.yaml"
    assert error.line == line
    assert message in error.message


def test_a_scale_needs_five_labels(tmp_path):
    error = error_of(
        tmp_path, MINIMAL.replace("[Très mauvais, Mauvais, Moyen, Bon, Très bon]", "[Non, Oui]")
    )
    assert error.line == 5 and "exactly 5 labels" in error.message


def test_the_hot_questionnaire_needs_its_satisfaction_measure(tmp_path):
    error = error_of(tmp_path, MINIMAL.replace("        measure: satisfaction\n", ""))
    assert "measure: satisfaction" in error.message


def test_two_questionnaires_of_the_same_kind_are_refused(tmp_path):
    write(tmp_path, "a.yaml", MINIMAL)
    error = error_of(tmp_path, MINIMAL.replace("test-chaud", "autre-chaud"), name="b.yaml")
    assert Path(error.path).name == "b.yaml"
    assert "a second questionnaire of kind 'chaud'" in error.message


def test_load_course_stops_on_a_bad_questionnaire_and_changes_nothing(tmp_path):
    base = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, base)
    path = base / "surveys" / "a-chaud.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("type: recommendation", "type: étoiles"),
        encoding="utf-8",
    )
    before = SurveyQuestion.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("load_course", "--path", str(base))
    assert "a-chaud.yaml:" in str(caught.value)
    assert "unknown question type 'étoiles'" in str(caught.value)
    assert SurveyQuestion.objects.count() == before


def test_a_removed_question_that_was_answered_is_kept_inactive_the_others_deleted(
    course_loaded, tmp_path
):
    write(
        tmp_path,
        "chaud.yaml",
        MINIMAL + "      - key: salle\n        type: yes_no\n        text: La salle\n",
    )
    course = Course.objects.get()
    parsed = questionnaires_parse(
        tmp_path,
        module_slugs=set(course.modules.values_list("slug", flat=True)),
        objective_codes=set(course.objectives.values_list("code", flat=True)),
    )
    questionnaires_apply(parsed, LoadReport(), course=course)
    questionnaire = Questionnaire.objects.get(slug="test-chaud")
    assert questionnaire.is_active
    # The real ones, never used, are gone (used ones would be kept inactive).
    assert not Questionnaire.objects.filter(slug="satisfaction-a-chaud").exists()
    response = SurveyResponse.objects.create(
        questionnaire=questionnaire, session=_session(), anonymous=True
    )
    SurveyAnswer.objects.create(
        response=response, question=questionnaire.questions.get(key="salle"), value=1
    )
    write(tmp_path, "chaud.yaml", MINIMAL)
    parsed = questionnaires_parse(tmp_path, module_slugs=set(), objective_codes=set())
    report = LoadReport()
    questionnaires_apply(parsed, report, course=course)
    assert not questionnaire.questions.get(key="salle").is_active
    assert report.counts["survey questions"]["removed"] == 1
    content_load()  # back to the real questionnaires: the test one goes (answered: archived)
    assert Questionnaire.objects.get(slug="satisfaction-a-chaud").is_active
    assert not Questionnaire.objects.get(slug="test-chaud").is_active


def _session():
    from tests.factories import SessionFactory

    return SessionFactory()
