"""Survey reads: what is due to be sent at a given time, the questionnaires a person has to
answer, and the results (response rate, distributions, recommendation score, comments).

Trainers see results only for sessions where at least ``SURVEY_MIN_RESPONSES`` people
answered: a session below that is left out of every figure a trainer sees (its own page and
any total), so that no subtraction of two totals reveals a small group's answers.
Administrators see everything, with a notice below the threshold.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from core.sql import column, table
from training.access import permissions
from training.accounts.models import User
from training.sessions.models import Enrolment, TrainingSession
from training.surveys import scheduling
from training.surveys.models import (
    Questionnaire,
    SurveyAnswer,
    SurveyInvitation,
    SurveyMessage,
    SurveyQuestion,
    SurveyResponse,
)

SCHEDULED_KINDS = (Questionnaire.Kind.HOT, Questionnaire.Kind.COLD, Questionnaire.Kind.TRAINER)
# The order questionnaires are listed in: a session's life.
KIND_ORDER = [
    Questionnaire.Kind.HOT,
    Questionnaire.Kind.TRAINER,
    Questionnaire.Kind.COLD,
    Questionnaire.Kind.SPONSOR,
]


def in_kind_order(questionnaires) -> list[Questionnaire]:
    """Return questionnaires in the order of a session's life (à chaud first)."""
    return sorted(questionnaires, key=lambda q: (KIND_ORDER.index(q.kind), not q.is_active, q.pk))


LIVE_STATUSES = (TrainingSession.Status.PLANNED, TrainingSession.Status.FINISHED)


def questionnaire_active(*, kind: str) -> Questionnaire | None:
    """Return the active questionnaire of a kind (one at most)."""
    return Questionnaire.objects.filter(kind=kind, is_active=True).first()


def questions_for_form(*, questionnaire: Questionnaire) -> list[SurveyQuestion]:
    """Return the active questions of a questionnaire, in order."""
    return list(questionnaire.questions.filter(is_active=True).order_by("order"))


# --- What is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueInvitation:
    """An invitation to send now: to an account (``recipient``) or an existing row."""

    questionnaire: Questionnaire
    session: TrainingSession
    due_at: datetime.datetime
    recipient: User | None = None
    invitation: SurveyInvitation | None = None


@dataclass(frozen=True)
class DueReminder:
    invitation: SurveyInvitation
    number: int
    due_at: datetime.datetime


def _recipients(kind: str, session: TrainingSession) -> list[User]:
    if kind == Questionnaire.Kind.TRAINER:
        return [u for u in session.trainers.all() if u.is_active]
    return [
        e.trainee
        for e in session.enrolments.all()
        if e.status == Enrolment.Status.ENROLLED and e.trainee.is_active
    ]


def _candidate_sessions(now: datetime.datetime) -> QuerySet:
    """Sessions whose questionnaires may be due at ``now`` (a superset, decided per kind)."""
    today = timezone.localdate(now)
    oldest = today - datetime.timedelta(days=settings.SURVEY_SEND_WINDOW_DAYS + 366)
    return (
        TrainingSession.objects.filter(status__in=LIVE_STATUSES, end_date__gte=oldest)
        .filter(start_date__lte=today)
        .select_related("survey_settings")
        .prefetch_related("slots")
    )


def _with_people(session_ids) -> dict[int, TrainingSession]:
    return TrainingSession.objects.prefetch_related(
        "trainers", Prefetch("enrolments", queryset=Enrolment.objects.select_related("trainee"))
    ).in_bulk(list(session_ids))


