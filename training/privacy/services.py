"""Writes for personal data: erasure requests and the anonymisation of an account.

Anonymisation replaces the identity and deletes what is not evidence (reading progress,
unfinished attempts, wrong signing codes, the calendar token, login-attempt logs); named
questionnaire answers (trainers') are detached from the person and kept, and the name and
address on their complaints are replaced. Evidence
the organisation must keep — attendance records and their corrections, certificates and
attestations, submitted quiz results, enrolments — stays, now attached to a pseudonymous
account, until ``purge_expired`` deletes it at the end of its retention period.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from modules.models import LessonProgress
from quizzes.models import Attempt
from training.accounts.models import User
from training.attendance.models import SigningAttempt
from training.background.models import EmailDelivery
from training.privacy.audit import audit_record
from training.privacy.models import AuditEvent, ErasureRequest
from training.quality.services import user_complaints_anonymise
from training.sessions.models import CalendarToken
from training.surveys.services import user_surveys_anonymise

ANONYMOUS_DOMAIN = "invalid"


def anonymous_email(user_id: int) -> str:
    return f"anonyme-{user_id}@{ANONYMOUS_DOMAIN}"


def user_is_anonymised(user: User) -> bool:
    """Return whether the account was already anonymised."""
    return user.email == anonymous_email(user.pk)


def erasure_request(*, user: User) -> ErasureRequest:
    """Record the user's request to erase their account (a second request returns the first)."""
    if user_is_anonymised(user):
        raise ValidationError(_("This account is already anonymised."), code="anonymised")
    pending = ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(user=user)
            audit_record(
                actor=user,
                action=AuditEvent.Action.ERASURE_REQUEST,
                obj=request,
                summary=gettext_noop("User #%(user)s asked for the erasure of their account"),
                params={"user": user.pk},
            )
    except IntegrityError:  # a concurrent double submission: the first one stands
        return pending.get()
    return request


@transaction.atomic
def erasure_reject(*, request: ErasureRequest, by: User, note: str = "") -> ErasureRequest:
    """Refuse a pending erasure request, with a note for the person."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_pending:
        raise ValidationError(_("This request was already decided."), code="decided")
    request.status = ErasureRequest.Status.REJECTED
    request.decided_at = timezone.now()
    request.decided_by = by
    request.note = (note or "").strip()
    request.save(update_fields=["status", "decided_at", "decided_by", "note"])
    audit_record(
        actor=by,
        action=AuditEvent.Action.ERASURE_REJECT,
        obj=request,
        summary=gettext_noop("Erasure request of user #%(user)s rejected"),
        params={"user": request.user_id},
        data={"note": request.note},
    )
    return request


def _forget_login_attempts(email: str) -> int:
    try:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    except ImportError:  # pragma: no cover - axes is installed in this project
        return 0
    count = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        count += model.objects.filter(username__iexact=email).delete()[0]
    return count


@transaction.atomic
def user_anonymise(*, user: User, by: User | None) -> User:
    """Replace the account's identity by a pseudonym and delete what is not evidence.

    Running it again is harmless: an anonymised account stays as it is (pending requests
    are still closed).
    """

    user = User.objects.select_for_update().get(pk=user.pk)
    already = user_is_anonymised(user)
    if not already:
        old_email = user.email
        deleted = {
            "lesson_progress": LessonProgress.objects.filter(user=user).delete()[0],
            "unfinished_attempts": Attempt.objects.filter(
                user=user, status=Attempt.Status.IN_PROGRESS
            ).delete()[0],
            "wrong_codes": SigningAttempt.objects.filter(trainee=user).delete()[0],
            "calendar_token": CalendarToken.objects.filter(user=user).delete()[0],
            "login_attempts": _forget_login_attempts(old_email),
            # Which emails they were sent, with the mail server's errors (their address).
            "email_deliveries": EmailDelivery.objects.filter(recipient=user).delete()[0],
        }
        pseudonym = f"n° {user.pk}"
        deleted.update(user_surveys_anonymise(user=user))
        deleted["complaints_anonymised"] = user_complaints_anonymise(
            user=user, pseudonym=f"Personne anonymisée {pseudonym}", email=anonymous_email(user.pk)
        )
        user.first_name = "Personne anonymisée"
        user.last_name = pseudonym
        user.email = anonymous_email(user.pk)
        user.profession = ""
        user.profession_category = User.ProfessionCategory.OTHER
        user.organisation = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save()
        audit_record(
            actor=by,
            action=AuditEvent.Action.ACCOUNT_ANONYMISE,
            obj=user,
            summary=gettext_noop("Account #%(user)s anonymised"),
            params={"user": user.pk},
            data={"deleted": deleted},
        )
    ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.DONE,
        decided_at=timezone.now(),
        decided_by=by if by is not None and by.pk != user.pk else None,
    )
    return user
