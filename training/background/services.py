"""Writes of background work: queue emails, send one with retries, record failures, claim
periodic runs, recover work interrupted by a dead worker.

Exactly once, honestly: a delivery row is written with what asks for the email, then switched
from « queued » to « sending » (row locked) before the SMTP conversation starts. A retry only
ever picks a « queued » row, so a delivery is handed to the mail server at most once per
attempt that failed *before* the server accepted it. Two windows remain, as with any SMTP
client: the server accepts the message and the connection drops before its « 250 OK » reaches
us (we retry, the person may get it twice — the Message-ID is the same, so mail clients can
tell); the worker dies between « 250 OK » and recording « sent » (the row stays « sending »,
``deliveries_recover`` marks it failed as « interrupted, may have been sent » and nobody
retries it by itself: the trainer decides with « renvoyer »).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from training.background.models import EmailDelivery, PeriodicRun, TaskFailure, WorkerHeartbeat

logger = logging.getLogger(__name__)

Status = EmailDelivery.Status

# A « sending » row older than this belongs to a worker that died during the SMTP conversation.
SENDING_STALE = datetime.timedelta(minutes=10)


# --- Failures ------------------------------------------------------------------------------


def failure_record(
    *, task: str, description: str = "", error: str, attempts: int = 1, task_id: str = ""
) -> TaskFailure:
    """List a piece of background work that failed for good on the administrators' page."""
    logger.error("Background task %s failed after %d attempt(s): %s", task, attempts, error)
    return TaskFailure.objects.create(
        task=task[:200],
        description=description[:300],
        error=error,
        attempts=attempts,
        task_id=str(task_id)[:64],
    )


def on_task_finished(sender, task_result, **kwargs) -> None:
    """Receiver of the framework's ``task_finished``: an exception escaped a task (a bug, a
    database down); our own tasks record their expected failures themselves."""
    from core.tasks import TaskResultStatus

    if task_result.status != TaskResultStatus.FAILED:
        return
    error = task_result.errors[-1].traceback if task_result.errors else ""
    if not error and sys.exc_info()[0] is not None:
        # RQ calls its failure callback before it stores the job's result: the exception is
        # the one being handled right now.
        error = "".join(traceback.format_exception(*sys.exc_info()))
    try:
        failure_record(
            task=task_result.task.module_path,
            description=", ".join(repr(a) for a in task_result.args)[:300],
            error=(error or "?")[-4000:],
            attempts=max(1, task_result.attempts),
            task_id=task_result.id,
        )
    except Exception:  # pragma: no cover - never let the bookkeeping break the worker
        logger.exception("Could not record the failure of task %s", task_result.id)


# --- Emails --------------------------------------------------------------------------------


def deliveries_create(
    *,
    kind: str,
    recipient_ids: Iterable[int],
    session_id: int | None = None,
    params: dict | None = None,
) -> list[int]:
    """Queue one email of ``kind`` per recipient (in the caller's transaction); return the ids.

    A recipient who already has the same email queued and not yet sent is not queued twice:
    the queued one goes out with the latest data (emails are built when they are sent).
    """
    recipient_ids = list(dict.fromkeys(recipient_ids))
    pending = dict(
        EmailDelivery.objects.filter(
            kind=kind,
            session_id=session_id,
            recipient_id__in=recipient_ids,
            status=Status.QUEUED,
        ).values_list("recipient_id", "pk")
    )
    fresh = [
        EmailDelivery(kind=kind, recipient_id=rid, session_id=session_id, params=params or {})
        for rid in recipient_ids
        if rid not in pending
    ]
    EmailDelivery.objects.bulk_create(fresh, batch_size=500)
    if any(d.pk is None for d in fresh):  # pragma: no cover - backends without RETURNING
        fresh = list(
            EmailDelivery.objects.filter(
                kind=kind, session_id=session_id, recipient_id__in=[d.recipient_id for d in fresh]
            ).order_by("-pk")[: len(fresh)]
        )
    return [d.pk for d in fresh]