def survey_invitations_due(*, now: datetime.datetime | None = None) -> list[DueInvitation]:
    """Return the invitations to send at ``now``, each person once.

    Scheduled kinds (« à chaud », « à froid », trainer) for sessions whose due time is past
    but within the send window, to each trainee (or trainer) who has no invitation message
    yet and has not answered; plus invitations already recorded (an employer's, or one a
    trainee opened from the dashboard before the end) whose due time has come, unsent and
    unanswered.
    """
    now = now or timezone.now()
    window = scheduling.send_window_start(now)
    questionnaires = {
        q.kind: q for q in Questionnaire.objects.filter(is_active=True, kind__in=SCHEDULED_KINDS)
    }
    due: list[DueInvitation] = []
    planned: list[tuple[Questionnaire, TrainingSession, datetime.datetime]] = []
    if questionnaires:
        for session in _candidate_sessions(now):
            for kind, questionnaire in questionnaires.items():
                when = scheduling.due_at(kind, session)
                if when is not None and window <= when <= now:
                    planned.append((questionnaire, session, when))
    if planned:
        sessions = _with_people({s.pk for _q, s, _w in planned})
        done = set(
            SurveyInvitation.objects.filter(session_id__in=list(sessions), recipient__isnull=False)
            .filter(Q(answered=True) | Q(messages__number=0))
            .values_list("questionnaire_id", "session_id", "recipient_id")
        )
        for questionnaire, session, when in planned:
            for person in _recipients(questionnaire.kind, sessions[session.pk]):
                if (questionnaire.pk, session.pk, person.pk) not in done:
                    due.append(DueInvitation(questionnaire, session, when, recipient=person))
    recorded = (
        SurveyInvitation.objects.filter(
            due_at__lte=now,
            due_at__gte=window,
            answered=False,
            questionnaire__is_active=True,
            session__status__in=LIVE_STATUSES,
        )
        .exclude(messages__number=0)
        .select_related("questionnaire", "session", "recipient")
        .order_by("pk")
    )
    planned_keys = {(d.questionnaire.pk, d.session.pk, d.recipient.pk) for d in due}
    for invitation in recorded:
        key = (invitation.questionnaire_id, invitation.session_id, invitation.recipient_id)
        if key in planned_keys:
            continue  # the scheduled entry above covers it
        if invitation.recipient_id and not invitation.recipient.is_active:
            continue
        due.append(
            DueInvitation(
                invitation.questionnaire,
                invitation.session,
                invitation.due_at,
                recipient=invitation.recipient,
                invitation=invitation,
            )
        )
    return due


def _still_concerned(invitation: SurveyInvitation, enrolled: set[tuple[int, int]]) -> bool:
    if invitation.recipient_id is None:
        return True
    if not invitation.recipient.is_active:
        return False
    if invitation.questionnaire.for_trainees:
        return (invitation.session_id, invitation.recipient_id) in enrolled
    return True


def survey_reminders_due(*, now: datetime.datetime | None = None) -> list[DueReminder]:
    """Return the reminders to send at ``now``: to those invited who have not answered.

    For each invitation sent, unanswered and still valid, the latest reminder whose day has
    come, unless it (or a later one) already went: a sender stopped for a while sends one
    reminder, not every one it missed.
    """
    now = now or timezone.now()
    offsets = settings.SURVEY_REMINDER_DAYS
    if not offsets:
        return []
    oldest = now - datetime.timedelta(days=max(offsets) + settings.SURVEY_SEND_WINDOW_DAYS + 1)
    invitations = list(
        SurveyInvitation.objects.filter(
            sent_at__isnull=False,
            sent_at__gte=oldest,
            answered=False,
            expires_at__gt=now,
            session__status__in=LIVE_STATUSES,
        )
        .select_related("questionnaire", "session", "recipient")
        .prefetch_related("messages")
        .order_by("pk")
    )
    enrolled = set(
        Enrolment.objects.filter(
            session_id__in={i.session_id for i in invitations}, status=Enrolment.Status.ENROLLED
        ).values_list("session_id", "trainee_id")
    )
    due = []
    for invitation in invitations:
        if not _still_concerned(invitation, enrolled):
            continue
        latest = None
        for number in range(1, len(offsets) + 1):
            when = scheduling.reminder_due_at(invitation.sent_at, number)
            if when <= now and when < invitation.expires_at:
                latest = (number, when)
        if latest is None:
            continue
        sent_numbers = [m.number for m in invitation.messages.all()]
        if max(sent_numbers, default=0) >= latest[0]:
            continue
        due.append(DueReminder(invitation, latest[0], latest[1]))
    return due


# --- What a person has to answer ---------------------------------------------------------------


@dataclass
class Pending:
    """A questionnaire the user can answer now (their invitation may not exist yet)."""

    questionnaire: Questionnaire
    session: TrainingSession
    invitation: SurveyInvitation | None


