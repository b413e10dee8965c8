"""Reads for quizzes: a trainee's quizzes and results; results and learning gain for trainers.

Every results selector takes an optional ``users`` (a queryset or an iterable of users or
ids) and an optional ``session`` (a TrainingSession or its id). Without either, it covers
every trainee (members of the « Stagiaire » group). Each runs a constant number of queries
whatever the number of trainees.

The **retained attempt** of a trainee at a quiz is the first submitted one for a
positioning test (it measures the starting point) and the best one (then the latest) for
module checks and the final evaluation. ``_retained`` applies that rule in Python to attempts
already loaded; ``retained_attempts`` applies the same rule in SQL (a window function), for
pages that must not load every attempt (a quiz's results page at thousands of trainees).
"""

from __future__ import annotations

import datetime
import functools
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Window
from django.db.models.functions import Lower, RowNumber
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from core.cache import version_current, versioned_get, versioned_get_many
from modules.models import CourseObjective
from quizzes.models import Answer, Attempt, Question, Quiz
from training.access import roles

# --------------------------------------------------------------------------- trainee side


@dataclass
class QuizStatus:
    """Where one user stands with one quiz."""

    quiz: Quiz
    used: int = 0
    in_progress: Attempt | None = None
    best: Attempt | None = None
    last: Attempt | None = None
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def remaining(self) -> int | None:
        if self.quiz.max_attempts == 0:
            return None
        return max(0, self.quiz.max_attempts - self.used)

    @property
    def can_start(self) -> bool:
        return self.in_progress is not None or self.remaining is None or self.remaining > 0

    @property
    def state(self) -> str:
        """'in_progress', 'done' or 'new'."""
        if self.in_progress is not None:
            return "in_progress"
        if self.best is not None:
            return "done"
        return "new"


def _statuses(quizzes: list[Quiz], attempts) -> list[QuizStatus]:
    by_quiz = {quiz.pk: QuizStatus(quiz=quiz) for quiz in quizzes}
    for attempt in attempts:  # newest first
        status = by_quiz.get(attempt.quiz_id)
        if status is None:
            continue
        attempt.quiz = status.quiz
        if attempt.status == Attempt.Status.IN_PROGRESS:
            status.in_progress = attempt
            continue
        status.used += 1
        status.last = status.last or attempt
        if status.best is None or attempt.score_percent > status.best.score_percent:
            status.best = attempt
    return list(by_quiz.values())


def quiz_statuses(*, user) -> list[QuizStatus]:
    """Return every active quiz with the user's standing, in course order (two queries)."""
    quizzes = list(
        Quiz.objects.active()
        .select_related("module")
        .annotate(question_count=Count("questions"))
        .order_by("order", "slug")
    )
    attempts = (
        Attempt.objects.for_user(user).filter(quiz__is_active=True).order_by("-started_at", "-pk")
    )
    return _statuses(quizzes, attempts)


# The version of the quizzes' content (bumped by receivers.py), and of one user's attempts.
QUIZ_CONTENT_VERSION = "quizzes:content"


def attempts_version_key(user_id: int) -> str:
    return f"quizzes:attempts-version:{user_id}"


def _slim(status: QuizStatus) -> SimpleNamespace:
    """What the dashboard's quiz list shows of a standing, with the same attribute names as a
    ``QuizStatus`` (its templates serve both): a few hundred bytes to keep, not whole quizzes."""
    best = status.best
    return SimpleNamespace(
        quiz=SimpleNamespace(
            title=status.quiz.title, get_absolute_url=status.quiz.get_absolute_url()
        ),
        in_progress=(
            SimpleNamespace(get_absolute_url=status.in_progress.get_absolute_url())
            if status.in_progress is not None
            else None
        ),
        best=SimpleNamespace(score_percent=best.score_percent, passed=best.passed)
        if best
        else None,
    )


def quiz_statuses_lazy(*, user) -> tuple[list[SimpleNamespace], str]:
    """``quiz_statuses_cached`` named by the versions it is built from (the quizzes', the
    user's attempts'), in one small read; the standings are read only if used (a fragment
    rendered under that name needs nothing else)."""
    stamp = version_current(QUIZ_CONTENT_VERSION, attempts_version_key(user.pk))
    return SimpleLazyObject(lambda: quiz_statuses_cached(user=user)[0]), stamp


