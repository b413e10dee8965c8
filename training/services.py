"""Writes for sessions: scheduling, half-day slots, enrolment, imports, emails, calendar tokens.

Every function is keyword-only and raises ``ValidationError`` with a French message (through
gettext) when a rule is broken; views, admin and commands call the same functions.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format, time_format
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modules.models import Resource
from training import roles
from training.calendar import sessions_calendar
from training.imports import TraineeRow
from training.models import CalendarToken, Enrolment, Slot, TrainingSession, User

# Above this many trainees enrolled at once, an import leaves the emails to
# ``convocations_send_pending`` (the ``send_pending_convocations`` command, run by cron):
# 5,000 convocations take minutes to build and send, far beyond a request's timeout.
IMPORT_EMAILS_INLINE_MAX = 50
MIN_DAYS = 2
MAX_DAYS = 3
MAX_SPAN_MONTHS = 3
DEFAULT_TIMES = {
    Slot.Period.MORNING: (datetime.time(9, 0), datetime.time(12, 30)),
    Slot.Period.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}
SESSION_FIELDS = (
    "code",
    "course",
    "title",
    "place_name",
    "address",
    "access_notes",
    "remote_url",
    "capacity",
    "status",
    "notes",
)


# --- Scheduling rules (pure) -------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return date_format(value, "l j F Y")


def _hour(value: datetime.time) -> str:
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
            errors.append(_("The day %(date)s is given twice.") % {"date": _day(value)})
        seen.add(value)
    if len(dates) >= 2 and len(seen) == len(dates):
        if dates[-1] < dates[0]:
            errors.append(
                _("The last day (%(end)s) is before the first day (%(start)s).")
                % {"end": _day(dates[-1]), "start": _day(dates[0])}
            )
        else:
            for before, after in zip(dates, dates[1:], strict=False):
                if after < before:
                    errors.append(
                        _("The days must be in order: %(after)s comes before %(before)s.")
                        % {"after": _day(after), "before": _day(before)}
                    )
        if max(dates) > months_add(min(dates), MAX_SPAN_MONTHS):
            errors.append(
                _("All the days must fall within 3 months: from %(start)s to %(end)s is too long.")
                % {"start": _day(min(dates)), "end": _day(max(dates))}
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
            % {"end": _hour(end_time), "start": _hour(start_time)},
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
                            "date": _day(other.date),
                            "start": _hour(other.start_time),
                            "end": _hour(other.end_time),
                        }
                    )
    return list(dict.fromkeys(messages))


def _check_trainers(*, trainers, slots, exclude_session=None) -> None:
    conflicts = trainer_conflicts(trainers=trainers, slots=slots, exclude_session=exclude_session)
    if conflicts:
        raise ValidationError(conflicts, code="trainer_overlap")


def _check_capacity(*, session: TrainingSession, capacity: int) -> None:
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


def _check_code(*, code: str, exclude_pk=None) -> None:
    taken = TrainingSession.objects.filter(code=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"code": _("The reference code %(code)s is already used.") % {"code": code}},
            code="code",
        )


def _slots_create(*, session: TrainingSession, planned: Sequence[PlannedSlot]) -> None:
    created = Slot.objects.bulk_create(
        [
            Slot(
                session=session,
                date=p.date,
                period=p.period,
                start_time=p.start_time,
                end_time=p.end_time,
            )
            for p in planned
        ]
    )
    if any(p.module_ids for p in planned):
        if any(s.pk is None for s in created):  # backends that do not return ids
            by_key = {(s.date, s.period): s for s in session.slots.all()}
            created = [by_key[(p.date, p.period)] for p in planned]
        through = Slot.modules.through
        through.objects.bulk_create(
            [
                through(slot_id=slot.pk, module_id=module_id)
                for slot, p in zip(created, planned, strict=True)
                for module_id in p.module_ids
            ]
        )


def _with_default_modules(*, course, planned: list[PlannedSlot]) -> list[PlannedSlot]:
    modules = list(course.modules.order_by("number")) if course else []
    spread = modules_spread(modules=modules, slot_count=len(planned))
    return [
        PlannedSlot(p.date, p.period, p.start_time, p.end_time, tuple(m.pk for m in chunk))
        for p, chunk in zip(planned, spread, strict=False)
    ] + planned[len(spread) :]


# --- Sessions ----------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    course,
    title: str,
    dates: Sequence[datetime.date],
    trainers: Iterable[User] = (),
    code: str = "",
    capacity: int = 12,
    place_name: str = "",
    address: str = "",
    access_notes: str = "",
    remote_url: str = "",
    status: str = TrainingSession.Status.PLANNED,
    notes: str = "",
) -> TrainingSession:
    """Create a 2–3 day session and its half-day slots with the default times."""
    dates = session_dates_validate(dates=dates)
    trainers = list(trainers)
    planned = _with_default_modules(course=course, planned=slots_plan(dates=dates))
    _check_trainers(trainers=trainers, slots=planned)
    code = (code or "").strip() or session_code_generate(start=dates[0])
    _check_code(code=code)
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": _("The capacity must be at least 1.")})
    session = TrainingSession.objects.create(
        code=code,
        course=course,
        title=title,
        start_date=min(dates),
        end_date=max(dates),
        place_name=place_name,
        address=address,
        access_notes=access_notes,
        remote_url=remote_url,
        capacity=capacity,
        status=status,
        notes=notes,
    )
    session.trainers.set(trainers)
    _slots_create(session=session, planned=planned)
    return session


@transaction.atomic
def session_update(
    *,
    session: TrainingSession,
    dates: Sequence[datetime.date] | None = None,
    trainers: Iterable[User] | None = None,
    **fields,
) -> TrainingSession:
    """Change a session; slots of kept days keep their times, new days get the defaults."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if "capacity" in fields:
        if fields["capacity"] is None or fields["capacity"] < 1:
            raise ValidationError({"capacity": _("The capacity must be at least 1.")})
        _check_capacity(session=session, capacity=fields["capacity"])
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip() or session.code
        _check_code(code=fields["code"], exclude_pk=session.pk)
    existing = list(session.slots.all())
    if dates is not None:
        dates = session_dates_validate(dates=dates)
        kept = [s for s in existing if s.date in dates]
        kept_days = {s.date for s in kept}
        new_planned = slots_plan(dates=[d for d in dates if d not in kept_days])
    else:
        kept, new_planned = existing, []
    trainers = list(session.trainers.all()) if trainers is None else list(trainers)
    _check_trainers(trainers=trainers, slots=[*kept, *new_planned], exclude_session=session)

    for name, value in fields.items():
        setattr(session, name, value)
    if dates is not None:
        removed = [s for s in existing if s.date not in dates]
        if removed:
            try:
                Slot.objects.filter(pk__in=[s.pk for s in removed]).delete()
            except ProtectedError as exc:
                raise ValidationError(
                    _(
                        "The day %(date)s already has attendance records: it cannot be "
                        "removed from the session."
                    )
                    % {"date": _day(removed[0].date)},
                    code="protected",
                ) from exc
        _slots_create(session=session, planned=new_planned)
        session.start_date, session.end_date = min(dates), max(dates)
    session.full_clean(exclude=["course"], validate_unique=False)
    session.save()
    session.trainers.set(trainers)
    return session


