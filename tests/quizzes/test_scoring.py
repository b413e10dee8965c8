from decimal import Decimal
from fractions import Fraction

import pytest

from quizzes import scoring, services
from quizzes.models import Attempt
from tests.factories import UserFactory, quiz_with_questions
from tests.quizzes.helpers import questions_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("type", "correct", "chosen", "expected"),
    [
        ("single", {1}, {1}, Fraction(1)),
        ("single", {1}, {2}, Fraction(0)),
        ("true_false", {1}, {1}, Fraction(1)),
        ("true_false", {1}, {2}, Fraction(0)),
        ("multiple", {1, 2}, {1, 2}, Fraction(1)),
        ("multiple", {1, 2}, {1}, Fraction(1, 2)),
        ("multiple", {1, 2}, {1, 3}, Fraction(0)),
        ("multiple", {1, 2, 3}, {1, 2, 4}, Fraction(1, 3)),
        ("multiple", {1, 2}, {1, 2, 3}, Fraction(1, 2)),
        ("multiple", {1}, {1, 2, 3}, Fraction(0)),  # floored at zero, never negative
        ("multiple", {1, 2}, {3, 4}, Fraction(0)),
        ("multiple", {1, 2}, {1, 2, 3, 4}, Fraction(0)),  # ticking everything earns nothing
    ],
)
def test_question_score_follows_the_documented_rule(type, correct, chosen, expected):
    assert scoring.question_score(type=type, correct_ids=correct, chosen_ids=chosen) == expected


def test_percent_and_rounding_are_exact_until_stored():
    assert scoring.percent(Fraction(2, 3), Fraction(1)) == Fraction(200, 3)
    assert scoring.to_decimal(Fraction(200, 3)) == Decimal("66.67")
    assert scoring.to_decimal(Fraction(1, 8)) == Decimal("0.13")  # half up
    assert scoring.percent(Fraction(0), Fraction(0)) == 0


@pytest.mark.parametrize(
    ("score", "mark", "expected"), [(70, 70, True), (Fraction(2099, 30), 70, False), (0, 0, None)]
)
def test_pass_mark_is_inclusive_and_absent_when_zero(score, mark, expected):
    assert scoring.is_passed(score_percent=Fraction(score), pass_mark=mark) is expected


def test_submission_scores_each_question_type_and_the_attempt():
    quiz = quiz_with_questions(
        [
            ("single", (True, False, False)),
            ("true_false", (False, True)),
            ("multiple", (True, True, False, False)),
            ("multiple", (True, True, True, False)),
        ],
        pass_mark=70,
    )
    single, true_false, multiple_a, multiple_b = questions_of(quiz)
    c = {q.key: list(q.choices.all()) for q in questions_of(quiz)}
    answers = {
        single.pk: [c[single.key][0].pk],  # right: 1
        true_false.pk: [c[true_false.key][0].pk],  # wrong: 0
        multiple_a.pk: [c[multiple_a.key][0].pk],  # one of two right: 0.5
        multiple_b.pk: [c[multiple_b.key][0].pk, c[multiple_b.key][3].pk],  # 1 right 1 wrong: 0
    }
    user = UserFactory(role="Stagiaire")
    attempt = services.attempt_start(user=user, quiz=quiz)
    attempt, graded = services.attempt_submit(attempt=attempt, answers=answers)
    assert graded is True
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.score_points == Decimal("1.50")
    assert attempt.max_points == Decimal("4.00")
    assert attempt.score_percent == Decimal("37.50")
    assert attempt.passed is False
    points = dict(attempt.answers.values_list("question_key", "points"))
    assert points == {
        single.key: Decimal("1.00"),
        true_false.key: Decimal("0.00"),
        multiple_a.key: Decimal("0.50"),
        multiple_b.key: Decimal("0.00"),
    }
    correct = dict(attempt.answers.values_list("question_key", "is_correct"))
    assert correct[single.key] is True
    assert correct[multiple_a.key] is False


def test_a_quiz_without_pass_mark_leaves_passed_empty():
    quiz = quiz_with_questions(pass_mark=0)
    user = UserFactory(role="Stagiaire")
    question = questions_of(quiz)[0]
    attempt = services.attempt_start(user=user, quiz=quiz)
    correct = next(c.pk for c in question.choices.all() if c.is_correct)
    attempt, _ = services.attempt_submit(attempt=attempt, answers={question.pk: [correct]})
    assert attempt.score_percent == 100
    assert attempt.passed is None
