"""Reads for sessions, scoped to the user so another person's session is a 404."""

from __future__ import annotations

import calendar as pycalendar
import datetime
import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.cache import version_current, versioned_get
from core.sql import column
from modules.models import Module
from quizzes import selectors as quiz_selectors
from training.access import permissions
from training.accounts.models import User
from training.background.models import EmailDelivery
from training.sessions.imports import TraineeRow
from training.sessions.models import CalendarToken, Enrolment, Slot, TrainingSession

ENROLLED = Q(enrolments__status=Enrolment.Status.ENROLLED)


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(enrolled_count=Count("enrolments", filter=ENROLLED)).prefetch_related(
        "trainers"
    )


@functools.cache
def _session_sql(vendor: str) -> str:
    """The session's row, whether a user runs it, is enrolled in it, and its head count: one
    statement.

    Plain SQL from the models' tables: the same query and three subqueries through the ORM
    cost four times the rest of the page (they are compiled again at every request).
    """
    quote = connection.ops.quote_name
    meta = TrainingSession._meta
    trainers = TrainingSession.trainers.through._meta
    enrolment = Enrolment._meta

    trainers_table, enrolment_table = quote(trainers.db_table), quote(enrolment.db_table)
    session, status = column(enrolment, "session"), column(enrolment, "status")
    pk = f"s.{quote(meta.pk.column)}"
    columns = ", ".join(f"s.{quote(field.column)}" for field in meta.concrete_fields)
    # Quoted names from the models only; the values are parameters.
    return (
        f"SELECT {columns}, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {trainers_table} WHERE "
        f"{column(trainers, 'trainingsession')} = {pk} AND {column(trainers, 'user')} = %s) "
        "AS rights_runs, "
        f"EXISTS (SELECT 1 FROM {enrolment_table} WHERE {session} = {pk} "
        f"AND {column(enrolment, 'trainee')} = %s AND {status} = %s) AS rights_attends, "
        f"(SELECT COUNT(*) FROM {enrolment_table} WHERE {session} = {pk} AND {status} = %s) "
        f"AS rights_count FROM {quote(meta.db_table)} s WHERE {pk} = %s"
    )


def _session_for(user, pk: int, *, managed: bool) -> TrainingSession:
    """The session with the user's rights on it and its head count, in one query, or 404.

    ``runs_for`` ((user id, whether they run it)) answers ``permissions.can_manage_session``
    without another query; ``enrolled_count`` is its trainees enrolled. A session the user
    may not see (``visible_to``) or edit (``managed_by``) is a 404, as with those querysets.
    """
    if not user.is_authenticated:
        raise Http404
    enrolled = Enrolment.Status.ENROLLED
    found = list(
        TrainingSession.objects.raw(
            _session_sql(connection.vendor), [user.pk, user.pk, enrolled, enrolled, pk]
        )
    )
    if not found:
        raise Http404
    session = found[0]
    runs, attends = bool(session.rights_runs), bool(session.rights_attends)
    if not permissions.can_administer(user):
        allowed = (runs and permissions.can_run_sessions(user)) if managed else runs or attends
        if not allowed:
            raise Http404
    session.runs_for = (user.pk, runs)
    session.enrolled_count = session.rights_count
    return session


def session_get_visible(*, user, pk: int) -> TrainingSession:
    """Return a session the user runs, attends or administers, or 404."""
    return _session_for(user, pk, managed=False)


def session_get_managed(*, user, pk: int) -> TrainingSession:
    """Return a session the user may edit (its trainer or an administrator), or 404."""
    return _session_for(user, pk, managed=True)


def session_slots(*, session: TrainingSession) -> list[Slot]:
    """Return the session's slots in order, with their modules (number, title, slug)."""
    modules = Module.objects.only("number", "title", "slug").order_by("number")
    return list(
        session.slots.only("session_id", "date", "period", "start_time", "end_time")
        .prefetch_related(Prefetch("modules", queryset=modules))
        .order_by("date", "period")
    )


def session_days(*, session: TrainingSession) -> list[dict]:
    """Return the slots grouped by day: ``[{"date": d, "slots": [...]}, …]``."""
    days: list[dict] = []
    for slot in session_slots(session=session):
        if not days or days[-1]["date"] != slot.date:
            days.append({"date": slot.date, "slots": []})
        days[-1]["slots"].append(slot)
    return days


# The version of every session's programme (its half-days, their modules, its trainers):
# bumped by services.programme_changed (receivers.py: slots, sessions, trainers, names, the
# course's content).
PROGRAMME_VERSION = "sessions:programme"


