"""Attendance (émargement): the life cycle of each half-day slot and its signatures.

Signatures and corrections are append-only evidence: once saved they are never changed nor
deleted by the application (``save`` refuses updates, ``delete`` refuses); a correction is a
new record with its author, reason and time. The database enforces one signature per trainee
per slot.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AttendanceCorrection",
    "AttendanceSignature",
    "SigningAttempt",
    "SlotAttendance",
]


def _new_slot_secret() -> str:
    return secrets.token_hex(32)


def _signature_upload_to(instance, filename: str) -> str:
    return f"attendance/{instance.slot.session_id}/{instance.slot_id}/{filename}"


def _attestation_upload_to(instance, filename: str) -> str:
    return f"attendance/{instance.slot.session_id}/{instance.slot_id}/{filename}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete evidence (signatures, corrections, audit)."""


class AppendOnlyModel(models.Model):
    """A row written once: evidence is corrected by new rows, never edited or deleted."""

    append_only_error = AppendOnlyError

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.append_only_error(
                f"{self._meta.verbose_name}: append-only, add a new record."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.append_only_error(f"{self._meta.verbose_name}: never deleted.")


class SignatureMethod(models.TextChoices):
    DRAWN = "trace", _("Drawn on screen")
    TYPED = "saisie", _("Typed name with certification")
    PAPER = "papier", _("Paper sheet (scanned)")
    TRAINER = "formateur", _("Recorded by the trainer")


class SlotAttendance(models.Model):
    """The attendance state of one half-day: upcoming → open → closed and attested."""

    class Status(models.TextChoices):
        UPCOMING = "a_venir", _("Upcoming")
        OPEN = "ouvert", _("Open")
        # Left open after its day: closed by the worker (no more signatures), still to attest.
        AUTO_CLOSED = "clos_auto", _("Closed automatically, to attest")
        CLOSED = "clos", _("Closed")

    slot = models.OneToOneField(
        "training.Slot",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("half-day slot"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPCOMING
    )
    secret = models.CharField(_("code secret"), max_length=64, default=_new_slot_secret)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots_opened",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots_attested",
        verbose_name=_("attested by"),
    )
    attested_at = models.DateTimeField(_("attested at"), null=True, blank=True)
    attestation_method = models.CharField(
        _("attestation method"), max_length=10, choices=SignatureMethod.choices, blank=True
    )
    attestation_image = models.FileField(
        _("trainer's signature"), upload_to=_attestation_upload_to, blank=True, max_length=255
    )
    attestation_name = models.CharField(_("typed name"), max_length=300, blank=True)
    attestation_sha256 = models.CharField(
        _("SHA-256 of the attestation"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("slot attendance")
        verbose_name_plural = _("slot attendances")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="clos")
                | (models.Q(closed_at__isnull=False) & models.Q(attested_by__isnull=False)),
                name="closed_slot_is_attested",
            ),
            models.CheckConstraint(
                condition=models.Q(status="a_venir") | models.Q(opened_at__isnull=False),
                name="open_slot_has_opening_time",
            ),
        ]

    def __str__(self):
        return f"{self.slot} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_auto_closed(self) -> bool:
        return self.status == self.Status.AUTO_CLOSED


class AttendanceSignatureQuerySet(models.QuerySet):
    def with_effective_status(self):
        """Annotate ``effective_status``: the latest correction's status, else the original."""
        latest = (
            AttendanceCorrection.objects.filter(signature=OuterRef("pk"))
            .order_by("-created_at", "-pk")
            .values("new_status")[:1]
        )
        return self.annotate(effective_status=Coalesce(Subquery(latest), F("status")))


class AttendanceSignature(AppendOnlyModel):
    """One trainee's attendance record for one half-day (signature or trainer's mark)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "retard", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excuse", _("Excused absence")

    ATTENDED = (Status.PRESENT, Status.LATE)
    Method = SignatureMethod

    slot = models.ForeignKey(
        "training.Slot",
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("half-day slot"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance_signatures",
        verbose_name=_("trainee"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    method = models.CharField(_("method"), max_length=10, choices=SignatureMethod.choices)
    signed_at = models.DateTimeField(_("recorded at (server time)"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser (user agent)"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("signature image or scanned sheet"),
        upload_to=_signature_upload_to,
        blank=True,
        max_length=255,
    )
    typed_name = models.CharField(_("typed name"), max_length=300, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256 of the evidence"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance_recorded",
        verbose_name=_("recorded by"),
    )

    objects = AttendanceSignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance signature")
        verbose_name_plural = _("attendance signatures")
        ordering = ["slot", "trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "trainee"], name="unique_signature_per_slot_and_trainee"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} — {self.slot} — {self.get_status_display()}"

    @property
    def current_status(self) -> str:
        """The status after corrections (when annotated by ``with_effective_status``)."""
        return getattr(self, "effective_status", None) or self.status

    @property
    def current_status_label(self) -> str:
        return str(self.Status(self.current_status).label)


class AttendanceCorrection(AppendOnlyModel):
    """A later change of an attendance record's status, with its author and reason."""

    signature = models.ForeignKey(
        AttendanceSignature,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("attendance signature"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance_corrections",
        verbose_name=_("author"),
    )
    previous_status = models.CharField(
        _("previous status"), max_length=10, choices=AttendanceSignature.Status.choices
    )
    new_status = models.CharField(
        _("new status"), max_length=10, choices=AttendanceSignature.Status.choices
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.signature} → {self.get_new_status_display()}"


class SigningAttempt(models.Model):
    """A wrong code typed by a trainee: kept to slow down guessing and for the audit."""

    slot = models.ForeignKey(
        "training.Slot",
        on_delete=models.CASCADE,
        related_name="signing_attempts",
        verbose_name=_("half-day slot"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signing_attempts",
        verbose_name=_("trainee"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("wrong signing code")
        verbose_name_plural = _("wrong signing codes")
        indexes = [models.Index(fields=["slot", "trainee", "created_at"])]

    def __str__(self):
        return f"{self.trainee} — {self.slot} — {self.created_at:%H:%M:%S}"