@transaction.atomic
def session_duplicate(
    *, session: TrainingSession, dates: Sequence[datetime.date], code: str = ""
) -> TrainingSession:
    """Copy a session (place, trainers, capacity, slot times and modules) to new days."""
    dates = session_dates_validate(dates=dates)
    source_days = sorted({s.date for s in session.slots.all()})
    source = {(s.date, s.period): s for s in session.slots.prefetch_related("modules")}
    planned = []
    for index, day in enumerate(dates):
        for period in (Slot.Period.MORNING, Slot.Period.AFTERNOON):
            template = (
                source.get((source_days[index], period)) if index < len(source_days) else None
            )
            if template is not None:
                planned.append(
                    PlannedSlot(
                        day,
                        period,
                        template.start_time,
                        template.end_time,
                        tuple(m.pk for m in template.modules.all()),
                    )
                )
            else:
                planned.append(PlannedSlot(day, period, *DEFAULT_TIMES[period]))
    trainers = list(session.trainers.all())
    _check_trainers(trainers=trainers, slots=planned)
    code = (code or "").strip() or session_code_generate(start=dates[0])
    _check_code(code=code)
    copy = TrainingSession.objects.create(
        code=code,
        course=session.course,
        title=session.title,
        start_date=min(dates),
        end_date=max(dates),
        place_name=session.place_name,
        address=session.address,
        access_notes=session.access_notes,
        remote_url=session.remote_url,
        capacity=session.capacity,
        status=TrainingSession.Status.PLANNED,
        notes=session.notes,
    )
    copy.trainers.set(trainers)
    copy.resources.set(session.resources.all())
    _slots_create(session=copy, planned=planned)
    return copy


