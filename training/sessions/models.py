"""Training sessions, their half-day slots, enrolments and calendar-feed tokens."""

import datetime
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import date_in_range
from training.access import permissions
from training.accounts.models import User

__all__ = ["CalendarToken", "Enrolment", "Slot", "TrainingSession"]


class TrainingSessionQuerySet(models.QuerySet):
    def for_trainer(self, user):
        """Sessions the user runs as a trainer."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            pk__in=TrainingSession.trainers.through.objects.filter(user=user).values(
                "trainingsession_id"
            )
        )

    def for_trainee(self, user):
        """Sessions the user is enrolled in (enrolment not cancelled)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            pk__in=Enrolment.objects.filter(trainee=user, status=Enrolment.Status.ENROLLED).values(
                "session_id"
            )
        )

    def visible_to(self, user):
        """Every session for an administrator; otherwise the ones run or attended."""

        if not user.is_authenticated:
            return self.none()
        if permissions.can_administer(user):
            return self.all()
        return self.filter(
            models.Q(pk__in=self.for_trainer(user).values("pk"))
            | models.Q(pk__in=self.for_trainee(user).values("pk"))
        )

    def managed_by(self, user):
        """Sessions the user may edit: every one for an administrator, else the ones run."""

        if permissions.can_administer(user):
            return self.all()
        if permissions.can_run_sessions(user):
            return self.for_trainer(user)
        return self.none()

    def not_cancelled(self):
        return self.exclude(status=TrainingSession.Status.CANCELLED)

    def upcoming(self):
        """Sessions whose last day is today or later, soonest first."""
        return self.filter(end_date__gte=timezone.localdate()).order_by("start_date", "pk")

    def past(self):
        """Sessions whose last day is over, latest first."""
        return self.filter(end_date__lt=timezone.localdate()).order_by("-start_date", "-pk")


class TrainingSession(models.Model):
    """A 2–3 day session of the course, with its half-day slots and enrolled trainees."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Draft")
        PLANNED = "planifiee", _("Scheduled")
        FINISHED = "terminee", _("Finished")
        CANCELLED = "annulee", _("Cancelled")

    code = models.CharField(_("reference code"), max_length=40, unique=True)
    course = models.ForeignKey(
        "modules.Course",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("first day"), validators=[date_in_range])
    end_date = models.DateField(_("last day"), validators=[date_in_range])
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    access_notes = models.TextField(_("access notes"), blank=True)
    remote_url = models.URLField(_("remote session link"), max_length=500, blank=True)
    trainers = models.ManyToManyField(
        User, related_name="sessions_trained", blank=True, verbose_name=_("trainers")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=12)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    resources = models.ManyToManyField(
        "modules.Resource",
        related_name="sessions",
        blank=True,
        verbose_name=_("session resources"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="session_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="session_capacity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def get_absolute_url(self):
        return reverse("training:session_detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_remote(self):
        return bool(self.remote_url) and not self.place_name


class Slot(models.Model):
    """One half-day of a session, with its times and the modules covered."""

    class Period(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session")
    )
    date = models.DateField(_("date"), validators=[date_in_range])
    period = models.CharField(_("half-day"), max_length=2, choices=Period.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    modules = models.ManyToManyField(
        "modules.Module", related_name="slots", blank=True, verbose_name=_("modules covered")
    )

    class Meta:
        verbose_name = _("half-day slot")
        verbose_name_plural = _("half-day slots")
        ordering = ["date", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date", "period"], name="unique_slot_per_half_day"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="slot_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_period_display()} ({self.start_time:%H:%M}–{self.end_time:%H:%M})"

    @property
    def starts_at(self):
        """The aware start datetime in the site's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self):
        """The aware end datetime in the site's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Enrolment(models.Model):
    """A trainee's place in a session; removal keeps the row (status cancelled)."""

    class Status(models.TextChoices):
        ENROLLED = "inscrit", _("Enrolled")
        CANCELLED = "annule", _("Removed")

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    trainee = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("trainee")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    convocation_sent_at = models.DateTimeField(_("convocation sent at"), null=True, blank=True)
    # For the annual BPF (training.bpf): codes of fixtures/bpf.yaml (data, so no choices here:
    # correcting the categories needs no migration), and the price invoiced for this place.
    trainee_category = models.CharField(_("trainee category (BPF)"), max_length=40, blank=True)
    funding_source = models.CharField(_("funding source (BPF)"), max_length=40, blank=True)
    price = models.DecimalField(
        _("price (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="unique_enrolment"),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="enrolment_price_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} — {self.session.code}"

    @property
    def is_active(self):
        return self.status == self.Status.ENROLLED


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL; regenerating it kills the old URL."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_token", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_calendar_token)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return str(self.user)
