"""Erasure: the user asks, an administrator confirms, the account is anonymised, evidence stays."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from modules.models import LessonProgress
from tests.factories import attested_session
from training.attendance.models import AttendanceSignature
from training.models import CalendarToken, Enrolment
from training.privacy import services
from training.privacy.models import AuditEvent, ErasureRequest

pytestmark = pytest.mark.django_db


def test_a_second_request_returns_the_pending_one(trainee):
    first = services.erasure_request(user=trainee)
    assert services.erasure_request(user=trainee) == first
    assert ErasureRequest.objects.filter(user=trainee).count() == 1
    assert first.status == ErasureRequest.Status.PENDING


def test_anonymisation_replaces_the_identity_and_keeps_the_evidence(administrator):
    session, trainer, (person, _other) = attested_session(trainees=2)
    CalendarToken.objects.create(user=person)
    services.erasure_request(user=person)
    signatures = list(
        AttendanceSignature.objects.filter(trainee=person).values_list("pk", "evidence_sha256")
    )

    services.user_anonymise(user=person, by=administrator)

    person.refresh_from_db()
    assert person.get_full_name() == f"Personne anonymisée n° {person.pk}"
    assert person.email == f"anonyme-{person.pk}@invalid"
    assert person.profession == "" and person.organisation == ""
    assert not person.is_active
    assert not person.has_usable_password()
    assert not CalendarToken.objects.filter(user=person).exists()
    assert (
        list(
            AttendanceSignature.objects.filter(trainee=person).values_list("pk", "evidence_sha256")
        )
        == signatures
    )
    assert Enrolment.objects.filter(trainee=person, session=session).exists()
    assert ErasureRequest.objects.get(user=person).status == ErasureRequest.Status.DONE
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_ANONYMISE)
    assert event.actor == administrator and event.object_id == str(person.pk)


def test_anonymising_twice_is_harmless(trainee, administrator):
    services.user_anonymise(user=trainee, by=administrator)
    trainee.refresh_from_db()
    snapshot = (trainee.email, trainee.first_name, trainee.last_name, trainee.password)
    services.user_anonymise(user=trainee, by=administrator)
    trainee.refresh_from_db()
    assert (trainee.email, trainee.first_name, trainee.last_name, trainee.password) == snapshot
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_ANONYMISE).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.erasure_request(user=trainee)
    assert refused.value.code == "anonymised"


def test_anonymisation_deletes_reading_progress(trainee, administrator, course_loaded):
    from modules.models import Lesson

    LessonProgress.objects.create(user=trainee, lesson=Lesson.objects.first())
    services.user_anonymise(user=trainee, by=administrator)
    assert not LessonProgress.objects.filter(user=trainee).exists()


def test_the_trainee_asks_from_my_data(client, trainee):
    client.force_login(trainee)
    response = client.post(reverse("training:erasure_request_create"))
    assert response.status_code == 302
    assert ErasureRequest.objects.filter(user=trainee, status="en_attente").exists()
    assert client.get(reverse("training:erasure_request_create")).status_code == 405


def test_the_administrator_confirms_on_a_page(client, trainee, administrator):
    erasure = services.erasure_request(user=trainee)
    client.force_login(administrator)
    url = reverse("training:erasure_decide", args=[erasure.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "confirm"})
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.email == f"anonyme-{trainee.pk}@invalid"
    # Posting again on a decided request changes nothing and does not fail.
    assert client.post(url, {"decision": "confirm"}).status_code == 302


def test_rejecting_needs_a_note_and_a_bad_decision_is_refused(client, trainee, administrator):
    erasure = services.erasure_request(user=trainee)
    client.force_login(administrator)
    url = reverse("training:erasure_decide", args=[erasure.pk])
    page = client.post(url, {"decision": "reject", "note": ""})
    assert page.status_code == 200
    assert "reason" in page.content.decode() or "motif" in page.content.decode()
    assert client.post(url, {"decision": "drop-table"}).status_code == 200
    erasure.refresh_from_db()
    assert erasure.is_pending
    client.post(url, {"decision": "reject", "note": "Dossier en cours"})
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REJECTED
    trainee.refresh_from_db()
    assert trainee.is_active


def test_only_administrators_decide(client, trainee, trainer):
    erasure = services.erasure_request(user=trainee)
    for user in (trainee, trainer):
        client.force_login(user)
        assert client.get(reverse("training:erasure_list")).status_code == 403
        assert (
            client.post(
                reverse("training:erasure_decide", args=[erasure.pk]), {"decision": "confirm"}
            ).status_code
            == 403
        )
    trainee.refresh_from_db()
    assert trainee.is_active
