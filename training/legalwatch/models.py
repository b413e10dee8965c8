"""The legal references the course cites, where each one is cited, the verifications of each
reference, the content flagged for review after a change, and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "LegalReference",
    "ReferenceCitation",
    "ReferenceReminder",
    "ReviewFlag",
    "Verification",
]


class ItemKind(models.TextChoices):
    """The kinds of content that cite texts (and may be flagged « à revoir »)."""

    COURSE = "course", _("Programme")
    MODULE = "module", _("Module introduction")
    LESSON = "lesson", _("Lesson")
    SLIDE = "slide", _("Slide")
    TRAINER_NOTE = "trainer_note", _("Trainer notes")
    GLOSSARY = "glossary", _("Glossary entry")
    QUIZ = "quiz", _("Quiz")
    QUESTION = "question", _("Quiz question")
    GUIDE = "guide", _("Sharing compass (introduction)")
    NODE = "node", _("Sharing compass question")
    VERDICT = "verdict", _("Sharing compass verdict")
    CASE = "case", _("Practice case")


class LegalReferenceQuerySet(models.QuerySet):
    def active(self):
        """References the registry file still holds (removed ones keep their history)."""
        return self.filter(is_active=True)


class LegalReference(models.Model):
    """One article, text or decision the content cites (from ``fixtures/references.yaml``)."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        TEXT = "text", _("Text")
        DECISION = "decision", _("Court decision")

    class Status(models.TextChoices):
        VERIFIED = "V", _("Verified [V]")
        TO_CHECK = "U", _("To be checked")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    cite = models.CharField(_("citation"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("code or source"), max_length=200)
    title = models.CharField(_("official title"), max_length=400, blank=True)
    description = models.CharField(_("description"), max_length=400)
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    version = models.CharField(_("version relied on"), max_length=300, blank=True)
    url = models.URLField(_("official text"), max_length=500, blank=True)
    url_note = models.CharField(_("note on the link"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=1, choices=Status.choices)
    facts = models.JSONField(_("facts of the fact sheet"), default=list, blank=True)
    verified_on = models.DateField(_("verified on (registry file)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in the registry"), default=True)
    # A reference never verified is due from the day it entered the registry.
    created_at = models.DateTimeField(_("entered the registry on"), default=timezone.now)

    objects = LegalReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal reference")
        verbose_name_plural = _("legal references")
        ordering = ["order", "key"]

    def __str__(self):
        return self.cite


class ReferenceCitation(models.Model):
    """Where the content cites a reference: one row per cited item (rebuilt at each load)."""

    reference = models.ForeignKey(
        LegalReference, on_delete=models.CASCADE, related_name="citations"
    )
    item_kind = models.CharField(_("kind of content"), max_length=20, choices=ItemKind.choices)
    item_key = models.CharField(_("item"), max_length=200)
    item_label = models.CharField(_("label"), max_length=300)
    module_slug = models.CharField(_("module"), max_length=50, blank=True)
    path = models.CharField(_("file"), max_length=300)
    lines = models.JSONField(_("lines"), default=list)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["reference", "path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "item_kind", "item_key"], name="unique_reference_citation"
            ),
        ]
        indexes = [models.Index(fields=["item_kind", "item_key"])]

    def __str__(self):
        return f"{self.reference.cite} — {self.item_label}"


class Verification(models.Model):
    """An administrator checked a reference against its official text."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("Unchanged")
        MODIFIED = "modified", _("Modified")
        REPEALED = "repealed", _("Repealed")

    reference = models.ForeignKey(
        LegalReference, on_delete=models.PROTECT, related_name="verifications"
    )
    checked_on = models.DateField(_("date of the verification"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="legal_verifications",
        verbose_name=_("verified by"),
    )
    source_consulted = models.CharField(_("source consulted"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    action_reference = models.CharField(_("improvement action"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-checked_on", "-recorded_at"]

    def __str__(self):
        return f"{self.reference.cite} — {self.checked_on:%d/%m/%Y}"

    @property
    def flags_content(self) -> bool:
        return self.outcome in (self.Outcome.MODIFIED, self.Outcome.REPEALED)


class ReviewFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)


class ReviewFlag(models.Model):
    """A content item that cites a modified or repealed reference: « à revoir » until resolved."""

    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="flags")
    reference = models.ForeignKey(LegalReference, on_delete=models.PROTECT, related_name="flags")
    item_kind = models.CharField(_("kind of content"), max_length=20, choices=ItemKind.choices)
    item_key = models.CharField(_("item"), max_length=200)
    item_label = models.CharField(_("label"), max_length=300)
    module_slug = models.CharField(_("module"), max_length=50, blank=True)
    path = models.CharField(_("file"), max_length=300, blank=True)
    lines = models.JSONField(_("lines"), default=list, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution_note = models.TextField(_("what was done"), blank=True)

    objects = ReviewFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("content to review")
        verbose_name_plural = _("content to review")
        ordering = ["reference", "item_kind", "item_key"]
        constraints = [
            # One open flag per item and reference: a second « modifié » adds no duplicate.
            models.UniqueConstraint(
                fields=["reference", "item_kind", "item_key"],
                condition=Q(resolved_at__isnull=True),
                name="unique_open_review_flag",
            ),
        ]
        indexes = [models.Index(fields=["item_kind", "item_key"])]

    def __str__(self):
        return f"{self.reference.cite} — {self.item_label}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReferenceReminder(models.Model):
    """A reminder e-mail sent for an overdue reference: once per reference and due date."""

    reference = models.ForeignKey(
        LegalReference, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(_("verification due on"))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("verification reminder")
        verbose_name_plural = _("verification reminders")
        constraints = [
            models.UniqueConstraint(fields=["reference", "due_on"], name="unique_reminder_due"),
        ]

    def __str__(self):
        return f"{self.reference.cite} — {self.due_on:%d/%m/%Y}"
