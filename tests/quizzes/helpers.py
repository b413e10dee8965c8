"""Helpers to build answers to a quiz in tests."""

from quizzes.models import Question


def questions_of(quiz):
    return list(quiz.questions.prefetch_related("choices").order_by("order"))


def right_answers(quiz, *, wrong_keys=()):
    """Return {question id: [choice ids]}: all right, except wrong on the given question keys."""
    answers = {}
    for question in questions_of(quiz):
        choices = list(question.choices.all())
        if question.key in wrong_keys:
            answers[question.pk] = [next(c.pk for c in choices if not c.is_correct)]
        else:
            correct = [c.pk for c in choices if c.is_correct]
            answers[question.pk] = (
                correct if question.type == Question.Type.MULTIPLE else correct[:1]
            )
    return answers


def as_post(answers):
    """Turn service answers into the POST data of the quiz page."""
    return {f"q{qid}": [str(c) for c in choice_ids] for qid, choice_ids in answers.items()}
