"""Reads for the privacy pages: the filtered audit trail and its CSV rows (written by
``core.spreadsheets``, which escapes formulas)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from training.privacy.models import AuditEvent, ErasureRequest


def audit_events(*, action: str = "", actor=None, since=None, until=None):
    """Return the audit events matching the filters, latest first."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor is not None:
        events = events.filter(actor=actor)
    if since:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        events = events.filter(created_at__gte=start)
    if until:
        end = timezone.make_aware(
            datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min)
        )
        events = events.filter(created_at__lt=end)
    return events.order_by("-created_at", "-pk")


def audit_rows(*, events):
    """Yield the CSV rows of the audit trail (header first)."""
    import json

    yield ["date", "actor_id", "actor", "action", "object_type", "object_id", "summary", "data"]
    for event in events.iterator(chunk_size=500):
        yield [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_id or "",
            event.actor.email if event.actor else "",
            event.action,
            event.object_type,
            event.object_id,
            event.summary,
            json.dumps(event.data, ensure_ascii=False, sort_keys=True),
        ]


def erasure_requests_for_admin():
    """Return every erasure request, pending first, latest first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        ErasureRequest.objects.select_related("user", "decided_by")
        .annotate(
            pending_first=Case(
                When(status=ErasureRequest.Status.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-requested_at", "-pk")
    )
