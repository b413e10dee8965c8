"""Writes for sessions: creating, editing, duplicating and cancelling sessions, their half-days and
resources; enrolment; calendar tokens. The rules they apply are in ``scheduling``, the
emails they send in ``emails``, the CSV import in ``imports``.

Every function is keyword-only and raises ``ValidationError`` with a French message (through
gettext) when a rule is broken; views, admin and commands call the same functions.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.cache import version_bump
from modules.models import Resource
from training.access import roles
from training.accounts.models import User
from training.attendance.selectors import slot_has_attendance
from training.sessions.emails import (
    cancellation_notices_queue,
    convocations_queue,
    invitations_queue,
)
from training.sessions.models import CalendarToken, Enrolment, Slot, TrainingSession
from training.sessions.scheduling import (
    DEFAULT_TIMES,
    PlannedSlot,
    check_capacity,
    check_code,
    check_trainers,
    day_text,
    hour_text,
    modules_spread,
    session_code_generate,
    session_dates_validate,
    slot_times_validate,
    slots_plan,
)

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
    programme_changed()  # bulk writes send no signal


def programme_changed() -> None:
    """Retire the cached programmes of the sessions (``receivers.py``; bulk writes here)."""
    from training.sessions.selectors import PROGRAMME_VERSION  # selectors import this module

    version_bump(PROGRAMME_VERSION)


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
    check_trainers(trainers=trainers, slots=planned)
    code = (code or "").strip() or session_code_generate(start=dates[0])
    check_code(code=code)
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
        check_capacity(session=session, capacity=fields["capacity"])
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip() or session.code
        check_code(code=fields["code"], exclude_pk=session.pk)
    existing = list(session.slots.all())
    if dates is not None:
        dates = session_dates_validate(dates=dates)
        kept = [s for s in existing if s.date in dates]
        kept_days = {s.date for s in kept}
        new_planned = slots_plan(dates=[d for d in dates if d not in kept_days])
    else:
        kept, new_planned = existing, []
    trainers = list(session.trainers.all()) if trainers is None else list(trainers)
    check_trainers(trainers=trainers, slots=[*kept, *new_planned], exclude_session=session)

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
                    % {"date": day_text(removed[0].date)},
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
    check_trainers(trainers=trainers, slots=planned)
    code = (code or "").strip() or session_code_generate(start=dates[0])
    check_code(code=code)
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
    """Cancel a session and queue the email telling each enrolled trainee."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This session is already cancelled."), code="cancelled")
    session.status = TrainingSession.Status.CANCELLED
    session.save(update_fields=["status", "updated"])
    trainee_ids = list(
        session.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list(
            "trainee_id", flat=True
        )
    )
    cancellation_notices_queue(session=session, trainee_ids=trainee_ids, reason=reason)
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
                % {"end": hour_text(morning_end), "start": hour_text(afternoon_start)},
                code="times",
            )
    planned = PlannedSlot(slot.date, slot.period, start_time, end_time)
    check_trainers(
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


def trainee_group() -> Group:
    return Group.objects.get(name=roles.TRAINEE)


def check_open(session: TrainingSession) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(
            _("This session is cancelled: no trainee can be enrolled."), code="cancelled"
        )


def check_room(*, session: TrainingSession, adding: int) -> None:
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if enrolled + adding > session.capacity:
        if adding == 1:
            message = ngettext(
                "The session is full (%(capacity)d place).",
                "The session is full (%(capacity)d places).",
                session.capacity,
            ) % {"capacity": session.capacity}
        else:
            message = ngettext(
                "This would bring the session to %(total)d trainee, above its capacity "
                "of %(capacity)d.",
                "This would bring the session to %(total)d trainees, above its capacity "
                "of %(capacity)d.",
                enrolled + adding,
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
    trainee_category: str = "",
    funding_source: str = "",
    price=None,
    send_convocation: bool = True,
) -> Enrolment:
    """Enrol a person by email; an unknown email gets an account and an invitation.

    The emails are queued in this transaction and sent by the worker: a mail server that is
    down delays them, it never fails the enrolment.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("« %(value)s » is not a valid email address.") % {"value": email}}
        ) from exc
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    check_open(session)
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
    check_room(session=session, adding=1)
    if created:
        user = User.objects.create_user(
            email,
            password=None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            profession=profession.strip(),
            organisation=organisation.strip(),
        )
        user.groups.add(trainee_group())
    elif not user.groups.exists():
        user.groups.add(trainee_group())
    bpf = {"trainee_category": trainee_category, "funding_source": funding_source, "price": price}
    if enrolment is None:
        enrolment = Enrolment.objects.create(session=session, trainee=user, **bpf)
    else:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.enrolled_at = timezone.now()
        enrolment.cancelled_at = None
        changed = {key: value for key, value in bpf.items() if value not in ("", None)}
        for key, value in changed.items():
            setattr(enrolment, key, value)
        enrolment.save(update_fields=["status", "enrolled_at", "cancelled_at", *changed])
    if created:
        invitations_queue(user_ids=[user.pk])
    if send_convocation:
        convocations_queue(session=session, trainee_ids=[user.pk])
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
