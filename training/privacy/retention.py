"""Retention: what the organisation stops keeping, and when.

- Evidence of a session (attendance records and corrections, the trainers' attestations and
  evidence seals, wrong signing codes, generated documents, quiz attempts taken within the
  session, enrolments) is deleted ``RETENTION_EVIDENCE_YEARS`` years after the session's
  last day.
- An account not used for ``RETENTION_INACTIVE_ACCOUNT_MONTHS`` months (last login, or date
  joined when it never logged in) and with no session within the evidence period is
  anonymised (``user_anonymise``). Superusers are never touched.
- Files of attendance evidence and documents that no row names (a worker killed between
  writing the file and committing its row) are deleted after an hour (``privacy.files``).
- Survey data (invitations with their messages, responses with their answers) is deleted
  ``RETENTION_SURVEY_YEARS`` years after the session's last day.
- A complaint is deleted ``RETENTION_COMPLAINT_YEARS`` years after it was closed (or, never
  closed, answered); the keyed hashes used for the complaints' rate limit after a day.
- Login records kept by django-axes (address, browser, e-mail typed: failed attempts and the
  log of logins) are deleted ``RETENTION_LOGIN_RECORDS_MONTHS`` months after they were made;
  a 15-minute lockout never needs them longer.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import OrderedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from quizzes.models import Attempt
from training.accounts.models import User
from training.attendance.models import (
    AttendanceCorrection,
    AttendanceSignature,
    SigningAttempt,
    SlotAttendance,
)
from training.documents.models import DocumentBundle, GeneratedDocument
from training.privacy.audit import audit_record
from training.privacy.files import orphans_remove, stored_files_check
from training.privacy.models import AuditEvent, SlotEvidenceSeal
from training.privacy.services import ANONYMOUS_DOMAIN, user_anonymise
from training.quality.models import Complaint, ComplaintThrottle
from training.sessions.models import Enrolment, TrainingSession
from training.surveys.models import SurveyInvitation, SurveyResponse


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


def evidence_cutoff(*, today: datetime.date | None = None) -> datetime.date:
    """Sessions whose last day is before this date are past their evidence retention."""
    return _years_before(today or timezone.localdate(), settings.RETENTION_EVIDENCE_YEARS)


def survey_cutoff(*, today: datetime.date | None = None) -> datetime.date:
    """Surveys of sessions whose last day is before this date are past their retention."""
    return _years_before(today or timezone.localdate(), settings.RETENTION_SURVEY_YEARS)


def complaint_records(*, now: datetime.datetime) -> list[tuple[str, object]]:
    """Return the complaints past their retention, and the stale rate-limit records."""
    day = _years_before(timezone.localdate(now), settings.RETENTION_COMPLAINT_YEARS)
    cutoff = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return [
        (
            "complaints",
            Complaint.objects.filter(
                Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, answered_at__lt=cutoff)
            ),
        ),
        (
            "complaint_rate_records",
            ComplaintThrottle.objects.filter(created_at__lt=now - datetime.timedelta(days=1)),
        ),
    ]


def expired_sessions(*, today: datetime.date | None = None):
    return TrainingSession.objects.filter(end_date__lt=evidence_cutoff(today=today))


def inactive_accounts(*, now: datetime.datetime | None = None):
    """Accounts to anonymise: unused for the period, no recent session, not anonymised yet."""
    now = now or timezone.now()
    cutoff = _months_before(now, settings.RETENTION_INACTIVE_ACCOUNT_MONTHS)
    recent = TrainingSession.objects.filter(
        end_date__gte=evidence_cutoff(today=timezone.localdate(now))
    )
    return (
        User.objects.filter(is_superuser=False)
        .exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(enrolments__session__in=recent)
        .exclude(sessions_trained__in=recent)
        .distinct()
    )


def login_records(*, now: datetime.datetime | None = None) -> list[tuple[str, object]]:
    """Return, per kind, the django-axes login records older than their retention period."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = _months_before(now or timezone.now(), settings.RETENTION_LOGIN_RECORDS_MONTHS)
    from training.background.models import EmailDelivery, TaskFailure

    return [
        ("login_failures", AccessAttempt.objects.filter(attempt_time__lt=cutoff)),
        ("login_failure_logs", AccessFailureLog.objects.filter(attempt_time__lt=cutoff)),
        ("login_logs", AccessLog.objects.filter(attempt_time__lt=cutoff)),
        # Who was sent which email, and the errors of background work: the same period.
        (
            "email_deliveries",
            EmailDelivery.objects.filter(created_at__lt=cutoff).exclude(
                status__in=[EmailDelivery.Status.QUEUED, EmailDelivery.Status.SENDING]
            ),
        ),
        ("failed_tasks", TaskFailure.objects.filter(failed_at__lt=cutoff)),
    ]


