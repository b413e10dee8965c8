"""Who may use the guide: the course's named predicates, given the guide's own names."""

from training.access import permissions


def can_walk_guide(user) -> bool:
    """Return whether the user may walk the guide and open the practice cases."""
    return permissions.can_follow_course(user)


def can_project_cases(user) -> bool:
    """Return whether the user may project a case in the room (trainers, administrators)."""
    return permissions.can_run_sessions(user)


def can_see_outline(user) -> bool:
    """Return whether the user may read the whole graph as an outline (administrators)."""
    return permissions.can_administer(user)