def quiz_statuses_cached(*, user) -> tuple[list[SimpleNamespace], str]:
    """The user's standing at each quiz as the dashboard shows it (``_slim``), kept in the
    shared cache until the quizzes or the user's attempts change; with a stamp, new whenever
    they are read again (for rendered fragments)."""
    return versioned_get(
        f"quizzes:statuses:{user.pk}",
        version_key=(QUIZ_CONTENT_VERSION, attempts_version_key(user.pk)),
        build=lambda: (
            [_slim(status) for status in quiz_statuses(user=user)],
            secrets.token_hex(8),
        ),
    )


def quiz_status(*, user, quiz: Quiz) -> QuizStatus:
    """Return the user's standing at one quiz, with the list of their attempts."""
    attempts = list(Attempt.objects.for_user(user).filter(quiz=quiz).order_by("-started_at", "-pk"))
    status = _statuses([quiz], attempts)[0]
    status.attempts = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    return status


def quiz_get(*, slug: str) -> Quiz:
    """Return an active quiz with its question count, or 404."""
    return get_object_or_404(
        Quiz.objects.active().select_related("module").annotate(question_count=Count("questions")),
        slug=slug,
    )


def module_check_get(*, module) -> Quiz | None:
    """Return the active check of a module, if any."""
    return (
        Quiz.objects.active()
        .filter(module=module, kind=Quiz.Kind.MODULE)
        .annotate(question_count=Count("questions"))
        .order_by("order", "pk")
        .first()
    )


def attempt_get(*, user, pk: int) -> Attempt:
    """Return one of the user's own attempts, or 404 (anybody else's is a 404 too)."""
    return get_object_or_404(
        Attempt.objects.for_user(user).select_related("quiz", "quiz__module"), pk=pk
    )


def attempt_answers(*, attempt: Attempt) -> list[Answer]:
    """Return the frozen answers of a submitted attempt, in question order."""
    answers = list(attempt.answers.select_related("objective").order_by("order", "pk"))
    for answer in answers:
        if answer.is_correct:
            answer.outcome = "correct"
        elif answer.points > 0:
            answer.outcome = "partial"
        else:
            answer.outcome = "wrong"
    return answers


@dataclass
class ObjectiveScore:
    objective: object
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


def objective_scores(answers: list[Answer]) -> list[ObjectiveScore]:
    """Group answers by course objective (in the objectives' order)."""
    scores: dict[int | None, ObjectiveScore] = {}
    for answer in answers:
        score = scores.setdefault(answer.objective_id, ObjectiveScore(answer.objective))
        score.points += answer.points
        score.max_points += answer.max_points
    return sorted(
        (s for s in scores.values() if s.objective is not None),
        key=lambda s: (s.objective.order, s.objective.pk),
    )


def user_results(*, user) -> list[dict]:
    """Return the user's submitted attempts grouped by quiz, newest first within each."""
    attempts = (
        Attempt.objects.for_user(user)
        .submitted()
        .select_related("quiz")
        .order_by("quiz__order", "quiz__slug", "-submitted_at", "-pk")
    )
    groups: dict[int, dict] = {}
    for attempt in attempts:
        group = groups.setdefault(attempt.quiz_id, {"quiz": attempt.quiz, "attempts": []})
        group["attempts"].append(attempt)
    for group in groups.values():
        group["best"] = max(group["attempts"], key=lambda a: (a.score_percent, a.submitted_at))
    return list(groups.values())


# --------------------------------------------------------------------------- trainers' side


def _scoped(queryset: QuerySet, *, users=None, session=None) -> QuerySet:
    """Restrict attempts to some users and/or a session (default: every trainee)."""
    if session is not None:
        queryset = queryset.filter(session_id=getattr(session, "pk", session))
    if users is not None:
        if isinstance(users, QuerySet):
            return queryset.filter(user__in=users.values("pk"))
        return queryset.filter(user_id__in=[getattr(u, "pk", u) for u in users])
    if session is None:
        queryset = queryset.filter(user__groups__name=roles.TRAINEE)
    return queryset


