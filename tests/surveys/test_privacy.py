"""Appreciations in the privacy machinery: « Mes données » (anonymous answers never linked
to the person), erasure (answers kept, anonymised), retention."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.factories import attested_session
from tests.surveys.helpers import full_answers, questionnaire
from training.privacy.export import user_export
from training.privacy.retention import purge_expired, purge_plan
from training.privacy.services import user_anonymise
from training.quality import services as quality_services
from training.quality.models import Complaint, ComplaintThrottle
from training.sessions.models import TrainingSession
from training.surveys import services
from training.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Un commentaire très personnel."


def answer(person, session, kind, **by_key):
    now = timezone.now()
    invitation = SurveyInvitation.objects.create(
        questionnaire=questionnaire(kind),
        session=session,
        recipient=person,
        due_at=now,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=3),
    )
    services.response_submit(
        invitation=invitation, answers=full_answers(invitation.questionnaire, **by_key)
    )
    return invitation


def test_my_data_shows_that_i_was_invited_but_never_what_i_answered_anonymously():
    session, trainer, (person,) = attested_session(trainees=1)
    answer(person, session, "chaud", ameliorations=SECRET_COMMENT)
    export = user_export(user=person)
    sections = {s["key"]: s for s in export["sections"]}
    [invitation] = sections["training.surveyinvitation.recipient"]["rows"]
    assert invitation["answered"] is True
    assert invitation["link_secret"] == "[redacted]"
    assert sections["training.surveyresponse.respondent"]["rows"] == []
    assert SECRET_COMMENT not in json.dumps(export, default=str, ensure_ascii=False)
    assert SurveyAnswer.objects.filter(text=SECRET_COMMENT).exists()


def test_my_data_holds_a_trainers_named_answers_and_complaints():
    session, trainer, _people = attested_session(trainees=1)
    answer(trainer, session, "formateur", **{"a-changer": "Plus de pauses."})
    quality_services.complaint_submit(
        name="",
        email="",
        subject="Projecteur en panne",
        message="Deux heures sans projection.",
        user=trainer,
        client_address="192.0.2.9",
    )
    export = user_export(user=trainer)
    sections = {s["key"]: s for s in export["sections"]}
    [response] = sections["training.surveyresponse.respondent"]["rows"]
    texts = [a["text"] for a in response["_children"]["training.surveyanswer"]]
    assert "Plus de pauses." in texts
    [complaint] = sections["training.complaint.submitted_by"]["rows"]
    assert complaint["subject"] == "Projecteur en panne"


def test_erasure_keeps_the_answers_but_not_who_gave_them():
    session, trainer, _people = attested_session(trainees=1)
    answer(trainer, session, "formateur", **{"a-changer": "Plus de pauses."})
    complaint = quality_services.complaint_submit(
        name="",
        email="",
        subject="Projecteur",
        message="En panne.",
        user=trainer,
        client_address="192.0.2.9",
    )
    user_anonymise(user=trainer, by=None)
    response = SurveyResponse.objects.get(questionnaire__kind="formateur")
    assert response.respondent is None and response.invitation is None
    assert response.answers.filter(text="Plus de pauses.").exists()
    complaint.refresh_from_db()
    assert complaint.name == f"Personne anonymisée n° {trainer.pk}"
    assert complaint.email == f"anonyme-{trainer.pk}@invalid"
    assert complaint.subject == "Projecteur"  # the handling stays, for the quality record


def test_retention_purges_old_surveys_complaints_and_rate_records(settings):
    settings.RETENTION_SURVEY_YEARS = 3
    settings.RETENTION_COMPLAINT_YEARS = 5
    old, _t, (old_person,) = attested_session(trainees=1, days_ago=4 * 365)
    recent, _t2, (recent_person,) = attested_session(trainees=1, days_ago=30)
    answer(old_person, old, "chaud")
    answer(recent_person, recent, "chaud")
    now = timezone.now()
    ancient = quality_services.complaint_submit(
        name="A",
        email="a@exemple.fr",
        subject="Ancienne",
        message="M",
        client_address="192.0.2.1",
        now=now - datetime.timedelta(days=6 * 365),
    )
    Complaint.objects.filter(pk=ancient.pk).update(
        status="close", closed_at=now - datetime.timedelta(days=6 * 365)
    )
    kept = quality_services.complaint_submit(
        name="B", email="b@exemple.fr", subject="Récente", message="M", client_address="192.0.2.2"
    )
    counts = {k: q.count() for k, q in purge_plan().items()}
    assert counts["survey_responses"] == 1 and counts["survey_invitations"] == 1
    assert counts["complaints"] == 1
    assert counts["complaint_rate_records"] == 1  # the ancient one's
    purge_expired()
    assert list(SurveyResponse.objects.values_list("session", flat=True)) == [recent.pk]
    assert list(SurveyInvitation.objects.values_list("session", flat=True)) == [recent.pk]
    assert list(Complaint.objects.all()) == [kept]
    assert ComplaintThrottle.objects.count() == 1
    assert TrainingSession.objects.filter(pk=old.pk).exists()
