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
