"""The audit trail: one function to record an event, and the actor of the current request.

The actor is kept in a ``ContextVar`` for the duration of one request only (set and reset by
``AuditActorMiddleware``), so signal receivers know who acted without any state shared
between requests.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from training.privacy.models import AuditEvent

_current_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)


def current_actor():
    """Return the authenticated user of the current request, or None (commands, tests)."""
    user = _current_actor.get()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@contextmanager
def acting_as(user):
    """Attribute the audit events recorded inside the block to ``user``."""
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


class AuditActorMiddleware:
    """Make ``request.user`` the actor of the audit events recorded during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


def _object_type(obj) -> str:
    if obj is None:
        return ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower
    return type(obj).__name__


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    summary: str,
    params: dict | None = None,
    data: dict | None = None,
):
    """Append one event to the audit trail (actor None for the system).

    ``summary`` is an English message marked with ``gettext_noop``; it is stored translated
    into the site's language (French), whatever language the acting user browses in, so the
    trail reads the same for every administrator and in its CSV export.
    """

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(summary) % params if params is not None else gettext(summary)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk) if isinstance(obj, models.Model) and obj.pk is not None else "",
        summary=text[:500],
        data=data or {},
    )
