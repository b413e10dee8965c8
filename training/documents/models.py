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

__all__ = ["GeneratedDocument"]


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