@transaction.atomic
def session_cancel(*, session: TrainingSession, reason: str = "") -> TrainingSession:
    """Cancel a session and tell its enrolled trainees by email once committed."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This session is already cancelled."), code="cancelled")
    session.status = TrainingSession.Status.CANCELLED
    session.save(update_fields=["status", "updated"])
    enrolment_ids = list(
        session.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True)
    )
    transaction.on_commit(
        lambda: cancellation_notice_send(
            session=session, enrolment_ids=enrolment_ids, reason=reason
        )
    )
    return session


@transaction.atomic
def slot_update(
    *,
    slot: Slot,
    start_time: datetime.time,
    end_time: datetime.time,
    modules: Iterable | None = None,
) -> Slot:
    """Change a slot's hours (and modules), keeping the half-days apart and trainers free."""
    from training.attendance import slot_has_attendance

    slot_times_validate(start_time=start_time, end_time=end_time)
    if (start_time, end_time) != (slot.start_time, slot.end_time) and slot_has_attendance(
        slot=slot
    ):
        # The attendance sheet must show the hours the trainees actually signed for.
        raise ValidationError(
            _("This half-day already has attendance records: its times can no longer be changed."),
            code="attended",
        )
    sibling = (
        Slot.objects.filter(session_id=slot.session_id, date=slot.date).exclude(pk=slot.pk).first()
    )
    if sibling is not None:
        morning_end, afternoon_start = (
            (end_time, sibling.start_time)
            if slot.period == Slot.Period.MORNING
            else (sibling.end_time, start_time)
        )
        if morning_end > afternoon_start:
            raise ValidationError(
                _("The morning (until %(end)s) must end before the afternoon starts (%(start)s).")
                % {"end": _hour(morning_end), "start": _hour(afternoon_start)},
                code="times",
            )
    planned = PlannedSlot(slot.date, slot.period, start_time, end_time)
    _check_trainers(
        trainers=slot.session.trainers.all(), slots=[planned], exclude_session=slot.session
    )
    slot.start_time, slot.end_time = start_time, end_time
    slot.save(update_fields=["start_time", "end_time"])
    if modules is not None:
        slot.modules.set(modules)
    TrainingSession.objects.filter(pk=slot.session_id).update(updated=timezone.now())
    return slot


# --- Session resources ---------------------------------------------------------------------


@transaction.atomic
def session_resource_create(
    *,
    session: TrainingSession,
    kind: str,
    title: str,
    authors: str = "",
    publisher: str = "",
    year: str = "",
    url: str = "",
    description: str = "",
) -> Resource:
    """Add a bibliography entry or a link specific to one session."""
    if kind not in (Resource.Kind.BIBLIOGRAPHY, Resource.Kind.LINK):
        raise ValidationError({"kind": _("Choose a bibliography entry or a web link.")})
    if kind == Resource.Kind.LINK and not url:
        raise ValidationError({"url": _("A web link needs its address (URL).")})
    order = (session.resources.aggregate(m=Max("order"))["m"] or 0) + 1
    resource = Resource.objects.create(
        slug=f"session-{session.pk}-{uuid.uuid4().hex[:10]}",
        kind=kind,
        course=session.course,
        is_session_specific=True,
        title=title,
        authors=authors,
        publisher=publisher,
        year=year,
        url=url,
        description=description,
        order=order,
    )
    session.resources.add(resource)
    return resource


