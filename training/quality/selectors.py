"""Quality reads: complaints and improvement actions for the administrators, and the results
published on the programme page (Qualiopi indicator 2) with « ce que nous avons changé ».

Published figures cover the sessions whose last day falls in the last
``PUBLISHED_RESULTS_MONTHS`` months (cancelled and draft sessions aside); each comes with its
N and is hidden below ``PUBLISHED_RESULTS_MIN_N``:

- satisfaction rate: answers « satisfait » or « très satisfait » (4 or 5 of 5) to the
  overall-satisfaction question of the « à chaud » questionnaire ÷ answers to it;
- trainees trained: people with at least one half-day attended;
- completion rate: hours attended ÷ hours planned, over every trainee enrolled (each
  session's planned hours once per trainee; ``attended_hours`` / ``planned_hours``);
- success rate: trainees whose retained final-evaluation attempt reached the pass mark ÷
  trainees who took the final evaluation within these sessions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from quizzes.models import Quiz
from quizzes.selectors import retained_attempts
from training.attendance.selectors import attended_hours, planned_hours
from training.quality.models import Complaint, ImprovementAction
from training.sessions.models import TrainingSession
from training.surveys.models import Questionnaire, SurveyAnswer, SurveyQuestion

PUBLISHED_CACHE_SECONDS = 600


# --- Complaints ---------------------------------------------------------------------------------


def complaints_for_admin(*, status: str | None = None) -> QuerySet:
    """Return the complaints, newest first, optionally of one status."""
    complaints = Complaint.objects.select_related("session", "handled_by", "submitted_by")
    if status:
        complaints = complaints.filter(status=status)
    return complaints.order_by("-created_at", "-pk")


@dataclass
class ComplaintFigures:
    total: int
    open: int
    answered: int
    average_days: Decimal | None  # receipt to answer, over the complaints answered
    longest_days: int | None


def complaint_figures(*, since: datetime.date | None = None) -> ComplaintFigures:
    """Return how many complaints, how many still open, and the time taken to answer."""
    complaints = Complaint.objects.all()
    if since is not None:
        complaints = complaints.filter(created_at__date__gte=since)
    counts = complaints.aggregate(
        total=Count("pk"),
        open=Count(
            "pk", filter=Q(status__in=[Complaint.Status.RECEIVED, Complaint.Status.IN_PROGRESS])
        ),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    days = [
        c.days_to_answer
        for c in complaints.filter(answered_at__isnull=False).only("created_at", "answered_at")
    ]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
    return ComplaintFigures(
        counts["total"], counts["open"], counts["answered"], average, max(days) if days else None
    )


def complaint_rows(*, complaints) -> list[list]:
    """Return the complaints as spreadsheet rows (for audits)."""
    from django.utils.translation import gettext as _

    rows = [
        [
            _("Reference"),
            _("Received"),
            _("Status"),
            _("You are"),
            _("Session concerned"),
            _("Subject"),
            _("Acknowledgement sent"),
            _("Answered"),
            _("Days to answer"),
            _("Answer given"),
            _("Closed"),
        ]
    ]
    for c in complaints:
        rows.append(
            [
                c.reference,
                timezone.localtime(c.created_at).replace(tzinfo=None),
                c.get_status_display(),
                c.get_role_display(),
                c.session.code if c.session else c.session_text,
                c.subject,
                timezone.localtime(c.acknowledged_at).replace(tzinfo=None)
                if c.acknowledged_at
                else None,
                timezone.localtime(c.answered_at).replace(tzinfo=None) if c.answered_at else None,
                c.days_to_answer,
                c.answer,
                timezone.localtime(c.closed_at).replace(tzinfo=None) if c.closed_at else None,
            ]
        )
    return rows


# --- Improvement actions -----------------------------------------------------------------------


def actions_for_admin(*, status: str | None = None) -> QuerySet:
    """Return the improvement actions, open ones first, optionally of one status."""
    actions = ImprovementAction.objects.select_related(
        "owner", "complaint", "question__questionnaire", "session"
    )
    if status:
        actions = actions.filter(status=status)
    return actions.order_by(
        F("closed_at").desc(nulls_first=True), F("due_date").asc(nulls_last=True), "-pk"
    )


def public_actions(*, limit: int = 6) -> list[ImprovementAction]:
    """Return the closed actions marked public, latest first (« ce que nous avons changé »)."""
    return list(
        ImprovementAction.objects.filter(is_public=True, status=ImprovementAction.Status.DONE)
        .order_by("-closed_at", "-pk")
        .only("title", "public_summary", "closed_at")[:limit]
    )


def action_rows(*, actions) -> list[list]:
    from django.utils.translation import gettext as _

    rows = [
        [
            _("Number"),
            _("Title"),
            _("Source"),
            _("Source in detail"),
            _("Owner"),
            _("Due date"),
            _("Status"),
            _("Outcome"),
            _("Closed"),
            _("Shown on the programme page"),
        ]
    ]
    for a in actions:
        source = a.source_detail
        if a.complaint_id:
            source = f"{a.complaint.reference} — {source}".strip(" —")
        elif a.question_id:
            source = f"{a.question.questionnaire.title} : {a.question.text} — {source}".strip(" —")
        rows.append(
            [
                a.pk,
                a.title,
                a.get_source_display(),
                source,
                a.owner.get_full_name() if a.owner else "",
                a.due_date,
                a.get_status_display(),
                a.outcome,
                timezone.localtime(a.closed_at).date() if a.closed_at else None,
                a.is_public,
            ]
        )
    return rows


# --- Published results ----------------------------------------------------------------------------


@dataclass
class Figure:
    value: int | None  # a percentage, or a number of people
    n: int
    min_n: int

    @property
    def shown(self) -> bool:
        return self.value is not None and self.n >= self.min_n


@dataclass
class PublishedResults:
    since: datetime.date
    until: datetime.date
    min_n: int
    session_count: int
    satisfaction: Figure
    trained: Figure
    completion: Figure
    success: Figure

    @property
    def any_shown(self) -> bool:
        return any(
            f.shown for f in (self.satisfaction, self.trained, self.completion, self.success)
        )


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))


def published_period(*, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Return the period covered: sessions ended within the last months, up to yesterday."""
    today = today or timezone.localdate()
    until = today - datetime.timedelta(days=1)
    return _months_before(today, settings.PUBLISHED_RESULTS_MONTHS), until


