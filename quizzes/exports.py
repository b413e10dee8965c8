"""Exports of results as rows (pure functions); ``core.spreadsheets`` writes them as CSV or
XLSX (French conventions, formulas escaped)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def quiz_result_rows(data: dict) -> Iterator[list]:
    """Yield a header then one row per submitted attempt, with points per question key."""
    quiz = data["quiz"]
    keys = data["keys"]
    yield [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Organisation"),
        _("Quiz"),
        _("Attempt"),
        _("Retained"),
        _("Started at"),
        _("Submitted at"),
        _("Points"),
        _("Out of"),
        _("Score (%)"),
        _("Passed"),
        *keys,
    ]
    number: dict[int, int] = {}
    for attempt in data["attempts"]:  # oldest first
        number[attempt.user_id] = number.get(attempt.user_id, 0) + 1
        user = attempt.user
        points = data["points"].get(attempt.pk, {})
        yield [
            user.last_name,
            user.first_name,
            user.email,
            user.organisation,
            quiz.title,
            number[attempt.user_id],
            _yes_no(attempt.pk in data["retained_ids"]),
            _local(attempt.started_at),
            _local(attempt.submitted_at),
            attempt.score_points,
            attempt.max_points,
            attempt.score_percent,
            _yes_no(attempt.passed),
            *(points.get(key) for key in keys),
        ]


def learning_gain_rows(gain) -> Iterator[list]:
    """Yield a header, one row per trainee and a last row with the group average."""
    objective_headers = []
    for objective in gain.objectives:
        objective_headers += [
            _("%(code)s before (%%)") % {"code": objective.code},
            _("%(code)s after (%%)") % {"code": objective.code},
        ]
    yield [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Positioning test (%)"),
        _("Final evaluation (%)"),
        _("Gain (points)"),
        *objective_headers,
    ]
    for trainee in gain.trainees:
        cells = []
        for g in trainee.objectives:
            cells += [g.before, g.after]
        yield [
            trainee.user.last_name,
            trainee.user.first_name,
            trainee.user.email,
            trainee.overall.before,
            trainee.overall.after,
            trainee.overall.delta,
            *cells,
        ]
    cells = []
    for g in gain.objective_averages:
        cells += [g.before, g.after]
    yield [
        _("Group average"),
        "",
        "",
        gain.average.before,
        gain.average.after,
        gain.average.delta,
        *cells,
    ]