@transaction.atomic
def session_resource_delete(*, session: TrainingSession, resource: Resource) -> None:
    """Remove a session-specific resource from a session (and delete it when orphaned)."""
    if not resource.is_session_specific:
        raise ValidationError(_("Only resources specific to a session can be removed here."))
    session.resources.remove(resource)
    if not resource.sessions.exists():
        resource.delete()


# --- Enrolment ---------------------------------------------------------------------------


def _trainee_group() -> Group:
    return Group.objects.get(name=roles.TRAINEE)


def _check_open(session: TrainingSession) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(
            _("This session is cancelled: no trainee can be enrolled."), code="cancelled"
        )


def _check_room(*, session: TrainingSession, adding: int) -> None:
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if enrolled + adding > session.capacity:
        if adding == 1:
            message = _("The session is full (%(capacity)d places).") % {
                "capacity": session.capacity
            }
        else:
            message = _(
                "This would bring the session to %(total)d trainees, above its capacity "
                "of %(capacity)d."
            ) % {"total": enrolled + adding, "capacity": session.capacity}
        raise ValidationError(message, code="capacity")


@transaction.atomic
def enrolment_create(
    *,
    session: TrainingSession,
    email: str,
    first_name: str = "",
    last_name: str = "",
    profession: str = "",
    organisation: str = "",
    send_convocation: bool = True,
) -> Enrolment:
    """Enrol a person by email; an unknown email gets an account and an invitation."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("« %(value)s » is not a valid email address.") % {"value": email}}
        ) from exc
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _check_open(session)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created and not (first_name.strip() and last_name.strip()):
        raise ValidationError(
            {
                "first_name": _(
                    "%(email)s has no account yet: give the trainee's first and last names."
                )
                % {"email": email}
            },
            code="names",
        )
    enrolment = Enrolment.objects.filter(session=session, trainee=user).first() if user else None
    if enrolment is not None and enrolment.is_active:
        raise ValidationError(
            {"email": _("%(email)s is already enrolled in this session.") % {"email": email}},
            code="duplicate",
        )
    _check_room(session=session, adding=1)
    if created:
        user = User.objects.create_user(
            email,
            password=None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            profession=profession.strip(),
            organisation=organisation.strip(),
        )
        user.groups.add(_trainee_group())
    elif not user.groups.exists():
        user.groups.add(_trainee_group())
    if enrolment is None:
        enrolment = Enrolment.objects.create(session=session, trainee=user)
    else:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.enrolled_at = timezone.now()
        enrolment.cancelled_at = None
        enrolment.save(update_fields=["status", "enrolled_at", "cancelled_at"])
    enrolment_id, user_id = enrolment.pk, user.pk
    if created:
        transaction.on_commit(lambda: invitations_send(user_ids=[user_id]))
    if send_convocation:
        transaction.on_commit(lambda: convocations_send(enrolment_ids=[enrolment_id]))
    return enrolment


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment) -> Enrolment:
    """Take a trainee off a session; the row stays, marked removed, for the records."""
    if not enrolment.is_active:
        raise ValidationError(_("This trainee was already removed."), code="removed")
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    return enrolment


@dataclass
class ImportReport:
    accounts_created: list[str] = field(default_factory=list)
    enrolled: list[str] = field(default_factory=list)
    already_enrolled: list[str] = field(default_factory=list)
    emails_deferred: bool = False


@transaction.atomic
def enrolment_import_csv(
    *, session: TrainingSession, rows: Sequence[TraineeRow], send_emails: bool = True
) -> ImportReport:
    """Enrol every row at once (all or nothing); existing accounts are reused, never doubled."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _check_open(session)
    unique: dict[str, TraineeRow] = {}
    for row in rows:
        unique.setdefault(row.email.lower(), row)
    rows = list(unique.values())
    emails = [row.email.lower() for row in rows]
    existing = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    new_rows = [row for row in rows if row.email.lower() not in existing]
    existing_ids = [u.pk for u in existing.values()]
    enrolments = {
        e.trainee_id: e
        for e in Enrolment.objects.filter(session=session, trainee_id__in=existing_ids)
    }
    report = ImportReport()
    to_reactivate = []
    for email, user in existing.items():
        enrolment = enrolments.get(user.pk)
        if enrolment is None:
            continue
        if enrolment.is_active:
            report.already_enrolled.append(email)
        else:
            to_reactivate.append(enrolment.pk)
    adding = len(rows) - len(report.already_enrolled)
    _check_room(session=session, adding=adding)

    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=row.email.lower(),
                first_name=row.first_name,
                last_name=row.last_name,
                profession=row.profession,
                organisation=row.organisation,
                password=unusable,
            )
            for row in new_rows
        ],
        batch_size=500,
    )
    new_users = list(User.objects.filter(email__in=[row.email.lower() for row in new_rows]))
    group = _trainee_group()
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in new_users],
        batch_size=1000,
        ignore_conflicts=True,
    )
    now = timezone.now()
    if to_reactivate:
        Enrolment.objects.filter(pk__in=to_reactivate).update(
            status=Enrolment.Status.ENROLLED, enrolled_at=now, cancelled_at=None
        )
    fresh = [u for u in existing.values() if u.pk not in enrolments] + new_users
    Enrolment.objects.bulk_create(
        [Enrolment(session=session, trainee=u, enrolled_at=now) for u in fresh], batch_size=1000
    )
    reactivated_ids = {
        enrolments[u.pk].trainee_id
        for u in existing.values()
        if u.pk in enrolments and enrolments[u.pk].pk in to_reactivate
    }
    report.accounts_created = [u.email for u in new_users]
    report.enrolled = [u.email for u in fresh] + [
        u.email for u in existing.values() if u.pk in reactivated_ids
    ]
    if send_emails and len(report.enrolled) > IMPORT_EMAILS_INLINE_MAX:
        report.emails_deferred = True  # convocation_sent_at stays empty: the task picks them up
    elif send_emails:
        new_ids = [u.pk for u in new_users]
        trainee_ids = [u.pk for u in fresh] + list(reactivated_ids)
        enrolled_ids = list(
            Enrolment.objects.filter(session=session, trainee_id__in=trainee_ids).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(lambda: invitations_send(user_ids=new_ids))
        transaction.on_commit(lambda: convocations_send(enrolment_ids=enrolled_ids))
    return report


# --- Emails --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render_email(template: str, context: dict) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"training/email/{template}_subject.txt", context)
        text = render_to_string(f"training/email/{template}.txt", context)
        html = render_to_string(f"training/email/{template}.html", context)
    return " ".join(subject.split()), text, html


def session_ics_filename(session: TrainingSession) -> str:
    """Return the attachment name of a session's calendar file."""
    return f"session-{slugify(session.code) or session.pk}.ics"


def session_ics(*, session: TrainingSession) -> bytes:
    """Return the .ics of one session (its slots in Europe/Paris time)."""
    session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
        pk=session.pk
    )
    return sessions_calendar(sessions=[session], name=f"{session.title} ({session.code})")