def _percent(part, whole) -> int | None:
    return round(100 * part / whole) if whole else None


def published_results(*, today: datetime.date | None = None) -> PublishedResults:
    """Compute the published figures from the data (see the module docstring)."""
    since, until = published_period(today=today)
    min_n = settings.PUBLISHED_RESULTS_MIN_N
    sessions = list(
        TrainingSession.objects.filter(
            end_date__gte=since,
            end_date__lte=until,
            status__in=[TrainingSession.Status.PLANNED, TrainingSession.Status.FINISHED],
        ).order_by("pk")
    )
    answers = SurveyAnswer.objects.filter(
        question__measure=SurveyQuestion.Measure.SATISFACTION,
        question__questionnaire__kind=Questionnaire.Kind.HOT,
        response__session__in=sessions,
        value__isnull=False,
    ).aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(value__gte=4)))
    satisfaction = Figure(_percent(answers["satisfied"], answers["n"]), answers["n"], min_n)

    trained: set[int] = set()
    attended_total = planned_total = Decimal(0)
    pairs = 0
    takers = passed = 0
    finals = list(Quiz.objects.filter(kind=Quiz.Kind.FINAL, pass_mark__gt=0))
    for session in sessions:
        hours = attended_hours(session=session)
        planned = planned_hours(session=session)
        for user_id, attended in hours.items():
            pairs += 1
            attended_total += attended
            planned_total += planned
            if attended > 0:
                trained.add(user_id)
        for quiz in finals:
            figures = retained_attempts(quiz=quiz, session=session).aggregate(
                n=Count("pk"), ok=Count("pk", filter=Q(passed=True))
            )
            takers += figures["n"]
            passed += figures["ok"]
    completion = Figure(_percent(attended_total, planned_total), pairs, min_n)
    return PublishedResults(
        since,
        until,
        min_n,
        len(sessions),
        satisfaction,
        Figure(len(trained), len(trained), min_n),
        completion,
        Figure(_percent(passed, takers) if finals else None, takers, min_n),
    )


def published_results_cached() -> PublishedResults:
    """The published figures, computed at most every ten minutes (the public home page)."""
    key = f"quality:published:{timezone.localdate().isoformat()}:{settings.PUBLISHED_RESULTS_MIN_N}"
    results = cache.get(key)
    if results is None:
        results = published_results()
        cache.set(key, results, PUBLISHED_CACHE_SECONDS)
    return results
