"""Results: response rate, distributions, recommendation score, comments; what trainers may
see (aggregates only, from 5 answers a session, published comments); exports."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from tests.surveys.helpers import full_answers, questionnaire
from training.surveys import selectors, services
from training.surveys.models import SurveyAnswer, SurveyInvitation

pytestmark = pytest.mark.django_db


def answered_session(trainer, satisfaction, recommendation, *, days_ago=20, comments=(), extra=0):
    """A finished session of ``trainer`` where one trainee per value answered « à chaud »
    (overall satisfaction and recommendation as given), plus ``extra`` who did not."""
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    session = SessionFactory(dates=[start, start + datetime.timedelta(days=1)], trainers=[trainer])
    hot = questionnaire("chaud")
    now = timezone.now()
    for index, (value, score) in enumerate(zip(satisfaction, recommendation, strict=True)):
        person = UserFactory(role="Stagiaire")
        EnrolmentFactory(session=session, trainee=person)
        invitation = SurveyInvitation.objects.create(
            questionnaire=hot,
            session=session,
            recipient=person,
            due_at=now,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=10),
        )
        by_key = {"satisfaction-globale": value, "recommandation": score}
        if index < len(comments):
            by_key["points-forts"] = comments[index]
        services.response_submit(invitation=invitation, answers=full_answers(hot, **by_key))
    for _ in range(extra):
        person = UserFactory(role="Stagiaire")
        EnrolmentFactory(session=session, trainee=person)
        SurveyInvitation.objects.create(
            questionnaire=hot,
            session=session,
            recipient=person,
            due_at=now,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=10),
        )
    return session


@pytest.fixture
def two_sessions():
    trainer = UserFactory(role="Formateur")
    big = answered_session(
        trainer,
        [5, 5, 4, 4, 3, 1],
        [10, 10, 9, 8, 6, 6],
        comments=["Les cas pratiques.", "Trop court."],
        extra=2,
    )
    small = answered_session(trainer, [1, 1, 2], [0, 1, 2], days_ago=60)
    return trainer, big, small


def result_for(results, key):
    return next(item for item in results.questions if item.question.key == key)


def test_figures_over_known_answers(two_sessions, administrator):
    trainer, big, _small = two_sessions
    results = selectors.survey_results(
        questionnaire=questionnaire("chaud"),
        sessions=selectors.sessions_for_results(user=administrator, session=big),
        user=administrator,
    )
    assert (results.invited, results.responses, results.response_rate) == (8, 6, 75)
    overall = result_for(results, "satisfaction-globale")
    assert [(b.value, b.count, b.percent) for b in overall.buckets] == [
        (1, 1, 17),
        (2, 0, 0),
        (3, 1, 17),
        (4, 2, 33),
        (5, 2, 33),
    ]
    assert overall.mean == 3.7
    assert overall.top_two == 67
    recommendation = result_for(results, "recommandation")
    # Promoters (9–10): 3 of 6 = 50 %; detractors (0–6): 2 of 6 = 33 %; score 50 − 33.
    assert (recommendation.promoters, recommendation.passives, recommendation.detractors) == (
        50,
        17,
        33,
    )
    assert recommendation.nps == 17


def test_recommendation_score_bounds():
    assert selectors.recommendation_score({10: 4}) == (100, 4, 0, 0)
    assert selectors.recommendation_score({0: 1, 6: 3}) == (-100, 0, 0, 4)
    assert selectors.recommendation_score({}) == (None, 0, 0, 0)


def test_a_trainer_sees_only_sessions_with_five_answers_and_published_comments(two_sessions):
    trainer, big, small = two_sessions
    hot = questionnaire("chaud")
    everything = selectors.survey_results(
        questionnaire=hot,
        sessions=selectors.sessions_for_results(user=trainer),
        user=trainer,
    )
    assert everything.responses == 6  # the session with 3 answers is left out
    assert everything.excluded_sessions == 1
    assert everything.session_count == 1
    assert result_for(everything, "satisfaction-globale").buckets[0].count == 1
    assert result_for(everything, "points-forts").comments == []  # nothing published yet

    comment = SurveyAnswer.objects.get(text="Les cas pratiques.")
    services.comment_moderate(answer=comment, publish=True, by=None)
    again = selectors.survey_results(
        questionnaire=hot, sessions=selectors.sessions_for_results(user=trainer), user=trainer
    )
    assert [c.text for c in result_for(again, "points-forts").comments] == ["Les cas pratiques."]

    alone = selectors.survey_results(
        questionnaire=hot,
        sessions=selectors.sessions_for_results(user=trainer, session=small),
        user=trainer,
    )
    assert alone.hidden and alone.questions == []


def test_the_small_sessions_page_shows_no_figure_to_its_trainer(two_sessions, administrator):
    trainer, _big, small = two_sessions
    client = Client()
    client.force_login(trainer)
    page = client.get(reverse("training:session_surveys", args=[small.pk])).content.decode()
    assert "Les résultats s'affichent à partir de 5 réponses" in page
    assert "Moyenne (de 1 à 5)" not in page
    client.force_login(administrator)
    page = client.get(reverse("training:session_surveys", args=[small.pk])).content.decode()
    assert "Moins de 5 réponses : les formateurs ne voient pas ces résultats." in page
    assert "Moyenne (de 1 à 5)" in page


def test_another_trainer_sees_nothing_of_these_sessions(two_sessions):
    stranger = UserFactory(role="Formateur")
    results = selectors.survey_results(
        questionnaire=questionnaire("chaud"),
        sessions=selectors.sessions_for_results(user=stranger),
        user=stranger,
    )
    assert results.responses == 0 and results.hidden
    client = Client()
    client.force_login(stranger)
    assert (
        client.get(reverse("training:session_surveys", args=[two_sessions[1].pk])).status_code
        == 404
    )


def test_results_per_trainer_and_per_period(two_sessions, administrator):
    trainer, _big, _small = two_sessions
    other = answered_session(UserFactory(role="Formateur"), [5] * 5, [10] * 5)
    hot = questionnaire("chaud")

    def count(**scope):
        sessions = selectors.sessions_for_results(user=administrator, **scope)
        return selectors.survey_results(
            questionnaire=hot, sessions=sessions, user=administrator
        ).responses

    assert count() == 14
    assert count(trainer=trainer) == 9
    today = timezone.localdate()
    assert (
        count(since=today - datetime.timedelta(days=30)) == 11
    )  # the 3-answer one ended 59 days ago
    assert count(until=today - datetime.timedelta(days=30)) == 3
    assert other.trainers.count() == 1


def test_the_results_page_and_its_exports(two_sessions, administrator):
    client = Client()
    client.force_login(administrator)
    page = client.get(reverse("training:survey_results"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and "<table" in content
    assert "Score de recommandation" in content

    hot = questionnaire("chaud")
    query = f"?questionnaire={hot.pk}"
    export = client.get(reverse("training:survey_results_export", args=["csv"]) + query)
    assert export["Content-Type"].startswith("text/csv")
    assert export["Cache-Control"] == "private, no-store"
    text = b"".join(export.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Partie", "Question", "Réponse"]
    overall = [
        r for r in rows if r[1] == "Dans l'ensemble, êtes-vous satisfait(e) de cette formation ?"
    ]
    assert [r[3] for r in overall] == ["3", "1", "1", "2", "2"]  # 1 to 5 over the 9 answers

    from openpyxl import load_workbook

    xlsx = client.get(reverse("training:survey_results_export", args=["xlsx"]) + query)
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert workbook.sheetnames == ["Résumé", "Détail"]
    summary = {row[0]: row[1] for row in workbook["Résumé"].iter_rows(values_only=True)}
    assert summary["Réponses"] == 9
    assert summary["Taux de réponse (%)"] == 82  # 9 of 11 invited


def test_a_trainers_export_leaves_out_the_small_session(two_sessions):
    trainer, _big, _small = two_sessions
    client = Client()
    client.force_login(trainer)
    query = f"?questionnaire={questionnaire('chaud').pk}"
    text = b"".join(
        client.get(
            reverse("training:survey_results_export", args=["csv"]) + query
        ).streaming_content
    ).decode()
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    overall = [r for r in rows if r[1].startswith("Dans l'ensemble")]
    assert sum(int(r[3]) for r in overall) == 6


def test_trainers_do_not_read_the_trainers_questionnaire(two_sessions):
    trainer = two_sessions[0]
    client = Client()
    client.force_login(trainer)
    own = questionnaire("formateur")
    page = client.get(reverse("training:survey_results") + f"?questionnaire={own.pk}")
    assert page.status_code == 200
    assert "Sélectionnez un choix valide" in page.content.decode()


def test_comment_moderation_publishes_hides_and_is_audited(two_sessions, administrator):
    from training.privacy.models import AuditEvent

    comment = SurveyAnswer.objects.get(text="Trop court.")
    assert comment.comment_status == "a_relire"
    client = Client()
    client.force_login(administrator)
    listing = client.get(reverse("training:survey_comments") + "?statut=a_relire").content.decode()
    assert "Trop court." in listing
    url = reverse("training:survey_comment_moderate", args=[comment.pk])
    assert client.post(url, {"decision": "publier"}).status_code == 302
    comment.refresh_from_db()
    assert comment.comment_status == "publie"
    client.post(url, {"decision": "masquer"})
    comment.refresh_from_db()
    assert comment.comment_status == "masque"
    client.post(url, {"decision": "supprimer"})  # not a decision: nothing changes
    comment.refresh_from_db()
    assert comment.comment_status == "masque"
    events = AuditEvent.objects.filter(action="survey.comment")
    assert events.count() == 2
    assert all(administrator.get_full_name() not in e.summary for e in events)


def _queries(administrator) -> int:
    hot = questionnaire("chaud")
    with CaptureQueriesContext(connection) as queries:
        selectors.survey_results(
            questionnaire=hot,
            sessions=selectors.sessions_for_results(user=administrator),
            user=administrator,
        )
    return len(queries)


def test_results_cost_the_same_number_of_queries_whatever_the_data(administrator):
    trainer = UserFactory(role="Formateur")
    answered_session(trainer, [4] * 5, [9] * 5, comments=["Un.", "Deux."])
    _queries(administrator)  # the first one also loads the administrator's permissions
    small = _queries(administrator)
    for week in range(1, 4):
        answered_session(trainer, [5] * 6, [10] * 6, days_ago=20 + 7 * week, comments=["Trois."])
    assert _queries(administrator) == small
