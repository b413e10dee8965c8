"""Quality writes: complaints (received from anyone, acknowledged, then handled: reçue → en
cours → traitée → close) and improvement actions (recorded from their source, followed to
their outcome). Every status change goes to the audit trail."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from training.privacy.audit import audit_record
from training.privacy.models import AuditEvent
from training.quality import emails, tasks
from training.quality.models import Complaint, ComplaintThrottle, ImprovementAction

# Which status may follow which (a closed complaint stays closed).
COMPLAINT_NEXT = {
    Complaint.Status.RECEIVED: {
        Complaint.Status.IN_PROGRESS,
        Complaint.Status.ANSWERED,
        Complaint.Status.CLOSED,
    },
    Complaint.Status.IN_PROGRESS: {Complaint.Status.ANSWERED, Complaint.Status.CLOSED},
    Complaint.Status.ANSWERED: {Complaint.Status.CLOSED, Complaint.Status.IN_PROGRESS},
    Complaint.Status.CLOSED: set(),
}


class RateLimited(ValidationError):
    pass


def client_hash(address: str) -> str:
    """Return a keyed hash of a client address (the address itself is never stored)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"complaint:{address}".encode(), hashlib.sha256).hexdigest()


def complaint_submit(
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    role: str = Complaint.Role.OTHER,
    session=None,
    session_text: str = "",
    user=None,
    client_address: str = "",
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record a complaint and send its acknowledgement; refuse a burst from one address.

    At most ``COMPLAINT_RATE_LIMIT_PER_HOUR`` complaints an hour from one client address
    (counted in the database, so every app server shares the limit).
    """
    now = now or timezone.now()
    digest = client_hash(client_address or "unknown")
    with transaction.atomic():
        recent = ComplaintThrottle.objects.filter(
            client_hash=digest, created_at__gte=now - datetime.timedelta(hours=1)
        ).count()
        if recent >= settings.COMPLAINT_RATE_LIMIT_PER_HOUR:
            raise RateLimited(
                _(
                    "Too many complaints were sent from this connection in the last hour. "
                    "Please try again later or write to %(email)s."
                )
                % {"email": settings.ORGANISATION["email"]},
                code="rate_limited",
            )
        ComplaintThrottle.objects.create(client_hash=digest, created_at=now)
        user = user if user is not None and user.is_authenticated else None
        complaint = Complaint.objects.create(
            created_at=now,
            submitted_by=user,
            name=(user.get_full_name() if user else name).strip()[:200],
            email=(user.email if user else email).strip().lower(),
            role=role,
            session=session,
            session_text=session_text.strip(),
            subject=subject.strip(),
            message=message.strip(),
        )
        audit_record(
            actor=user,
            action=AuditEvent.Action.COMPLAINT_STATUS,
            obj=complaint,
            summary=gettext_noop("Complaint %(reference)s received"),
            params={"reference": complaint.reference},
            data={"status": complaint.status},
        )
        transaction.on_commit(
            lambda: tasks.complaint_acknowledge.enqueue(complaint_id=complaint.pk), robust=True
        )
    return complaint


def complaint_acknowledge(*, complaint_id: int) -> bool:
    """Email the acknowledgement of a complaint and note when it went (once)."""
    complaint = Complaint.objects.filter(pk=complaint_id, acknowledged_at__isnull=True).first()
    if complaint is None:
        return False
    emails.complaint_acknowledgement(complaint=complaint).send()
    Complaint.objects.filter(pk=complaint.pk).update(acknowledged_at=timezone.now())
    return True


def complaint_answer_send(*, complaint_id: int) -> bool:
    """Email the answer given to a complaint to the person who made it."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.email:
        return False
    emails.complaint_answer(complaint=complaint).send()
    return True


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    by,
    status: str,
    answer: str = "",
    session=None,
    internal_note: str = "",
    send_answer: bool = True,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Move a complaint along its workflow, with the answer given when it is « traitée »."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    previous = complaint.status
    answer = (answer or "").strip()
    if status != previous and status not in COMPLAINT_NEXT[previous]:
        raise ValidationError(
            _("A complaint « %(from)s » cannot become « %(to)s ».")
            % {
                "from": Complaint.Status(previous).label,
                "to": Complaint.Status(status).label,
            },
            code="transition",
        )
    if status == Complaint.Status.ANSWERED and not answer:
        raise ValidationError({"answer": _("Write the answer given to the person.")})
    if (
        status == Complaint.Status.CLOSED
        and not (answer or complaint.answer)
        and not (internal_note or "").strip()
    ):
        raise ValidationError(
            {"internal_note": _("Say why the complaint is closed without an answer.")}
        )
    complaint.session = session
    complaint.internal_note = (internal_note or "").strip()
    if answer:
        complaint.answer = answer
    complaint.status = status
    if status != previous:
        complaint.handled_by = by
        if status == Complaint.Status.IN_PROGRESS and complaint.started_at is None:
            complaint.started_at = now
        if status == Complaint.Status.ANSWERED:
            complaint.answered_at = now
            complaint.started_at = complaint.started_at or now
        if status == Complaint.Status.CLOSED:
            complaint.closed_at = now
    complaint.save()
    if status != previous:
        audit_record(
            actor=by,
            action=AuditEvent.Action.COMPLAINT_STATUS,
            obj=complaint,
            summary=gettext_noop("Complaint %(reference)s: %(from)s → %(to)s"),
            params={
                "reference": complaint.reference,
                "from": Complaint.Status(previous).label,
                "to": Complaint.Status(status).label,
            },
            data={"from": previous, "to": status},
        )
        if status == Complaint.Status.ANSWERED and send_answer:
            transaction.on_commit(
                lambda: tasks.complaint_answer_send.enqueue(complaint_id=complaint.pk), robust=True
            )
    return complaint


# --- Improvement actions -------------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "source",
    "source_detail",
    "complaint",
    "question",
    "session",
    "owner",
    "due_date",
    "status",
    "outcome",
    "is_public",
    "public_summary",
)


