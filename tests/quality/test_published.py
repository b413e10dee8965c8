"""Published results (Qualiopi indicator 2) computed from known data, each with its N and
period, each hidden below the minimum N; « ce que nous avons changé »."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Quiz
from tests.factories import attested_session
from tests.surveys.helpers import full_answers, questionnaire
from training.quality import selectors, services
from training.sessions.models import TrainingSession
from training.surveys import services as survey_services
from training.surveys.models import SurveyInvitation

pytestmark = pytest.mark.django_db


def hot_answers(session, people, values):
    hot = questionnaire("chaud")
    now = timezone.now()
    for person, value in zip(people, values, strict=False):
        invitation = SurveyInvitation.objects.create(
            questionnaire=hot,
            session=session,
            recipient=person,
            due_at=now,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=1),
        )
        survey_services.response_submit(
            invitation=invitation, answers=full_answers(hot, **{"satisfaction-globale": value})
        )


def final(person, session, *scores):
    quiz = Quiz.objects.get(kind="final", is_active=True)
    for index, score in enumerate(scores):
        Attempt.objects.create(
            user=person,
            quiz=quiz,
            session=session,
            status=Attempt.Status.SUBMITTED,
            submitted_at=timezone.now() + datetime.timedelta(minutes=index),
            score_points=Decimal(score) / 10,
            max_points=Decimal(10),
            score_percent=Decimal(score),
            passed=score >= quiz.pass_mark,
        )


@pytest.fixture
def known_year():
    """Two sessions in the period, one before it, one cancelled; known answers.

    Session A (3 trainees, 4 half-days of 3 h 30): trainee 0 misses 2 half-days.
    Session B (2 trainees): trainee 1 misses all 4 (enrolled, never came).
    Hours: A 7 + 14 + 14, B 14 + 0 → 49 of 70 planned = 70 %; trained: 4 people.
    Satisfaction (« à chaud », overall): A 5, 4, 2 and B 4 → 3 of 4 = 75 %.
    Final evaluation (pass mark 70): A 80; 50 then 75; 40 — B 90 → 3 of 4 = 75 %.
    """
    a, _t, people_a = attested_session(trainees=3, days_ago=10, absences={0: 2})
    b, _t2, people_b = attested_session(trainees=2, days_ago=40, absences={1: 4})
    old, _t3, people_old = attested_session(trainees=3, days_ago=400)
    cancelled, _t4, people_cancelled = attested_session(trainees=2, days_ago=20)
    TrainingSession.objects.filter(pk=cancelled.pk).update(status=TrainingSession.Status.CANCELLED)
    hot_answers(a, people_a, [5, 4, 2])
    hot_answers(b, people_b, [4])
    hot_answers(old, people_old, [1, 1, 1])
    hot_answers(cancelled, people_cancelled, [1, 1])
    final(people_a[0], a, 80)
    final(people_a[1], a, 50, 75)
    final(people_a[2], a, 40)
    final(people_b[0], b, 90)
    final(people_old[0], old, 10)
    final(people_b[1], None, 10)  # outside any session: not counted
    return a, b


def test_every_published_figure_from_known_data(known_year, settings):
    settings.PUBLISHED_RESULTS_MIN_N = 4
    results = selectors.published_results()
    today = timezone.localdate()
    assert results.until == today - datetime.timedelta(days=1)
    assert results.since.year == today.year - 1 and results.since.month == today.month
    assert results.session_count == 2
    assert (results.satisfaction.value, results.satisfaction.n) == (75, 4)
    assert (results.trained.value, results.trained.n) == (4, 4)
    assert (results.completion.value, results.completion.n) == (70, 5)
    assert (results.success.value, results.success.n) == (75, 4)
    assert all(
        f.shown
        for f in (results.satisfaction, results.trained, results.completion, results.success)
    )


def test_each_figure_is_hidden_below_the_minimum_n(known_year, settings):
    settings.PUBLISHED_RESULTS_MIN_N = 5
    results = selectors.published_results()
    assert not results.satisfaction.shown  # 4 answers
    assert not results.trained.shown  # 4 people
    assert results.completion.shown  # 5 trainees enrolled
    assert not results.success.shown  # 4 evaluated
    settings.PUBLISHED_RESULTS_MIN_N = 6
    assert not selectors.published_results().completion.shown


def test_the_programme_page_prints_the_figures_with_their_period_and_n(known_year, settings):
    settings.PUBLISHED_RESULTS_MIN_N = 5
    cache.clear()
    page = html.unescape(Client().get(reverse("home")).content.decode())
    assert "Nos résultats" in page
    assert "Sessions terminées du" in page and ": 2 sessions." in page
    assert "70 %" in page and "des heures prévues suivies (5 stagiaires)" in page
    assert page.count("Non publié") == 3
    assert "75 %" not in page
    settings.PUBLISHED_RESULTS_MIN_N = 4
    cache.clear()
    page = html.unescape(Client().get(reverse("home")).content.decode())
    assert "des stagiaires satisfaits ou très satisfaits (4 réponses)" in page
    assert "ont atteint le seuil de réussite (4 stagiaires évalués)" in page
    assert "Non publié" not in page


def test_no_data_publishes_nothing_and_says_so(settings):
    cache.clear()
    results = selectors.published_results()
    assert results.session_count == 0
    assert not results.any_shown
    assert results.satisfaction.value is None
    page = Client().get(reverse("home")).content.decode()
    assert "Non publié : trop peu de réponses sur la période." in page


def test_closed_public_actions_are_shown_as_what_we_changed(administrator):
    services.action_create(
        by=administrator,
        title="Supports envoyés avant la session",
        description="Envoyer le support une semaine avant.",
        source="questionnaire",
        source_detail="Commentaires à chaud.",
        status="realisee",
        outcome="Fait depuis mars.",
        is_public=True,
        public_summary="Le support de la formation vous est envoyé une semaine avant la session.",
    )
    services.action_create(
        by=administrator,
        title="Action interne",
        description="Pas encore faite.",
        source="autre",
    )
    cache.clear()
    page = html.unescape(Client().get(reverse("home")).content.decode())
    assert "Ce que nous avons changé" in page
    assert "Le support de la formation vous est envoyé une semaine avant la session." in page
    assert "Action interne" not in page


def test_the_programme_page_computes_the_figures_then_reads_them_from_the_cache(known_year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    first = queries()
    cached = queries()
    assert cached < first
    attested_session(trainees=2, days_ago=25)  # more data: the cached page costs the same
    assert queries() == cached
