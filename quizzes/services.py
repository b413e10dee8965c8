"""Writes for quizzes: starting an attempt, grading it exactly once, rendering edited content."""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import version_bump
from core.typography import french_text
from modules.rendering import render_markdown
from modules.services import glossary_names
from quizzes import scoring, selectors
from quizzes.loader import inline_statement
from quizzes.models import Answer, Attempt, Choice, Question, Quiz

# A final evaluation taken shortly after the last day still belongs to that session.
SESSION_GRACE_DAYS = 30


class QuizError(Exception):
    """A quiz action refused for a reason the user must read (message in French)."""


class QuizClosed(QuizError):
    pass


class AttemptLimitReached(QuizError):
    pass


class AnswerError(QuizError):
    """Submitted answers are incomplete or do not belong to the quiz; nothing was saved."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__(_("Some answers are missing or invalid."))


def _session_model():
    return Attempt._meta.get_field("session").related_model


def session_for_attempt(*, user):
    """Return the session a new attempt belongs to: the trainee's current or next one.

    An ongoing or upcoming session (soonest first) wins; otherwise the latest session that
    ended less than SESSION_GRACE_DAYS ago; otherwise None.
    """
    # The session model is the one the schema links attempts to (``Attempt.session``): quizzes
    # sit below the training app and name it only through that foreign key.
    sessions = _session_model().objects.for_trainee(user).not_cancelled()
    today = timezone.localdate()
    current = sessions.filter(end_date__gte=today).order_by("start_date", "pk").first()
    if current is not None:
        return current
    since = today - datetime.timedelta(days=SESSION_GRACE_DAYS)
    return sessions.filter(end_date__gte=since).order_by("-end_date", "-pk").first()


def attempts_used(*, user, quiz: Quiz) -> int:
    """Return how many attempts at the quiz the user has submitted."""
    return Attempt.objects.filter(user=user, quiz=quiz).submitted().count()


def attempt_start(*, user, quiz: Quiz, session=None, _retry: bool = True) -> Attempt:
    """Return the user's attempt in progress at the quiz, or start one within the limit.

    Raises QuizClosed for an archived quiz and AttemptLimitReached when every allowed
    attempt has been submitted. Two concurrent starts end up on the same attempt.
    """
    existing = Attempt.objects.filter(user=user, quiz=quiz).in_progress().first()
    if existing is not None:
        return existing
    if not quiz.is_active:
        raise QuizClosed(_("This quiz is no longer available."))
    try:
        with transaction.atomic():
            # Serialise one user's starts (PostgreSQL row lock; SQLite transactions are
            # IMMEDIATE, hence already serialised), so the count below cannot go stale.
            get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
            used = attempts_used(user=user, quiz=quiz)
            if quiz.max_attempts and used >= quiz.max_attempts:
                raise AttemptLimitReached(
                    _(
                        "You have used all the attempts allowed for this quiz "
                        "(%(used)s of %(allowed)s)."
                    )
                    % {"used": used, "allowed": quiz.max_attempts}
                )
            return Attempt.objects.create(user=user, quiz=quiz, session=session)
    except IntegrityError:
        # Another request started it a moment ago (one attempt in progress per quiz).
        existing = Attempt.objects.filter(user=user, quiz=quiz).in_progress().first()
        if existing is not None:
            return existing
        if _retry:
            return attempt_start(user=user, quiz=quiz, session=session, _retry=False)
        raise


def quiz_questions(*, quiz: Quiz) -> list[Question]:
    """Return the quiz's questions in order, with their choices and objective."""
    return list(
        quiz.questions.select_related("objective").prefetch_related("choices").order_by("order")
    )


def answers_check(*, questions: list[Question], answers: dict[int, list[int]]) -> None:
    """Raise AnswerError unless every question has a valid answer from its own choices."""
    errors: dict[int, str] = {}
    for question in questions:
        chosen = answers.get(question.pk) or []
        own = {c.pk for c in question.choices.all()}
        if not chosen:
            errors[question.pk] = _("Answer this question.")
        elif not set(chosen) <= own:
            errors[question.pk] = _("This choice does not belong to this question.")
        elif len(set(chosen)) != len(chosen):
            errors[question.pk] = _("The same choice was sent twice.")
        elif question.type != Question.Type.MULTIPLE and len(chosen) > 1:
            errors[question.pk] = _("Choose only one answer to this question.")
    if errors:
        raise AnswerError(errors)


