"""The figures of the BPF for one calendar year, computed from the enrolments and the
attendance records (hours actually attended, ``attendance.selectors.attended_hours``).

Rules, written once here (and in docs/user-guide.md « Le BPF »):

- the year's sessions are the sessions that are not cancelled whose first day falls in the
  year (a session belongs to one year; the course lasts two or three days);
- its enrolments are the active enrolments of those sessions: each enrolment counts once (a
  person trained in two sessions counts twice, once per session);
- a trainee counts as trained when they attended at least one half-day; the hours-trainee
  are their hours attended;
- the income is the sum of the enrolments' prices, attended or not (the place was sold);
- the trainers are the people named trainers of those sessions; the hours delivered are, for
  each trainer, the hours of the half-days that took place (closed, or closed automatically)
  in their sessions; two trainers in one room each deliver those hours.

Every enrolment of the year must carry a known category, a known funding source and a price;
otherwise ``bpf_compute`` raises ``BpfIncomplete`` with the list.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from training.attendance.models import SlotAttendance
from training.attendance.selectors import attended_hours
from training.bpf import categories
from training.sessions.models import Enrolment, Slot, TrainingSession

ZERO = Decimal("0.00")
HELD = (SlotAttendance.Status.CLOSED, SlotAttendance.Status.AUTO_CLOSED)


@dataclass
class Line:
    """One line of a table of the BPF: a category or a funding source, and its figures."""

    code: str
    label: str
    verified: bool
    cerfa: str = ""
    trainees: int = 0
    hours: Decimal = ZERO
    income: Decimal = ZERO


@dataclass
class TrainerLine:
    trainer_id: int
    name: str
    sessions: int = 0
    hours: Decimal = ZERO


@dataclass
class BpfReport:
    year: int
    sessions: list[TrainingSession]
    enrolments: int
    by_category: list[Line]
    by_funding: list[Line]
    trainers: list[TrainerLine]
    trainees: int = 0
    hours: Decimal = ZERO
    income: Decimal = ZERO
    not_trained: int = 0  # enrolled but attended nothing (counted in the income only)

    @property
    def trainers_count(self) -> int:
        return len(self.trainers)

    @property
    def hours_delivered(self) -> Decimal:
        return sum((line.hours for line in self.trainers), ZERO)

    @property
    def all_verified(self) -> bool:
        return all(line.verified for line in [*self.by_category, *self.by_funding])


@dataclass
class MissingData:
    enrolment: Enrolment
    missing: list[str] = field(default_factory=list)  # French, what to give


class BpfIncomplete(Exception):
    """Enrolments of the year lack the data the BPF needs (``missing`` lists them)."""

    def __init__(self, year: int, missing: list[MissingData]):
        super().__init__(f"{len(missing)} enrolments of {year} lack BPF data")
        self.year = year
        self.missing = missing


def year_sessions(*, year: int) -> list[TrainingSession]:
    """The sessions of a calendar year: not cancelled, first day in the year."""
    return list(
        TrainingSession.objects.not_cancelled()
        .filter(
            start_date__gte=datetime.date(year, 1, 1), start_date__lte=datetime.date(year, 12, 31)
        )
        .prefetch_related("trainers")
        .order_by("start_date", "code")
    )


def year_enrolments(*, sessions) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(session__in=sessions, status=Enrolment.Status.ENROLLED)
        .select_related("session", "trainee")
        .order_by(
            "session__start_date",
            "session__code",
            "trainee__last_name",
            "trainee__first_name",
            "pk",
        )
    )


def enrolment_missing(enrolment: Enrolment) -> list[str]:
    """What an enrolment lacks for the BPF (empty when complete), in French."""
    missing = []
    known_categories = {c.code for c in categories.trainee_categories()}
    known_sources = {c.code for c in categories.funding_sources()}
    if not enrolment.trainee_category:
        missing.append(_("trainee category"))
    elif enrolment.trainee_category not in known_categories:
        missing.append(
            _("trainee category (« %(code)s » is no longer in the list)")
            % {"code": enrolment.trainee_category}
        )
    if not enrolment.funding_source:
        missing.append(_("funding source"))
    elif enrolment.funding_source not in known_sources:
        missing.append(
            _("funding source (« %(code)s » is no longer in the list)")
            % {"code": enrolment.funding_source}
        )
    if enrolment.price is None:
        missing.append(_("price invoiced"))
    return missing


def bpf_missing(*, year: int) -> list[MissingData]:
    """The enrolments of the year that lack BPF data, with what each lacks."""
    enrolments = year_enrolments(sessions=year_sessions(year=year))
    return [
        MissingData(enrolment, missing)
        for enrolment in enrolments
        if (missing := enrolment_missing(enrolment))
    ]


def _held_hours(sessions) -> dict[int, Decimal]:
    """The hours of the half-days that took place, per session."""
    minutes: dict[int, int] = defaultdict(int)
    slots = Slot.objects.filter(session__in=sessions, attendance__status__in=HELD)
    for slot in slots:
        minutes[slot.session_id] += slot.duration_minutes
    return {
        session_id: (Decimal(total) / Decimal(60)).quantize(Decimal("0.01"))
        for session_id, total in minutes.items()
    }


def bpf_compute(*, year: int) -> BpfReport:
    """Compute the BPF figures of ``year``; raise ``BpfIncomplete`` when data is missing."""
    sessions = year_sessions(year=year)
    enrolments = year_enrolments(sessions=sessions)
    missing = [
        MissingData(enrolment, problems)
        for enrolment in enrolments
        if (problems := enrolment_missing(enrolment))
    ]
    if missing:
        raise BpfIncomplete(year, missing)
    by_category = {
        c.code: Line(c.code, c.label, c.verified, c.cerfa) for c in categories.trainee_categories()
    }
    by_funding = {
        c.code: Line(c.code, c.label, c.verified, c.cerfa) for c in categories.funding_sources()
    }
    hours_by_session = {session.pk: attended_hours(session=session) for session in sessions}
    report = BpfReport(
        year=year,
        sessions=sessions,
        enrolments=len(enrolments),
        by_category=list(by_category.values()),
        by_funding=list(by_funding.values()),
        trainers=[],
    )
    for enrolment in enrolments:
        hours = hours_by_session[enrolment.session_id].get(enrolment.trainee_id, ZERO)
        category = by_category[enrolment.trainee_category]
        source = by_funding[enrolment.funding_source]
        source.income += enrolment.price
        report.income += enrolment.price
        if hours <= 0:
            report.not_trained += 1
            continue
        for line in (category, source):
            line.trainees += 1
            line.hours += hours
        report.trainees += 1
        report.hours += hours
    held = _held_hours(sessions)
    trainers: dict[int, TrainerLine] = {}
    for session in sessions:
        for trainer in session.trainers.all():
            line = trainers.setdefault(
                trainer.pk,
                TrainerLine(trainer.pk, trainer.get_full_name() or trainer.email),
            )
            line.sessions += 1
            line.hours += held.get(session.pk, ZERO)
    report.trainers = sorted(trainers.values(), key=lambda line: (line.name, line.trainer_id))
    return report
