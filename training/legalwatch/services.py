"""Writes of the legal watch: record a verification, flag the content that cites a modified or
repealed text, resolve the flags, open an improvement action, send the overdue reminders."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from training.access.roles import ADMINISTRATOR

from . import selectors
from .models import LegalReference, ReferenceReminder, ReviewFlag, Verification

logger = logging.getLogger(__name__)


@transaction.atomic
def verification_record(
    *,
    reference: LegalReference,
    checked_on: datetime.date,
    checked_by,
    source_consulted: str,
    outcome: str,
    note: str = "",
) -> Verification:
    """Record that ``checked_by`` checked ``reference`` against its official text.

    When the text was modified or repealed, every item that cites it is flagged « à revoir »
    (``flags_open``) and an improvement action is opened (``flag_opened``).
    """
    if checked_on > timezone.localdate():
        raise ValidationError(_("The date of the verification cannot be in the future."))
    if outcome not in Verification.Outcome.values:
        raise ValidationError(_("Unknown outcome of the verification."))
    if not source_consulted.strip():
        raise ValidationError(_("Say which source you consulted."))
    verification = Verification.objects.create(
        reference=reference,
        checked_on=checked_on,
        checked_by=checked_by,
        source_consulted=source_consulted.strip(),
        outcome=outcome,
        note=note.strip(),
    )
    if verification.flags_content:
        flags = flags_open(verification=verification)
        flag_opened(verification=verification, flags=flags)
    return verification


def flags_open(*, verification: Verification) -> list[ReviewFlag]:
    """Flag every item that cites the verification's reference (no duplicate of an open flag)."""
    reference = verification.reference
    already = set(
        ReviewFlag.objects.open().filter(reference=reference).values_list("item_kind", "item_key")
    )
    flags = [
        ReviewFlag(
            verification=verification,
            reference=reference,
            item_kind=citation.item_kind,
            item_key=citation.item_key,
            item_label=citation.item_label,
            module_slug=citation.module_slug,
            path=citation.path,
            lines=citation.lines,
        )
        for citation in reference.citations.all()
        if (citation.item_kind, citation.item_key) not in already
    ]
    return ReviewFlag.objects.bulk_create(flags)


def flag_opened(*, verification: Verification, flags: list[ReviewFlag]) -> str:
    """Open the improvement action that a modified or repealed text calls for.

    The quality feature (improvement actions) plugs in here: ``LEGAL_WATCH_ACTION_HOOK`` names
    a function called as ``hook(verification=…, flags=…)`` inside this transaction; what it
    returns (the action's reference) is stored on the verification and shown on the watch
    page. Without a hook, the page asks the administrator to open the action.
    """
    path = settings.LEGAL_WATCH_ACTION_HOOK
    if not path:
        return ""
    hook = import_string(path)
    action = str(hook(verification=verification, flags=flags) or "")[:200]
    if action:
        verification.action_reference = action
        verification.save(update_fields=["action_reference"])
    return action


@transaction.atomic
def flag_resolve(*, flag: ReviewFlag, by, note: str = "") -> ReviewFlag:
    """Mark one item reviewed: its notice disappears."""
    flag = ReviewFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError(_("This item was already marked as reviewed."))
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.resolution_note = note.strip()
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return flag


@transaction.atomic
def flags_resolve(*, reference: LegalReference, by, note: str = "") -> int:
    """Mark every open item of a reference reviewed; return how many."""
    return (
        ReviewFlag.objects.open()
        .filter(reference=reference)
        .update(resolved_at=timezone.now(), resolved_by=by, resolution_note=note.strip())
    )


# --------------------------------------------------------------------------- reminders


def _administrators():
    from training.accounts.models import User

    return list(
        User.objects.filter(is_active=True, groups__name=ADMINISTRATOR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def reminder_message(*, rows, recipient) -> EmailMultiAlternatives:
    """The e-mail that lists the references due for verification, to one administrator."""
    context = {
        "rows": rows,
        "watch_url": settings.SITE_URL.rstrip("/") + reverse("training:legal_watch"),
        "months": selectors.watch_months(),
        "ORGANISATION": settings.ORGANISATION,
        "recipient": recipient,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("training/email/legal_watch_reminder_subject.txt", context).split()
        )
        text = render_to_string("training/email/legal_watch_reminder.txt", context)
        html = render_to_string("training/email/legal_watch_reminder.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def legal_watch_reminders_send(*, now: datetime.datetime) -> int:
    """E-mail the administrators the references that became due for verification.

    Each overdue reference is announced once per due date (``ReferenceReminder``): run it as
    often as you like (the task worker's periodic tick, or ``legal_watch_remind`` from cron).
    Returns the number of references announced.
    """
    today = timezone.localdate(now)
    rows = [row for row in selectors.reference_rows(today=today) if row.is_overdue]
    due = {row.reference.pk: row.due_on for row in rows}
    done = set(
        ReferenceReminder.objects.filter(reference_id__in=due).values_list("reference_id", "due_on")
    )
    fresh = [row for row in rows if (row.reference.pk, due[row.reference.pk]) not in done]
    if not fresh:
        return 0
    recipients = _administrators()
    if not recipients:
        logger.warning(
            "legal watch: %s reference(s) overdue but no administrator to tell", len(fresh)
        )
        return 0
    sent = []
    with transaction.atomic():
        for row in fresh:
            try:
                with transaction.atomic():
                    ReferenceReminder.objects.create(
                        reference=row.reference,
                        due_on=due[row.reference.pk],
                        sent_at=now,
                        recipients=len(recipients),
                    )
            except IntegrityError:  # another run announced it in the meantime
                continue
            sent.append(row)
        if sent:
            # Sent inside the transaction: if the mail server refuses, nothing is recorded and
            # the next run tries again.
            get_connection().send_messages(
                [reminder_message(rows=sent, recipient=user) for user in recipients]
            )
    return len(sent)