def _retained(attempts, kind: str) -> dict[int, Attempt]:
    """Pick the retained attempt per user from submitted attempts ordered oldest first.

    Keep in step with ``_retained_order`` (the same rule in SQL).
    """
    retained: dict[int, Attempt] = {}
    for attempt in attempts:
        current = retained.get(attempt.user_id)
        if (
            current is None
            or kind != Quiz.Kind.POSITIONING
            and attempt.score_percent >= current.score_percent
        ):
            retained[attempt.user_id] = attempt
    return retained


def submitted_attempts(*, quiz: Quiz, users=None, session=None) -> list[Attempt]:
    """Return the submitted attempts at a quiz in scope, oldest first, with their user."""
    return list(
        _scoped(Attempt.objects.submitted().filter(quiz=quiz), users=users, session=session)
        .select_related("user")
        .order_by("submitted_at", "pk")
    )


def _retained_order(kind: str) -> list:
    """Rank a user's attempts so that the retained one comes first (``_retained`` in SQL).

    Positioning test: the first sent (oldest ``submitted_at``, then lowest pk). Other quizzes:
    the best score, ties going to the latest sent (then the highest pk), as ``_retained``'s
    ``>=`` over attempts ordered oldest first does.
    """
    if kind == Quiz.Kind.POSITIONING:
        return [F("submitted_at").asc(), F("pk").asc()]
    return [F("score_percent").desc(), F("submitted_at").desc(), F("pk").desc()]


def retained_attempts(*, quiz: Quiz, users=None, session=None) -> QuerySet:
    """Return each trainee's retained attempt at a quiz in scope: one row per trainee.

    Each row also carries ``attempt_count`` (the trainee's submitted attempts in scope) and
    ``last_sent`` (when the latest was sent). Window functions, portable to SQLite and
    PostgreSQL, rank each trainee's attempts in one pass over the quiz's attempts; Django
    wraps the query to filter on the rank, so the result can be sliced, counted, aggregated
    or used as a subquery like any queryset.
    """
    per_user = {"partition_by": [F("user_id")]}
    return (
        _scoped(Attempt.objects.submitted().filter(quiz=quiz), users=users, session=session)
        .annotate(
            retained_rank=Window(RowNumber(), order_by=_retained_order(quiz.kind), **per_user),
            attempt_count=Window(Count("pk"), **per_user),
            last_sent=Window(Max("submitted_at"), **per_user),
        )
        .filter(retained_rank=1)
    )


RESULTS_PER_PAGE = 50


@dataclass(frozen=True)
class TraineeRef:
    """What a results table shows of a trainee (light to keep in the cache)."""

    pk: int
    email: str
    first_name: str
    last_name: str
    organisation: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class AttemptRef:
    """What a results table shows of the retained attempt."""

    pk: int
    score_percent: Decimal
    passed: bool | None
    submitted_at: datetime.datetime


@dataclass
class TraineeScore:
    user: TraineeRef
    retained: AttemptRef
    attempts: int
    last_sent: datetime.datetime


@dataclass
class ChoiceStat:
    key: str
    text: str
    is_correct: bool
    count: int
    percent: int


@dataclass
class ItemStat:
    question: Question
    answered: int
    correct: int
    success: int  # mean points in percent of the maximum
    choices: list[ChoiceStat] = field(default_factory=list)


@dataclass
class QuizResults:
    """A quiz's figures over every trainee in scope, and one page of the per-trainee table."""

    quiz: Quiz
    trainee_count: int
    page: Page  # of TraineeScore, by last name, first name
    items: list[ItemStat]
    average: int | None
    pass_rate: int | None
    stamp: str  # new whenever the figures and items are computed (template fragments)
    page_stamp: str  # new whenever the page's rows are loaded