def pending_for_user(
    *,
    user,
    now: datetime.datetime | None = None,
    trainee_sessions: list[TrainingSession] | None = None,
) -> list[Pending]:
    """Return the questionnaires the user can answer now, from their invitations and, from
    the start of the last half-day, the « à chaud » (trainees) or trainer's questionnaire of
    a session they are in (so that it can be answered in the room).

    ``trainee_sessions``: the user's sessions as a trainee, if the caller already read them
    (the dashboard does, for its other panels); any list that holds those ending today.
    Nothing more is read unless a session ends today.
    """
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    pending: dict[tuple[int, int], Pending] = {}
    invitations = (
        SurveyInvitation.objects.filter(recipient=user, questionnaire__is_active=True)
        .select_related("questionnaire", "session")
        .order_by("-due_at")
        if _has_invitations(user)
        else []
    )
    answered = set()
    for invitation in invitations:
        key = (invitation.questionnaire_id, invitation.session_id)
        if invitation.answered:
            answered.add(key)
        elif invitation.sent_at is not None and not invitation.is_expired(now):
            pending[key] = Pending(invitation.questionnaire, invitation.session, invitation)
    today = timezone.localdate(now)
    if trainee_sessions is None:
        as_trainee = _ending_on(TrainingSession.objects.for_trainee(user), today)
    else:
        as_trainee = [
            session
            for session in trainee_sessions
            if session.status in LIVE_STATUSES and session.end_date == today
        ]
    as_trainer = (
        _ending_on(TrainingSession.objects.for_trainer(user), today)
        if permissions.can_run_sessions(user)
        else []
    )
    for kind, live in (
        (Questionnaire.Kind.HOT, as_trainee),
        (Questionnaire.Kind.TRAINER, as_trainer),
    ):
        if not live:
            continue
        questionnaire = questionnaire_active(kind=kind)
        if questionnaire is None:
            continue
        prefetch_related_objects(live, "slots")
        for session in sorted(live, key=lambda session: session.pk):
            key = (questionnaire.pk, session.pk)
            if key in pending or key in answered:
                continue
            start = scheduling.session_last_start(session)
            if start is not None and start <= now:
                pending[key] = Pending(questionnaire, session, None)
    return sorted(pending.values(), key=lambda p: (p.session.end_date, p.questionnaire.kind))


def _has_invitations(user) -> bool:
    """Whether the user was ever invited to a questionnaire: one plain query, sent at every
    dashboard (the ORM would spend ten times the query building it); most trainees have no
    invitation before their session's last half-day."""
    meta = SurveyInvitation._meta
    sql = f"SELECT 1 FROM {table(meta)} WHERE {column(meta, 'recipient')} = %s LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        return cursor.fetchone() is not None


def _ending_on(sessions: QuerySet, day: datetime.date) -> list[TrainingSession]:
    return list(sessions.filter(status__in=LIVE_STATUSES, end_date=day))