def _action_check(values: dict) -> None:
    errors = {}
    closed = values.get("status") in ImprovementAction.CLOSED
    if closed and not (values.get("outcome") or "").strip():
        errors["outcome"] = _("Describe the outcome before closing the action.")
    if values.get("is_public"):
        if values.get("status") != ImprovementAction.Status.DONE:
            errors["is_public"] = _("Only an action done can be shown on the programme page.")
        elif not (values.get("public_summary") or "").strip():
            errors["public_summary"] = _("Write the text shown on the programme page.")
    source = values.get("source")
    if source == ImprovementAction.Source.COMPLAINT and not values.get("complaint"):
        errors["complaint"] = _("Choose the complaint this action answers.")
    if source == ImprovementAction.Source.SURVEY and not (
        values.get("question") or (values.get("source_detail") or "").strip()
    ):
        errors["question"] = _("Choose the survey question, or describe the result.")
    if (
        source in (ImprovementAction.Source.TRAINER, ImprovementAction.Source.LEGAL_WATCH)
        and not (values.get("source_detail") or "").strip()
    ):
        errors["source_detail"] = _("Describe the remark or the change this action follows.")
    if errors:
        raise ValidationError(errors)


def _audit_action(action: ImprovementAction, *, by, previous: str | None) -> None:
    if previous is None:
        summary = gettext_noop("Improvement action #%(pk)s recorded: %(title)s")
    else:
        summary = gettext_noop("Improvement action #%(pk)s: %(from)s → %(to)s")
    audit_record(
        actor=by,
        action=AuditEvent.Action.ACTION_STATUS,
        obj=action,
        summary=summary,
        params={
            "pk": action.pk,
            "title": action.title,
            "from": ImprovementAction.Status(previous).label if previous else "",
            "to": action.get_status_display(),
        },
        data={"from": previous, "to": action.status, "public": action.is_public},
    )


@transaction.atomic
def action_create(*, by, now: datetime.datetime | None = None, **values) -> ImprovementAction:
    """Record an improvement action linked to its source."""
    values = {k: v for k, v in values.items() if k in ACTION_FIELDS}
    values.setdefault("status", ImprovementAction.Status.PLANNED)
    _action_check(values)
    now = now or timezone.now()
    action = ImprovementAction(**values, created_by=by, created_at=now)
    if action.is_closed:
        action.closed_at = now
    action.save()
    _audit_action(action, by=by, previous=None)
    return action


def action_from_legal_watch(*, verification, flags) -> str:
    """Open the improvement action a modified or repealed legal text calls for (the legal
    watch's hook, ``settings.LEGAL_WATCH_ACTION_HOOK``); return its reference for the watch
    page."""
    reference = verification.reference
    outcome = verification.get_outcome_display().lower()
    action = action_create(
        by=verification.checked_by,
        title=_("Review the content citing %(cite)s (%(outcome)s)")
        % {"cite": reference.cite, "outcome": outcome},
        description=ngettext(
            "%(count)d item of the course cites this text and is flagged « to review »: "
            "check it against the text in force, then mark it reviewed on the legal watch page.",
            "%(count)d items of the course cite this text and are flagged « to review »: "
            "check them against the text in force, then mark them reviewed on the legal watch "
            "page.",
            len(flags),
        )
        % {"count": len(flags)},
        source=ImprovementAction.Source.LEGAL_WATCH,
        source_detail=_("Verification of %(date)s (%(source)s): %(outcome)s. %(note)s")
        % {
            "date": formats.date_format(verification.checked_on, "j F Y"),
            "source": verification.source_consulted,
            "outcome": outcome,
            "note": verification.note,
        },
        owner=verification.checked_by,
    )
    return _("no. %(pk)s") % {"pk": action.pk}


@transaction.atomic
def action_update(
    *, action: ImprovementAction, by, now: datetime.datetime | None = None, **values
) -> ImprovementAction:
    """Change an improvement action; closing it needs its outcome, showing it a public text."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    previous = action.status
    merged = {name: getattr(action, name) for name in ACTION_FIELDS}
    merged.update({k: v for k, v in values.items() if k in ACTION_FIELDS})
    _action_check(merged)
    for name, value in merged.items():
        setattr(action, name, value)
    now = now or timezone.now()
    if action.is_closed and action.closed_at is None:
        action.closed_at = now
    if not action.is_closed:
        action.closed_at = None
    action.save()
    if action.status != previous:
        _audit_action(action, by=by, previous=previous)
    return action


# --- Personal data --------------------------------------------------------------------------------


def user_complaints_anonymise(*, user, pseudonym: str, email: str) -> int:
    """Replace the name and address on a person's complaints (the handling is kept)."""
    return Complaint.objects.filter(submitted_by=user).update(name=pseudonym, email=email)
