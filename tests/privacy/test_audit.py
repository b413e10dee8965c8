"""The audit trail: recorded for the sensitive actions, append-only, filterable, exportable."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import (
    SessionFactory,
    UserFactory,
    attendance_session,
    signature_png,
)
from training.attendance import services as services_attendance
from training.documents.models import GeneratedDocument
from training.privacy.audit import acting_as, audit_record
from training.privacy.models import AuditAppendOnlyError, AuditEvent
from training.sessions import services

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def test_enrolment_and_removal_are_recorded_with_the_acting_user(trainer, administrator):
    session = SessionFactory(trainers=[trainer])
    with acting_as(trainer):
        enrolment = services.enrolment_create(
            session=session,
            email="nouvelle@exemple.fr",
            first_name="Léa",
            last_name="Roux",
            send_convocation=False,
        )
        services.enrolment_remove(enrolment=enrolment)
    created = AuditEvent.objects.get(action=Action.ENROLMENT_CREATE)
    removed = AuditEvent.objects.get(action=Action.ENROLMENT_REMOVE)
    assert created.actor == trainer and removed.actor == trainer
    assert created.object_id == str(enrolment.pk)
    assert created.data["session"] == session.code
    assert "Roux" not in created.summary  # pseudonymous summaries: ids, not names


def test_corrections_and_attestations_are_recorded(trainer):
    session, slot, trainer, (first, _second) = attendance_session(
        trainees=2, trainer=trainer, open_slot=True
    )
    record = services_attendance.status_mark(
        slot=slot, trainee=first, status="retard", reason="Train", author=trainer
    )
    services_attendance.signature_correct(
        signature=record, author=trainer, new_status="present", reason="Erreur"
    )
    services_attendance.slot_close_and_attest(
        slot=slot, trainer=trainer, image_data=signature_png()
    )
    correction = AuditEvent.objects.get(action=Action.ATTENDANCE_CORRECT)
    assert correction.actor == trainer and correction.data["new_status"] == "present"
    attest = AuditEvent.objects.get(action=Action.SLOT_ATTEST)
    assert attest.actor == trainer and attest.object_id == str(slot.pk)


def test_document_generation_and_role_changes_are_recorded(administrator, trainee):
    session = SessionFactory()
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with acting_as(administrator):
        GeneratedDocument.objects.create(
            session=session, kind="attendance", input_hash="b" * 64, file="documents/x.pdf"
        )
        trainee.groups.add(Group.objects.get(name="Formateur"))
        trainee.groups.remove(Group.objects.get(name="Stagiaire"))
    document = AuditEvent.objects.get(action=Action.DOCUMENT_GENERATE)
    assert document.actor == administrator
    roles = list(
        AuditEvent.objects.filter(
            pk__gt=before, action=Action.ROLE_CHANGE, object_id=str(trainee.pk)
        )
    )
    assert {e.data["change"] for e in roles} == {"add", "remove"}
    assert all(e.actor == administrator for e in roles)


def test_audit_events_are_append_only(administrator):
    event = audit_record(actor=administrator, action=Action.ROLE_CHANGE, summary="x")
    event.summary = "changed"
    with pytest.raises(AuditAppendOnlyError):
        event.save()
    with pytest.raises(AuditAppendOnlyError):
        event.delete()
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.has_add_permission(request)


def test_the_audit_page_is_for_administrators_only(client, trainee, trainer, administrator):
    for user in (trainee, trainer):
        client.force_login(user)
        assert client.get(reverse("training:audit_list")).status_code == 403
        assert client.get(reverse("training:audit_csv")).status_code == 403
    client.force_login(administrator)
    assert client.get(reverse("training:audit_list")).status_code == 200


def test_the_audit_page_filters_by_action_actor_and_dates(client, administrator, trainer):
    audit_record(actor=trainer, action=Action.ROLE_CHANGE, summary="role-event")
    audit_record(actor=administrator, action=Action.ACCOUNT_ANONYMISE, summary="anon-event")
    client.force_login(administrator)
    url = reverse("training:audit_list")
    page = client.get(url, {"action": "role.change"}).content.decode()
    assert "role-event" in page and "anon-event" not in page
    page = client.get(url, {"actor": administrator.pk}).content.decode()
    assert "anon-event" in page and "role-event" not in page
    page = client.get(url, {"since": "2000-01-01", "until": "2000-01-02"}).content.decode()
    assert "anon-event" not in page
    # Tampered filters: a form error, never a 500.
    assert client.get(url, {"actor": "abc", "since": "not-a-date"}).status_code == 200
    bad = client.get(url, {"since": "2030-01-02", "until": "2030-01-01"})
    assert bad.status_code == 200


def test_the_audit_page_pages_by_50_and_keeps_its_filters(client, administrator):
    for number in range(51):
        audit_record(actor=administrator, action=Action.ROLE_CHANGE, summary=f"event-{number}")
    client.force_login(administrator)
    url = reverse("training:audit_list")
    page = client.get(url, {"action": "role.change"}).content.decode()
    assert "Page 1 sur 2" in page and page.count('class="list-group-item"') == 50
    assert "?action=role.change&amp;page=2" in page
    second = client.get(url, {"action": "role.change", "page": "2"}).content.decode()
    assert "Page 2 sur 2" in second and "event-0" in second  # the oldest, last
    assert client.get(url, {"page": "nimporte"}).status_code == 200


def test_the_csv_export_has_a_bom_semicolons_and_escaped_formulas(client, administrator):
    audit_record(actor=administrator, action=Action.ROLE_CHANGE, summary='=HYPERLINK("x")')
    audit_record(actor=administrator, action=Action.ACCOUNT_ANONYMISE, summary="autre")
    client.force_login(administrator)
    response = client.get(reverse("training:audit_csv"), {"action": "role.change"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("date;actor_id;actor;action")
    formula = [line for line in lines if "HYPERLINK" in line]
    assert len(formula) == 1
    assert "'=HYPERLINK" in formula[0]
    assert ";=HYPERLINK" not in formula[0] and ';"=HYPERLINK' not in formula[0]
    assert "autre" not in body


def test_enrolment_from_the_view_records_the_trainer(client, trainer):
    session = SessionFactory(trainers=[trainer])
    person = UserFactory(role="Stagiaire")
    client.force_login(trainer)
    client.post(
        reverse("training:enrolment_create", args=[session.pk]),
        {"email": person.email, "send_convocation": ""},
    )
    assert session.enrolments.filter(trainee=person).exists()
    assert AuditEvent.objects.get(action=Action.ENROLMENT_CREATE).actor == trainer


def test_summaries_are_stored_in_french_even_when_the_actor_browses_in_english(
    trainer, administrator
):
    from django.utils import translation

    from training.privacy.services import erasure_request, user_anonymise

    session = SessionFactory(trainers=[trainer])
    with translation.override("en"), acting_as(trainer):
        enrolment = services.enrolment_create(
            session=session,
            email="nouvelle@exemple.fr",
            first_name="Léa",
            last_name="Roux",
            send_convocation=False,
        )
        person = enrolment.trainee
        erasure_request(user=person)
        user_anonymise(user=person, by=administrator)
    summaries = {
        event.action: event.summary for event in AuditEvent.objects.filter(object_id__gt="")
    }
    assert summaries[Action.ENROLMENT_CREATE] == (
        f"Utilisateur n° {person.pk} inscrit à la session {session.code}"
    )
    assert summaries[Action.ERASURE_REQUEST] == (
        f"L'utilisateur n° {person.pk} a demandé l'effacement de son compte"
    )
    assert summaries[Action.ACCOUNT_ANONYMISE] == f"Compte n° {person.pk} anonymisé"