def purge_plan(*, now: datetime.datetime | None = None) -> OrderedDict:
    """Return, per kind, the queryset that the purge would delete or anonymise."""

    now = now or timezone.now()
    sessions = expired_sessions(today=timezone.localdate(now))
    return OrderedDict(
        [
            (
                "attendance_corrections",
                AttendanceCorrection.objects.filter(signature__slot__session__in=sessions),
            ),
            (
                "attendance_signatures",
                AttendanceSignature.objects.filter(slot__session__in=sessions),
            ),
            ("slot_attestations", SlotAttendance.objects.filter(slot__session__in=sessions)),
            ("evidence_seals", SlotEvidenceSeal.objects.filter(slot__session__in=sessions)),
            ("wrong_codes", SigningAttempt.objects.filter(slot__session__in=sessions)),
            ("generated_documents", GeneratedDocument.objects.filter(session__in=sessions)),
            ("document_bundles", DocumentBundle.objects.filter(session__in=sessions)),
            ("quiz_attempts", Attempt.objects.filter(session__in=sessions)),
            ("enrolments", Enrolment.objects.filter(session__in=sessions)),
            (
                "survey_responses",
                SurveyResponse.objects.filter(
                    session__end_date__lt=survey_cutoff(today=timezone.localdate(now))
                ),
            ),
            (
                "survey_invitations",
                SurveyInvitation.objects.filter(
                    session__end_date__lt=survey_cutoff(today=timezone.localdate(now))
                ),
            ),
            *complaint_records(now=now),
            *login_records(now=now),
            ("inactive_accounts", inactive_accounts(now=now)),
        ]
    )


def _files(queryset, *names) -> list[tuple]:
    found = []
    for obj in queryset:
        for name in names:
            value = getattr(obj, name)
            if value:
                found.append((value.storage, value.name))
    return found


def purge_expired(*, dry_run: bool = False, now: datetime.datetime | None = None) -> dict:
    """Delete expired evidence and anonymise inactive accounts; return the counts per kind.

    Also sweeps the stored files (``privacy.files``): files without a row are removed, and
    the cached documents whose file is gone are forgotten (printed again on demand).
    """
    plan = purge_plan(now=now)
    counts = {kind: queryset.count() for kind, queryset in plan.items()}
    sweep = stored_files_check(now=now, hashes=False)
    if dry_run:
        return {
            **counts,
            "orphan_files": len(sweep.orphan_files),
            "documents_without_file": len(sweep.missing) - len(sweep.evidence_problems),
        }
    if any(counts.values()):
        _purge(plan, counts)
    return {**counts, **orphans_remove(report=sweep)}


def _purge(plan: OrderedDict, counts: dict) -> None:
    with transaction.atomic():
        files = _files(plan["attendance_signatures"], "evidence_file")
        files += _files(plan["slot_attestations"], "attestation_image")
        files += _files(plan["generated_documents"], "file")
        files += _files(plan["document_bundles"], "file")
        # Queryset deletes do not call the models' append-only ``delete``; corrections go
        # first because they protect their signatures.
        for kind, queryset in plan.items():
            if kind == "inactive_accounts":
                for user in list(queryset):
                    user_anonymise(user=user, by=None)
            else:
                queryset.delete()
        audit_record(
            actor=None,
            action=AuditEvent.Action.RETENTION_PURGE,
            summary=gettext_noop("Expired evidence purged and inactive accounts anonymised"),
            data=counts,
        )

        def _delete_files():
            for storage, name in files:
                with contextlib.suppress(OSError):
                    storage.delete(name)

        transaction.on_commit(_delete_files)
