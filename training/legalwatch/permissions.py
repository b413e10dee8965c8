"""Named predicates of the legal watch, on top of the platform's roles."""

from training.access import permissions


def can_watch_legal_texts(user) -> bool:
    """Return whether the user may see the legal watch, record verifications, resolve flags."""
    return permissions.can_administer(user)


def can_see_review_notices(user) -> bool:
    """Return whether the user sees « contenu en cours de révision » notices (trainers)."""
    return permissions.can_run_sessions(user)