@dataclass
class SessionProgramme:
    """A session's half-days by day (``session_days``) and its trainers; ``stamp`` is new
    whenever they are read from the database (it names the page's rendered fragments)."""

    days: list[dict]
    trainers: list[User]
    stamp: str


def session_programme(*, session: TrainingSession) -> SessionProgramme:
    """Return the session's programme, the same for every reader: from the shared cache."""

    def build():
        trainers = session.trainers.only("first_name", "last_name", "email").order_by("pk")
        return SessionProgramme(session_days(session=session), list(trainers), secrets.token_hex(8))

    return versioned_get(
        f"sessions:programme:{session.pk}", version_key=PROGRAMME_VERSION, build=build
    )


class ProgrammeRef:
    """A session's programme named by its version (``stamp``), its days and trainers read
    only when asked: a page whose fragments are already rendered reads one small entry.

    ``days`` and ``trainers`` are methods, which templates call: pass them as they are.
    """

    def __init__(self, session: TrainingSession):
        self.session = session
        self.stamp = f"{session.pk}-{version_current(PROGRAMME_VERSION)}"

    @functools.cached_property
    def _programme(self) -> SessionProgramme:
        return session_programme(session=self.session)

    def days(self) -> list[dict]:
        return self._programme.days

    def trainers(self) -> list[User]:
        return self._programme.trainers


def sessions_for_trainer(*, user) -> dict[str, list[TrainingSession]]:
    """Return the sessions the user runs, split into upcoming and past."""
    base = _with_counts(TrainingSession.objects.for_trainer(user))
    return {"upcoming": list(base.upcoming()), "past": list(base.past())}


def sessions_filtered(
    *,
    user,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    trainer: User | None = None,
    status: str = "",
) -> QuerySet:
    """Return every session the user may see (all for administrators), filtered."""
    queryset = _with_counts(TrainingSession.objects.visible_to(user)).order_by(
        "-start_date", "code"
    )
    if date_from:
        queryset = queryset.filter(end_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(start_date__lte=date_to)
    if trainer is not None:
        queryset = queryset.filter(pk__in=TrainingSession.objects.for_trainer(trainer).values("pk"))
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def trainers_all() -> QuerySet:
    """Return the people who may run sessions (trainers and administrators)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename="run_sessions")
            | Q(user_permissions__codename="run_sessions")
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def session_enrolments(*, session: TrainingSession, include_removed: bool = False) -> list:
    """Return the session's enrolments with their trainees, by name."""
    queryset = session.enrolments.select_related("trainee").order_by(
        "status", "trainee__last_name", "trainee__first_name"
    )
    if not include_removed:
        queryset = queryset.filter(status=Enrolment.Status.ENROLLED)
    enrolments = list(queryset)
    latest = convocation_deliveries(session=session)
    for enrolment in enrolments:
        enrolment.convocation = latest.get(enrolment.trainee_id)
    return enrolments


def convocation_deliveries(*, session: TrainingSession) -> dict:
    """The latest convocation email of each trainee of the session (queued, sent or failed)."""
    latest = {}
    deliveries = EmailDelivery.objects.filter(
        session=session, kind=EmailDelivery.Kind.CONVOCATION
    ).order_by("recipient_id", "-created_at", "-pk")
    for delivery in deliveries:
        latest.setdefault(delivery.recipient_id, delivery)
    return latest


def session_enrolled_count(*, session: TrainingSession) -> int:
    """Return the session's enrolled trainees (counted with it by ``session_get_*``)."""
    counted = getattr(session, "enrolled_count", None)
    if counted is not None:
        return counted
    return session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


def session_resources(*, session: TrainingSession) -> list:
    return list(session.resources.order_by("kind", "order", "title"))


@functools.cache
def _trainee_sessions_sql(vendor: str) -> str:
    """The sessions a trainee is enrolled in, not cancelled, ending on a day or later."""
    quote = connection.ops.quote_name
    meta, enrolment = TrainingSession._meta, Enrolment._meta

    columns = ", ".join(f"s.{quote(field.column)}" for field in meta.concrete_fields)
    pk = f"s.{quote(meta.pk.column)}"
    # Quoted names from the models only; the values are parameters.
    return (
        f"SELECT {columns} FROM {quote(meta.db_table)} s WHERE {pk} IN ("  # noqa: S608
        f"SELECT {column(enrolment, 'session')} FROM {quote(enrolment.db_table)} "
        f"WHERE {column(enrolment, 'trainee')} = %s AND {column(enrolment, 'status')} = %s) "
        f"AND s.{column(meta, 'status')} <> %s AND s.{column(meta, 'end_date')} >= %s "
        f"ORDER BY s.{column(meta, 'start_date')}, {pk}"
    )


def trainee_sessions(*, user, since: datetime.date) -> list[TrainingSession]:
    """Return the sessions the user is enrolled in, not cancelled, ending on ``since`` or
    later, soonest first: what the dashboard's panels (next session, attendance, documents,
    satisfaction) each pick from, read once.

    Plain SQL from the models' tables (``for_trainee().not_cancelled()`` through the ORM costs
    five times the query, at every dashboard).
    """
    if not user.is_authenticated:
        return []
    return list(
        TrainingSession.objects.raw(
            _trainee_sessions_sql(connection.vendor),
            [
                user.pk,
                Enrolment.Status.ENROLLED,
                TrainingSession.Status.CANCELLED,
                connection.ops.adapt_datefield_value(since),
            ],
        )
    )


def session_next_for_trainee(*, user) -> TrainingSession | None:
    """Return the trainee's next (or current) live session, or None (its programme:
    ``ProgrammeRef``)."""
    return TrainingSession.objects.for_trainee(user).not_cancelled().upcoming().first()


def sessions_upcoming_for_trainer(*, user, limit: int = 3) -> list[TrainingSession]:
    """Return the next few sessions the user runs (for the dashboard)."""
    return list(
        _with_counts(TrainingSession.objects.for_trainer(user)).not_cancelled().upcoming()[:limit]
    )


def sessions_for_feed(*, user) -> list[TrainingSession]:
    """Return the sessions of a user's calendar feed, with slots and trainers loaded."""
    return list(
        TrainingSession.objects.visible_to(user)
        .exclude(status=TrainingSession.Status.DRAFT)
        .filter(end_date__gte=timezone.localdate() - datetime.timedelta(days=366))
        .prefetch_related("slots__modules", "trainers")
        .order_by("start_date")
    )


def calendar_token_user(*, token: str) -> User:
    """Return the active user owning a feed token, or 404."""
    found = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    )
    return found.user


