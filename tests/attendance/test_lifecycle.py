"""Half-day life cycle, trainer's marks, paper signatures, corrections, hours, fingerprint."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image

from tests.factories import UserFactory, attendance_session, scan_pdf, signature_png
from training.attendance import codes
from training.attendance import selectors as attendance
from training.attendance import services as services
from training.attendance.models import (
    AppendOnlyError,
    AttendanceCorrection,
    AttendanceSignature,
    SlotAttendance,
)

pytestmark = pytest.mark.django_db
Status = AttendanceSignature.Status


def _sign(slot, trainee, **kwargs):
    state = SlotAttendance.objects.get(slot=slot)
    kwargs.setdefault("image_data", signature_png())
    return services.signature_record(
        slot=slot,
        trainee=trainee,
        code=codes.code_current(secret=state.secret, now=kwargs.get("now")),
        **kwargs,
    )


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 1100), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_half_day_goes_from_upcoming_to_open_to_closed_and_attested():
    session, slot, trainer, (present, absent) = attendance_session(trainees=2)
    assert attendance.slot_states(slots=[slot])[slot.pk].status == SlotAttendance.Status.UPCOMING
    services.slot_open(slot=slot, user=trainer)
    state = SlotAttendance.objects.get(slot=slot)
    assert state.status == SlotAttendance.Status.OPEN and state.opened_by == trainer
    _sign(slot, present)
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())
    state.refresh_from_db()
    assert state.status == SlotAttendance.Status.CLOSED
    assert state.attested_by == trainer and state.attested_at is not None
    assert state.attestation_method == AttendanceSignature.Method.DRAWN
    assert state.attestation_image.read().startswith(b"\x89PNG")
    records = {r.trainee: r for r in AttendanceSignature.objects.filter(slot=slot)}
    assert records[present].status == Status.PRESENT
    assert records[absent].status == Status.ABSENT
    assert records[absent].method == AttendanceSignature.Method.TRAINER


def test_a_half_day_opens_only_on_its_own_day():
    session, slot, trainer, people = attendance_session(days_ahead=3)
    with pytest.raises(ValidationError) as caught:
        services.slot_open(slot=slot, user=trainer)
    assert caught.value.code == "wrong_day"
    assert not SlotAttendance.objects.filter(status=SlotAttendance.Status.OPEN).exists()


def test_only_one_half_day_of_a_session_is_open_at_a_time():
    session, slot, trainer, people = attendance_session(open_slot=True)
    afternoon = session.slots.exclude(pk=slot.pk).get(date=slot.date)
    with pytest.raises(ValidationError) as caught:
        services.slot_open(slot=afternoon, user=trainer)
    assert caught.value.code == "other_open"


def test_another_trainer_cannot_open_or_attest_the_half_day():
    session, slot, trainer, people = attendance_session()
    stranger = UserFactory(role="Formateur")
    with pytest.raises(ValidationError):
        services.slot_open(slot=slot, user=stranger)
    services.slot_open(slot=slot, user=trainer)
    with pytest.raises(ValidationError) as caught:
        services.slot_close_and_attest(
            slot=slot, trainer=stranger, typed_name=stranger.get_full_name(), certified=True
        )
    assert caught.value.code == "forbidden"
    assert SlotAttendance.objects.get(slot=slot).is_open


def test_the_trainer_attests_with_a_typed_name_only_when_certified():
    session, slot, trainer, people = attendance_session(open_slot=True)
    with pytest.raises(ValidationError):
        services.slot_close_and_attest(
            slot=slot, trainer=trainer, typed_name=trainer.get_full_name()
        )
    assert SlotAttendance.objects.get(slot=slot).is_open
    services.slot_close_and_attest(
        slot=slot, trainer=trainer, typed_name=trainer.get_full_name(), certified=True
    )
    state = SlotAttendance.objects.get(slot=slot)
    assert state.attestation_name == trainer.get_full_name()
    assert state.attestation_method == AttendanceSignature.Method.TYPED


def test_the_trainer_marks_absent_late_or_excused_with_a_reason():
    session, slot, trainer, (absent, late, excused) = attendance_session(trainees=3, open_slot=True)
    for person, status in ((absent, Status.ABSENT), (late, Status.LATE), (excused, Status.EXCUSED)):
        services.status_mark(
            slot=slot, trainee=person, status=status, reason="Prévenu par courriel", author=trainer
        )
    got = dict(AttendanceSignature.objects.values_list("trainee", "status"))
    assert got == {absent.pk: Status.ABSENT, late.pk: Status.LATE, excused.pk: Status.EXCUSED}
    assert set(AttendanceSignature.objects.values_list("recorded_by", flat=True)) == {trainer.pk}


def test_a_mark_needs_a_reason_and_a_markable_status():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    with pytest.raises(ValidationError):
        services.status_mark(
            slot=slot, trainee=trainee, status=Status.ABSENT, reason=" ", author=trainer
        )
    with pytest.raises(ValidationError):
        services.status_mark(
            slot=slot, trainee=trainee, status=Status.PRESENT, reason="x", author=trainer
        )
    assert not AttendanceSignature.objects.exists()


def test_marking_a_trainee_who_signed_adds_a_correction_and_keeps_the_signature():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    signed = _sign(slot, trainee)
    services.status_mark(
        slot=slot, trainee=trainee, status=Status.LATE, reason="Arrivé à 9 h 40", author=trainer
    )
    original = AttendanceSignature.objects.get(pk=signed.pk)
    assert original.status == Status.PRESENT
    assert original.method == AttendanceSignature.Method.DRAWN
    assert original.evidence_sha256 == signed.evidence_sha256
    correction = AttendanceCorrection.objects.get()
    assert (correction.previous_status, correction.new_status) == (Status.PRESENT, Status.LATE)
    assert correction.author == trainer and correction.reason == "Arrivé à 9 h 40"
    current = AttendanceSignature.objects.with_effective_status().get(pk=signed.pk)
    assert current.current_status == Status.LATE


def test_corrections_keep_the_original_and_stack_in_order():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    signed = _sign(slot, trainee)
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())
    now = timezone.now()
    services.signature_correct(
        signature=signed, author=trainer, new_status=Status.ABSENT, reason="Erreur", now=now
    )
    services.signature_correct(
        signature=signed,
        author=trainer,
        new_status=Status.PRESENT,
        reason="Finalement présent",
        now=now + datetime.timedelta(minutes=5),
    )
    assert AttendanceSignature.objects.get(pk=signed.pk).status == Status.PRESENT
    history = list(AttendanceCorrection.objects.values_list("previous_status", "new_status"))
    assert history == [(Status.PRESENT, Status.ABSENT), (Status.ABSENT, Status.PRESENT)]
    with pytest.raises(ValidationError) as caught:
        services.signature_correct(
            signature=signed, author=trainer, new_status=Status.PRESENT, reason="Idem"
        )
    assert caught.value.code == "same_status"


def test_a_correction_needs_a_reason_and_a_trainer_of_the_session():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    signed = _sign(slot, trainee)
    with pytest.raises(ValidationError):
        services.signature_correct(
            signature=signed, author=trainer, new_status=Status.ABSENT, reason=""
        )
    with pytest.raises(ValidationError):
        services.signature_correct(
            signature=signed,
            author=UserFactory(role="Formateur"),
            new_status=Status.ABSENT,
            reason="Pas mon groupe",
        )
    with pytest.raises(ValidationError):
        services.signature_correct(
            signature=signed, author=trainee, new_status=Status.ABSENT, reason="Moi-même"
        )
    assert not AttendanceCorrection.objects.exists()


def test_signatures_and_corrections_cannot_be_edited_or_deleted():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    signed = _sign(slot, trainee)
    signed.status = Status.ABSENT
    with pytest.raises(AppendOnlyError):
        signed.save()
    with pytest.raises(AppendOnlyError):
        signed.delete()
    correction = services.signature_correct(
        signature=signed, author=trainer, new_status=Status.LATE, reason="Retard"
    )
    with pytest.raises(AppendOnlyError):
        correction.save()
    with pytest.raises(AppendOnlyError):
        correction.delete()
    assert AttendanceSignature.objects.get(pk=signed.pk).status == Status.PRESENT


def test_the_database_refuses_a_second_record_for_the_same_trainee_and_half_day():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    _sign(slot, trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceSignature.objects.create(
            slot=slot,
            trainee=trainee,
            status=Status.ABSENT,
            method="formateur",
            recorded_by=trainer,
        )


def test_a_half_day_with_signatures_cannot_be_deleted():
    from django.db.models import ProtectedError

    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    _sign(slot, trainee)
    with pytest.raises(ProtectedError), transaction.atomic():
        slot.delete()
    assert AttendanceSignature.objects.count() == 1


def test_the_admin_shows_attendance_evidence_read_only(administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    for model in (AttendanceSignature, AttendanceCorrection, SlotAttendance):
        model_admin = site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_a_paper_signature_stores_the_checked_scan():
    session, slot, trainer, (pdf_person, jpeg_person, bad) = attendance_session(
        trainees=3, open_slot=True
    )
    pdf = scan_pdf()
    record = services.paper_signature_record(
        slot=slot, trainee=pdf_person, scan=pdf, recorded_by=trainer, reason="Pas de téléphone"
    )
    assert record.method == AttendanceSignature.Method.PAPER
    assert record.evidence_file.name.endswith(".pdf")
    assert record.recorded_by == trainer
    jpeg_record = services.paper_signature_record(
        slot=slot, trainee=jpeg_person, scan=_jpeg(), recorded_by=trainer
    )
    assert jpeg_record.evidence_file.name.endswith(".jpg")
    for data in (b"", b"<html>not a scan</html>", b"\xff\xd8\xff" + b"broken", b"%PDF" + b"x"):
        with pytest.raises(ValidationError):
            services.paper_signature_record(slot=slot, trainee=bad, scan=data, recorded_by=trainer)
    with pytest.raises(ValidationError) as caught:
        services.paper_signature_record(
            slot=slot,
            trainee=bad,
            scan=b"%PDF-" + b"0" * services.SCAN_MAX_BYTES,
            recorded_by=trainer,
        )
    assert caught.value.code == "too_large"
    assert not AttendanceSignature.objects.filter(trainee=bad).exists()


def test_a_paper_signature_for_someone_already_recorded_is_refused():
    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    _sign(slot, trainee)
    with pytest.raises(ValidationError) as caught:
        services.paper_signature_record(
            slot=slot, trainee=trainee, scan=scan_pdf(), recorded_by=trainer
        )
    assert caught.value.code == "already_signed"
    assert AttendanceSignature.objects.count() == 1


# --- Hours and fingerprint ------------------------------------------------------------------


def test_attended_hours_count_present_and_late_half_days_after_corrections():
    session, morning, trainer, (full, late, absent, corrected) = attendance_session(
        trainees=4, open_slot=True
    )
    _sign(morning, full)
    _sign(morning, late)
    services.status_mark(
        slot=morning, trainee=late, status=Status.LATE, reason="9 h 20", author=trainer
    )
    signed = _sign(morning, corrected)
    services.slot_close_and_attest(slot=morning, trainer=trainer, image_data=signature_png())
    services.signature_correct(
        signature=signed, author=trainer, new_status=Status.ABSENT, reason="Parti à 9 h 30"
    )
    hours = attendance.attended_hours(session=session)
    morning_hours = Decimal(morning.duration_minutes) / 60
    assert hours == {
        full.pk: morning_hours.quantize(Decimal("0.01")),
        late.pk: morning_hours.quantize(Decimal("0.01")),
        absent.pk: Decimal("0.00"),
        corrected.pk: Decimal("0.00"),
    }
    assert (
        attendance.planned_hours(session=session)
        == Decimal(sum(s.duration_minutes for s in session.slots.all())) / 60
    )


def test_attended_hours_lists_every_enrolled_trainee_even_without_records():
    session, slot, trainer, people = attendance_session(trainees=3)
    assert attendance.attended_hours(session=session) == {p.pk: Decimal("0.00") for p in people}


def test_the_evidence_fingerprint_is_stable_and_changes_with_any_record():
    session, slot, trainer, (first, second) = attendance_session(trainees=2, open_slot=True)
    empty = attendance.evidence_fingerprint(session=session)
    signed = _sign(slot, first)
    after_signature = attendance.evidence_fingerprint(session=session)
    assert after_signature != empty
    assert attendance.evidence_fingerprint(session=session) == after_signature
    services.signature_correct(signature=signed, author=trainer, new_status=Status.LATE, reason="x")
    after_correction = attendance.evidence_fingerprint(session=session)
    assert after_correction != after_signature
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())
    assert attendance.evidence_fingerprint(session=session) != after_correction
    assert len(after_correction) == 64


def test_the_admin_pages_of_attendance_evidence_render_read_only(client):
    from django.urls import reverse

    session, slot, trainer, (trainee,) = attendance_session(trainees=1, open_slot=True)
    record = _sign(slot, trainee)
    services.signature_correct(signature=record, author=trainer, new_status=Status.LATE, reason="x")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for name in ("attendancesignature", "attendancecorrection", "slotattendance", "signingattempt"):
        assert client.get(reverse(f"admin:training_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:training_attendancesignature_change", args=[record.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    delete = client.post(reverse("admin:training_attendancesignature_delete", args=[record.pk]))
    assert delete.status_code == 403
    assert AttendanceSignature.objects.filter(pk=record.pk).exists()


def test_a_signed_half_day_cannot_be_re_timed_and_keeps_its_hours():
    from training.sessions.services import slot_update

    session, slot, trainer, (trainee,) = attendance_session(trainees=1)
    services.slot_open(slot=slot, user=trainer)
    _sign(slot, trainee)
    before = (slot.start_time, slot.end_time)
    with pytest.raises(
        ValidationError, match="ne peuvent plus être modifiés|can no longer be changed"
    ):
        slot_update(slot=slot, start_time=datetime.time(10, 0), end_time=before[1])
    slot.refresh_from_db()
    assert (slot.start_time, slot.end_time) == before
