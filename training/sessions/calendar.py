"""iCalendar (RFC 5545) files for sessions: one event per half-day slot, Europe/Paris times.

Pure functions: they take sessions whose slots and trainers are already loaded and return
bytes; views and emails only wrap them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

PRODID = "-//Partage d'information à caractère secret//Sessions//FR"
VTIMEZONE_YEARS = (1900, 2200)


def _uid_host(base_url: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "localhost"


def _location(session) -> str:
    if session.place_name or session.address:
        parts = [session.place_name, " ".join(session.address.split())]
        return ", ".join(p for p in parts if p)
    if session.remote_url:
        return _("Remote session")
    return ""


def _description(session, slot, base_url: str, trainers: list) -> str:
    lines = [f"{session.title} ({session.code})", f"{slot.get_period_display()}"]
    modules = list(slot.modules.all())
    if modules:
        lines.append(_("Modules: %(modules)s") % {"modules": "; ".join(str(m) for m in modules)})
    if trainers:
        lines.append(
            _("Trainer: %(names)s") % {"names": ", ".join(t.get_full_name() for t in trainers)}
        )
    if session.access_notes:
        lines.append(_("Access: %(notes)s") % {"notes": " ".join(session.access_notes.split())})
    if session.remote_url:
        lines.append(_("Remote link: %(url)s") % {"url": session.remote_url})
    lines.append(base_url + reverse("training:session_detail", args=[session.pk]))
    return "\n".join(lines)


def sessions_calendar(
    *, sessions: Iterable, name: str, base_url: str | None = None, stamp=None
) -> bytes:
    """Return an .ics calendar with one event per slot of the given sessions."""
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    tz = ZoneInfo(settings.TIME_ZONE)
    stamp = stamp or datetime.datetime.now(datetime.UTC)
    host = _uid_host(base_url)
    calendar = icalendar.Calendar.new(
        prodid=PRODID, name=name, method="PUBLISH", refresh_interval=datetime.timedelta(hours=6)
    )
    first = last = None
    for session in sessions:
        trainers = list(session.trainers.all())
        if session.status == session.Status.CANCELLED:
            status = "CANCELLED"
        elif session.status == session.Status.DRAFT:
            status = "TENTATIVE"
        else:
            status = "CONFIRMED"
        for slot in session.slots.all():
            event = icalendar.Event.new(
                uid=f"session-{session.pk}-slot-{slot.pk}@{host}",
                summary=f"{session.title} — {slot.get_period_display()}",
                start=datetime.datetime.combine(slot.date, slot.start_time, tzinfo=tz),
                end=datetime.datetime.combine(slot.date, slot.end_time, tzinfo=tz),
                stamp=stamp,
                location=_location(session) or None,
                description=_description(session, slot, base_url, trainers),
                url=session.remote_url or None,
                status=status,
                last_modified=session.updated,
            )
            calendar.add_component(event)
            first = slot.date if first is None else min(first, slot.date)
            last = slot.date if last is None else max(last, slot.date)
    if first is not None:
        # A VTIMEZONE covering the events' years keeps the file small and valid. Its range is
        # kept within years the time-zone rules can be computed for: a session stored with a
        # date in year 1 or 9999 (before dates were bounded) still gets a calendar.
        low = min(max(first.year - 1, VTIMEZONE_YEARS[0]), VTIMEZONE_YEARS[1] - 1)
        high = max(min(last.year + 2, VTIMEZONE_YEARS[1]), low + 1)
        calendar.add_missing_timezones(
            first_date=datetime.date(low, 1, 1), last_date=datetime.date(high, 1, 1)
        )
    return calendar.to_ical()
