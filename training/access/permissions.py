"""Named predicates for the roles; views never check group names inline."""

FOLLOW_COURSE = "training.follow_course"
RUN_SESSIONS = "training.run_sessions"
ADMINISTER = "training.administer_platform"
# The three permissions the roles are made of (training.access.roles gives them to the groups).
ROLE_PERMISSIONS = (FOLLOW_COURSE, RUN_SESSIONS, ADMINISTER)
# Where a user object keeps the role permissions it holds, for the request that loaded it.
ROLE_PERMISSIONS_ATTRIBUTE = "_role_permissions"


def role_permissions(user) -> frozenset[str]:
    """Return which of the three role permissions the user holds, asked once per user object.

    The request's user arrives with them: the authentication backend reads them in the query
    that loads the user (``training.accounts.auth.ModelBackend.get_user``), so a page asks
    the database nothing more for the role, and what it reads is current at every request
    (nothing to invalidate). Any other user object asks Django's backends (``has_perm``)
    once and keeps the answer, like Django's own permission cache.
    """
    try:
        return getattr(user, ROLE_PERMISSIONS_ATTRIBUTE)
    except AttributeError:
        held = frozenset(name for name in ROLE_PERMISSIONS if user.has_perm(name))
        setattr(user, ROLE_PERMISSIONS_ATTRIBUTE, held)
        return held


def _holds(user, permission: str) -> bool:
    return user.is_authenticated and user.is_active and permission in role_permissions(user)


def can_follow_course(user) -> bool:
    """Return whether the user may read the course and take quizzes."""
    return _holds(user, FOLLOW_COURSE)


def can_run_sessions(user) -> bool:
    """Return whether the user is a trainer (or administrator)."""
    return _holds(user, RUN_SESSIONS)


def can_administer(user) -> bool:
    """Return whether the user oversees every session and export."""
    return _holds(user, ADMINISTER)


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
    """Return whether the user may edit a session: an administrator or one of its trainers.

    A session read by ``training.sessions.selectors.session_get_*`` carries the answer for
    the user who read it (``runs_for``: their id, whether they run it): no query then.
    """
    if can_administer(user):
        return True
    if not can_run_sessions(user):
        return False
    runs_for = getattr(session, "runs_for", None)
    if runs_for is not None and runs_for[0] == user.pk:
        return bool(runs_for[1])
    return session.trainers.filter(pk=user.pk).exists()


def can_see_all_sessions(user) -> bool:
    """Return whether the user may list and filter every session (administrators)."""
    return can_administer(user)


def can_subscribe_calendar(user) -> bool:
    """Return whether the user has sessions to follow in a calendar feed (any role)."""
    return can_follow_course(user) or can_run_sessions(user)