def invitation_for_user(*, user, pk: int) -> SurveyInvitation:
    """Return one of the user's own invitations (another person's is a 404)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        SurveyInvitation.objects.select_related("questionnaire", "session"),
        pk=pk,
        recipient=user,
    )


# --- Session page: invitations and sends --------------------------------------------------------


@dataclass
class SessionSurveyStatus:
    questionnaire: Questionnaire
    due_at: datetime.datetime | None
    invited: int
    answered: int
    reminders: int
    failed: int


def session_survey_statuses(*, session: TrainingSession) -> list[SessionSurveyStatus]:
    """Return, per active questionnaire, when it goes and how many were invited / answered."""
    session = (
        TrainingSession.objects.select_related("survey_settings")
        .prefetch_related("slots")
        .get(pk=session.pk)
    )
    counts = {
        row["questionnaire_id"]: row
        for row in SurveyInvitation.objects.filter(session=session)
        .values("questionnaire_id")
        .annotate(
            invited=Count("pk", filter=Q(sent_at__isnull=False) | Q(answered=True), distinct=True),
            answered=Count("pk", filter=Q(answered=True), distinct=True),
        )
    }
    messages = {
        row["invitation__questionnaire_id"]: row
        for row in SurveyMessage.objects.filter(invitation__session=session)
        .values("invitation__questionnaire_id")
        .annotate(
            reminders=Count("pk", filter=Q(number__gt=0, status=SurveyMessage.Status.SENT)),
            failed=Count("pk", filter=Q(status=SurveyMessage.Status.FAILED)),
        )
    }
    statuses = []
    for questionnaire in in_kind_order(Questionnaire.objects.filter(is_active=True)):
        row = counts.get(questionnaire.pk, {})
        sent = messages.get(questionnaire.pk, {})
        statuses.append(
            SessionSurveyStatus(
                questionnaire,
                scheduling.due_at(questionnaire.kind, session),
                row.get("invited", 0),
                row.get("answered", 0),
                sent.get("reminders", 0),
                sent.get("failed", 0),
            )
        )
    return statuses


def sponsor_invitations(*, session: TrainingSession) -> list[SurveyInvitation]:
    """Return the employers and funders invited for a session."""
    return list(
        SurveyInvitation.objects.filter(
            session=session, questionnaire__kind=Questionnaire.Kind.SPONSOR
        )
        .select_related("questionnaire")
        .prefetch_related("messages")
        .order_by("pk")
    )


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Bucket:
    value: int
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    buckets: list[Bucket] = field(default_factory=list)
    mean: float | None = None
    top_two: int | None = None  # share of 4 and 5 on a 1–5 scale, in percent
    nps: int | None = None  # recommendation score, from −100 to +100
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None
    comments: list[SurveyAnswer] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.question.type == SurveyQuestion.Type.TEXT


@dataclass
class SurveyResults:
    questionnaire: Questionnaire
    session_count: int
    invited: int
    responses: int
    min_responses: int
    hidden: bool  # too few answers for this viewer: no figure at all
    excluded_sessions: int = 0  # sessions left out for a trainer (below the threshold)
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responses / self.invited) if self.invited else None

    @property
    def below_threshold(self) -> bool:
        return self.responses < self.min_responses

    @property
    def satisfaction(self) -> QuestionResult | None:
        return next(
            (
                q
                for q in self.questions
                if q.question.measure == SurveyQuestion.Measure.SATISFACTION
            ),
            None,
        )

    @property
    def recommendation(self) -> QuestionResult | None:
        return next(
            (
                q
                for q in self.questions
                if q.question.measure == SurveyQuestion.Measure.RECOMMENDATION
            ),
            None,
        )

    def sections(self) -> list[tuple[str, list[Block]]]:
        """Group the questions by section, and consecutive 1–5 scale questions sharing the
        same labels into one block (one stacked chart and one table for them all)."""
        grouped: list[tuple[str, list[Block]]] = []
        for item in self.questions:
            if not grouped or grouped[-1][0] != item.question.section:
                grouped.append((item.question.section, []))
            blocks = grouped[-1][1]
            likert = item.question.type == SurveyQuestion.Type.LIKERT
            if (
                likert
                and blocks
                and blocks[-1].is_likert
                and blocks[-1].labels == item.question.options
            ):
                blocks[-1].items.append(item)
            else:
                blocks.append(Block(item.question.options if likert else [], [item], likert))
        return grouped


@dataclass
class Block:
    """Questions shown together: several 1–5 scales with the same labels, or one question."""

    labels: list[str]
    items: list[QuestionResult]
    is_likert: bool
    chart: dict | None = None

    @property
    def answered(self) -> int:
        return sum(item.answered for item in self.items)


def percent(part: int, whole: int) -> int | None:
    """Return ``part`` of ``whole`` in whole percent (None for an empty whole)."""
    return round(100 * part / whole) if whole else None


def recommendation_score(counts: dict[int, int]) -> tuple[int | None, int, int, int]:
    """Return (score, promoters, passives, detractors) from the counts of 0–10 answers.

    The « NPS » method: promoters answer 9 or 10, passives 7 or 8, detractors 0 to 6; the
    score is the percentage of promoters minus the percentage of detractors (−100 to +100).
    """
    total = sum(counts.values())
    promoters = sum(n for v, n in counts.items() if v >= 9)
    detractors = sum(n for v, n in counts.items() if v <= 6)
    passives = total - promoters - detractors
    if not total:
        return None, 0, 0, 0
    score = round(100 * promoters / total) - round(100 * detractors / total)
    return score, promoters, passives, detractors


def sessions_for_results(
    *,
    user,
    session: TrainingSession | None = None,
    trainer: User | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """Return the sessions in scope for the viewer: their own (trainer) or all (admin),
    narrowed to one session, one trainer's sessions and / or a period of last days."""
    sessions = TrainingSession.objects.managed_by(user).exclude(
        status__in=[TrainingSession.Status.CANCELLED, TrainingSession.Status.DRAFT]
    )
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    if trainer is not None:
        sessions = sessions.filter(trainers=trainer)
    if since is not None:
        sessions = sessions.filter(end_date__gte=since)
    if until is not None:
        sessions = sessions.filter(end_date__lte=until)
    return sessions


