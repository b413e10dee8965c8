"""What background work records: each email's delivery, the tasks that failed for good, the
workers' heartbeats and the periodic runs already claimed.

The task queue itself belongs to the backend (``django_tasks_db``'s table, or Redis); these
rows are ours, the same whatever the backend.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["EmailDelivery", "PeriodicRun", "TaskFailure", "WorkerHeartbeat"]


def _message_id() -> str:
    return uuid.uuid4().hex


class EmailDelivery(models.Model):
    """One email to one person, sent by the worker: queued → sending → sent, or failed.

    The row is written in the same transaction as what asks for the email (an enrolment), so
    an email is never lost when the mail server is down, and it is marked « sending » before
    the SMTP conversation, so a retry after a crash never sends it twice.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        CONVOCATION = "convocation", _("Convocation")
        CANCELLATION = "cancellation", _("Cancellation notice")
        REMINDER = "reminder", _("Reminder")
        PASSWORD_RESET = "password_reset", _("Password reset")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # No longer wanted when its turn came (trainee removed, account already in use).
        CANCELLED = "cancelled", _("Not sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_deliveries",
        verbose_name=_("recipient"),
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_deliveries",
        verbose_name=_("session"),
    )
    # What the message needs beyond the recipient and the session (a cancellation's reason).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reason = models.TextField(_("reason of the last failure"), blank=True)
    # The same Message-ID on every attempt: a mail system that got it twice can tell.
    message_id = models.CharField(_("message identifier"), max_length=64, default=_message_id)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    attempt_started_at = models.DateTimeField(_("last attempt started at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["session", "kind", "recipient"], name="delivery_session_idx"),
            models.Index(fields=["status", "attempt_started_at"], name="delivery_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.SENDING)


class TaskFailure(models.Model):
    """A piece of background work that failed after its retries, for the administrators."""

    task = models.CharField(_("task"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    error = models.TextField(_("error"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    task_id = models.CharField(_("task identifier"), max_length=64, blank=True)
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.task} ({self.failed_at:%Y-%m-%d %H:%M})"


class WorkerHeartbeat(models.Model):
    """The last sign of life of a worker (host and process), written by its scheduler."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    backend = models.CharField(_("backend"), max_length=20)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self):
        return self.name


class PeriodicRun(models.Model):
    """A periodic job's run for one period, claimed once whatever the number of workers."""

    name = models.CharField(_("job"), max_length=100)
    period = models.CharField(_("period"), max_length=32)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="unique_periodic_run"),
        ]

    def __str__(self):
        return f"{self.name} {self.period}"
