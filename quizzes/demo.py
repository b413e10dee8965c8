"""Plausible quiz attempts for the demo session, graded by the real services.

Each trainee gets a level before and after the training (deterministic, from their email),
a little lower on the objectives people usually get wrong (« secret partagé », the duty to
inform), and answers accordingly: positioning test before the first day, module checks
during the session, final evaluation on the last day (a second attempt when the first one
misses the pass mark).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, Question, Quiz

# How much harder each objective is than the trainee's level (misconceptions to work on).
OBJECTIVE_PENALTY = {"clarifier": 0.15, "concilier": 0.08, "risques": 0.05}


def _answers(questions: list[Question], level: float, rng: random.Random) -> dict[int, list[int]]:
    answers = {}
    for question in questions:
        choices = list(question.choices.all())
        correct = [c.pk for c in choices if c.is_correct]
        wrong = [c.pk for c in choices if not c.is_correct]
        code = question.objective.code if question.objective else ""
        p = max(0.05, min(0.97, level - OBJECTIVE_PENALTY.get(code, 0)))
        if question.type == Question.Type.MULTIPLE:
            chosen = [pk for pk in correct if rng.random() < p + 0.1]
            chosen += [pk for pk in wrong if rng.random() > p + 0.2]
            answers[question.pk] = chosen or [rng.choice(correct + wrong)]
        elif rng.random() < p or not wrong:
            answers[question.pk] = correct[:1]
        else:
            answers[question.pk] = [rng.choice(wrong)]
    return answers


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _take(*, user, quiz, session, level, rng, when) -> Attempt:
    attempt = services.attempt_start(user=user, quiz=quiz, session=session)
    questions = services.quiz_questions(quiz=quiz)
    attempt, _graded = services.attempt_submit(
        attempt=attempt, answers=_answers(questions, level, rng)
    )
    minutes = 4 + len(questions) + rng.randint(0, 8)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=when, submitted_at=when + datetime.timedelta(minutes=minutes)
    )
    attempt.refresh_from_db()
    return attempt


def demo_attempts_seed(*, session, trainees) -> int:
    """Record attempts for the session's trainees who have none yet; return how many."""
    quizzes = list(Quiz.objects.active().select_related("module").order_by("order", "pk"))
    if not quizzes:
        return 0
    days = sorted(
        {session.start_date, session.end_date} | set(session.slots.values_list("date", flat=True))
    )
    done = set(
        Attempt.objects.filter(session=session, user__in=trainees).values_list("user_id", flat=True)
    )
    created = 0
    for user in trainees:
        if user.pk in done:
            continue
        rng = random.Random(user.email)
        before = rng.uniform(0.3, 0.6)
        after = min(0.95, before + rng.uniform(0.2, 0.4))
        for quiz in quizzes:
            if quiz.kind == Quiz.Kind.POSITIONING:
                day, level = session.start_date - datetime.timedelta(days=4), before
            elif quiz.kind == Quiz.Kind.FINAL:
                day, level = days[-1], after - 0.05
            else:
                number = quiz.module.number if quiz.module else 1
                day = days[min(len(days) - 1, (number - 1) * len(days) // 5)]
                level = (before + after) / 2
            when = _at(day, 17 if quiz.kind == Quiz.Kind.MODULE else 9, rng.randint(0, 50))
            attempt = _take(user=user, quiz=quiz, session=session, level=level, rng=rng, when=when)
            created += 1
            if attempt.passed is False and quiz.max_attempts != 1:
                later = when + datetime.timedelta(hours=2)
                _take(user=user, quiz=quiz, session=session, level=after + 0.1, rng=rng, when=later)
                created += 1
    return created
