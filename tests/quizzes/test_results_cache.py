"""The results page's figures and tables are cached until the results change, per scope."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes import services
from tests.factories import (
    DEFAULT_PASSWORD,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    quiz_with_questions,
)
from tests.quizzes.test_results import attempt, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return quiz_with_questions(spec=(("single", (True, False)),), pass_mark=50)


def _page(client, quiz, **params):
    response = client.get(reverse("quizzes:quiz_results", args=[quiz.slug]), params)
    assert response.status_code == 200
    return response


def _admin():
    client = Client()
    client.force_login(UserFactory(role="Administrateur"))
    return client


def test_a_submission_shows_at_the_next_visit(quiz):
    admin = _admin()
    attempt(trainee("Martin"), quiz, 40, 1)
    assert _page(admin, quiz).context["results"].trainee_count == 1
    assert _page(admin, quiz).context["results"].trainee_count == 1  # from the cache

    user = trainee("Bernard")
    started = services.attempt_start(user=user, quiz=quiz)
    question = quiz.questions.get()
    right = question.choices.get(is_correct=True)
    services.attempt_submit(attempt=started, answers={question.pk: [right.pk]})

    response = _page(admin, quiz)
    assert response.context["results"].trainee_count == 2
    assert response.context["results"].average == 70  # (40 + 100) / 2
    assert "Bernard" in response.content.decode()


def test_a_renamed_trainee_shows_under_the_new_name(quiz):
    admin = _admin()
    martin = trainee("Martin")
    attempt(martin, quiz, 40, 1)
    assert "Martin" in _page(admin, quiz).content.decode()
    martin.last_name = "Martin-Durand"
    martin.save()
    assert "Martin-Durand" in _page(admin, quiz).content.decode()


def test_a_login_does_not_retire_the_cached_results(quiz, django_assert_max_num_queries):
    admin = _admin()
    martin = trainee("Martin")
    attempt(martin, quiz, 40, 1)
    _page(admin, quiz)
    response = Client().post(
        reverse("login"), {"username": martin.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302  # logged in: last_login written
    with django_assert_max_num_queries(6):  # session, user, quiz, figures, page: cached
        _page(admin, quiz)


def test_a_trainer_s_scope_follows_enrolments_and_never_shows_another_scope(quiz):
    trainer, other = UserFactory.create_batch(2, role="Formateur")
    session = SessionFactory(trainers=[trainer])
    mine, theirs = trainee("Martin"), trainee("Bernard")
    attempt(mine, quiz, 40, 1)
    attempt(theirs, quiz, 80, 2)
    EnrolmentFactory(session=session, trainee=mine)
    EnrolmentFactory(session=SessionFactory(trainers=[other]), trainee=theirs)
    trainer_client, other_client, admin = Client(), Client(), _admin()
    trainer_client.force_login(trainer)
    other_client.force_login(other)

    def names(client):
        return {row.user.last_name for row in _page(client, quiz).context["page"]}

    assert names(admin) == {"Martin", "Bernard"}
    assert names(trainer_client) == {"Martin"}
    assert names(other_client) == {"Bernard"}
    EnrolmentFactory(session=session, trainee=theirs)  # now in both trainers' sessions
    assert names(trainer_client) == {"Martin", "Bernard"}
    assert names(other_client) == {"Bernard"}
    session.trainers.remove(trainer)
    assert names(trainer_client) == set()


def test_a_question_edited_shows_in_the_item_analysis(quiz):
    admin = _admin()
    attempt(trainee("Martin"), quiz, 40, 1)
    question = quiz.questions.get()
    assert question.text_html in _page(admin, quiz).content.decode()
    question.text_html = "Une question réécrite"
    question.save()
    assert "Une question réécrite" in _page(admin, quiz).content.decode()
