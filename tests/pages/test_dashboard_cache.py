"""The trainee's dashboard: its panels read little and show every change at the next visit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import services as quiz_services
from quizzes.models import Quiz
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.sessions import services as session_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(client, course_loaded):
    trainee = UserFactory(role="Stagiaire")
    client.force_login(trainee)

    def html():
        response = client.get(reverse("training:dashboard"))
        assert response.status_code == 200
        return response.content.decode()

    return trainee, html


def test_a_quiz_started_then_sent_shows_on_the_next_visit(dashboard):
    trainee, html = dashboard
    quiz = Quiz.objects.active().filter(kind=Quiz.Kind.MODULE).order_by("order").first()
    assert "En cours" not in html()
    attempt = quiz_services.attempt_start(user=trainee, quiz=quiz)
    assert "En cours" in html()
    answers = {
        question.pk: [question.choices.filter(is_correct=True).first().pk]
        for question in quiz_services.quiz_questions(quiz=quiz)
    }
    quiz_services.attempt_submit(attempt=attempt, answers=answers)
    text = html()
    assert "En cours" not in text
    assert "Meilleur score" in text, text[text.find("quiz-panel") :][:3000]


def test_another_trainee_s_attempts_never_show(dashboard, client):
    trainee, html = dashboard
    html()
    quiz = Quiz.objects.active().order_by("order").first()
    quiz_services.attempt_start(user=UserFactory(role="Stagiaire"), quiz=quiz)
    assert "En cours" not in html()


def test_the_next_session_follows_its_half_days(dashboard):
    trainee, html = dashboard
    start = timezone.localdate() + datetime.timedelta(days=10)
    session = SessionFactory(dates=[start, start + datetime.timedelta(days=1)])
    EnrolmentFactory(session=session, trainee=trainee)
    assert session.code in html()
    slot = session.slots.order_by("date", "period").first()
    session_services.slot_update(
        slot=slot, start_time=datetime.time(8, 10), end_time=datetime.time(11, 50)
    )
    assert "08:10–11:50" in html()


def test_the_dashboard_reads_its_sessions_once(dashboard):
    trainee, html = dashboard
    start = timezone.localdate() + datetime.timedelta(days=10)
    dates = [start, start + datetime.timedelta(days=1)]
    EnrolmentFactory(session=SessionFactory(dates=dates), trainee=trainee)
    html()
    with CaptureQueriesContext(connection) as queries:
        html()
    sessions = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "training_trainingsession"' in q["sql"]  # not the invitations' join
    ]
    assert len(sessions) == 1
    # session, user, course outline and progress, the sessions, the survey invitations, the
    # programme, the quizzes
    assert len(queries.captured_queries) <= 7
