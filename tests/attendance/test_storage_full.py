"""Disk full: a drawn signature, a scanned sheet, the trainer's attestation and a PDF each end
in a French message that says what to do, with nothing recorded and no file left behind."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import attendance_session, attested_session, scan_pdf, signature_png
from training.attendance import codes
from training.attendance.models import AttendanceSignature, SlotAttendance
from training.documents.models import GeneratedDocument

pytestmark = pytest.mark.django_db


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _code(slot):
    return codes.code_current(secret=SlotAttendance.objects.get(slot=slot).secret)


def test_a_drawn_signature_on_a_full_disk_points_to_the_typed_name(client, full_disk):
    session, slot, trainer, (trainee, *_) = attendance_session(trainees=1, open_slot=True)
    client.force_login(trainee)
    url = reverse("training:attendance_sign", args=[slot.pk])
    response = client.post(url, {"code": _code(slot), "signature": _data_url(signature_png())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "plus de place pour enregistrer votre signature tracée" in page
    assert "Signez plutôt en saisissant votre nom" in page
    assert not AttendanceSignature.objects.exists()
    assert full_disk.files() == []
    # The typed-name signature needs no file: it still works on the full disk.
    typed = client.post(
        url,
        {"code": _code(slot), "typed_name": trainee.get_full_name(), "certified": "on"},
    )
    assert typed.status_code == 302
    assert AttendanceSignature.objects.get().method == AttendanceSignature.Method.TYPED
    assert full_disk.files() == []


def test_a_scanned_sheet_on_a_full_disk_is_refused_with_what_to_do(client, full_disk):
    session, slot, trainer, (trainee, *_) = attendance_session(trainees=1, open_slot=True)
    client.force_login(trainer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("feuille.pdf", scan_pdf(), content_type="application/pdf")
    response = client.post(
        reverse("training:attendance_paper", args=[session.pk, slot.pk]),
        {"trainee": trainee.pk, "scan": upload},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "plus de place pour enregistrer la feuille numérisée" in page
    assert "Gardez la feuille papier" in page
    assert not AttendanceSignature.objects.exists()
    assert full_disk.files() == []


def test_the_trainer_attestation_on_a_full_disk_keeps_the_half_day_open(client, full_disk):
    session, slot, trainer, people = attendance_session(trainees=2, open_slot=True)
    client.force_login(trainer)
    url = reverse("training:attendance_slot_close", args=[session.pk, slot.pk])
    response = client.post(url, {"signature": _data_url(signature_png())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Attestez plutôt en saisissant votre nom" in page
    state = SlotAttendance.objects.get(slot=slot)
    assert state.is_open and not state.attestation_image and not state.attested_by_id
    assert not AttendanceSignature.objects.exists()  # no absent recorded half-way
    assert full_disk.files() == []
    typed = client.post(url, {"typed_name": trainer.get_full_name(), "certified": "on"})
    assert typed.status_code == 302
    assert SlotAttendance.objects.get(slot=slot).is_closed


def test_a_pdf_on_a_full_disk_answers_503_in_french_and_leaves_nothing(full_disk):
    session, trainer, (trainee, _other) = attested_session(trainees=2)
    client = Client(raise_request_exception=False)
    client.force_login(trainer)
    response = client.get(
        reverse("training:session_trainee_document", args=[session.pk, "certificate", trainee.pk])
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    page = response.content.decode()
    assert "plus de place pour enregistrer des fichiers" in page
    assert "prévenez l'administrateur de la plateforme" in page
    assert not GeneratedDocument.objects.exists()
    assert full_disk.files() == []