def _item_stats(quiz: Quiz, retained: QuerySet) -> list[ItemStat]:
    """The item analysis over the retained attempts' answers, worst question first.

    One query groups the answers by question and by set of chosen choices and sums them in
    SQL; Python then only folds those few groups (a handful per question, whatever the
    number of trainees) into per-question totals and per-choice counts. The choice ids live
    in the ``chosen_ids`` JSON list and no portable SQL (SQLite and PostgreSQL, without JSON
    functions) can unnest it, hence the fold; grouping by the JSON value itself is portable.
    """
    questions = list(
        quiz.questions.select_related("objective").prefetch_related("choices").order_by("order")
    )
    groups = (
        Answer.objects.filter(attempt__in=retained.values("pk"), question__isnull=False)
        .order_by()
        .values_list("question_id", "chosen_ids")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            points=Sum("points"),
            max_points=Sum("max_points"),
        )
    )
    sums: dict[int, list] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    chosen_counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, chosen_ids, answered, correct, points, max_points in groups:
        total = sums[question_id]
        total[0] += answered
        total[1] += correct
        total[2] += points
        total[3] += max_points
        for choice_id in chosen_ids or []:
            chosen_counts[question_id][choice_id] += answered
    items = []
    for question in questions:
        answered, correct, points, max_points = sums.get(question.pk, (0, 0, 0, 0))
        success = round(100 * points / max_points) if max_points else 0
        item = ItemStat(question, answered, correct, success)
        for choice in question.choices.all():
            count = chosen_counts[question.pk].get(choice.pk, 0)
            item.choices.append(
                ChoiceStat(
                    choice.key,
                    choice.text,
                    choice.is_correct,
                    count,
                    round(100 * count / answered) if answered else 0,
                )
            )
        question._prefetched_objects_cache = {}  # copied into ChoiceStat: lighter to cache
        items.append(item)
    items.sort(key=lambda i: (i.answered == 0, i.success, i.question.order))
    return items


def _retained_figures(retained: QuerySet) -> tuple[int, int | None, int]:
    """Return (trainees, average retained score, trainees who passed) in one aggregate query."""
    figures = retained.aggregate(
        trainees=Count("pk"),
        score_total=Sum("score_percent"),
        passed=Count("pk", filter=Q(passed=True)),
    )
    count = figures["trainees"]
    average = round(figures["score_total"] / count) if count else None
    return count, average, figures["passed"]


# The version of everything a results page shows: bumped by any submission, any change of
# a quiz's questions, of a trainee's name or of who is in a trainer's scope (receivers.py).
RESULTS_VERSION = "quizzes:results"


@dataclass
class _Figures:
    count: int
    average: int | None
    pass_rate: int | None
    items: list[ItemStat]
    stamp: str


def _figures_build(quiz: Quiz, retained: QuerySet) -> _Figures:
    count, average, passed = _retained_figures(retained)
    pass_rate = round(100 * passed / count) if quiz.pass_mark and count else None
    return _Figures(count, average, pass_rate, _item_stats(quiz, retained), secrets.token_hex(8))


_SHOWN = ("pk", "score_percent", "passed", "submitted_at")
_SHOWN_USER = ("user_id", "user__email", "user__first_name", "user__last_name")


def _page_rows_build(retained: QuerySet, current: Page) -> list[TraineeScore]:
    # Sort and slice narrow rows (pk and the two counts), then load the page's attempts and
    # users by pk: sorting thousands of full attempt-and-user rows costs twice as much.
    rows = list(current.object_list)
    shown = {
        values[0]: values
        for values in Attempt.objects.filter(pk__in=[pk for pk, _n, _last in rows]).values_list(
            *_SHOWN, *_SHOWN_USER, "user__organisation"
        )
    }
    return [
        TraineeScore(TraineeRef(*shown[pk][4:]), AttemptRef(*shown[pk][:4]), n, last)
        for pk, n, last in rows
        if pk in shown  # gone since the first query (an account erased meanwhile)
    ]


def _paginator(count: int, per_page: int) -> Paginator:
    """A paginator that knows the count without a query; its pages' rows are set by the caller."""
    return Paginator(range(count), per_page)


def _page_number(page) -> int:
    """The page asked for in the URL as a number, not yet clamped to the pages there are
    (``Paginator.get_page`` then gives the last page for 0, a negative or too large number)."""
    try:
        return int(page)
    except (TypeError, ValueError):
        return 1


