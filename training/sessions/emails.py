"""The emails of sessions: invitations, convocations (with their ``.ics``) and cancellation
notices, rendered in French from ``templates/training/email/``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from training.accounts.models import User
from training.sessions.calendar import sessions_calendar
from training.sessions.models import Enrolment, TrainingSession

# --- Emails --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render_email(template: str, context: dict) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"training/email/{template}_subject.txt", context)
        text = render_to_string(f"training/email/{template}.txt", context)
        html = render_to_string(f"training/email/{template}.html", context)
    return " ".join(subject.split()), text, html


def session_ics_filename(session: TrainingSession) -> str:
    """Return the attachment name of a session's calendar file."""
    return f"session-{slugify(session.code) or session.pk}.ics"


def session_ics(*, session: TrainingSession) -> bytes:
    """Return the .ics of one session (its slots in Europe/Paris time)."""
    session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
        pk=session.pk
    )
    return sessions_calendar(sessions=[session], name=f"{session.title} ({session.code})")


def invitation_message(*, user: User) -> EmailMultiAlternatives:
    """Build the invitation email with a link to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "set_password_url": _absolute(reverse("password_reset_confirm", args=[uid, token])),
        "login_url": _absolute(reverse("login")),
        "days_valid": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "ORGANISATION": settings.ORGANISATION,
    }
    subject, text, html = _render_email("invitation", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def _session_email_context(session: TrainingSession) -> dict:
    slots = list(session.slots.all())
    days = []
    for slot in slots:
        if not days or days[-1]["date"] != slot.date:
            days.append({"date": slot.date, "slots": []})
        days[-1]["slots"].append(slot)
    return {
        "session": session,
        "days": days,
        "trainers": list(session.trainers.all()),
        "programme_url": _absolute(reverse("home")),
        "dashboard_url": _absolute(reverse("training:dashboard")),
        "session_url": _absolute(reverse("training:session_detail", args=[session.pk])),
        "ORGANISATION": settings.ORGANISATION,
    }


def convocation_message(
    *, enrolment: Enrolment, ics: bytes | None = None, base: dict | None = None
) -> EmailMultiAlternatives:
    """Build the convocation email of one trainee, with the session's .ics attached."""
    session = enrolment.session
    context = dict(base or _session_email_context(session))
    context["trainee"] = enrolment.trainee
    subject, text, html = _render_email("convocation", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [enrolment.trainee.email]
    )
    message.attach_alternative(html, "text/html")
    message.attach(
        session_ics_filename(session),
        ics if ics is not None else session_ics(session=session),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return message


def _send(messages: list[EmailMultiAlternatives]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def invitations_send(*, user_ids: Sequence[int]) -> int:
    """Send the invitation (set-password link) to each new account."""
    users = User.objects.filter(pk__in=user_ids)
    return _send([invitation_message(user=user) for user in users])


def convocations_send(*, enrolment_ids: Sequence[int]) -> int:
    """Send (or resend) the convocation of each enrolment and note when it went."""
    enrolments = list(
        Enrolment.objects.filter(pk__in=enrolment_ids, status=Enrolment.Status.ENROLLED)
        .select_related("trainee", "session")
        .order_by("session_id")
    )
    messages = []
    by_session: dict[int, tuple[bytes, dict]] = {}
    for enrolment in enrolments:
        if enrolment.session_id not in by_session:
            session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
                pk=enrolment.session_id
            )
            by_session[session.pk] = (session_ics(session=session), _session_email_context(session))
        ics, base = by_session[enrolment.session_id]
        enrolment.session = base["session"]
        messages.append(convocation_message(enrolment=enrolment, ics=ics, base=base))
    sent = _send(messages)
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        convocation_sent_at=timezone.now()
    )
    return sent


def convocations_send_pending(*, batch_size: int = 100) -> tuple[int, int]:
    """Send the convocations never sent for sessions not over, with the invitations they need.

    Each batch is marked sent once it has gone, so an interrupted run resumes where it
    stopped. A trainee whose account was never used (no password, never logged in) also gets
    the invitation with the link to choose a password. Returns (convocations, invitations).
    """
    pending = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ENROLLED,
            convocation_sent_at__isnull=True,
            session__end_date__gte=timezone.localdate(),
        )
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .order_by("session_id", "pk")
    )
    convocations = invitations = 0
    handled: set[int] = set()  # never twice in one run, even if a row could not be marked
    while True:
        batch = list(pending.exclude(pk__in=handled).select_related("trainee")[:batch_size])
        if not batch:
            return convocations, invitations
        handled.update(e.pk for e in batch)
        new_accounts = [
            e.trainee_id
            for e in batch
            if e.trainee.last_login is None and not e.trainee.has_usable_password()
        ]
        invitations += invitations_send(user_ids=new_accounts)
        convocations += convocations_send(enrolment_ids=[e.pk for e in batch])


def convocation_send(*, enrolment: Enrolment) -> int:
    """Send (or resend) one trainee's convocation."""
    if not enrolment.is_active:
        raise ValidationError(_("This trainee is no longer enrolled."), code="removed")
    return convocations_send(enrolment_ids=[enrolment.pk])


def cancellation_notice_send(
    *, session: TrainingSession, enrolment_ids: Sequence[int], reason: str = ""
) -> int:
    """Tell the trainees that their session is cancelled."""
    session = TrainingSession.objects.prefetch_related("slots", "trainers").get(pk=session.pk)
    base = _session_email_context(session)
    base["reason"] = reason
    messages = []
    for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related("trainee"):
        subject, text, html = _render_email(
            "session_cancelled", {**base, "trainee": enrolment.trainee}
        )
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [enrolment.trainee.email]
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return _send(messages)
