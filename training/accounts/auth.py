"""Authentication: Django's ModelBackend with a one-query permission set, and how django-axes
counts failed logins (the client address, the normalised email, per-combination limits)."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db.models import Q, Sum


class ModelBackend(backends.ModelBackend):
    """Load a user's own and group permissions in one query instead of two.

    Every page checks the role (``training.access.permissions``) through ``has_perm``; Django's
    backend reads the user's permissions and the groups' permissions separately. The result
    is the same set, cached on the user object for the request as Django does.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache


def client_ip_address(request) -> str | None:
    """Return the visitor's address, behind ``AXES_PROXY_COUNT`` trusted reverse proxies.

    Without proxies (the default) ``REMOTE_ADDR`` is the visitor. Behind N proxies it is the
    last proxy's address, so login throttling would lock an email for everyone; the visitor
    is then the N-th address from the right of ``X-Forwarded-For`` (each proxy appends the
    address it saw; entries further left are whatever the visitor sent, and are ignored).
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.AXES_IPWARE_PROXY_COUNT or 0
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def login_username(request, credentials: dict | None = None) -> str | None:
    """Return the email a login attempt is counted under: trimmed and lower-cased.

    Accounts are one per email whatever its case (a database constraint), and the backend
    finds them case-insensitively; counting ``T27@…`` and ``t27@…`` apart would give an
    attacker five more guesses per spelling. Used by django-axes (``AXES_USERNAME_CALLABLE``)
    for every login form, the site's and the admin's.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = request.POST.get(field) if request is not None else None
    if value is None:
        return None
    return str(value).strip().lower()


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a threshold per lockout parameter combination.

    ``AXES_LOCKOUT_PARAMETERS`` lists two combinations: the account from one address
    (email + address, ``AXES_FAILURE_LIMIT`` failures) and the address alone (every account
    tried from it, ``AXES_ADDRESS_FAILURE_LIMIT`` failures: password spraying, a few guesses
    on many accounts). Axes compares the largest count with one limit; this handler measures
    each combination against its own, and a successful login forgets only that account's
    failures from that address, never the address's count (one valid account must not let
    a sprayer start again).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter in ("ip_address", ["ip_address"]):
                # Scaled onto the account limit that axes compares with.
                count = limit if count >= settings.AXES_ADDRESS_FAILURE_LIMIT else 0
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        count, _by_model = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
