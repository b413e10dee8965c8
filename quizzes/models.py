"""Quizzes, their questions and choices, and the attempts trainees make at them.

Past results never move: an Answer keeps a snapshot of the question (key, text, choices,
explanation, objective) and the points given at submission, so a later edit of the question
bank changes the next attempts only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QuizQuerySet(models.QuerySet):
    def active(self):
        """Quizzes still in the question bank (a removed quiz with attempts is archived)."""
        return self.filter(is_active=True)


class Quiz(models.Model):
    """A module check, the positioning test or the final evaluation."""

    class Kind(models.TextChoices):
        MODULE = "module", _("Module check")
        POSITIONING = "positioning", _("Positioning test")
        FINAL = "final", _("Final evaluation")

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    module = models.ForeignKey(
        "modules.Module",
        on_delete=models.SET_NULL,
        related_name="quizzes",
        null=True,
        blank=True,
        verbose_name=_("module"),
    )
    description_source = models.TextField(_("description (Markdown)"), blank=True)
    description_html = models.TextField(_("description (HTML)"), blank=True, editable=False)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=0, help_text=_("0 means no pass mark.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    show_answers = models.BooleanField(
        _("show answers after submission"),
        default=True,
        help_text=_("Show correctness, feedback and explanations on the result page."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(
                condition=Q(kind="module") | Q(module__isnull=True),
                name="quiz_module_only_for_module_checks",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quizzes:quiz_detail", args=[self.slug])

    @property
    def is_unlimited(self) -> bool:
        return self.max_attempts == 0


class Question(models.Model):
    """One question of a quiz; it measures one course objective."""

    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text_source = models.TextField(_("statement (Markdown)"))
    text_html = models.TextField(_("statement (HTML)"), blank=True, editable=False)
    objective = models.ForeignKey(
        "modules.CourseObjective",
        on_delete=models.SET_NULL,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("course objective"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    explanation_source = models.TextField(_("explanation (Markdown)"), blank=True)
    explanation_html = models.TextField(_("explanation (HTML)"), blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "order"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="unique_question_key"),
        ]

    def __str__(self):
        return f"{self.quiz.slug}/{self.key}"


class Choice(models.Model):
    """A possible answer to a question, with the feedback shown when it is chosen."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(_("key"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback_source = models.TextField(_("feedback (Markdown)"), blank=True)
    feedback_html = models.TextField(_("feedback (HTML)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_choice_key"),
        ]

    def __str__(self):
        return self.text


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own attempts: anybody else's is a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def submitted(self):
        return self.filter(status=Attempt.Status.SUBMITTED)

    def in_progress(self):
        return self.filter(status=Attempt.Status.IN_PROGRESS)


class Attempt(models.Model):
    """One go at a quiz by one person; graded exactly once, at submission."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.SET_NULL,
        related_name="quiz_attempts",
        null=True,
        blank=True,
        verbose_name=_("session"),
        help_text=_("The session the attempt was taken within, if any."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score_points = models.DecimalField(
        _("points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    score_percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(
        _("passed"), null=True, blank=True, help_text=_("Empty when the quiz has no pass mark.")
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Starting twice (double click, two tabs) resumes the same attempt.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(
                    submitted_at__isnull=False,
                    score_points__isnull=False,
                    max_points__isnull=False,
                    score_percent__isnull=False,
                ),
                name="submitted_attempt_is_graded",
            ),
            models.CheckConstraint(
                condition=Q(score_points__isnull=True) | Q(score_points__lte=F("max_points")),
                name="attempt_points_within_max",
            ),
            models.CheckConstraint(
                condition=Q(score_percent__isnull=True)
                | Q(score_percent__gte=0, score_percent__lte=100),
                name="attempt_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.quiz} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        if self.status == self.Status.SUBMITTED:
            return reverse("quizzes:attempt_result", args=[self.pk])
        return reverse("quizzes:attempt_take", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one question of a submitted attempt, frozen at submission."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, related_name="answers", null=True, blank=True
    )
    objective = models.ForeignKey(
        "modules.CourseObjective",
        on_delete=models.SET_NULL,
        related_name="answers",
        null=True,
        blank=True,
        verbose_name=_("course objective"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question_key = models.CharField(_("question key"), max_length=40)
    question_type = models.CharField(_("type"), max_length=20, choices=Question.Type.choices)
    question_html = models.TextField(_("statement (HTML)"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    explanation_html = models.TextField(_("explanation (HTML)"), blank=True)
    # [{"id", "key", "text", "is_correct", "feedback_html", "chosen"}, …] as shown at submission
    choices = models.JSONField(_("choices"), default=list)
    chosen_ids = models.JSONField(_("chosen choices"), default=list)
    is_correct = models.BooleanField(_("correct"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["attempt", "order"]
        indexes = [
            # Covers the item analysis of the results page (quizzes.selectors._item_stats):
            # the grouped sums read this index instead of the answers' long HTML snapshots.
            models.Index(
                fields=["attempt", "question", "chosen_ids", "is_correct", "points", "max_points"],
                name="answer_item_analysis",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_key"], name="unique_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=F("max_points")),
                name="answer_points_within_max",
            ),
        ]

    def __str__(self):
        return f"{self.attempt_id}/{self.question_key}"
