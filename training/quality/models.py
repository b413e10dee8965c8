"""Complaints (« réclamations », Qualiopi indicator 31) and improvement actions (« actions
d'amélioration », indicator 32)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["Complaint", "ComplaintThrottle", "ImprovementAction"]


class Complaint(models.Model):
    """A complaint from anyone (account or visitor), and how the organisation handled it."""

    class Status(models.TextChoices):
        RECEIVED = "recue", _("Received")
        IN_PROGRESS = "en_cours", _("In progress")
        ANSWERED = "traitee", _("Answered")
        CLOSED = "close", _("Closed")

    class Role(models.TextChoices):
        TRAINEE = "stagiaire", _("Trainee")
        EMPLOYER = "employeur", _("Employer")
        FUNDER = "financeur", _("Funder")
        TRAINER = "formateur", _("Trainer")
        OTHER = "autre", _("Other")

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    role = models.CharField(_("you are"), max_length=20, choices=Role.choices, default=Role.OTHER)
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("session concerned"),
    )
    session_text = models.CharField(
        _("session concerned (as described)"), max_length=200, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledgement sent"), null=True, blank=True)
    started_at = models.DateTimeField(_("handling started"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answer date"), null=True, blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_handled",
        verbose_name=_("handled by"),
    )
    internal_note = models.TextField(_("internal note"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="traitee") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="answered_complaint_has_its_answer",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    @property
    def reference(self) -> str:
        """« REC-2026-0012 »: the year received and the number."""
        return f"REC-{timezone.localtime(self.created_at):%Y}-{self.pk or 0:04d}"

    @property
    def days_to_answer(self) -> int | None:
        """Whole days from receipt to the answer (None while unanswered)."""
        if self.answered_at is None:
            return None
        return (timezone.localdate(self.answered_at) - timezone.localdate(self.created_at)).days

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)


class ComplaintThrottle(models.Model):
    """One complaint sent from a client address (kept as a keyed hash, for an hour or a day):
    the rate limit is shared by every app server through the database."""

    client_hash = models.CharField(_("client (keyed hash)"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("complaint rate record")
        verbose_name_plural = _("complaint rate records")

    def __str__(self):
        return f"{self.client_hash[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class ImprovementAction(models.Model):
    """An improvement decided from a source (survey result, complaint, trainer's remark, legal
    watch…), with an owner, a due date, a status and its outcome."""

    class Source(models.TextChoices):
        SURVEY = "questionnaire", _("Survey result")
        COMPLAINT = "reclamation", _("Complaint")
        TRAINER = "formateur", _("Trainer's remark")
        LEGAL_WATCH = "veille", _("Legal watch")
        AUDIT = "audit", _("Audit")
        OTHER = "autre", _("Other")

    class Status(models.TextChoices):
        PLANNED = "prevue", _("Planned")
        IN_PROGRESS = "en_cours", _("In progress")
        DONE = "realisee", _("Done")
        ABANDONED = "abandonnee", _("Abandoned")

    CLOSED = (Status.DONE, Status.ABANDONED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_detail = models.TextField(_("source in detail"), blank=True)
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("complaint"),
    )
    question = models.ForeignKey(
        "training.SurveyQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("survey question"),
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("session"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    outcome = models.TextField(pgettext_lazy("improvement action", "outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the programme page"), default=False)
    public_summary = models.TextField(_("what we changed (public text)"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions_created",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | (Q(status="realisee") & ~Q(public_summary="")),
                name="public_action_is_done_and_summarised",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["realisee", "abandonnee"])
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="closed_action_has_its_outcome",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def is_late(self) -> bool:
        """Open and past its due date."""
        return (
            not self.is_closed
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )
