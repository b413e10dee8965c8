"""Signing a half-day: every refusal leaves nothing recorded; the code rolls every minute."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import UserFactory, attendance_session, signature_png
from training.attendance import codes
from training.attendance import services as services
from training.attendance.models import AttendanceSignature, SigningAttempt, SlotAttendance

pytestmark = pytest.mark.django_db


def _code(slot, now=None):
    state = SlotAttendance.objects.get(slot=slot)
    return codes.code_current(secret=state.secret, now=now)


def _refused(expected, **kwargs):
    with pytest.raises(ValidationError) as caught:
        services.signature_record(**kwargs)
    assert caught.value.code == expected, caught.value.messages
    return caught.value


def test_enrolled_trainee_signs_an_open_half_day_with_the_current_code():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    record = services.signature_record(
        slot=slot,
        trainee=trainee,
        code=_code(slot),
        image_data=signature_png(),
        ip_address="192.0.2.10",
        user_agent="Mozilla/5.0 (Android)",
    )
    record = AttendanceSignature.objects.get(pk=record.pk)
    assert record.status == AttendanceSignature.Status.PRESENT
    assert record.method == AttendanceSignature.Method.DRAWN
    assert record.ip_address == "192.0.2.10"
    assert record.user_agent == "Mozilla/5.0 (Android)"
    assert record.recorded_by == trainee
    assert abs((timezone.now() - record.signed_at).total_seconds()) < 5
    assert record.evidence_file.read().startswith(b"\x89PNG")
    assert len(record.evidence_sha256) == 64


def test_signing_a_half_day_that_is_not_open_is_refused():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=False)
    _refused("not_open", slot=slot, trainee=trainee, code="123456", image_data=signature_png())
    assert not AttendanceSignature.objects.exists()


def test_signing_a_closed_half_day_is_refused():
    session, slot, trainer, (trainee, other) = attendance_session(trainees=2, open_slot=True)
    code = _code(slot)
    services.slot_close_and_attest(slot=slot, trainer=trainer, image_data=signature_png())
    count = AttendanceSignature.objects.count()
    _refused("not_open", slot=slot, trainee=trainee, code=code, image_data=signature_png())
    assert AttendanceSignature.objects.count() == count


def test_signing_on_another_day_than_the_half_day_is_refused():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    _refused(
        "wrong_day",
        slot=slot,
        trainee=trainee,
        code=_code(slot, now=tomorrow),
        image_data=signature_png(),
        now=tomorrow,
    )
    assert not AttendanceSignature.objects.exists()


def test_signing_without_the_current_code_is_refused_and_the_attempt_kept():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    wrong = f"{(int(_code(slot)) + 1) % 1_000_000:06d}"
    _refused("bad_code", slot=slot, trainee=trainee, code=wrong, image_data=signature_png())
    _refused("bad_code", slot=slot, trainee=trainee, code="", image_data=signature_png())
    assert not AttendanceSignature.objects.exists()
    assert SigningAttempt.objects.filter(slot=slot, trainee=trainee).count() == 2


def test_guessing_codes_is_stopped_after_five_wrong_ones():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    good = _code(slot)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(services.WRONG_CODES_ALLOWED):
        _refused("bad_code", slot=slot, trainee=trainee, code=wrong, image_data=signature_png())
    _refused("throttled", slot=slot, trainee=trainee, code=good, image_data=signature_png())
    assert not AttendanceSignature.objects.exists()


def test_signing_for_a_session_one_is_not_enrolled_in_is_refused():
    session, slot, trainer, _people = attendance_session(open_slot=True)
    outsider = UserFactory(role="Stagiaire")
    _refused(
        "not_enrolled", slot=slot, trainee=outsider, code=_code(slot), image_data=signature_png()
    )
    assert not AttendanceSignature.objects.exists()


def test_a_removed_trainee_can_no_longer_sign():
    from training.sessions import services as session_services

    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    session_services.enrolment_remove(enrolment=session.enrolments.get(trainee=trainee))
    _refused(
        "not_enrolled", slot=slot, trainee=trainee, code=_code(slot), image_data=signature_png()
    )


def test_signing_twice_is_refused_and_keeps_the_first_signature():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    first = services.signature_record(
        slot=slot, trainee=trainee, code=_code(slot), image_data=signature_png()
    )
    _refused(
        "already_signed",
        slot=slot,
        trainee=trainee,
        code=_code(slot),
        typed_name=trainee.get_full_name(),
        certified=True,
    )
    assert list(AttendanceSignature.objects.values_list("pk", "method")) == [
        (first.pk, AttendanceSignature.Method.DRAWN)
    ]


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param(signature_png(noise=120_000), "too_large", id="oversized"),
        pytest.param(b"GIF89a" + b"\0" * 100, "invalid_image", id="gif-magic"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "invalid_image", id="fake-png"),
        pytest.param(signature_png(width=5000, height=200), "invalid_image", id="too-wide"),
        pytest.param(signature_png(width=20, height=10), "invalid_image", id="too-small"),
        pytest.param(signature_png(blank=True), "blank_image", id="blank"),
    ],
)
def test_an_oversized_or_invalid_signature_image_is_refused(image, expected):
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    _refused(expected, slot=slot, trainee=trainee, code=_code(slot), image_data=image)
    assert not AttendanceSignature.objects.exists()


def test_the_oversized_test_image_is_really_over_200_kb():
    assert len(signature_png(noise=120_000)) > services.SIGNATURE_MAX_BYTES


def test_a_jpeg_disguised_as_a_png_data_url_is_refused():
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(buffer, format="JPEG")
    value = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    data = services.signature_data_url_decode(value=value)
    with pytest.raises(ValidationError) as caught:
        services.signature_image_check(data=data)
    assert caught.value.code == "invalid_image"


def test_a_data_url_of_another_type_is_refused():
    with pytest.raises(ValidationError):
        services.signature_data_url_decode(value="data:image/svg+xml;base64,PHN2Zz4=")
    with pytest.raises(ValidationError):
        services.signature_data_url_decode(value="javascript:alert(1)")


def test_typed_name_with_certification_is_accepted_as_accessible_alternative():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    trainee.first_name, trainee.last_name = "Hélène", "Lefèvre-Dupré"
    trainee.save()
    record = services.signature_record(
        slot=slot,
        trainee=trainee,
        code=_code(slot),
        typed_name="  helene   LEFEVRE dupre ",
        certified=True,
    )
    assert record.method == AttendanceSignature.Method.TYPED
    assert record.typed_name == "helene LEFEVRE dupre"
    assert not record.evidence_file


def test_typed_name_of_someone_else_or_without_certification_is_refused():
    session, slot, trainer, (trainee, *_) = attendance_session(open_slot=True)
    _refused(
        "name_mismatch",
        slot=slot,
        trainee=trainee,
        code=_code(slot),
        typed_name="Jean Dupont-Inconnu",
        certified=True,
    )
    _refused(
        "not_certified",
        slot=slot,
        trainee=trainee,
        code=_code(slot),
        typed_name=trainee.get_full_name(),
        certified=False,
    )
    _refused("no_signature", slot=slot, trainee=trainee, code=_code(slot))
    assert not AttendanceSignature.objects.exists()


# --- The rolling code ----------------------------------------------------------------------


def test_the_code_accepts_the_current_and_the_previous_step_only():
    secret = "s" * 64
    now = datetime.datetime(2026, 3, 2, 9, 30, 30, tzinfo=datetime.UTC)
    step = codes.code_step(now=now)
    by_offset = {
        offset: codes.code_for_step(secret=secret, step=step + offset) for offset in range(-3, 3)
    }
    assert codes.code_is_valid(secret=secret, code=by_offset[0], now=now)
    assert codes.code_is_valid(secret=secret, code=by_offset[-1], now=now)
    for offset in (-3, -2, 1, 2):
        if by_offset[offset] not in (by_offset[0], by_offset[-1]):
            assert not codes.code_is_valid(secret=secret, code=by_offset[offset], now=now)


def test_the_code_changes_every_minute_and_expires_after_two():
    secret = "another-secret"
    start = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)
    code = codes.code_current(secret=secret, now=start)
    assert codes.code_is_valid(secret=secret, code=code, now=start + datetime.timedelta(seconds=54))
    assert codes.code_is_valid(secret=secret, code=code, now=start + datetime.timedelta(seconds=70))
    assert not codes.code_is_valid(
        secret=secret, code=code, now=start + datetime.timedelta(seconds=125)
    )
    assert codes.code_current(secret=secret, now=start + datetime.timedelta(minutes=1)) != code


def test_the_code_has_six_digits_and_depends_on_the_slot_secret():
    now = timezone.now()
    first = codes.code_current(secret="a" * 64, now=now)
    second = codes.code_current(secret="b" * 64, now=now)
    assert len(first) == 6 and first.isdigit()
    assert first != second
    assert not codes.code_is_valid(secret="a" * 64, code="12345", now=now)
    assert not codes.code_is_valid(secret="a" * 64, code="abcdef", now=now)


def test_signing_with_the_previous_minutes_code_works_but_not_older(time_machine):
    session, slot, trainer, (first, second) = attendance_session(trainees=2, open_slot=True)
    start = timezone.localtime().replace(second=10, microsecond=0)
    time_machine.move_to(start)
    code = _code(slot)
    time_machine.move_to(start + datetime.timedelta(seconds=60))
    services.signature_record(slot=slot, trainee=first, code=code, image_data=signature_png())
    time_machine.move_to(start + datetime.timedelta(seconds=125))
    _refused("bad_code", slot=slot, trainee=second, code=code, image_data=signature_png())
    assert AttendanceSignature.objects.count() == 1


def test_reopening_is_impossible_and_each_opening_gets_a_new_secret():
    session, slot, trainer, people = attendance_session(open_slot=True)
    secret = SlotAttendance.objects.get(slot=slot).secret
    services.slot_open(slot=slot, user=trainer)  # opening an open slot is a no-op
    assert SlotAttendance.objects.get(slot=slot).secret == secret
    services.slot_close_and_attest(
        slot=slot, trainer=trainer, typed_name=trainer.get_full_name(), certified=True
    )
    with pytest.raises(ValidationError) as caught:
        services.slot_open(slot=slot, user=trainer)
    assert caught.value.code == "closed"