def quiz_results(
    *,
    quiz: Quiz,
    users=None,
    session=None,
    page=1,
    per_page: int = RESULTS_PER_PAGE,
    cache_scope: str | None = None,
) -> QuizResults:
    """Return a quiz's figures, one page of per-trainee scores and the item analysis.

    The trainee count, average score, pass rate and item analysis cover every retained
    attempt in scope and are computed in SQL; only the requested page of trainees is loaded
    (``page`` as given in the URL: a bad number gives the first or last page, as
    ``Paginator.get_page`` does). A constant number of queries whatever the number of
    trainees.

    With ``cache_scope`` (a name for ``users`` and ``session``: ``permissions.results_scope_key``)
    the figures and each page are kept in the shared cache until the results change
    (``RESULTS_VERSION``): the next submission, a change of the quiz or of the scope. Each
    comes with a ``stamp``, new whenever it is computed, for the template's fragments.
    """

    @functools.cache
    def retained() -> QuerySet:  # built only when something is not cached (a cost in itself)
        return retained_attempts(quiz=quiz, users=users, session=session)

    def ranked() -> QuerySet:
        return (
            retained()
            .order_by(Lower("user__last_name"), Lower("user__first_name"), "user_id")
            .values_list("pk", "attempt_count", "last_sent")
        )

    def rows_build(current: Page) -> list[TraineeScore]:
        bottom = (current.number - 1) * per_page
        current.object_list = ranked()[bottom : bottom + per_page]
        return _page_rows_build(retained(), current)

    if cache_scope is None:
        figures = _figures_build(quiz, retained())
        current = _paginator(figures.count, per_page).get_page(page)
        current.object_list, page_stamp = rows_build(current), secrets.token_hex(8)
    else:
        prefix = f"quizzes:results:{quiz.pk}:{cache_scope}"
        page_key = f"{prefix}:{per_page}:{{}}".format

        def page_build(number: int):
            # Rows (number - 1) × per_page onwards: no count needed (a page past the end is
            # empty, and read again below under the last page's number).
            rows = rows_build(_paginator(number * per_page, per_page).page(number))
            return rows, secrets.token_hex(8)

        # The figures and the page asked for, in one round trip.
        asked = _page_number(page)
        entries = {prefix: (RESULTS_VERSION, lambda: _figures_build(quiz, retained()))}
        if asked >= 1:
            entries[page_key(asked)] = (RESULTS_VERSION, lambda: page_build(asked))
        found = versioned_get_many(entries)
        figures = found[prefix]
        current = _paginator(figures.count, per_page).get_page(asked)
        if current.number == asked:
            rows, page_stamp = found[page_key(asked)]
        else:  # 0, negative or past the last page: the last page, as get_page gives
            rows, page_stamp = versioned_get(
                page_key(current.number),
                version_key=RESULTS_VERSION,
                build=lambda: page_build(current.number),
            )
        current.object_list = rows
    return QuizResults(
        quiz,
        figures.count,
        current,
        figures.items,
        figures.average,
        figures.pass_rate,
        stamp=figures.stamp,
        page_stamp=page_stamp,
    )


def quiz_export_data(*, quiz: Quiz, users=None, session=None) -> dict:
    """Return every submitted attempt in scope with its points per question key."""
    attempts = submitted_attempts(quiz=quiz, users=users, session=session)
    retained_ids = {a.pk for a in _retained(attempts, quiz.kind).values()}
    points: dict[int, dict[str, Decimal]] = defaultdict(dict)
    extra_keys: set[str] = set()
    keys = list(quiz.questions.order_by("order").values_list("key", flat=True))
    for attempt_id, key, value in Answer.objects.filter(
        attempt_id__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "question_key", "points"):
        points[attempt_id][key] = value
        if key not in keys:
            extra_keys.add(key)
    return {
        "quiz": quiz,
        "attempts": attempts,
        "retained_ids": retained_ids,
        "keys": keys + sorted(extra_keys),
        "points": points,
    }


def results_overview(*, users=None, session=None) -> list[dict]:
    """Return each quiz with its number of trainees and average retained score.

    One aggregate query per quiz over its retained attempts (``retained_attempts``), so the
    page costs the same at 50 or 50,000 attempts.
    """
    overview = []
    for quiz in Quiz.objects.select_related("module").order_by("-is_active", "order", "slug"):
        count, average, _passed = _retained_figures(
            retained_attempts(quiz=quiz, users=users, session=session)
        )
        overview.append({"quiz": quiz, "trainees": count, "average": average})
    return overview


