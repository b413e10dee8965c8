"""Named predicates for the course; they rest on the platform's roles
(``training.access.permissions``)."""

from training.access import permissions


def can_read_course(user) -> bool:
    """Return whether the user may read the modules, lessons, glossary and resources."""
    return permissions.can_follow_course(user)


def can_see_trainer_notes(user) -> bool:
    """Return whether the user may read the trainer notes of a module (trainers, admins)."""
    return permissions.can_run_sessions(user)


def can_present_slides(user) -> bool:
    """Return whether the user may open the presenter view of a module's slides."""
    return permissions.can_run_sessions(user)
