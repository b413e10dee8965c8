"""The trainers' results page of one quiz: figures in SQL, trainees 50 per page.

The dataset is built by hand (attempts and frozen answers written directly, scores chosen
rather than graded) so that every expected figure can be worked out on paper.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import selectors
from quizzes.models import Answer, Attempt, Quiz
from quizzes.services import results_changed
from tests.factories import SessionFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def trainee(last_name, first_name="Anne"):
    return UserFactory(role="Stagiaire", last_name=last_name, first_name=first_name)


def attempt(user, quiz, percent, minutes, *, answers=(), session=None):
    """A submitted attempt with the given score; ``answers``: [(question, chosen keys, points)]."""
    percent = Decimal(percent)
    made = Attempt.objects.create(
        user=user,
        quiz=quiz,
        session=session,
        status=Attempt.Status.SUBMITTED,
        submitted_at=at(minutes),
        score_points=percent / 10,
        max_points=10,
        score_percent=percent,
        passed=percent >= quiz.pass_mark if quiz.pass_mark else None,
    )
    for order, (question, keys, points) in enumerate(answers):
        choices = list(question.choices.order_by("order"))
        max_points = Decimal(sum(1 for c in choices if c.is_correct))
        Answer.objects.create(
            attempt=made,
            question=question,
            objective=question.objective,
            order=order,
            question_key=question.key,
            question_type=question.type,
            question_html=question.text_html,
            choices=[{"id": c.pk, "key": c.key, "text": c.text} for c in choices],
            chosen_ids=[c.pk for c in choices if c.key in keys],
            is_correct=Decimal(points) == max_points,
            points=Decimal(points),
            max_points=max_points,
        )
    return made


@pytest.fixture
def world():
    """Four trainees at a final evaluation (pass mark 70) with two questions.

    q1, single choice (a right; b, c wrong), 1 point; q2, multiple choice (a, b right; c
    wrong), 2 points. Retained attempts and what they answered:

    - Martin: 40 % then 80 % then 80 % again → the last 80 % (ties: the latest);
      q1 a (1), q2 a (1 of 2).
    - Bernard: 100 % then 50 % → the 100 %; q1 a (1), q2 a+b (2).
    - Durand: 62 % once → not passed; q1 b (0), q2 b (1 of 2).
    - Petit: twice 70 % sent at the same minute → the one with the higher pk; q1 a (1),
      q2 c (0); plus the answer to a question deleted since (ignored).

    Not counted: a trainer's attempt, an attempt in progress, the other attempts' answers
    (all q1 b, q2 c).
    """
    quiz = quiz_with_questions(
        spec=(("single", (True, False, False)), ("multiple", (True, True, False))),
        kind=Quiz.Kind.FINAL,
        pass_mark=70,
    )
    q1, q2 = quiz.questions.order_by("order")
    gone = quiz_with_questions().questions.get()  # deleted below: its answers lose the link
    worse = [(q1, "b", 0), (q2, "c", 0)]
    martin, bernard, durand, petit = (
        trainee("Martin"),
        trainee("Bernard"),
        trainee("Durand"),
        trainee("Petit"),
    )
    attempt(martin, quiz, 40, 1, answers=worse)
    attempt(martin, quiz, 80, 2, answers=worse)
    kept = {
        "martin": attempt(martin, quiz, 80, 3, answers=[(q1, "a", 1), (q2, "a", 1)]),
        "bernard": attempt(bernard, quiz, 100, 1, answers=[(q1, "a", 1), (q2, "ab", 2)]),
    }
    attempt(bernard, quiz, 50, 5, answers=worse)
    kept["durand"] = attempt(durand, quiz, 62, 4, answers=[(q1, "b", 0), (q2, "b", 1)])
    attempt(petit, quiz, 70, 6, answers=worse)
    kept["petit"] = attempt(
        petit, quiz, 70, 6, answers=[(q1, "a", 1), (q2, "c", 0), (gone, "a", 1)]
    )
    gone.delete()
    assert Answer.objects.filter(attempt=kept["petit"], question__isnull=True).exists()
    attempt(UserFactory(role="Formateur", last_name="Abel"), quiz, 10, 7, answers=worse)
    Attempt.objects.create(user=durand, quiz=quiz)  # in progress
    return {
        "quiz": quiz,
        "q1": q1,
        "q2": q2,
        "users": {"martin": martin, "bernard": bernard, "durand": durand, "petit": petit},
        "kept": kept,
    }


def as_positioning(world):
    Quiz.objects.filter(pk=world["quiz"].pk).update(kind=Quiz.Kind.POSITIONING, pass_mark=0)
    world["quiz"].refresh_from_db()
    return world["quiz"]


# --------------------------------------------------------------------------- figures


def test_figures_cover_each_trainee_s_best_attempt_ties_going_to_the_latest(world):
    results = selectors.quiz_results(quiz=world["quiz"])
    assert results.trainee_count == 4
    assert results.average == 78  # (80 + 100 + 62 + 70) / 4
    assert results.pass_rate == 75  # Martin, Bernard, Petit
    rows = {row.user.last_name: row for row in results.page}
    assert {name: row.retained.pk for name, row in rows.items()} == {
        name.capitalize(): kept.pk for name, kept in world["kept"].items()
    }
    assert [rows[n].attempts for n in ("Martin", "Bernard", "Durand", "Petit")] == [3, 2, 1, 2]
    assert rows["Bernard"].last_sent == at(5)  # the latest sent, not the retained one
    assert rows["Martin"].last_sent == at(3)


def test_the_positioning_test_retains_the_first_attempt(world):
    quiz = as_positioning(world)
    results = selectors.quiz_results(quiz=quiz)
    assert results.trainee_count == 4
    assert results.average == 68  # (40 + 100 + 62 + 70) / 4
    assert results.pass_rate is None  # no pass mark
    retained = {row.user.last_name: row.retained for row in results.page}
    assert retained["Martin"].score_percent == 40
    assert retained["Bernard"].score_percent == 100
    petit = Attempt.objects.filter(user=world["users"]["petit"], quiz=quiz)
    assert retained["Petit"].pk == min(petit.values_list("pk", flat=True))  # same minute


@pytest.mark.parametrize("kind", ["final", "positioning"])
def test_sql_and_python_retain_the_same_attempts(world, kind):
    """The export still picks retained attempts in Python: both rules must agree."""
    quiz = as_positioning(world) if kind == "positioning" else world["quiz"]
    results = selectors.quiz_results(quiz=quiz)
    export = selectors.quiz_export_data(quiz=quiz)
    assert {row.retained.pk for row in results.page} == export["retained_ids"]


def test_item_analysis_counts_retained_answers_only(world):
    results = selectors.quiz_results(quiz=world["quiz"])
    q1, q2 = results.items[1], results.items[0]  # worst first
    assert (q2.question, q1.question) == (world["q2"], world["q1"])
    # q1: 3 of 4 right (1 point each); q2: 1 + 2 + 1 + 0 = 4 of 8 points, 1 fully right.
    assert (q1.answered, q1.correct, q1.success) == (4, 3, 75)
    assert (q2.answered, q2.correct, q2.success) == (4, 1, 50)
    assert [(c.key, c.count, c.percent) for c in q1.choices] == [
        ("a", 3, 75),
        ("b", 1, 25),
        ("c", 0, 0),
    ]
    assert [(c.key, c.count, c.percent, c.is_correct) for c in q2.choices] == [
        ("a", 2, 50, True),
        ("b", 2, 50, True),
        ("c", 1, 25, False),
    ]


def test_a_quiz_nobody_sent_has_empty_figures():
    quiz = quiz_with_questions(pass_mark=50)
    results = selectors.quiz_results(quiz=quiz, page="3")
    assert (results.trainee_count, results.average, results.pass_rate) == (0, None, None)
    assert list(results.page) == []
    assert [(i.answered, i.success) for i in results.items] == [(0, 0)]


def test_users_and_session_scopes(world):
    users = world["users"]
    scoped = selectors.quiz_results(quiz=world["quiz"], users=[users["martin"], users["durand"]])
    assert (scoped.trainee_count, scoped.average) == (2, 71)  # (80 + 62) / 2
    session = SessionFactory()
    # Within the session, Martin sent only his first two attempts: the 80 % at minute 2 counts.
    Attempt.objects.filter(user=users["martin"], submitted_at__lte=at(2)).update(session=session)
    Attempt.objects.filter(user=users["bernard"], submitted_at=at(5)).update(session=session)
    in_session = selectors.quiz_results(quiz=world["quiz"], session=session)
    rows = {row.user.last_name: row for row in in_session.page}
    assert set(rows) == {"Martin", "Bernard"}
    assert (rows["Martin"].retained.submitted_at, rows["Martin"].attempts) == (at(2), 2)
    assert (rows["Bernard"].retained.score_percent, rows["Bernard"].attempts) == (50, 1)
    assert in_session.average == 65  # (80 + 50) / 2


# --------------------------------------------------------------------------- the page


def many_trainees(quiz, count, start=0):
    """``count`` trainees named Nom000, Nom001, … with two attempts each (50 % then 90 %)."""
    for index in range(start, start + count):
        user = trainee(f"Nom{index:03d}", "Léa")
        attempt(user, quiz, 50, index)
        attempt(user, quiz, 90, index + 1)


@pytest.fixture
def trainer_client(client):
    """An administrator's client: the page covers every trainee (trainers see their own)."""
    client.force_login(UserFactory(role="Administrateur"))
    return client


