"""The stored files and their rows: a file without a row (a worker killed between writing the
signature image and committing its row) is found and removed, a row without its file or
with an altered file is reported."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from tests.factories import attendance_session, signature_png
from training.attendance import codes
from training.attendance import services as attendance_services
from training.attendance.models import AttendanceSignature, SlotAttendance
from training.privacy.retention import purge_expired

pytestmark = pytest.mark.django_db


def _signed():
    session, slot, trainer, (trainee, *_) = attendance_session(trainees=1, open_slot=True)
    code = codes.code_current(secret=SlotAttendance.objects.get(slot=slot).secret)
    record = attendance_services.signature_record(
        slot=slot, trainee=trainee, code=code, image_data=signature_png()
    )
    return session, slot, record


def _orphan(slot) -> str:
    """What the killed worker left: the image is on disk, its row was never committed."""
    from django.core.files.base import ContentFile

    return default_storage.save(
        f"attendance/{slot.session_id}/{slot.pk}/signature-99-deadbeef.png",
        ContentFile(signature_png()),
    )


def _later():
    """After the grace period during which a file without a row may still get its row."""
    return time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1))


def test_purge_expired_removes_a_signature_image_that_no_row_names():
    _session, slot, record = _signed()
    orphan = _orphan(slot)
    assert purge_expired()["orphan_files"] == 0  # too recent: its row may be on its way
    with _later():
        dry = purge_expired(dry_run=True)
        assert dry["orphan_files"] == 1
        assert default_storage.exists(orphan)
        counts = purge_expired()
    assert counts["orphan_files"] == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(record.evidence_file.name)  # the real evidence stays


def test_verify_evidence_reports_orphans_missing_and_altered_files(capsys):
    _session, slot, record = _signed()
    _session2, _slot2, other = _signed()
    orphan = _orphan(slot)
    default_storage.delete(record.evidence_file.name)
    with default_storage.open(other.evidence_file.name, "wb") as handle:
        handle.write(signature_png(width=300))
    with _later(), pytest.raises(SystemExit) as exit_code:
        call_command("verify_evidence")
    out = capsys.readouterr().out
    assert exit_code.value.code == 1
    assert f"MISSING FILE attendancesignature #{record.pk}" in out
    assert f"ALTERED FILE attendancesignature #{other.pk}" in out
    assert f"ORPHAN FILE {orphan}" in out


def test_verify_evidence_is_clean_when_every_file_matches_its_row(capsys):
    _signed()
    from training.privacy.files import stored_files_check

    with _later():
        report = stored_files_check()
        call_command("verify_evidence")
    assert report.ok
    assert "the stored files match their rows" in capsys.readouterr().out
    assert AttendanceSignature.objects.count() == 1


def test_a_cached_document_whose_file_is_gone_is_forgotten_by_the_purge():
    from django.core.files.base import ContentFile

    from tests.factories import attested_session
    from training.documents.models import GeneratedDocument

    session, _trainer, (person,) = attested_session(trainees=1)
    document = GeneratedDocument(
        session=session, kind="certificate", trainee=person, input_hash="b" * 64
    )
    document.file.save("certificat.pdf", ContentFile(b"%PDF-1.7"), save=True)
    default_storage.delete(document.file.name)
    assert purge_expired()["documents_without_file"] == 1
    assert not GeneratedDocument.objects.exists()
