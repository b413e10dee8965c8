import pytest

from modules.content import ContentError
from modules.models import Lesson
from quizzes.loader import quiz_bank_parse
from quizzes.models import Choice, Question, Quiz
from tests.modules.content_tree import replace_in
from tests.quizzes.quiz_tree import write_quiz_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Quiz.objects.values_list("slug", "title", "is_active"))


@pytest.fixture
def base(no_course, tmp_path):
    return write_quiz_tree(tmp_path / "fixtures")


def test_load_creates_quizzes_then_reports_them_unchanged(base):
    report = content_load(base=base)
    assert report.counts["quizzes"]["created"] == 3
    assert report.counts["questions"]["created"] == 7
    assert report.counts["choices"]["created"] == 15
    quiz = Quiz.objects.get(slug="quiz-essai")
    assert quiz.module.slug == "module-1"
    assert 'href="/glossaire/#secret-professionnel"' in quiz.description_html
    question = quiz.questions.get(key="q01")
    assert question.objective.code == "distinguer"
    assert question.text_html == "Qui est tenu au secret\u202f?"  # one paragraph, no <p>
    assert question.explanation_html.startswith("<p>")
    assert [c.key for c in question.choices.all()] == ["a", "b"]
    assert Quiz.objects.get(slug="essai-finale").pass_mark == 70
    assert [q.slug for q in Quiz.objects.all()] == [
        "essai-positionnement",
        "quiz-essai",
        "essai-finale",
    ]

    again = content_load(base=base)
    for kind in ("quizzes", "questions", "choices"):
        assert again.counts[kind]["created"] == 0
        assert again.counts[kind]["updated"] == 0
        assert again.counts[kind]["removed"] == 0
    assert again.counts["choices"]["unchanged"] == 15


def test_an_edit_updates_by_key_and_removed_items_disappear(base):
    content_load(base=base)
    choice_id = Choice.objects.get(
        question__quiz__slug="quiz-essai", question__key="q01", key="a"
    ).pk
    replace_in(base / "quizzes/module-1.yaml", "Qui est tenu au secret ?", "Qui est tenu ?")
    path = base / "quizzes/module-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - key: q03")], encoding="utf-8")
    report = content_load(base=base)
    assert report.counts["questions"]["updated"] == 1
    assert report.counts["questions"]["removed"] == 1
    question = Question.objects.get(quiz__slug="quiz-essai", key="q01")
    assert question.text_source == "Qui est tenu ?"
    assert Choice.objects.get(question=question, key="a").pk == choice_id  # same row
    assert not Question.objects.filter(key="q03", quiz__slug="quiz-essai").exists()


def test_a_removed_quiz_is_deleted_without_attempts_and_archived_with_them(base):
    from quizzes import services
    from tests.factories import UserFactory

    content_load(base=base)
    services.attempt_start(
        user=UserFactory(role="Stagiaire"), quiz=Quiz.objects.get(slug="quiz-essai")
    )
    (base / "quizzes/module-1.yaml").unlink()
    (base / "quizzes/positionnement.yaml").unlink()
    report = content_load(base=base)
    assert report.counts["quizzes"]["removed"] == 2
    assert not Quiz.objects.filter(slug="essai-positionnement").exists()
    archived = Quiz.objects.get(slug="quiz-essai")
    assert archived.is_active is False
    assert archived.attempts.count() == 1
    assert content_load(base=base).counts["quizzes"]["removed"] == 0


def test_attempts_and_pass_mark_default_by_kind_and_stay_configurable(base):
    for name in ("module-1", "positionnement", "evaluation-finale"):
        path = base / f"quizzes/{name}.yaml"
        text = path.read_text(encoding="utf-8")
        kept = [
            line
            for line in text.splitlines(keepends=True)
            if not line.startswith(("pass_mark:", "max_attempts:"))
        ]
        path.write_text("".join(kept), encoding="utf-8")
    content_load(base=base)
    settings = {
        slug: (pass_mark, max_attempts)
        for slug, pass_mark, max_attempts in Quiz.objects.values_list(
            "slug", "pass_mark", "max_attempts"
        )
    }
    assert settings == {
        "quiz-essai": (0, 0),  # module check: no pass mark, unlimited
        "essai-positionnement": (0, 1),
        "essai-finale": (70, 2),
    }
    replace_in(
        base / "quizzes/evaluation-finale.yaml",
        "kind: final\n",
        "kind: final\npass_mark: 80\nmax_attempts: 3\n",
    )
    content_load(base=base)
    final = Quiz.objects.get(slug="essai-finale")
    assert (final.pass_mark, final.max_attempts) == (80, 3)


def test_a_malformed_quiz_changes_nothing_at_all(base):
    content_load(base=base)
    replace_in(base / "course/01-module/01-lecon.md", "Texte.", "Texte modifié.")
    replace_in(base / "quizzes/module-1.yaml", "objective: appliquer", "objective: voler")
    with pytest.raises(ContentError):
        content_load(base=base)
    assert "modifié" not in Lesson.objects.get(slug="lecon-1-1").html


