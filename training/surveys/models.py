"""Questionnaires (loaded from ``fixtures/surveys/``), who is invited to answer them, the
messages sent, and the answers.

Anonymity: for an anonymous questionnaire (the trainees' « à chaud » and « à froid »), who
answered is kept on the invitation (``answered``, for reminders and the response rate) and
what they answered on the response, with nothing linking the two: no foreign key, no time of
answering on either side, random (UUID) keys so that the order of the rows tells nothing.
Results are grouped by session (and periods by the session's last day), never by date of
answer.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "Questionnaire",
    "SessionSurveySettings",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyMessage",
    "SurveyQuestion",
    "SurveyResponse",
]


class Questionnaire(models.Model):
    """One questionnaire of ``fixtures/surveys/*.yaml``; one active per kind."""

    class Kind(models.TextChoices):
        HOT = "chaud", _("Trainees, at the end of the session (« à chaud »)")
        COLD = "froid", _("Trainees, weeks after the session (« à froid »)")
        TRAINER = "formateur", _("Trainer's appreciation of the session")
        SPONSOR = "commanditaire", _("Employer or funder")

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["kind", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_active=True),
                name="one_active_questionnaire_per_kind",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def for_trainees(self) -> bool:
        return self.kind in (self.Kind.HOT, self.Kind.COLD)


class SurveyQuestion(models.Model):
    """A question of a questionnaire; questions removed from the file but answered are kept
    inactive so that past results still read."""

    class Type(models.TextChoices):
        LIKERT = "likert", _("Scale from 1 to 5")
        RECOMMENDATION = "recommendation", _("Recommendation from 0 to 10")
        YES_NO = "yes_no", _("Yes or no")
        CHOICE = "choice", _("Single choice")
        TEXT = "text", _("Free text")

    class Measure(models.TextChoices):
        NONE = "", _("None")
        SATISFACTION = "satisfaction", _("Overall satisfaction")
        RECOMMENDATION = "recommendation", _("Recommendation")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    key = models.SlugField(_("key"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text = models.TextField(_("question"))
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("labels of the answers"), default=list, blank=True)
    measure = models.CharField(
        _("measure"), max_length=20, choices=Measure.choices, default="", blank=True
    )
    objective = models.ForeignKey(
        "modules.CourseObjective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
        verbose_name=_("course objective"),
    )
    module = models.ForeignKey(
        "modules.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
        verbose_name=_("module"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="unique_survey_question_key"
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire.slug}/{self.key}"

    def values(self) -> list[tuple[int, str]]:
        """Return the possible answers as (stored value, label), in display order."""
        if self.type == self.Type.LIKERT:
            return list(zip(range(1, 6), self.options, strict=False))
        if self.type == self.Type.RECOMMENDATION:
            return [(n, str(n)) for n in range(11)]
        if self.type == self.Type.YES_NO:
            return [(1, str(_("Yes"))), (0, str(_("No")))]
        if self.type == self.Type.CHOICE:
            return list(enumerate(self.options, start=1))
        return []


class SessionSurveySettings(models.Model):
    """A session's own survey settings (the « à froid » delay)."""

    session = models.OneToOneField(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="survey_settings",
        verbose_name=_("session"),
    )
    cold_delay_days = models.PositiveSmallIntegerField(
        _("« à froid » questionnaire: days after the last day"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("session survey settings")
        verbose_name_plural = _("session survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(cold_delay_days__isnull=True)
                | Q(cold_delay_days__gte=1, cold_delay_days__lte=365),
                name="survey_cold_delay_range",
            ),
        ]

    def __str__(self):
        return str(self.session)


def _link_secret() -> str:
    return secrets.token_urlsafe(16)


class SurveyInvitation(models.Model):
    """A person asked to answer a questionnaire about a session: a trainee or trainer (an
    account) or an employer / funder (a name and an email, no account)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("questionnaire"),
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("session"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("recipient"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations_made",
        verbose_name=_("created by"),
    )
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)
    # Part of the signed link: changing it kills every link sent so far.
    link_secret = models.CharField(_("link secret"), max_length=32, default=_link_secret)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["session", "questionnaire", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "session", "recipient"],
                condition=Q(recipient__isnull=False),
                name="one_survey_invitation_per_person",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "session", "email"],
                condition=Q(recipient__isnull=True),
                name="one_survey_invitation_per_email",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""),
                name="survey_invitation_has_an_address",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire.slug} — {self.session.code} — {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.recipient_id:
            return str(self.recipient)
        return self.name or self.email

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.email

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at


class SurveyMessage(models.Model):
    """One email of an invitation: number 0 is the invitation, 1, 2… the reminders.

    The unique (invitation, number) pair is what makes each message go once: a run claims a
    message by inserting its row; a concurrent run's insert fails and it moves on.
    """

    class Status(models.TextChoices):
        CLAIMED = "en_cours", _("Being sent")
        SENT = "envoye", pgettext_lazy("survey message", "Sent")
        FAILED = "echec", _("Failed")
        SKIPPED = "inutile", _("Not sent (already answered)")

    invitation = models.ForeignKey(
        SurveyInvitation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("invitation"),
    )
    number = models.PositiveSmallIntegerField(_("number (0: invitation, then reminders)"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey message")
        verbose_name_plural = _("survey messages")
        ordering = ["invitation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "number"], name="one_survey_message"),
        ]

    def __str__(self):
        return f"{self.invitation_id} #{self.number} {self.status}"

    @property
    def is_reminder(self) -> bool:
        return self.number > 0


class SurveyResponse(models.Model):
    """One set of answers to a questionnaire about a session.

    Anonymous: no respondent, no invitation, no time (check constraint). Otherwise (trainer,
    employer) the response names its invitation, respondent and time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("session"),
    )
    anonymous = models.BooleanField(_("anonymous"))
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("respondent"),
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["session", "questionnaire", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(respondent__isnull=True, invitation__isnull=True, submitted_at__isnull=True),
                name="anonymous_response_links_nobody",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire.slug} — {self.session_id}"


class SurveyAnswer(models.Model):
    """The answer to one question: a number (scale, recommendation, yes = 1 / no = 0, choice
    position) or a text; a text is a comment that trainers read once an administrator has
    published it."""

    class CommentStatus(models.TextChoices):
        NONE = "", _("Not a comment")
        PENDING = "a_relire", _("To be read")
        PUBLISHED = "publie", _("Published")
        HIDDEN = "masque", _("Hidden")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        SurveyResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    question = models.ForeignKey(
        SurveyQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    comment_status = models.CharField(
        _("comment"), max_length=10, choices=CommentStatus.choices, default="", blank=True
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""), name="survey_answer_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"
