"""The demo has BPF data on its enrolments: a newcomer can export the BPF of its years."""

import pytest

from training.bpf.selectors import bpf_compute
from training.demo.services import DEMO_FINISHED_CODE, demo_seed
from training.sessions.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_enrolments_carry_their_bpf_data_and_the_bpf_of_their_year_is_computed(
    course_loaded,
):
    demo_seed()
    enrolments = Enrolment.objects.filter(session__code__startswith="DEMO-", status="inscrit")
    assert enrolments.count() >= 13
    assert not enrolments.filter(trainee_category="").exists()
    assert not enrolments.filter(funding_source="").exists()
    assert not enrolments.filter(price__isnull=True).exists()
    finished = TrainingSession.objects.get(code=DEMO_FINISHED_CODE)
    for year in {
        s.start_date.year for s in TrainingSession.objects.filter(code__startswith="DEMO-")
    }:
        report = bpf_compute(year=year)  # refused (BpfIncomplete) if any enrolment lacked data
        if year == finished.start_date.year:
            assert report.trainees == finished.enrolments.filter(status="inscrit").count()
            assert report.hours > 0 and report.trainers_count == 1
    # An administrator's correction survives a new seed.
    one = enrolments.first()
    Enrolment.objects.filter(pk=one.pk).update(trainee_category="autre")
    demo_seed()
    one.refresh_from_db()
    assert one.trainee_category == "autre"
