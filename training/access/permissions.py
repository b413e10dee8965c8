"""Named predicates for the roles; views never check group names inline."""


def can_follow_course(user) -> bool:
    """Return whether the user may read the course and take quizzes."""
    return user.is_authenticated and user.is_active and user.has_perm("training.follow_course")


def can_run_sessions(user) -> bool:
    """Return whether the user is a trainer (or administrator)."""
    return user.is_authenticated and user.is_active and user.has_perm("training.run_sessions")


def can_administer(user) -> bool:
    """Return whether the user oversees every session and export."""
    return (
        user.is_authenticated and user.is_active and user.has_perm("training.administer_platform")
    )


def role_of(user) -> str:
    """Return the highest role of the user: 'admin', 'trainer', 'trainee' or ''."""
    if can_administer(user):
        return "admin"
    if can_run_sessions(user):
        return "trainer"
    if can_follow_course(user):
        return "trainee"
    return ""


def can_manage_session(user, session) -> bool:
    """Return whether the user may edit a session: an administrator or one of its trainers."""
    if can_administer(user):
        return True
    return can_run_sessions(user) and session.trainers.filter(pk=user.pk).exists()


def can_see_all_sessions(user) -> bool:
    """Return whether the user may list and filter every session (administrators)."""
    return can_administer(user)


def can_subscribe_calendar(user) -> bool:
    """Return whether the user has sessions to follow in a calendar feed (any role)."""
    return can_follow_course(user) or can_run_sessions(user)
