"""seed_demo: accounts and roles, a finished and an upcoming session, attendance, quiz attempts,
appreciations, a complaint and improvement actions; idempotent, refused without debug unless forced.

Seeding takes about two seconds, so one seeded world is checked from every side in one test
(the checks were spread over five tests, each seeding again).
"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quizzes.models import Attempt, Quiz
from training.access import permissions
from training.attendance import selectors as attendance
from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance
from training.demo.services import DEMO_FINISHED_CODE, DEMO_UPCOMING_CODE, demo_seed
from training.models import Enrolment, TrainingSession, User
from training.quality.models import Complaint, ImprovementAction
from training.quality.selectors import published_results
from training.surveys.models import SurveyAnswer, SurveyResponse
from training.surveys.selectors import pending_for_user

pytestmark = pytest.mark.django_db


def _accounts_and_roles():
    admin = User.objects.get(email="admin@demo.example")
    assert admin.check_password("demo-admin-2026")
    assert permissions.role_of(admin) == "admin"
    assert permissions.role_of(User.objects.get(email="formatrice@demo.example")) == "trainer"
    assert User.objects.filter(groups__name="Stagiaire").count() >= 13


def _sessions():
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


def _attendance(session):
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
    hours = attendance.attended_hours(session=session)
    assert max(hours.values()) == attendance.planned_hours(session=session)
    assert min(hours.values()) < attendance.planned_hours(session=session)


def _attempts(session):
    attempts = Attempt.objects.filter(session=session).submitted()
    trainees = session.enrolments.count()
    assert attempts.filter(quiz__kind=Quiz.Kind.POSITIONING).count() == trainees
    assert attempts.filter(quiz__kind=Quiz.Kind.FINAL).values("user").distinct().count() == trainees
    positioning = attempts.filter(quiz__kind=Quiz.Kind.POSITIONING)
    final = attempts.filter(quiz__kind=Quiz.Kind.FINAL)
    assert max(a.submitted_at for a in positioning) < min(a.submitted_at for a in final)
    assert (
        sum(a.score_percent for a in final) / final.count()
        > sum(a.score_percent for a in positioning) / positioning.count()
    )


def _appreciations(session):
    """Enough answers to show per-session figures, one questionnaire left for Samir, the
    published figures shown, a complaint closed and an action on the programme page."""
    hot = SurveyResponse.objects.filter(session=session, questionnaire__kind="chaud")
    assert hot.count() >= 10
    assert not hot.filter(respondent__isnull=False).exists()
    samir = User.objects.get(email="stagiaire@demo.example")
    assert [p.questionnaire.kind for p in pending_for_user(user=samir)] == ["chaud"]
    published = published_results()
    assert published.satisfaction.shown and published.completion.shown
    assert published.success.shown and published.trained.shown
    assert Complaint.objects.filter(session=session, status="close").exists()
    assert ImprovementAction.objects.filter(is_public=True, status="realisee").count() >= 1


def _counts(session):
    return {
        "answers": SurveyAnswer.objects.count(),
        "complaints": Complaint.objects.count(),
        "users": User.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "records": AttendanceSignature.objects.filter(slot__session=session).count(),
        "attempts": Attempt.objects.count(),
        "fingerprint": attendance.evidence_fingerprint(session=session),
    }


def test_seed_demo_builds_the_demo_once_and_only_when_debug_is_on_or_forced(
    settings, course_loaded
):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email="admin@demo.example").exists()

    call_command("seed_demo", "--force", verbosity=0)
    session = TrainingSession.objects.get(code=DEMO_FINISHED_CODE)
    _accounts_and_roles()
    _sessions()
    _attendance(session)
    _attempts(session)
    _appreciations(session)

    before = _counts(session)
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert _counts(session) == before  # idempotent


def test_demo_seed_without_a_course_skips_the_sessions(no_course):
    demo_seed()
    assert User.objects.filter(email="admin@demo.example").exists()
    assert not TrainingSession.objects.exists()