# --------------------------------------------------------------------------- learning gain


@dataclass
class Gain:
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class TraineeGain:
    user: object
    overall: Gain
    objectives: list[Gain]


@dataclass
class LearningGain:
    positioning: Quiz | None
    final: Quiz | None
    objectives: list
    trainees: list[TraineeGain]
    average: Gain
    objective_averages: list[Gain]

    @property
    def paired(self) -> list[TraineeGain]:
        return [t for t in self.trainees if t.overall.delta is not None]


def _mean(values) -> int | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values)) if values else None


def _pct(points, max_points) -> int | None:
    return round(100 * points / max_points) if max_points else None


def learning_gain(*, users=None, session=None) -> LearningGain:
    """Compare positioning and final evaluation per trainee and per course objective.

    Scores are percentages; the gain is the difference in percentage points. Group averages
    are means over the trainees who took both tests.
    """

    quizzes = list(
        Quiz.objects.filter(kind__in=[Quiz.Kind.POSITIONING, Quiz.Kind.FINAL]).order_by(
            "-is_active", "order", "pk"
        )
    )
    positioning = next((q for q in quizzes if q.kind == Quiz.Kind.POSITIONING), None)
    final = next((q for q in quizzes if q.kind == Quiz.Kind.FINAL), None)
    wanted = [q for q in (positioning, final) if q is not None]
    # The objectives the two tests measure (in the course's order).
    objectives = list(
        CourseObjective.objects.filter(questions__quiz__in=wanted)
        .distinct()
        .order_by("course_id", "order", "pk")
    )
    retained: dict[str, dict[int, Attempt]] = {"before": {}, "after": {}}
    if wanted:
        attempts = (
            _scoped(Attempt.objects.submitted(), users=users, session=session)
            .filter(quiz__in=wanted)
            .select_related("user")
            .order_by("submitted_at", "pk")
        )
        split: dict[int, list[Attempt]] = defaultdict(list)
        for attempt in attempts:
            split[attempt.quiz_id].append(attempt)
        if positioning is not None:
            retained["before"] = _retained(split[positioning.pk], positioning.kind)
        if final is not None:
            retained["after"] = _retained(split[final.pk], final.kind)
    phase_of = {a.pk: "before" for a in retained["before"].values()}
    phase_of.update({a.pk: "after" for a in retained["after"].values()})
    owner = {a.pk: uid for phase in retained.values() for uid, a in phase.items()}
    per_objective: dict[tuple[int, str, int], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0)]
    )
    for attempt_id, objective_id, points, max_points in Answer.objects.filter(
        attempt_id__in=list(phase_of)
    ).values_list("attempt_id", "objective_id", "points", "max_points"):
        if objective_id is None:
            continue
        cell = per_objective[(owner[attempt_id], phase_of[attempt_id], objective_id)]
        cell[0] += points
        cell[1] += max_points

    users_by_id = {a.user_id: a.user for phase in retained.values() for a in phase.values()}
    trainees = []
    for uid, user in users_by_id.items():
        before = retained["before"].get(uid)
        after = retained["after"].get(uid)
        overall = Gain(
            round(before.score_percent) if before else None,
            round(after.score_percent) if after else None,
        )
        by_objective = []
        for objective in objectives:
            b = per_objective.get((uid, "before", objective.pk))
            a = per_objective.get((uid, "after", objective.pk))
            by_objective.append(Gain(_pct(*b) if b else None, _pct(*a) if a else None))
        trainees.append(TraineeGain(user, overall, by_objective))
    trainees.sort(key=lambda t: (t.user.last_name.lower(), t.user.first_name.lower(), t.user.pk))

    paired = [t for t in trainees if t.overall.delta is not None]
    average = Gain(_mean(t.overall.before for t in paired), _mean(t.overall.after for t in paired))
    objective_averages = []
    for index, _objective in enumerate(objectives):
        both = [t.objectives[index] for t in paired if t.objectives[index].delta is not None]
        objective_averages.append(Gain(_mean(g.before for g in both), _mean(g.after for g in both)))
    return LearningGain(positioning, final, objectives, trainees, average, objective_averages)