def invitation_message(*, user: User) -> EmailMultiAlternatives:
    """Build the invitation email with a link to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "set_password_url": _absolute(reverse("password_reset_confirm", args=[uid, token])),
        "login_url": _absolute(reverse("login")),
        "days_valid": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "ORGANISATION": settings.ORGANISATION,
    }
    subject, text, html = _render_email("invitation", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def _session_email_context(session: TrainingSession) -> dict:
    slots = list(session.slots.all())
    days = []
    for slot in slots:
        if not days or days[-1]["date"] != slot.date:
            days.append({"date": slot.date, "slots": []})
        days[-1]["slots"].append(slot)
    return {
        "session": session,
        "days": days,
        "trainers": list(session.trainers.all()),
        "programme_url": _absolute(reverse("home")),
        "dashboard_url": _absolute(reverse("training:dashboard")),
        "session_url": _absolute(reverse("training:session_detail", args=[session.pk])),
        "ORGANISATION": settings.ORGANISATION,
    }


def convocation_message(
    *, enrolment: Enrolment, ics: bytes | None = None, base: dict | None = None
) -> EmailMultiAlternatives:
    """Build the convocation email of one trainee, with the session's .ics attached."""
    session = enrolment.session
    context = dict(base or _session_email_context(session))
    context["trainee"] = enrolment.trainee
    subject, text, html = _render_email("convocation", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [enrolment.trainee.email]
    )
    message.attach_alternative(html, "text/html")
    message.attach(
        session_ics_filename(session),
        ics if ics is not None else session_ics(session=session),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return message


def _send(messages: list[EmailMultiAlternatives]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def invitations_send(*, user_ids: Sequence[int]) -> int:
    """Send the invitation (set-password link) to each new account."""
    users = User.objects.filter(pk__in=user_ids)
    return _send([invitation_message(user=user) for user in users])


def convocations_send(*, enrolment_ids: Sequence[int]) -> int:
    """Send (or resend) the convocation of each enrolment and note when it went."""
    enrolments = list(
        Enrolment.objects.filter(pk__in=enrolment_ids, status=Enrolment.Status.ENROLLED)
        .select_related("trainee", "session")
        .order_by("session_id")
    )
    messages = []
    by_session: dict[int, tuple[bytes, dict]] = {}
    for enrolment in enrolments:
        if enrolment.session_id not in by_session:
            session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
                pk=enrolment.session_id
            )
            by_session[session.pk] = (session_ics(session=session), _session_email_context(session))
        ics, base = by_session[enrolment.session_id]
        enrolment.session = base["session"]
        messages.append(convocation_message(enrolment=enrolment, ics=ics, base=base))
    sent = _send(messages)
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        convocation_sent_at=timezone.now()
    )
    return sent