def _answer_rows(questions, answers) -> tuple[list[Answer], Fraction, Fraction]:
    rows, total, maximum = [], Fraction(0), Fraction(0)
    for question in questions:
        choices = list(question.choices.all())
        chosen = set(answers[question.pk])
        correct = {c.pk for c in choices if c.is_correct}
        points = scoring.question_score(type=question.type, correct_ids=correct, chosen_ids=chosen)
        total += points
        maximum += scoring.QUESTION_POINTS
        rows.append(
            Answer(
                question=question,
                objective=question.objective,
                order=question.order,
                question_key=question.key,
                question_type=question.type,
                question_html=question.text_html,
                legal_basis=question.legal_basis,
                explanation_html=question.explanation_html,
                choices=[
                    {
                        "id": c.pk,
                        "key": c.key,
                        "text": c.text,
                        "is_correct": c.is_correct,
                        "feedback_html": c.feedback_html,
                        "chosen": c.pk in chosen,
                    }
                    for c in choices
                ],
                chosen_ids=sorted(chosen),
                is_correct=points == scoring.QUESTION_POINTS,
                points=scoring.to_decimal(points),
                max_points=scoring.to_decimal(scoring.QUESTION_POINTS),
            )
        )
    return rows, total, maximum


def attempt_submit(*, attempt: Attempt, answers: dict[int, list[int]]) -> tuple[Attempt, bool]:
    """Grade the attempt once; return (the graded attempt, whether this call graded it).

    The grading is claimed by a conditional UPDATE on the attempt's status, so of several
    concurrent submissions (double click, two tabs) exactly one writes the answers; the
    others return the result already graded. Raises AnswerError (nothing saved) on invalid
    answers to an attempt still in progress.
    """
    if attempt.status == Attempt.Status.SUBMITTED:
        return attempt, False
    questions = quiz_questions(quiz=attempt.quiz)
    answers_check(questions=questions, answers=answers)
    rows, total, maximum = _answer_rows(questions, answers)
    score_percent = scoring.percent(total, maximum)
    with transaction.atomic():
        won = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED,
            submitted_at=timezone.now(),
            score_points=scoring.to_decimal(total),
            max_points=scoring.to_decimal(maximum),
            score_percent=scoring.to_decimal(score_percent),
            passed=scoring.is_passed(score_percent=score_percent, pass_mark=attempt.quiz.pass_mark),
        )
        if won:
            for row in rows:
                row.attempt_id = attempt.pk
            Answer.objects.bulk_create(rows)
            results_changed()  # an UPDATE sends no signal
            attempts_changed(user_id=attempt.user_id)
    attempt.refresh_from_db()
    return attempt, bool(won)


# --------------------------------------------------------------------------- admin edits


def quiz_render(*, quiz: Quiz, glossary: dict[str, str] | None = None) -> None:
    """Render a quiz description edited in the admin."""
    glossary = glossary_names() if glossary is None else glossary
    quiz.description_html = render_markdown(quiz.description_source, glossary=glossary).html


def question_render(*, question: Question, glossary: dict[str, str] | None = None) -> None:
    """Render a question's statement and explanation edited in the admin."""
    glossary = glossary_names() if glossary is None else glossary
    question.text_html = inline_statement(
        render_markdown(question.text_source, glossary=glossary).html
    )
    question.explanation_html = render_markdown(question.explanation_source, glossary=glossary).html


def choice_render(*, choice: Choice, glossary: dict[str, str] | None = None) -> None:
    """Render a choice's feedback and typeset its text, as the loader does."""
    glossary = glossary_names() if glossary is None else glossary
    choice.text = french_text(choice.text)
    choice.feedback_html = render_markdown(choice.feedback_source, glossary=glossary).html


def results_changed() -> None:
    """Retire every cached results page (``receivers.py``: submissions, quizzes, scopes)."""
    version_bump(selectors.RESULTS_VERSION)


def attempts_changed(*, user_id: int) -> None:
    """Retire the cached standing of a user at the quizzes (``receivers.py``)."""
    version_bump(selectors.attempts_version_key(user_id))


def quizzes_changed() -> None:
    """Retire what is cached from the quizzes' content (``receivers.py``, ``load_course``)."""
    version_bump(selectors.QUIZ_CONTENT_VERSION)
    results_changed()
