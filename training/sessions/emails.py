"""The emails of sessions: invitations, convocations (with their ``.ics``) and cancellation
notices, rendered in French from ``templates/training/email/``.

Nothing here talks to the mail server in a request: ``*_queue`` functions write one
``EmailDelivery`` per person in the caller's transaction and enqueue the worker's task once it
commits; the worker builds each message when it sends it (``DeliveryMessages``), so a message
queued during an outage carries the session's data of the moment it leaves.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from training.accounts.models import User
from training.background.models import EmailDelivery
from training.background.services import deliveries_create
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


def password_reset_message(*, user: User, protocol: str, domain: str) -> EmailMultiAlternatives:
    """Django's password reset email (its templates), with a token made now."""
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/password_reset_subject.txt", context)
        body = render_to_string("registration/password_reset_email.html", context)
    return EmailMultiAlternatives(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email]
    )


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


# --- Queueing: the worker sends (training/sessions/tasks.py) ----------------------------------


def _enqueue_after_commit(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return
    from training.sessions.tasks import emails_enqueue

    # robust: the rows are committed; should the queue be unreachable, the worker's recovery
    # picks them up later (background.services.deliveries_requeue_lost) instead of a 500.
    transaction.on_commit(lambda: emails_enqueue(delivery_ids=delivery_ids), robust=True)


def invitations_queue(*, user_ids: Sequence[int]) -> list[int]:
    """Queue the invitation (set-password link) of each new account."""
    ids = deliveries_create(kind=EmailDelivery.Kind.INVITATION, recipient_ids=user_ids)
    _enqueue_after_commit(ids)
    return ids


def convocations_queue(*, session: TrainingSession, trainee_ids: Sequence[int]) -> list[int]:
    """Queue (or queue again) the convocation of each trainee of ``session``."""
    ids = deliveries_create(
        kind=EmailDelivery.Kind.CONVOCATION, recipient_ids=trainee_ids, session_id=session.pk
    )
    _enqueue_after_commit(ids)
    return ids


def cancellation_notices_queue(
    *, session: TrainingSession, trainee_ids: Sequence[int], reason: str = ""
) -> list[int]:
    """Queue the notice telling each trainee that the session is cancelled."""
    ids = deliveries_create(
        kind=EmailDelivery.Kind.CANCELLATION,
        recipient_ids=trainee_ids,
        session_id=session.pk,
        params={"reason": reason},
    )
    _enqueue_after_commit(ids)
    return ids


def password_reset_queue(*, user_id: int, protocol: str, domain: str) -> list[int]:
    """Queue a password reset email (Django's form asked for it; the worker sends it)."""
    ids = deliveries_create(
        kind=EmailDelivery.Kind.PASSWORD_RESET,
        recipient_ids=[user_id],
        params={"protocol": protocol, "domain": domain},
    )
    _enqueue_after_commit(ids)
    return ids


def emails_schedule(
    *,
    kind: str,
    recipient_ids: Sequence[int],
    send_at: datetime.datetime,
    session: TrainingSession | None = None,
    params: dict | None = None,
) -> list[int]:
    """Queue emails to leave at ``send_at`` (the task framework's ``run_after``): the way to
    schedule a future send, e.g. a satisfaction survey the day after a session. A reminder's
    ``params`` name its template (``{"template": "training/email/NAME"}``: NAME_subject.txt,
    NAME.txt and NAME.html are rendered with the session and the trainee)."""
    ids = deliveries_create(
        kind=kind,
        recipient_ids=recipient_ids,
        session_id=session.pk if session is not None else None,
        params=params,
    )
    EmailDelivery.objects.filter(pk__in=ids).update(next_attempt_at=send_at)
    if ids:
        from training.sessions.tasks import emails_enqueue

        transaction.on_commit(
            lambda: emails_enqueue(delivery_ids=ids, run_after=send_at), robust=True
        )
    return ids


@transaction.atomic
def convocation_resend(*, enrolment: Enrolment) -> list[int]:
    """« Renvoyer »: queue one trainee's convocation again."""
    if not enrolment.is_active:
        raise ValidationError(_("This trainee is no longer enrolled."), code="removed")
    return convocations_queue(session=enrolment.session, trainee_ids=[enrolment.trainee_id])


@transaction.atomic
def convocations_resend(*, session: TrainingSession) -> list[int]:
    """« Renvoyer les convocations »: queue the convocation of every enrolled trainee again."""
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled."), code="cancelled")
    trainee_ids = list(
        session.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list(
            "trainee_id", flat=True
        )
    )
    return convocations_queue(session=session, trainee_ids=trainee_ids)


# --- Sending: called by the worker -------------------------------------------------------------


class DeliveryMessages:
    """Build the message of each delivery at the time it is sent (with the session's latest
    data), sharing one .ics and one context per session across a batch."""

    def __init__(self):
        self._sessions: dict[int, tuple[bytes, dict]] = {}

    def _session(self, session_id: int) -> tuple[bytes, dict]:
        if session_id not in self._sessions:
            session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
                pk=session_id
            )
            self._sessions[session_id] = (
                session_ics(session=session),
                _session_email_context(session),
            )
        return self._sessions[session_id]

    def __call__(self, delivery: EmailDelivery) -> EmailMultiAlternatives | None:
        Kind = EmailDelivery.Kind
        user = delivery.recipient
        if delivery.kind == Kind.INVITATION:
            if user.last_login is not None or user.has_usable_password():
                return None  # the account is in use: no set-password link any more
            return invitation_message(user=user)
        if delivery.kind == Kind.CONVOCATION:
            enrolment = (
                Enrolment.objects.filter(
                    session_id=delivery.session_id,
                    trainee_id=user.pk,
                    status=Enrolment.Status.ENROLLED,
                )
                .exclude(session__status=TrainingSession.Status.CANCELLED)
                .select_related("trainee")
                .first()
            )
            if enrolment is None:
                return None
            ics, base = self._session(delivery.session_id)
            enrolment.session = base["session"]
            return convocation_message(enrolment=enrolment, ics=ics, base=base)
        if delivery.kind == Kind.CANCELLATION:
            _ics, base = self._session(delivery.session_id)
            context = {**base, "reason": delivery.params.get("reason", ""), "trainee": user}
            subject, text, html = _render_email("session_cancelled", context)
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [user.email]
            )
            message.attach_alternative(html, "text/html")
            return message
        if delivery.kind == Kind.PASSWORD_RESET:
            return password_reset_message(user=user, **delivery.params)
        if delivery.kind == Kind.REMINDER:
            template = delivery.params.get("template", "")
            if not template.startswith("training/email/"):
                raise ValueError(f"A reminder needs a template under training/email/: {template!r}")
            context = {"trainee": user, "ORGANISATION": settings.ORGANISATION}
            if delivery.session_id:
                context.update(self._session(delivery.session_id)[1])
                context["trainee"] = user
            name = template.removeprefix("training/email/")
            subject, text, html = _render_email(name, context)
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [user.email]
            )
            message.attach_alternative(html, "text/html")
            return message
        raise ValueError(f"No message for the email kind {delivery.kind!r}.")


def delivery_sent(delivery: EmailDelivery) -> None:
    """Note on the enrolment when its convocation went (shown in the admin and the exports)."""
    if delivery.kind == EmailDelivery.Kind.CONVOCATION:
        Enrolment.objects.filter(
            session_id=delivery.session_id, trainee_id=delivery.recipient_id
        ).update(convocation_sent_at=delivery.sent_at)
