"""Named predicates for quizzes; they rest on the platform's roles (training.permissions)."""

from training import permissions


def can_take_quizzes(user) -> bool:
    """Return whether the user may take quizzes and see their own results."""
    return permissions.can_follow_course(user)


def can_see_results(user) -> bool:
    """Return whether the user may see every trainee's results (trainers, administrators)."""
    return permissions.can_run_sessions(user)
