"""Named predicates for quizzes; they rest on the platform's roles (training.access.permissions)."""

from training.access import permissions


def can_take_quizzes(user) -> bool:
    """Return whether the user may take quizzes and see their own results."""
    return permissions.can_follow_course(user)


def can_see_results(user) -> bool:
    """Return whether the user may see trainees' results (trainers, administrators)."""
    return permissions.can_run_sessions(user)


def results_scope(user):
    """Return whose results the user may see: None (every trainee) or a queryset of users.

    Administrators see every trainee; a trainer sees the trainees enrolled in the sessions
    they run, never those of another trainer's sessions.
    """
    if permissions.can_see_all_sessions(user):
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(enrolments__session__trainers=user)


def results_scope_key(user) -> str:
    """Name ``results_scope(user)`` for the results cache: everyone, or this trainer's."""
    return "all" if permissions.can_see_all_sessions(user) else f"trainer-{user.pk}"
