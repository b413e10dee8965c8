"""Tamper evidence: chained signatures, sealed at closing, verified by verify_evidence."""

import pytest
from django.core.management import call_command

from tests.factories import attendance_session, attested_session, signature_png
from training.attendance import selectors as attendance
from training.attendance import services as services_attendance
from training.attendance.models import AttendanceSignature
from training.documents import attendance_sheet
from training.privacy.evidence import evidence_verify, session_fingerprint, slot_chain
from training.privacy.models import SlotEvidenceSeal

pytestmark = pytest.mark.django_db


def _closed_slot():
    session, slot, trainer, (first, second) = attendance_session(trainees=2, open_slot=True)
    services_attendance.status_mark(
        slot=slot, trainee=first, status="retard", reason="Bus", author=trainer
    )
    services_attendance.slot_close_and_attest(
        slot=slot, trainer=trainer, image_data=signature_png()
    )
    return session, slot, trainer, first, second


def test_closing_a_half_day_seals_its_chain():
    session, slot, _trainer, _first, _second = _closed_slot()
    seal = SlotEvidenceSeal.objects.get(slot=slot)
    head, links = slot_chain(slot=slot)
    assert seal.chain_head == head
    assert links == 3  # two records (one late, one absent at closing) + the attestation
    assert evidence_verify(session=session) == (1, [])


def test_each_link_depends_on_the_previous_one():
    _session, slot, *_ = _closed_slot()
    head = slot_chain(slot=slot)[0]
    first = AttendanceSignature.objects.filter(slot=slot).order_by("signed_at", "pk").first()
    AttendanceSignature.objects.filter(pk=first.pk).update(user_agent="changed")
    assert slot_chain(slot=slot)[0] != head


def test_a_correction_moves_the_seal_forward_and_verification_still_passes():
    session, slot, trainer, first, _second = _closed_slot()
    before = SlotEvidenceSeal.objects.get(slot=slot).chain_head
    record = AttendanceSignature.objects.get(slot=slot, trainee=first)
    services_attendance.signature_correct(
        signature=record, author=trainer, new_status="present", reason="Erreur de saisie"
    )
    seal = SlotEvidenceSeal.objects.get(slot=slot)
    assert seal.chain_head != before and seal.links == 4
    assert evidence_verify(session=session)[1] == []


def test_verify_evidence_reports_a_signature_altered_in_the_database(capsys):
    session, slot, _trainer, first, _second = _closed_slot()
    call_command("verify_evidence", "--session", session.code)
    assert "OK: 1 half-day(s) verified." in capsys.readouterr().out
    AttendanceSignature.objects.filter(slot=slot, trainee=first).update(status="present")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_evidence", "--session", session.code)
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "MISMATCH" in out and session.code in out


def test_verify_evidence_checks_every_session_and_reports_a_deleted_seal(capsys):
    session, trainer, _people = attested_session(trainees=2)
    call_command("verify_evidence")
    assert "OK: 4 half-day(s) verified." in capsys.readouterr().out
    SlotEvidenceSeal.objects.filter(slot__session=session).first().delete()
    with pytest.raises(SystemExit):
        call_command("verify_evidence")
    assert "UNSEALED" in capsys.readouterr().out


def test_verify_evidence_refuses_an_unknown_session():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_evidence", "--session", "NOPE")


def test_the_attendance_sheet_prints_the_chained_fingerprint():
    session, slot, *_ = _closed_slot()
    fingerprint = attendance.evidence_fingerprint(session=session)
    assert fingerprint == session_fingerprint(session=session)
    assert attendance_sheet.attendance_sheet_context(session=session)["fingerprint"] == fingerprint
    AttendanceSignature.objects.filter(slot=slot).update(ip_address="10.0.0.9")
    assert attendance.evidence_fingerprint(session=session) != fingerprint
