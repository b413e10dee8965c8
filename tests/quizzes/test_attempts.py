from decimal import Decimal

import pytest

from quizzes import services
from quizzes.models import Answer, Attempt, Quiz
from tests.factories import UserFactory, quiz_with_questions
from tests.modules.content_tree import replace_in
from tests.quizzes.helpers import right_answers
from tests.quizzes.quiz_tree import write_quiz_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee():
    return UserFactory(role="Stagiaire")


def take(user, quiz, **kwargs):
    attempt = services.attempt_start(user=user, quiz=quiz)
    return services.attempt_submit(attempt=attempt, answers=right_answers(quiz, **kwargs))[0]


def test_starting_twice_resumes_the_same_attempt(trainee):
    quiz = quiz_with_questions()
    first = services.attempt_start(user=trainee, quiz=quiz)
    assert services.attempt_start(user=trainee, quiz=quiz) == first
    assert Attempt.objects.count() == 1


def test_module_checks_allow_unlimited_attempts(trainee):
    quiz = quiz_with_questions(max_attempts=0)
    for _ in range(5):
        take(trainee, quiz)
    assert Attempt.objects.submitted().filter(user=trainee).count() == 5


def test_an_attempt_beyond_the_limit_is_refused_and_nothing_is_created(trainee):
    quiz = quiz_with_questions(kind="final", max_attempts=2, pass_mark=70)
    take(trainee, quiz, wrong_keys={quiz.questions.get().key})
    take(trainee, quiz)
    with pytest.raises(services.AttemptLimitReached, match="2 sur 2|2 of 2"):
        services.attempt_start(user=trainee, quiz=quiz)
    assert Attempt.objects.count() == 2


def test_the_positioning_test_allows_one_attempt(trainee):
    quiz = quiz_with_questions(kind="positioning", max_attempts=1)
    take(trainee, quiz)
    with pytest.raises(services.AttemptLimitReached):
        services.attempt_start(user=trainee, quiz=quiz)


def test_the_limit_is_per_person(trainee):
    quiz = quiz_with_questions(kind="positioning", max_attempts=1)
    take(trainee, quiz)
    other = UserFactory(role="Stagiaire")
    assert services.attempt_start(user=other, quiz=quiz).user == other


def test_an_archived_quiz_cannot_be_started(trainee):
    quiz = quiz_with_questions(is_active=False)
    with pytest.raises(services.QuizClosed):
        services.attempt_start(user=trainee, quiz=quiz)


def test_a_second_submission_returns_the_first_result_unchanged(trainee):
    quiz = quiz_with_questions([("single", (True, False)), ("single", (True, False))])
    attempt = services.attempt_start(user=trainee, quiz=quiz)
    key = quiz.questions.order_by("order").first().key
    first, graded = services.attempt_submit(
        attempt=attempt, answers=right_answers(quiz, wrong_keys={key})
    )
    assert graded and first.score_percent == 50
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.status = Attempt.Status.IN_PROGRESS  # a request that read the attempt before grading
    again, graded_again = services.attempt_submit(attempt=stale, answers=right_answers(quiz))
    assert graded_again is False
    assert again.score_percent == 50
    assert Answer.objects.filter(attempt=attempt).count() == 2


@pytest.mark.parametrize("problem", ["missing", "foreign", "two_for_single", "duplicate"])
def test_invalid_answers_raise_and_save_nothing(trainee, problem):
    quiz = quiz_with_questions([("single", (True, False)), ("multiple", (True, True, False))])
    other = quiz_with_questions()
    attempt = services.attempt_start(user=trainee, quiz=quiz)
    answers = right_answers(quiz)
    single, multiple = list(quiz.questions.order_by("order"))
    if problem == "missing":
        del answers[multiple.pk]
    elif problem == "foreign":
        answers[single.pk] = [other.questions.get().choices.first().pk]
    elif problem == "two_for_single":
        answers[single.pk] = list(single.choices.values_list("pk", flat=True))
    else:
        answers[multiple.pk] = answers[multiple.pk][:1] * 2
    with pytest.raises(services.AnswerError) as caught:
        services.attempt_submit(attempt=attempt, answers=answers)
    assert caught.value.errors
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert Answer.objects.count() == 0


def test_scores_are_frozen_when_the_quiz_is_edited_later(no_course, tmp_path, trainee):
    base = write_quiz_tree(tmp_path / "fixtures")
    content_load(base=base)
    quiz = Quiz.objects.get(slug="quiz-essai")
    answers = right_answers(quiz)
    attempt = services.attempt_start(user=trainee, quiz=quiz)
    attempt, _ = services.attempt_submit(attempt=attempt, answers=answers)
    assert attempt.score_percent == 100
    snapshot = list(
        attempt.answers.order_by("order").values_list("question_key", "points", "is_correct")
    )
    html = attempt.answers.get(question_key="q01").question_html

    # The author swaps the correct answer of q01 and rewrites its statement.
    path = base / "quizzes/module-1.yaml"
    replace_in(
        path,
        "      - text: Le dépositaire\n        correct: true",
        "      - text: Le dépositaire\n        correct: false",
    )
    replace_in(
        path,
        "      - text: Tout le monde\n        correct: false",
        "      - text: Tout le monde\n        correct: true",
    )
    replace_in(path, "Qui est tenu au secret ?", "Qui n'est pas tenu au secret ?")
    report = content_load(base=base)
    assert report.counts["choices"]["updated"] == 2

    attempt.refresh_from_db()
    assert attempt.score_percent == 100
    assert attempt.score_points == Decimal("3.00")
    assert (
        list(attempt.answers.order_by("order").values_list("question_key", "points", "is_correct"))
        == snapshot
    )
    assert attempt.answers.get(question_key="q01").question_html == html
    # The same choices in a new attempt are graded against the new key.
    again = services.attempt_start(user=trainee, quiz=quiz)
    again, _ = services.attempt_submit(attempt=again, answers=answers)
    assert again.answers.get(question_key="q01").points == 0
    assert again.score_percent == Decimal("66.67")


def test_a_deleted_question_keeps_the_past_answer(no_course, tmp_path, trainee):
    base = write_quiz_tree(tmp_path / "fixtures")
    content_load(base=base)
    attempt = take(trainee, Quiz.objects.get(slug="quiz-essai"))
    path = base / "quizzes/module-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - key: q03")], encoding="utf-8")
    content_load(base=base)
    answer = attempt.answers.get(question_key="q03")
    assert answer.question is None
    assert answer.points == 1
    assert [c["text"] for c in answer.choices][0] == "Un an d'emprisonnement"
