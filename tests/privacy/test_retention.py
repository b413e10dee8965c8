"""Retention with frozen time: evidence deleted after N years, idle accounts anonymised."""

import datetime
import os

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from tests.factories import UserFactory, attested_session, quiz_with_questions
from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance
from training.documents.models import GeneratedDocument
from training.models import Enrolment
from training.privacy.models import SlotEvidenceSeal
from training.privacy.retention import purge_expired

pytestmark = pytest.mark.django_db


def _session_with_evidence():
    from django.core.files.base import ContentFile

    from quizzes import services as quiz_services

    session, trainer, (person,) = attested_session(trainees=1)
    signature = AttendanceSignature.objects.filter(trainee=person).first()
    AttendanceCorrection.objects.create(
        signature=signature,
        author=trainer,
        previous_status="present",
        new_status="retard",
        reason="Arrivé en retard",
    )
    document = GeneratedDocument(
        session=session, kind="certificate", trainee=person, input_hash="a" * 64
    )
    document.file.save("certificat.pdf", ContentFile(b"%PDF-1.4"), save=True)
    quiz_services.attempt_start(user=person, quiz=quiz_with_questions(), session=session)
    return session, trainer, person, document


def test_evidence_is_kept_until_its_retention_ends_then_purged(
    settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_EVIDENCE_YEARS = 6
    session, trainer, person, document = _session_with_evidence()
    path = document.file.path
    end = session.end_date

    with time_machine.travel(
        datetime.datetime.combine(end.replace(year=end.year + 5), datetime.time(12)), tick=False
    ):
        counts = purge_expired()
        assert counts["attendance_signatures"] == 0
    assert AttendanceSignature.objects.filter(slot__session=session).count() == 4

    moment = timezone.make_aware(
        datetime.datetime.combine(end.replace(year=end.year + 6), datetime.time(12))
        + datetime.timedelta(days=2)
    )
    with time_machine.travel(moment, tick=False):
        dry = purge_expired(dry_run=True)
        assert dry["attendance_signatures"] == 4
        assert AttendanceSignature.objects.filter(slot__session=session).count() == 4
        with django_capture_on_commit_callbacks(execute=True):
            counts = purge_expired()
    assert counts["attendance_signatures"] == 4
    assert counts["attendance_corrections"] == 1
    assert counts["generated_documents"] == 1
    assert counts["quiz_attempts"] == 1
    assert counts["enrolments"] == 1
    assert not AttendanceSignature.objects.filter(slot__session=session).exists()
    assert not SlotAttendance.objects.filter(slot__session=session).exists()
    assert not SlotEvidenceSeal.objects.filter(slot__session=session).exists()
    assert not GeneratedDocument.objects.filter(session=session).exists()
    assert not Attempt.objects.filter(session=session).exists()
    assert not Enrolment.objects.filter(session=session).exists()
    assert not os.path.exists(path)


def test_inactive_accounts_are_anonymised_but_not_recent_trainees(settings):
    settings.RETENTION_INACTIVE_ACCOUNT_MONTHS = 36
    now = timezone.now()
    idle = UserFactory(role="Stagiaire", last_login=now - datetime.timedelta(days=365 * 4))
    never = UserFactory(role="Stagiaire", date_joined=now - datetime.timedelta(days=365 * 4))
    active = UserFactory(role="Stagiaire", last_login=now - datetime.timedelta(days=30))
    _session, _trainer, (recent,) = attested_session(trainees=1)
    recent.last_login = now - datetime.timedelta(days=365 * 4)
    recent.save()
    admin = UserFactory(is_superuser=True, last_login=now - datetime.timedelta(days=365 * 5))

    dry = purge_expired(dry_run=True)
    assert dry["inactive_accounts"] == 2
    idle.refresh_from_db()
    assert idle.is_active

    counts = purge_expired()
    assert counts["inactive_accounts"] == 2
    for user in (idle, never, active, recent, admin):
        user.refresh_from_db()
    assert idle.email.endswith("@invalid") and never.email.endswith("@invalid")
    assert not active.email.endswith("@invalid")
    assert not recent.email.endswith("@invalid")
    assert not admin.email.endswith("@invalid")
    assert purge_expired()["inactive_accounts"] == 0  # re-running is harmless


def test_the_command_reports_counts_per_kind_and_dry_run_changes_nothing(capsys):
    session, _trainer, _person, _document = _session_with_evidence()
    later = timezone.now() + datetime.timedelta(days=365 * 7 + 10)
    with time_machine.travel(later, tick=False):
        call_command("purge_expired", "--dry-run")
        out = capsys.readouterr().out
        assert "attendance_signatures: 4 would be purged" in out
        assert "Dry run" in out
        assert AttendanceSignature.objects.filter(slot__session=session).count() == 4
        call_command("purge_expired")
        out = capsys.readouterr().out
    assert "attendance_signatures: 4 purged" in out
    assert not AttendanceSignature.objects.filter(slot__session=session).exists()


def _login_records(email):
    from axes.models import AccessAttempt, AccessLog

    common = {"username": email, "ip_address": "192.0.2.7", "user_agent": "Navigateur"}
    AccessAttempt.objects.create(**common, failures_since_start=2, get_data="", post_data="")
    AccessLog.objects.create(**common)


def test_login_records_are_deleted_after_their_retention_period(settings):
    from axes.models import AccessAttempt, AccessLog

    settings.RETENTION_LOGIN_RECORDS_MONTHS = 6
    start = timezone.make_aware(datetime.datetime(2026, 1, 10, 9))
    with time_machine.travel(start, tick=False):
        _login_records("ancien@exemple.fr")
    with time_machine.travel(start + datetime.timedelta(days=150), tick=False):
        _login_records("recent@exemple.fr")
        assert purge_expired()["login_logs"] == 0  # five months: still kept
    with time_machine.travel(start + datetime.timedelta(days=200), tick=False):
        dry = purge_expired(dry_run=True)
        assert (dry["login_failures"], dry["login_logs"]) == (1, 1)
        assert AccessLog.objects.count() == 2
        counts = purge_expired()
    assert (counts["login_failures"], counts["login_logs"]) == (1, 1)
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"recent@exemple.fr"}
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"recent@exemple.fr"}


def test_the_privacy_page_states_the_login_records_period_from_settings(client, settings):
    settings.RETENTION_LOGIN_RECORDS_MONTHS = 9
    html = client.get(reverse("training:privacy")).content.decode()
    assert "Journaux de connexion (adresse IP, navigateur, tentatives échouées) : 9 mois" in html
