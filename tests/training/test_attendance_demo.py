"""seed_demo signs and attests the finished demo session's half-days, once."""

import pytest

from training import attendance
from training.demo import DEMO_FINISHED_CODE, demo_seed
from training.models import TrainingSession
from training.models_attendance import AttendanceCorrection, AttendanceSignature, SlotAttendance

pytestmark = pytest.mark.django_db


def test_seed_demo_signs_and_attests_the_finished_session_idempotently(course_loaded):
    demo_seed()
    session = TrainingSession.objects.get(code=DEMO_FINISHED_CODE)
    slots = list(session.slots.all())
    states = SlotAttendance.objects.filter(slot__in=slots)
    assert states.count() == len(slots) == 6
    assert set(states.values_list("status", flat=True)) == {SlotAttendance.Status.CLOSED}
    assert all(state.attested_by_id and state.attestation_sha256 for state in states)
    records = AttendanceSignature.objects.filter(slot__session=session)
    enrolled = session.enrolments.filter(status="inscrit").count()
    assert records.count() == enrolled * len(slots)
    assert records.filter(status="absent").count() == 1
    assert records.filter(method="papier").count() == 1
    assert records.filter(method="trace").count() > enrolled * len(slots) * 0.8
    assert (
        AttendanceCorrection.objects.filter(
            signature__slot__session=session, new_status="retard"
        ).count()
        == 1
    )
    images = set(records.filter(method="trace").values_list("evidence_sha256", flat=True))
    assert len(images) == records.filter(method="trace").count()  # no two identical signatures
    fingerprint = attendance.evidence_fingerprint(session=session)

    demo_seed()
    assert AttendanceSignature.objects.filter(slot__session=session).count() == records.count()
    assert attendance.evidence_fingerprint(session=session) == fingerprint
    hours = attendance.attended_hours(session=session)
    assert max(hours.values()) == attendance.planned_hours(session=session)
    assert min(hours.values()) < attendance.planned_hours(session=session)