def test_trainees_are_sorted_by_last_name_then_first_name_case_blind():
    quiz = quiz_with_questions()
    names = [("Durand", "Zoé"), ("dupont", "Bruno"), ("Dupont", "anne"), ("Dupont", "Anne")]
    users = [trainee(last, first) for last, first in names]
    for user in users:
        attempt(user, quiz, 50, 1)
    page = selectors.quiz_results(quiz=quiz).page
    assert [row.user.pk for row in page] == [users[2].pk, users[3].pk, users[1].pk, users[0].pk]


def test_the_trainee_table_is_paginated_by_50(trainer_client):
    quiz = quiz_with_questions(pass_mark=80)
    many_trainees(quiz, 60)
    url = reverse("quizzes:quiz_results", args=[quiz.slug])
    first = trainer_client.get(url)
    assert first.context["results"].trainee_count == 60
    assert [r.user.last_name for r in first.context["page"]][:2] == ["Nom000", "Nom001"]
    assert len(first.context["page"]) == 50
    html = first.content.decode()
    assert '<nav class="mt-3" aria-label="Pages du tableau des stagiaires">' in html
    assert 'aria-current="page"><span class="page-link">Page 1 sur 2</span>' in html
    assert 'rel="next" href="?page=2#h-trainees"' in html
    assert "Stagiaires 1 à 50 sur 60, par nom." in html
    assert "Nom049" in html and "Nom050" not in html

    second = trainer_client.get(url, {"page": "2"})
    rows = list(second.context["page"])
    assert [r.user.last_name for r in rows] == [f"Nom{i:03d}" for i in range(50, 60)]
    assert all(r.attempts == 2 and r.retained.score_percent == 90 for r in rows)
    html = second.content.decode()
    assert "Nom050" in html and "Nom049" not in html
    assert 'rel="prev" href="?page=1#h-trainees"' in html
    assert "Page suivante" not in html
    # The figures still cover every trainee, whatever the page.
    results = second.context["results"]
    assert (results.trainee_count, results.average, results.pass_rate) == (60, 90, 100)


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("", 1), ("0", 2), ("-1", 2), ("999", 2), ("2.5", 1)]
)
def test_a_bad_page_number_falls_back_like_get_page(trainer_client, page, shown):
    quiz = quiz_with_questions()
    many_trainees(quiz, 51)
    response = trainer_client.get(reverse("quizzes:quiz_results", args=[quiz.slug]), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_one_page_needs_no_navigation(trainer_client):
    quiz = quiz_with_questions()
    many_trainees(quiz, 3)
    html = trainer_client.get(reverse("quizzes:quiz_results", args=[quiz.slug])).content.decode()
    assert "Nom002" in html
    assert 'class="pagination' not in html


def test_the_page_runs_as_many_queries_for_60_trainees_as_for_3(
    trainer_client, django_assert_num_queries
):
    quiz = quiz_with_questions(
        spec=(("single", (True, False)), ("multiple", (True, True, False))), pass_mark=70
    )
    q1, q2 = quiz.questions.order_by("order")
    url = reverse("quizzes:quiz_results", args=[quiz.slug])

    def add(start, count):
        for index in range(start, start + count):
            user = trainee(f"Nom{index:03d}")
            attempt(user, quiz, 50, index, answers=[(q1, "b", 0), (q2, "a", 1)])
            attempt(user, quiz, 100, index + 1, answers=[(q1, "a", 1), (q2, "ab", 2)])

    def counts(params=None):
        """Queries of a first visit after a change (all computed), then of a second (cached)."""
        with CaptureQueriesContext(connection) as cold:
            assert trainer_client.get(url, params).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            response = trainer_client.get(url, params)
        return len(cold.captured_queries), len(warm.captured_queries), response

    add(0, 3)
    trainer_client.get(url)  # warm the caches that only the first request fills
    results_changed()
    small_cold, small_warm, _response = counts()
    add(3, 57)  # the submissions retire the cached results
    large_cold, large_warm, response = counts()
    assert response.context["results"].trainee_count == 60
    assert (large_cold, large_warm) == (small_cold, small_warm)
    assert small_warm < small_cold
    # Another page of the table: its rows are computed once, the figures come from the cache.
    _cold, page_warm, response = counts({"page": 2})
    assert page_warm == small_warm
    assert [row.user.last_name for row in response.context["page"]][0] == "Nom050"
