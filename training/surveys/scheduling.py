"""When each questionnaire goes, and when its reminders follow (the rules, no database writes).

- « à chaud » (trainees) and the trainer's questionnaire: at the end of the session's last
  half-day;
- « à froid » (trainees): ``SURVEY_COLD_DELAY_DAYS`` days after the last day (or the
  session's own delay), at ``SURVEY_SEND_HOUR``;
- employer or funder: when a trainer or an administrator sends it (the invitation's
  ``due_at``);
- reminders: ``SURVEY_REMINDER_DAYS`` days after the invitation went (3 and 7 by default), at
  ``SURVEY_SEND_HOUR``, to those who have not answered, while the link is valid.

Nothing older than ``SURVEY_SEND_WINDOW_DAYS`` is sent: switching the sending on, or a
sender stopped for weeks, never mails people about sessions long past.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from training.surveys.models import Questionnaire


def at_send_hour(day: datetime.date) -> datetime.datetime:
    """Return ``day`` at the sending hour, in the site's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(settings.SURVEY_SEND_HOUR))
    )


def cold_delay_days(session) -> int:
    """Return the session's « à froid » delay in days (its own, else the setting)."""
    own = getattr(getattr(session, "survey_settings", None), "cold_delay_days", None)
    return own or settings.SURVEY_COLD_DELAY_DAYS


def session_end(session) -> datetime.datetime | None:
    """Return the end of the session's last half-day (slots prefetched or not)."""
    slots = list(session.slots.all())
    if not slots:
        return None
    return max(slot.ends_at for slot in slots)


def session_last_start(session) -> datetime.datetime | None:
    """Return the start of the session's last half-day."""
    slots = list(session.slots.all())
    if not slots:
        return None
    return max(slots, key=lambda slot: slot.ends_at).starts_at


def due_at(kind: str, session) -> datetime.datetime | None:
    """Return when a questionnaire of ``kind`` goes for a session (None: sent by hand)."""
    if kind in (Questionnaire.Kind.HOT, Questionnaire.Kind.TRAINER):
        return session_end(session)
    if kind == Questionnaire.Kind.COLD:
        return at_send_hour(session.end_date + datetime.timedelta(days=cold_delay_days(session)))
    return None


def reminder_due_at(sent_at: datetime.datetime, number: int) -> datetime.datetime | None:
    """Return when reminder ``number`` (1, 2…) of an invitation sent at ``sent_at`` goes."""
    offsets = settings.SURVEY_REMINDER_DAYS
    if not 1 <= number <= len(offsets):
        return None
    return at_send_hour(timezone.localdate(sent_at) + datetime.timedelta(days=offsets[number - 1]))


def send_window_start(now: datetime.datetime) -> datetime.datetime:
    """Return the oldest due time still sent at ``now``."""
    return now - datetime.timedelta(days=settings.SURVEY_SEND_WINDOW_DAYS)


def link_expiry(sent_at: datetime.datetime) -> datetime.datetime:
    """Return when a link first sent at ``sent_at`` stops working."""
    return sent_at + datetime.timedelta(days=settings.SURVEY_LINK_VALID_DAYS)
