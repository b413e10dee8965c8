"""Scheduling rules for sessions, pure or read-only: days, half-day times, the default
modules of each half-day, trainers' overlaps, capacity and reference codes.

Every function is keyword-only and raises ``ValidationError`` with a French message (through
gettext) when a rule is broken.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from training.accounts.models import User
from training.sessions.models import Enrolment, Slot, TrainingSession

MIN_DAYS = 2
MAX_DAYS = 3
MAX_SPAN_MONTHS = 3
DEFAULT_TIMES = {
    Slot.Period.MORNING: (datetime.time(9, 0), datetime.time(12, 30)),
    Slot.Period.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}


# --- Scheduling rules (pure) -------------------------------------------------------------


def day_text(value: datetime.date) -> str:
    return date_format(value, "l j F Y")


def hour_text(value: datetime.time) -> str:
    return time_format(value, "H:i")


def months_add(value: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return value.replace(
        year=year, month=month, day=min(value.day, pycalendar.monthrange(year, month)[1])
    )


def session_dates_validate(*, dates: Sequence[datetime.date]) -> list[datetime.date]:
    """Check that the days of a session are 2 or 3, distinct, in order, within 3 months."""
    dates = [d for d in dates if d is not None]
    errors = []
    if not MIN_DAYS <= len(dates) <= MAX_DAYS:
        errors.append(
            ngettext(
                "A session lasts 2 or 3 days: you gave %(count)d day.",
                "A session lasts 2 or 3 days: you gave %(count)d days.",
                len(dates),
            )
            % {"count": len(dates)}
        )
    seen = set()
    for value in dates:
        if value in seen:
            errors.append(_("The day %(date)s is given twice.") % {"date": day_text(value)})
        seen.add(value)
    if len(dates) >= 2 and len(seen) == len(dates):
        if dates[-1] < dates[0]:
            errors.append(
                _("The last day (%(end)s) is before the first day (%(start)s).")
                % {"end": day_text(dates[-1]), "start": day_text(dates[0])}
            )
        else:
            for before, after in zip(dates, dates[1:], strict=False):
                if after < before:
                    errors.append(
                        _("The days must be in order: %(after)s comes before %(before)s.")
                        % {"after": day_text(after), "before": day_text(before)}
                    )
        if max(dates) > months_add(min(dates), MAX_SPAN_MONTHS):
            errors.append(
                _("All the days must fall within 3 months: from %(start)s to %(end)s is too long.")
                % {"start": day_text(min(dates)), "end": day_text(max(dates))}
            )
    if errors:
        raise ValidationError(errors, code="dates")
    return list(dates)


def slot_times_validate(*, start_time: datetime.time, end_time: datetime.time) -> None:
    """Check that a slot ends after it starts."""
    if start_time is None or end_time is None:
        raise ValidationError(_("Give a start and an end time."), code="times")
    if end_time <= start_time:
        raise ValidationError(
            _("The end time (%(end)s) must be after the start time (%(start)s).")
            % {"end": hour_text(end_time), "start": hour_text(start_time)},
            code="times",
        )


@dataclass(frozen=True)
class PlannedSlot:
    date: datetime.date
    period: str
    start_time: datetime.time
    end_time: datetime.time
    module_ids: tuple[int, ...] = ()


def slots_plan(*, dates: Sequence[datetime.date]) -> list[PlannedSlot]:
    """Return the default half-day slots for the days (09:00–12:30 and 13:30–17:00)."""
    return [
        PlannedSlot(day, period, *DEFAULT_TIMES[period])
        for day in dates
        for period in (Slot.Period.MORNING, Slot.Period.AFTERNOON)
    ]


def modules_spread(*, modules: Sequence, slot_count: int) -> list[list]:
    """Share the course's modules over the slots in order, by their time in the room."""
    if not slot_count:
        return []
    weights = [max(getattr(m, "minutes", 0) or 0, 1) for m in modules]
    total = sum(weights) or 1
    share = total / slot_count
    spread: list[list] = [[] for _ in range(slot_count)]
    start = 0.0
    for module, weight in zip(modules, weights, strict=True):
        end = start + weight
        first = min(int(start // share), slot_count - 1)
        last = min(int((end - 1e-9) // share), slot_count - 1)
        for index in range(first, last + 1):
            spread[index].append(module)
        start = end
    return spread


def trainer_conflicts(
    *, trainers: Iterable[User], slots: Iterable[PlannedSlot | Slot], exclude_session=None
) -> list[str]:
    """Return a message per trainer booked in another live session at an overlapping time."""
    trainers = list(trainers)
    slots = list(slots)
    if not trainers or not slots:
        return []
    through = TrainingSession.trainers.through
    links = (
        through.objects.filter(
            user_id__in=[t.pk for t in trainers],
            trainingsession__slots__date__in={s.date for s in slots},
        )
        .exclude(trainingsession__status=TrainingSession.Status.CANCELLED)
        .values_list("user_id", "trainingsession_id")
        .distinct()
    )
    if exclude_session is not None:
        links = links.exclude(trainingsession_id=exclude_session.pk)
    sessions_by_trainer: dict[int, set[int]] = {}
    for user_id, session_id in links:
        sessions_by_trainer.setdefault(user_id, set()).add(session_id)
    if not sessions_by_trainer:
        return []
    other_slots = list(
        Slot.objects.filter(
            session_id__in=set().union(*sessions_by_trainer.values()),
            date__in={s.date for s in slots},
        )
        .select_related("session")
        .order_by("date", "start_time")
    )
    messages = []
    for trainer in trainers:
        session_ids = sessions_by_trainer.get(trainer.pk, set())
        for mine in slots:
            for other in other_slots:
                if (
                    other.session_id in session_ids
                    and other.date == mine.date
                    and mine.start_time < other.end_time
                    and other.start_time < mine.end_time
                ):
                    messages.append(
                        _(
                            "%(trainer)s already runs session %(code)s on %(date)s "
                            "from %(start)s to %(end)s."
                        )
                        % {
                            "trainer": trainer.get_full_name() or trainer.email,
                            "code": other.session.code,
                            "date": day_text(other.date),
                            "start": hour_text(other.start_time),
                            "end": hour_text(other.end_time),
                        }
                    )
    return list(dict.fromkeys(messages))


def check_trainers(*, trainers, slots, exclude_session=None) -> None:
    conflicts = trainer_conflicts(trainers=trainers, slots=slots, exclude_session=exclude_session)
    if conflicts:
        raise ValidationError(conflicts, code="trainer_overlap")


def check_capacity(*, session: TrainingSession, capacity: int) -> None:
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if capacity < enrolled:
        raise ValidationError(
            {
                "capacity": _(
                    "The capacity (%(capacity)d) cannot be below the number of trainees "
                    "already enrolled (%(count)d)."
                )
                % {"capacity": capacity, "count": enrolled}
            },
            code="capacity",
        )


def session_code_generate(*, start: datetime.date) -> str:
    """Return a free reference code such as PIS-20260310 (then -B, -C…)."""
    base = f"PIS-{start:%Y%m%d}"
    taken = set(
        TrainingSession.objects.filter(code__startswith=base).values_list("code", flat=True)
    )
    if base not in taken:
        return base
    for suffix in range(2, 1000):
        code = f"{base}-{suffix}"
        if code not in taken:
            return code
    return f"{base}-{uuid.uuid4().hex[:6]}"


def check_code(*, code: str, exclude_pk=None) -> None:
    taken = TrainingSession.objects.filter(code=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"code": _("The reference code %(code)s is already used.") % {"code": code}},
            code="code",
        )
