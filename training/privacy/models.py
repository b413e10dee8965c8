"""Privacy and evidence models: erasure requests, the audit trail and the evidence seals.

The audit trail is append-only: ``save`` refuses updates and ``delete`` refuses (the admin is
read-only too). A seal stores the head of a slot's signature chain, so a later direct change
of a signature row in the database is detected by ``verify_evidence``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.attendance.models import AppendOnlyError, AppendOnlyModel

__all__ = ["AuditEvent", "ErasureRequest", "SlotEvidenceSeal"]


class AuditAppendOnlyError(AppendOnlyError):
    """Raised when code tries to change or delete an audit event."""


class AuditEvent(AppendOnlyModel):
    """Who did what, when, on which object (append-only)."""

    append_only_error = AuditAppendOnlyError

    class Action(models.TextChoices):
        ATTENDANCE_CORRECT = "attendance.correct", _("Attendance corrected")
        ENROLMENT_CREATE = "enrolment.create", _("Trainee enrolled")
        ENROLMENT_REMOVE = "enrolment.remove", _("Trainee removed")
        SLOT_ATTEST = "slot.attest", _("Half-day closed and attested")
        SLOT_AUTO_CLOSE = "slot.auto_close", _("Half-day closed automatically")
        DOCUMENT_GENERATE = "document.generate", _("Document generated")
        ACCOUNT_ANONYMISE = "account.anonymise", _("Account anonymised")
        ERASURE_REQUEST = "erasure.request", _("Erasure requested")
        ERASURE_REJECT = "erasure.reject", _("Erasure request rejected")
        ROLE_CHANGE = "role.change", _("Roles changed")
        RETENTION_PURGE = "retention.purge", _("Expired data purged")
        COMPLAINT_STATUS = "complaint.status", _("Complaint status changed")
        ACTION_STATUS = "action.status", _("Improvement action recorded or changed")
        COMMENT_MODERATE = "survey.comment", _("Survey comment published or hidden")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class ErasureRequest(models.Model):
    """A person's request to erase their account, decided by an administrator."""

    class Status(models.TextChoices):
        PENDING = "en_attente", _("Pending")
        DONE = "effectuee", _("Done (account anonymised)")
        REJECTED = "refusee", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_decisions",
        verbose_name=_("decided by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="en_attente"),
                name="one_pending_erasure_request_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class SlotEvidenceSeal(models.Model):
    """The stored head of a half-day's evidence chain, set at closing, updated on corrections."""

    slot = models.OneToOneField(
        "training.Slot",
        on_delete=models.CASCADE,
        related_name="evidence_seal",
        verbose_name=_("half-day slot"),
    )
    chain_head = models.CharField(_("chain head (SHA-256)"), max_length=64)
    links = models.PositiveIntegerField(_("links"), default=0)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence seal")
        verbose_name_plural = _("evidence seals")

    def __str__(self):
        return f"{self.slot} — {self.chain_head[:12]}"