def survey_results(*, questionnaire: Questionnaire, sessions: QuerySet, user) -> SurveyResults:
    """Return the results of a questionnaire over some sessions, as the viewer may see them.

    A constant number of queries (5) whatever the number of sessions and answers.
    """
    min_n = settings.SURVEY_MIN_RESPONSES
    is_admin = permissions.can_administer(user)
    per_session = dict(
        SurveyResponse.objects.filter(questionnaire=questionnaire, session__in=sessions)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    session_ids = list(sessions.values_list("pk", flat=True))
    excluded = 0
    if not is_admin:
        kept = [pk for pk in session_ids if per_session.get(pk, 0) >= min_n]
        excluded = len([pk for pk in session_ids if 0 < per_session.get(pk, 0) < min_n])
        session_ids = kept
    responses = sum(per_session.get(pk, 0) for pk in session_ids)
    invited = (
        SurveyInvitation.objects.filter(questionnaire=questionnaire, session_id__in=session_ids)
        .filter(Q(sent_at__isnull=False) | Q(answered=True))
        .count()
    )
    hidden = not is_admin and responses < min_n
    results = SurveyResults(
        questionnaire,
        len(session_ids),
        invited,
        responses,
        min_n,
        hidden,
        excluded,
    )
    if hidden:
        return results
    questions = list(
        SurveyQuestion.objects.filter(questionnaire=questionnaire)
        .filter(Q(is_active=True) | Q(answers__response__session_id__in=session_ids))
        .distinct()
        .order_by("order")
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, value, n in (
        SurveyAnswer.objects.filter(
            response__questionnaire=questionnaire,
            response__session_id__in=session_ids,
            value__isnull=False,
        )
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .values_list("question_id", "value", "n")
    ):
        counts[question_id][value] = n
    comments: dict[int, list[SurveyAnswer]] = defaultdict(list)
    texts = SurveyAnswer.objects.filter(
        response__questionnaire=questionnaire, response__session_id__in=session_ids
    ).exclude(text="")
    if not is_admin:
        texts = texts.filter(comment_status=SurveyAnswer.CommentStatus.PUBLISHED)
    for answer in texts.select_related("response__session").order_by(
        "response__session__end_date", "id"
    ):
        comments[answer.question_id].append(answer)
    for question in questions:
        results.questions.append(
            _question_result(question, counts[question.pk], comments[question.pk])
        )
    return results


def _question_result(question: SurveyQuestion, counts: dict[int, int], comments) -> QuestionResult:
    result = QuestionResult(question)
    if question.type == SurveyQuestion.Type.TEXT:
        result.comments = comments
        result.answered = len(comments)
        return result
    total = sum(counts.values())
    result.answered = total
    result.buckets = [
        Bucket(value, label, counts.get(value, 0), percent(counts.get(value, 0), total) or 0)
        for value, label in question.values()
    ]
    if question.type == SurveyQuestion.Type.LIKERT and total:
        result.mean = round(sum(v * n for v, n in counts.items()) / total, 1)
        result.top_two = percent(counts.get(4, 0) + counts.get(5, 0), total)
    if question.type == SurveyQuestion.Type.RECOMMENDATION and total:
        result.mean = round(sum(v * n for v, n in counts.items()) / total, 1)
        score, promoters, passives, detractors = recommendation_score(counts)
        result.nps = score
        result.promoters = percent(promoters, total)
        result.passives = percent(passives, total)
        result.detractors = percent(detractors, total)
    return result


# --- Comments to moderate ----------------------------------------------------------------------


def comments_for_moderation(*, status: str | None = None) -> QuerySet:
    """Return the free-text answers, those still to read first (administrators)."""
    answers = (
        SurveyAnswer.objects.exclude(text="")
        .select_related("question", "response__questionnaire", "response__session")
        .order_by("comment_status", "-response__session__end_date", "id")
    )
    if status:
        answers = answers.filter(comment_status=status)
    return answers


def comments_to_read_count() -> int:
    return SurveyAnswer.objects.filter(comment_status=SurveyAnswer.CommentStatus.PENDING).count()
