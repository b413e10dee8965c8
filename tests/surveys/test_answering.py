"""Answering: a personal link on a phone without a password, once, until it expires; the
dashboard's questionnaires; anonymity in the database; never a condition for documents."""

import datetime
import html

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, attested_session
from tests.surveys.helpers import full_answers, questionnaire
from training.surveys import links, services
from training.surveys.forms import field_name
from training.surveys.models import SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db


def invite(person, session, kind="chaud", sent_days_ago=1):
    sent = timezone.now() - datetime.timedelta(days=sent_days_ago)
    return SurveyInvitation.objects.create(
        questionnaire=questionnaire(kind),
        session=session,
        recipient=person,
        due_at=sent,
        sent_at=sent,
        expires_at=sent + datetime.timedelta(days=45),
    )


def form_data(invitation, value=4, **by_key):
    return {
        field_name(q): str(v)
        for q in invitation.questionnaire.questions.filter(is_active=True)
        for v in [full_answers(invitation.questionnaire, value, **by_key).get(q.pk)]
        if v is not None
    }


@pytest.fixture
def hot_invitation():
    session, _trainer, (person, _other) = attested_session(trainees=2)
    return invite(person, session)


def test_the_personal_link_works_without_an_account_once(hot_invitation):
    client = Client()  # nobody logged in, as on a phone opening the email
    url = links.link_path(hot_invitation)
    page = client.get(url)
    assert page.status_code == 200
    assert "Votre avis sur la formation" in page.content.decode()
    assert "Module 1 : L'évolution réglementaire" in html.unescape(page.content.decode())
    assert page["Cache-Control"].startswith("max-age=0")
    data = form_data(hot_invitation, points_forts="Les cas pratiques.")
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    done = client.get(url).content.decode()
    assert "Merci : vos réponses ont été enregistrées." in done
    assert "Déjà répondu" in done
    hot_invitation.refresh_from_db()
    assert hot_invitation.answered
    [stored] = SurveyResponse.objects.filter(session=hot_invitation.session)
    assert stored.answers.count() == len(data)

    again = client.post(url, form_data(hot_invitation, value=1))
    assert again.status_code == 200
    assert "Déjà répondu" in again.content.decode()
    assert SurveyResponse.objects.filter(session=hot_invitation.session).count() == 1
    assert not stored.answers.filter(value=1, question__type="likert").exists()


def test_an_anonymous_response_keeps_no_trace_of_who_answered_or_when(hot_invitation):
    services.response_submit(
        invitation=hot_invitation, answers=full_answers(hot_invitation.questionnaire)
    )
    [stored] = SurveyResponse.objects.all()
    assert stored.anonymous
    assert (stored.respondent, stored.invitation, stored.submitted_at) == (None, None, None)
    # Random keys: the order of the rows tells nothing about the order of the answers.
    assert isinstance(stored.pk, type(stored.answers.first().pk))
    assert len(str(stored.pk)) == 36
    # And the database itself refuses to link an anonymous response to a person.
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            questionnaire=stored.questionnaire,
            session=stored.session,
            anonymous=True,
            respondent=hot_invitation.recipient,
        )


def test_a_trainers_answers_are_named():
    session, trainer, _people = attested_session(trainees=1)
    invitation = invite(trainer, session, kind="formateur")
    services.response_submit(invitation=invitation, answers=full_answers(invitation.questionnaire))
    stored = SurveyResponse.objects.get(questionnaire__kind="formateur")
    assert (stored.respondent, stored.invitation) == (trainer, invitation)
    assert stored.submitted_at is not None


def test_a_missing_or_forged_answer_gets_a_french_error_and_nothing_is_saved(hot_invitation):
    client = Client()
    url = links.link_path(hot_invitation)
    data = form_data(hot_invitation)
    satisfaction = hot_invitation.questionnaire.questions.get(key="satisfaction-globale")
    del data[field_name(satisfaction)]
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Choisissez une réponse." in page.content.decode()
    assert 'aria-invalid="true"' in page.content.decode()
    data[field_name(satisfaction)] = "9"  # not on a 1–5 scale
    page = client.post(url, data)
    assert "Choisissez l'une des réponses proposées." in html.unescape(page.content.decode())
    data[field_name(satisfaction)] = "4" * 40  # absurd number
    assert client.post(url, data).status_code == 200
    assert SurveyResponse.objects.count() == 0
    hot_invitation.refresh_from_db()
    assert not hot_invitation.answered