def month_calendar(*, user, year: int, month: int, sessions: QuerySet | None = None) -> dict:
    """Return the weeks of a month (Monday first) with the slots of the user's sessions."""
    first = datetime.date(year, month, 1)
    last = first.replace(day=pycalendar.monthrange(year, month)[1])
    if sessions is None:
        sessions = TrainingSession.objects.managed_by(user)
    slots = (
        Slot.objects.filter(session__in=sessions, date__gte=first, date__lte=last)
        .select_related("session")
        .order_by("date", "period")
    )
    by_day: dict[datetime.date, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot.date, []).append(slot)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {"date": day, "in_month": day.month == month, "slots": by_day.get(day, [])}
                for day in week
            ]
        )
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return {
        "first": first,
        "weeks": weeks,
        "has_slots": bool(by_day),
        "previous": previous,
        "next": following,
        "today": timezone.localdate(),
    }


def import_preview(*, session: TrainingSession, rows: Sequence[TraineeRow]) -> dict:
    """Say for each row whether it creates an account, reuses one, or is already enrolled."""
    emails = [row.email for row in rows]
    existing = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    active = set(
        Enrolment.objects.filter(
            session=session, trainee_id__in=existing.values(), status=Enrolment.Status.ENROLLED
        ).values_list("trainee_id", flat=True)
    )
    lines = []
    counts = {"new": 0, "existing": 0, "enrolled": 0}
    for row in rows:
        if row.email not in existing:
            state = "new"
        elif existing[row.email] in active:
            state = "enrolled"
        else:
            state = "existing"
        counts[state] += 1
        lines.append({"row": row, "state": state})
    enrolled = session_enrolled_count(session=session)
    adding = counts["new"] + counts["existing"]
    return {
        "lines": lines,
        "counts": counts,
        "adding": adding,
        "total_after": enrolled + adding,
        "over_capacity": enrolled + adding > session.capacity,
    }


def session_quiz_results(*, session: TrainingSession) -> list[dict]:
    """Return each quiz's figures and per-trainee retained scores for one session's attempts."""

    results = []
    for row in quiz_selectors.results_overview(session=session):
        quiz = row["quiz"]
        if not row["trainees"]:
            results.append({"quiz": quiz, "trainees": 0, "average": None, "pass_rate": None})
            continue
        # Everyone on one page: a session has at most a few dozen trainees.
        figures = quiz_selectors.quiz_results(
            quiz=quiz, session=session, per_page=max(row["trainees"], 1)
        )
        results.append(
            {
                "quiz": quiz,
                "trainees": figures.trainee_count,
                "average": figures.average,
                "pass_rate": figures.pass_rate,
                "scores": list(figures.page),
            }
        )
    return results
