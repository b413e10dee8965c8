"""The trainee's dashboard: its panels read little and show every change at the next visit."""

import datetime

import pytest
from django.db import connection
from django.test import Client
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


def test_the_plain_sql_reads_answer_as_the_orm_querysets_they_replace(course_loaded):
    """The dashboard's sessions, open half-days and invitations are read in plain SQL (cheaper
    than building the ORM's query): the same rows as the querysets, cancelled, past, other
    trainees' and unopened excluded alike."""
    from training.attendance import selectors as attendance_selectors
    from training.attendance import services as attendance_services
    from training.sessions import selectors as session_selectors
    from training.sessions.models import Enrolment, TrainingSession
    from training.surveys import selectors as survey_selectors

    trainee, other = UserFactory.create_batch(2, role="Stagiaire")
    trainer = UserFactory(role="Formateur")
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    running = SessionFactory(dates=[today, today + day], trainers=[trainer])

    def two_days(start):
        return [today + start * day, today + (start + 1) * day]

    later, past = SessionFactory(dates=two_days(20)), SessionFactory(dates=two_days(-40))
    cancelled, left = SessionFactory(dates=two_days(30)), SessionFactory(dates=two_days(10))
    for session in (running, later, past, cancelled, left):
        EnrolmentFactory(session=session, trainee=trainee)
    EnrolmentFactory(session=SessionFactory(dates=two_days(5)), trainee=other)
    TrainingSession.objects.filter(pk=cancelled.pk).update(status=TrainingSession.Status.CANCELLED)
    Enrolment.objects.filter(session=left, trainee=trainee).update(
        status=Enrolment.Status.CANCELLED
    )
    since = today - 7 * day

    orm = list(
        TrainingSession.objects.for_trainee(trainee)
        .not_cancelled()
        .filter(end_date__gte=since)
        .order_by("start_date", "pk")
    )
    read = session_selectors.trainee_sessions(user=trainee, since=since)
    assert [s.pk for s in read] == [s.pk for s in orm] == [running.pk, later.pk]
    assert read[0].end_date == today + day and read[0].title == running.title  # real fields

    assert attendance_selectors.open_slots_for_trainee(user=trainee, sessions=read) == []
    slot = running.slots.filter(date=today).order_by("period").first()
    attendance_services.slot_open(slot=slot, user=trainer)
    assert attendance_selectors.open_slots_for_trainee(user=trainee, sessions=read) == [slot]
    assert attendance_selectors.open_slots_for_trainee(user=other, sessions=[]) == []

    assert not survey_selectors._has_invitations(trainee)
    assert survey_selectors.pending_for_user(user=trainee, trainee_sessions=read) == []


def test_the_cached_panels_follow_the_language_and_the_session(dashboard, client):
    """The next-session and quiz panels are rendered once per process: never in the language
    of whoever came first, and a session edited shows at the next visit."""
    trainee, html = dashboard
    start = timezone.localdate() + datetime.timedelta(days=10)
    session = SessionFactory(dates=[start, start + datetime.timedelta(days=1)])
    EnrolmentFactory(session=session, trainee=trainee)
    assert "Ma prochaine session" in html() and "Quiz" in html()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = html()
    assert "My next session" in english and "Ma prochaine session" not in english
    assert "Not started" in english and "Non commencé" not in english
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    session.place_name = "Salle Simone-Veil"
    session.save()
    assert "Salle Simone-Veil" in html()


def test_the_progress_list_follows_the_reader_and_the_course(dashboard, client):
    """The progress list is rendered once per process for each version of the course and of
    the reader's progress: a lesson read or a module renamed shows at the next visit, and
    another reader never sees this one's counts."""
    from modules.models import Lesson

    trainee, html = dashboard
    lesson = Lesson.objects.select_related("module").order_by("module__number", "order").first()
    count = lesson.module.lessons.count()
    assert f"0/{count} leçon" in html()
    client.post(reverse("modules:lesson_mark_read", args=[lesson.module.slug, lesson.slug]))
    assert f"1/{count} leçon" in html()
    other = Client()
    other.force_login(UserFactory(role="Stagiaire"))
    assert f"0/{count} leçon" in other.get(reverse("training:dashboard")).content.decode()
    module = lesson.module
    module.title = "Un titre tout neuf"
    module.save()
    assert "Un titre tout neuf" in html()
