"""Generated session documents (PDF), cached by a hash of everything they are made from.

A document is rendered once per distinct input: the hash covers the rendered content (course,
session, attendance, results), the template and stylesheet versions. Any change of input
gives a new hash, hence a new rendering; the row of the previous version is replaced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["DocumentBundle", "GeneratedDocument"]


def _document_upload_to(instance, filename: str) -> str:
    return f"documents/{instance.session_id}/{filename}"


class GeneratedDocument(models.Model):
    """One rendered PDF of a session (for one trainee when the document is personal)."""

    class Kind(models.TextChoices):
        HANDOUT = "handout", _("Slide handout")
        BIBLIOGRAPHY = "bibliography", _("Bibliography")
        LINKS = "links", _("Internet resources")
        ATTENDANCE = "attendance", _("Attendance sheet")
        CONVOCATION = "convocation", _("Convocation")
        CERTIFICATE = "certificate", _("Certificate of completion")
        ATTESTATION = "attestation", _("End-of-training attestation")

    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="generated_documents",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="generated_documents",
        null=True,
        blank=True,
        verbose_name=_("trainee"),
    )
    input_hash = models.CharField(_("input fingerprint (SHA-256)"), max_length=64)
    file = models.FileField(_("file"), upload_to=_document_upload_to, max_length=255)
    # The stored file's fingerprint, checked before it is served (``documents.integrity``):
    # a file truncated or changed on disk is printed again instead.
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["session", "kind", "trainee", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "trainee", "input_hash"],
                name="unique_generated_document",
            ),
            # NULL trainees are distinct in a plain unique index: cover session-wide documents.
            models.UniqueConstraint(
                fields=["session", "kind", "input_hash"],
                condition=Q(trainee__isnull=True),
                name="unique_generated_session_document",
            ),
        ]

    def __str__(self):
        who = f" — {self.trainee}" if self.trainee_id else ""
        return f"{self.get_kind_display()} — {self.session.code}{who}"


def _bundle_upload_to(instance, filename: str) -> str:
    return f"bundles/{instance.session_id}/{filename}"


class DocumentBundle(models.Model):
    """A ZIP of a session's documents, built by the worker.

    One row per session, bundle and fingerprint of its documents' inputs (unique): a second
    request for the same bundle finds the row and follows the build already under way.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="document_bundles",
        verbose_name=_("session"),
    )
    which = models.CharField(_("bundle"), max_length=20)
    fingerprint = models.CharField(_("input fingerprint (SHA-256)"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("documents done"), default=0)
    file = models.FileField(_("file"), upload_to=_bundle_upload_to, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document bundle")
        verbose_name_plural = _("document bundles")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "which", "fingerprint"], name="unique_document_bundle"
            ),
        ]

    def __str__(self):
        return f"{self.which} — {self.session_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
