"""Demo data: a finished and an upcoming session, each with a trainer and ≥ 8 trainees."""

import pytest
from django.utils import timezone

from tests.factories import course_for_tests
from training.demo import DEMO_FINISHED_CODE, DEMO_UPCOMING_CODE, demo_seed
from training.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_a_finished_and_an_upcoming_session_idempotently():
    course_for_tests()
    demo_seed()
    demo_seed()
    finished = TrainingSession.objects.get(code=DEMO_FINISHED_CODE)
    upcoming = TrainingSession.objects.get(code=DEMO_UPCOMING_CODE)
    today = timezone.localdate()
    assert finished.end_date < today and finished.status == TrainingSession.Status.FINISHED
    assert upcoming.start_date > today and upcoming.status == TrainingSession.Status.PLANNED
    for session in (finished, upcoming):
        assert [t.email for t in session.trainers.all()] == ["formatrice@demo.example"]
        enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED)
        assert enrolled.count() >= 8
        assert enrolled.filter(trainee__email="stagiaire@demo.example").exists()
        assert session.slots.count() in (4, 6)
    assert TrainingSession.objects.filter(code__startswith="DEMO-").count() == 2


def test_demo_seed_without_a_course_skips_the_sessions(monkeypatch):
    # Another test may have loaded the real course in this database: pretend there is none.
    monkeypatch.setattr("modules.selectors.course_get", lambda: None)
    demo_seed()
    assert not TrainingSession.objects.exists()
