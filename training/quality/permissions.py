"""Who handles complaints and improvement actions (named predicates)."""

from training.access import permissions


def can_handle_complaints(user) -> bool:
    """Return whether the user reads and handles complaints (administrators)."""
    return permissions.can_administer(user)


def can_manage_actions(user) -> bool:
    """Return whether the user records and follows improvement actions (administrators)."""
    return permissions.can_administer(user)