def convocations_send_pending(*, batch_size: int = 100) -> tuple[int, int]:
    """Send the convocations never sent for sessions not over, with the invitations they need.

    Each batch is marked sent once it has gone, so an interrupted run resumes where it
    stopped. A trainee whose account was never used (no password, never logged in) also gets
    the invitation with the link to choose a password. Returns (convocations, invitations).
    """
    pending = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ENROLLED,
            convocation_sent_at__isnull=True,
            session__end_date__gte=timezone.localdate(),
        )
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .order_by("session_id", "pk")
    )
    convocations = invitations = 0
    handled: set[int] = set()  # never twice in one run, even if a row could not be marked
    while True:
        batch = list(pending.exclude(pk__in=handled).select_related("trainee")[:batch_size])
        if not batch:
            return convocations, invitations
        handled.update(e.pk for e in batch)
        new_accounts = [
            e.trainee_id
            for e in batch
            if e.trainee.last_login is None and not e.trainee.has_usable_password()
        ]
        invitations += invitations_send(user_ids=new_accounts)
        convocations += convocations_send(enrolment_ids=[e.pk for e in batch])


def convocation_send(*, enrolment: Enrolment) -> int:
    """Send (or resend) one trainee's convocation."""
    if not enrolment.is_active:
        raise ValidationError(_("This trainee is no longer enrolled."), code="removed")
    return convocations_send(enrolment_ids=[enrolment.pk])


def cancellation_notice_send(
    *, session: TrainingSession, enrolment_ids: Sequence[int], reason: str = ""
) -> int:
    """Tell the trainees that their session is cancelled."""
    session = TrainingSession.objects.prefetch_related("slots", "trainers").get(pk=session.pk)
    base = _session_email_context(session)
    base["reason"] = reason
    messages = []
    for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related("trainee"):
        subject, text, html = _render_email(
            "session_cancelled", {**base, "trainee": enrolment.trainee}
        )
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [enrolment.trainee.email]
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return _send(messages)


# --- Calendar feed -----------------------------------------------------------------------


def calendar_token_ensure(*, user: User) -> CalendarToken:
    """Return the user's calendar feed token, creating it on first use."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> CalendarToken:
    """Replace the user's feed token: the old feed URL stops working at once."""
    token, _created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    token.token = secrets.token_urlsafe(32)
    token.created = timezone.now()
    token.save(update_fields=["token", "created"])
    return token
