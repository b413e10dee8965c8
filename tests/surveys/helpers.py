"""Sessions on fixed dates for the survey tests (frozen time), and answering helpers."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.surveys.models import Questionnaire, SurveyQuestion

# Monday 9 and Tuesday 10 March 2026; the last half-day ends on the 10th at 17:00.
DAYS = [datetime.date(2026, 3, 9), datetime.date(2026, 3, 10)]


def at(day: datetime.date | str, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """Return an aware date-time in the site's time zone (Europe/Paris)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def session_on(days=DAYS, *, trainees=3, trainer=None, **kwargs):
    """Return (session, trainer, [trainees]) for a session on ``days``."""
    trainer = trainer or UserFactory(role="Formateur")
    session = SessionFactory(dates=list(days), trainers=[trainer], **kwargs)
    people = [UserFactory(role="Stagiaire") for _ in range(trainees)]
    for person in people:
        EnrolmentFactory(session=session, trainee=person)
    return session, trainer, people


def questionnaire(kind: str) -> Questionnaire:
    return Questionnaire.objects.get(kind=kind, is_active=True)


def full_answers(questionnaire: Questionnaire, value: int = 4, **by_key) -> dict:
    """Answer every question: ``value`` on scales (10 for the recommendation, 1 otherwise),
    texts left empty; ``by_key`` overrides some questions by key."""
    answers = {}
    for question in questionnaire.questions.filter(is_active=True):
        if question.key in by_key:
            answers[question.pk] = by_key[question.key]
        elif question.type == SurveyQuestion.Type.LIKERT:
            answers[question.pk] = value
        elif question.type == SurveyQuestion.Type.RECOMMENDATION:
            answers[question.pk] = 10
        elif question.type != SurveyQuestion.Type.TEXT:
            answers[question.pk] = 1
    return answers