@dataclass
class SendOutcome:
    delivery_id: int
    status: str  # "sent", "retry", "failed", "skipped"
    retry_in: int | None = None


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _reason(exc: BaseException) -> str:
    """A short French reason for the trainer, then the technical detail."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            text = _("the mail server refused the address")
        elif isinstance(exc, smtplib.SMTPAuthenticationError):
            text = _("the mail server refused our credentials")
        elif isinstance(exc, smtplib.SMTPException):
            text = _("the mail server answered with an error")
        elif isinstance(exc, ConnectionError | socket.timeout | socket.gaierror | OSError):
            text = _("the mail server could not be reached")
        else:
            text = _("the email could not be prepared")
    detail = f"{type(exc).__name__}: {exc}"
    return f"{text} ({detail})"[:1000]


def delivery_send(
    *,
    delivery_id: int,
    build: Callable[[EmailDelivery], EmailMessage | None],
    on_sent: Callable[[EmailDelivery], None] | None = None,
    retry: Callable[[int, datetime.datetime], None],
) -> SendOutcome:
    """Send one queued email; on failure queue it again later, or mark it failed for good.

    ``build`` returns the message (or None when it is no longer wanted, e.g. the trainee was
    removed), ``retry(delivery_id, run_after)`` enqueues the next attempt.
    """
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Status.QUEUED:
            return SendOutcome(delivery_id, "skipped")
        delivery.status = Status.SENDING
        delivery.attempts += 1
        delivery.attempt_started_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "attempts", "attempt_started_at", "next_attempt_at"])
    try:
        message = build(delivery)
        if message is not None:
            message.extra_headers["Message-ID"] = f"<{delivery.message_id}@{_message_domain()}>"
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([message])
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the delivery
        return _delivery_failed(delivery, exc, retry)
    now = timezone.now()
    if message is None:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("no longer needed (the trainee was removed or the session cancelled)")
        EmailDelivery.objects.filter(pk=delivery.pk).update(status=Status.CANCELLED, reason=reason)
        return SendOutcome(delivery.pk, "skipped")
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=Status.SENT, sent_at=now, reason="")
    delivery.status, delivery.sent_at = Status.SENT, now
    if on_sent is not None:
        on_sent(delivery)
    return SendOutcome(delivery.pk, "sent")


def _delivery_failed(delivery: EmailDelivery, exc: BaseException, retry) -> SendOutcome:
    reason = _reason(exc)
    delays = settings.EMAIL_RETRY_DELAYS
    if delivery.attempts <= len(delays):
        wait = delays[delivery.attempts - 1]
        run_after = timezone.now() + datetime.timedelta(seconds=wait)
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.QUEUED, reason=reason, next_attempt_at=run_after
        )
        retry(delivery.pk, run_after)
        return SendOutcome(delivery.pk, "retry", retry_in=wait)
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=Status.FAILED, reason=reason)
    failure_record(
        task="email",
        description=f"{delivery.get_kind_display()} → {delivery.recipient.email}",
        error=reason,
        attempts=delivery.attempts,
    )
    return SendOutcome(delivery.pk, "failed")


def deliveries_recover(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the sends interrupted by a dead worker (at most once: no automatic retry)."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "interrupted while it was being sent (the worker stopped): it may or may not have "
            "arrived; resend it if needed"
        )
    stale = EmailDelivery.objects.filter(
        status=Status.SENDING, attempt_started_at__lt=now - SENDING_STALE
    )
    return stale.update(status=Status.FAILED, reason=reason)


# --- Workers and periodic runs ----------------------------------------------------------------


def heartbeat_record(
    *, name: str, backend: str, started_at: datetime.datetime, now: datetime.datetime | None = None
) -> None:
    """Note that the worker ``name`` is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(seen_at=now, backend=backend)
    if not updated:
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.create(
                    name=name, backend=backend, started_at=started_at, seen_at=now
                )
        except IntegrityError:  # pragma: no cover - created meanwhile by the same name
            WorkerHeartbeat.objects.filter(name=name).update(seen_at=now)
    # Workers gone for a day are forgotten.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


def heartbeat_remove(*, name: str) -> None:
    WorkerHeartbeat.objects.filter(name=name).delete()


def periodic_claim(*, name: str, period: str, worker: str = "") -> bool:
    """Claim the run of job ``name`` for ``period``; True for the one worker that gets it."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, period=period, claimed_by=worker[:200])
    except IntegrityError:
        return False
    return True


def periodic_runs_prune(*, keep_days: int = 30) -> int:
    cutoff = timezone.now() - datetime.timedelta(days=keep_days)
    return PeriodicRun.objects.filter(claimed_at__lt=cutoff).delete()[0]


def ids_chunks(ids: Sequence[int], size: int = 200) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]