TF = "quizzes/module-1.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ("objective: appliquer", "objective: voler", "unknown course objective 'voler'", 26),
        ("module: module-1\n", "module: module-9\n", "unknown module 'module-9'", 4),
        ("module: module-1\n", "", "a module check needs a 'module'", 1),
        ("kind: module", "kind: examen", "unknown kind 'examen'", 3),
        ("  - key: q02", "  - key: q01", "duplicate question key 'q01'", 23),
        ("    type: true_false", "    type: essay", "unknown question type 'essay'", 24),
        (
            "    legal_basis: Loi du 22 juillet 1992\n",
            "",
            "missing required field 'legal_basis'",
            23,
        ),
        (
            "    text: Le secret partagé est une notion légale.\n",
            "",
            "missing required field 'text'",
            23,
        ),
        (
            "      - text: Le dépositaire\n        correct: true",
            "      - text: Le dépositaire\n        correct: false",
            "question 'q01' has no correct choice",
            16,
        ),
        (
            "      - text: Tout le monde\n        correct: false",
            "      - text: Tout le monde\n        correct: true",
            "single-choice question 'q01' has 2 correct choices",
            20,
        ),
        (
            "      - text: Vrai",
            "      - text: Oui",
            "must have exactly two choices, « Vrai » and « Faux »",
            30,
        ),
        (
            "      - text: Vrai\n        correct: false",
            "      - text: Vrai\n        correct: true",
            "true/false question 'q02' needs exactly one correct choice",
            29,
        ),
        (
            '        feedback: "Idée reçue : tout le monde."\n',
            "",
            "a wrong choice needs a 'feedback'",
            20,
        ),
        (
            "        correct: true\n        feedback: Exact.\n      - text: Tout",
            "        correct: oui\n        feedback: Exact.\n      - text: Tout",
            "field 'correct' must be true or false",
            18,
        ),
        ("pass_mark: 0", "pass_mark: 120", "field 'pass_mark' must be an integer 0–100", 6),
        (
            "show_answers: true",
            "show_answers: peut-être",
            "field 'show_answers' must be true or false",
            8,
        ),
        (
            "    explanation: Le texte",
            "    explication: Le texte",
            "unknown field 'explication'",
            15,
        ),
        ("slug: quiz-essai", "slug: resultats", "the slug 'resultats' is reserved", 1),
        ("Le secret partagé est une notion légale.", "[oops", "invalid YAML", 25),
    ],
)
def test_validation_errors_name_the_file_and_line(base, old, new, message, line):
    before = snapshot()
    replace_in(base / TF, old, new)
    with pytest.raises(ContentError) as caught:
        content_load(base=base)
    assert message in caught.value.message
    assert str(caught.value.path).endswith(TF)
    assert caught.value.line == line
    assert snapshot() == before


def test_two_files_with_the_same_slug_are_rejected(base):
    replace_in(
        base / "quizzes/evaluation-finale.yaml", "slug: essai-finale", "slug: essai-positionnement"
    )
    with pytest.raises(ContentError, match="duplicate quiz slug 'essai-positionnement'"):
        quiz_bank_parse(
            base, objective_codes={"distinguer", "appliquer"}, module_slugs={"module-1"}
        )


def test_an_unknown_glossary_term_in_a_quiz_is_a_load_error(base):
    before = snapshot()
    replace_in(base / TF, "[[secret-professionnel]]", "[[inconnu]]")
    with pytest.raises(ContentError, match="unknown glossary term 'inconnu'"):
        content_load(base=base)
    assert snapshot() == before


def test_the_real_question_bank_meets_the_issue(course_loaded):
    quizzes = {q.slug: q for q in Quiz.objects.prefetch_related("questions__objective")}
    module_checks = [q for q in quizzes.values() if q.kind == Quiz.Kind.MODULE]
    assert len(module_checks) == 5
    assert all(q.questions.count() >= 8 for q in module_checks)
    assert all(q.max_attempts == 0 for q in module_checks)
    for kind, attempts in ((Quiz.Kind.POSITIONING, 1), (Quiz.Kind.FINAL, 2)):
        quiz = next(q for q in quizzes.values() if q.kind == kind)
        assert quiz.max_attempts == attempts
        assert quiz.questions.count() >= 15
        assert {q.objective.code for q in quiz.questions.all()} == {
            "distinguer",
            "concilier",
            "clarifier",
            "risques",
            "appliquer",
        }
    final = next(q for q in quizzes.values() if q.kind == Quiz.Kind.FINAL)
    assert final.pass_mark == 70
    assert not Question.objects.filter(legal_basis="").exists()
    assert not Question.objects.filter(explanation_source="").exists()
    assert not Choice.objects.filter(is_correct=False, feedback_source="").exists()
