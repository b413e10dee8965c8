"""The attendance sheet PDF read back with pdftotext: trainees, times, trainer, fingerprint."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.factories import attendance_session, signature_png
from training.attendance import codes
from training.attendance import selectors as attendance
from training.attendance import services as services
from training.attendance.models import SlotAttendance
from training.documents import attendance_sheet

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return result.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


@needs_pdftotext
def test_the_signed_sheet_lists_every_trainee_the_times_and_the_trainer(tmp_path):
    session, slot, trainer, people = attendance_session(trainees=6, open_slot=True)
    state = SlotAttendance.objects.get(slot=slot)
    code = codes.code_current(secret=state.secret)
    records = {}
    for person in people[:4]:
        records[person.pk] = services.signature_record(
            slot=slot, trainee=person, code=code, image_data=signature_png()
        )
    services.signature_record(
        slot=slot,
        trainee=people[4],
        code=code,
        typed_name=people[4].get_full_name(),
        certified=True,
    )
    services.signature_correct(
        signature=records[people[1].pk], author=trainer, new_status="retard", reason="9 h 45"
    )
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())

    pdf = attendance_sheet.render(session=session)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf, tmp_path)
    flat = _flat(text)
    for person in people:
        assert person.last_name.upper() in flat, person.last_name
    for day_slot in session.slots.all():
        assert f"{day_slot.start_time:%H:%M} – {day_slot.end_time:%H:%M}" in flat
    assert trainer.get_full_name() in flat
    assert "Nom et signature du formateur" in flat
    for record in records.values():
        from django.utils import timezone

        assert f"signé à {timezone.localtime(record.signed_at):%H:%M:%S}" in flat
    assert "ABSENT" in flat  # people[5] did not sign before the close
    assert "Corrigé le" in flat and "En retard" in flat
    assert people[4].get_full_name() in flat  # typed name
    fingerprint = attendance.evidence_fingerprint(session=session)
    assert fingerprint in flat.replace(" ", "") or fingerprint in text.replace("\n", "")
    assert "Feuille d'émargement" in flat
    assert session.code in flat
    # The note on how the sheet was made must not claim that every box was signed on a phone.
    assert "Sauf mention contraire dans la case" in flat


@needs_pdftotext
def test_the_blank_sheet_is_prefilled_with_trainees_and_times(tmp_path):
    session, slot, trainer, people = attendance_session(trainees=3)
    flat = _flat(_text(attendance_sheet.blank_render(session=session), tmp_path))
    assert "Feuille d'émargement (papier)" in flat
    for person in people:
        assert person.last_name.upper() in flat
    assert f"{slot.start_time:%H:%M} – {slot.end_time:%H:%M}" in flat
    assert trainer.get_full_name() in flat
    assert "empreinte SHA-256" not in flat


def test_the_sheets_are_downloaded_by_the_session_trainers(client, tmp_path):
    session, slot, trainer, (trainee,) = attendance_session(trainees=1)
    signed = reverse("training:session_document", args=[session.pk, "feuille-emargement"])
    blank = reverse("training:attendance_blank_pdf", args=[session.pk])
    for url in (signed, blank):
        client.force_login(trainee)
        assert client.get(url).status_code == 403
        client.force_login(trainer)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response).startswith(b"%PDF")