@pytest.mark.parametrize(
    "alter",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "pas-un-jeton",
        lambda token: links.signing.Signer(salt=links.SALT).sign_object([2**70, "x"]),
    ],
)
def test_an_altered_or_forged_link_is_refused_clearly(hot_invitation, alter):
    token = links.link_token(hot_invitation)
    page = Client().get(reverse("training:survey_answer", args=[alter(token)]))
    assert page.status_code == 404
    assert "Lien non reconnu" in page.content.decode()


def test_a_revoked_link_stops_working(hot_invitation):
    url = links.link_path(hot_invitation)
    hot_invitation.link_secret = "nouveau-secret"
    hot_invitation.save()
    assert Client().get(url).status_code == 404
    assert Client().get(links.link_path(hot_invitation)).status_code == 200


def test_an_expired_link_says_so_and_takes_no_answer(hot_invitation):
    SurveyInvitation.objects.filter(pk=hot_invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = Client()
    url = links.link_path(hot_invitation)
    page = client.get(url)
    assert page.status_code == 410
    assert "Ce lien a expiré" in page.content.decode()
    assert client.post(url, form_data(hot_invitation)).status_code == 410
    assert SurveyResponse.objects.count() == 0


def test_the_dashboard_shows_the_questionnaire_to_answer_until_it_is_answered(hot_invitation):
    person = hot_invitation.recipient
    client = Client()
    client.force_login(person)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert "Un questionnaire à remplir" in page
    mine = reverse("training:survey_answer_mine", args=[hot_invitation.pk])
    assert mine in page
    assert client.post(mine, form_data(hot_invitation)).status_code == 302
    assert (
        "Un questionnaire à remplir"
        not in client.get(reverse("training:dashboard")).content.decode()
    )


def test_another_persons_invitation_is_a_404(hot_invitation):
    client = Client()
    client.force_login(UserFactory(role="Stagiaire"))
    url = reverse("training:survey_answer_mine", args=[hot_invitation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(hot_invitation)).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_the_hot_questionnaire_opens_from_the_dashboard_from_the_last_half_day(time_machine):
    from tests.surveys.helpers import at, session_on

    time_machine.move_to(at("2026-03-10", 13, 29), tick=False)
    session, _trainer, (person,) = session_on(trainees=1)
    client = Client()
    client.force_login(person)
    open_url = reverse("training:survey_open", args=[session.pk, "chaud"])
    assert client.post(open_url).status_code == 404  # the last half-day has not started
    assert (
        "Un questionnaire à remplir"
        not in client.get(reverse("training:dashboard")).content.decode()
    )
    time_machine.move_to(at("2026-03-10", 13, 30), tick=False)
    assert (
        "Un questionnaire à remplir" in client.get(reverse("training:dashboard")).content.decode()
    )
    response = client.post(open_url)
    invitation = SurveyInvitation.objects.get(recipient=person)
    assert response.url == reverse("training:survey_answer_mine", args=[invitation.pk])
    assert invitation.sent_at is None  # the email still goes at 17:00 unless answered
    assert client.post(open_url).url == response.url  # the same invitation again


def test_answering_is_never_a_condition_for_the_certificate_or_the_attestation():
    session, _trainer, (person,) = attested_session(trainees=1)
    invite(person, session)  # invited, never answered
    client = Client()
    client.force_login(person)
    for kind in ("certificat-realisation", "attestation-fin-formation"):
        response = client.get(reverse("training:my_document", args=[session.pk, kind]))
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf"
    assert SurveyResponse.objects.count() == 0


def test_a_second_submission_at_once_is_refused_by_the_conditional_update(hot_invitation):
    answers = full_answers(hot_invitation.questionnaire)
    stale = SurveyInvitation.objects.get(pk=hot_invitation.pk)  # read before the first answer
    services.response_submit(invitation=hot_invitation, answers=answers)
    assert not stale.answered
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(invitation=stale, answers=answers)
    assert SurveyResponse.objects.count() == 1
