"""Authentication: Django's ModelBackend with the role read along with the user, and how
django-axes counts failed logins (the client address, the normalised email, per-combination
limits)."""

import functools
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, Sum

from core.sql import column
from training.access import permissions as access


@functools.cache
def _user_with_roles_sql(vendor: str) -> str:
    """The SQL of ``get_user``: the user's row and, per role permission, whether they hold it.

    Written once from the models' tables (SQLite and PostgreSQL alike): each ``EXISTS`` walks
    unique indexes only (the permission by app and codename, then the user's own permissions
    and the user's groups' permissions), whatever the number of users in a group. Built by
    hand because the ORM would compile the same three subqueries again at every request,
    which cost five times the query itself.
    """
    quote = connection.ops.quote_name
    user_model = get_user_model()
    meta = user_model._meta
    user_perms = meta.get_field("user_permissions").remote_field.through._meta
    user_groups = meta.get_field("groups").remote_field.through._meta
    group_perms = Group._meta.get_field("permissions").remote_field.through._meta
    permission, content_type = Permission._meta, ContentType._meta
    user_id = quote(meta.pk.column)

    # Only quoted table and column names from the models go into the text; values are parameters.
    holds = f"""EXISTS (
        SELECT 1 FROM {quote(permission.db_table)} p
        INNER JOIN {quote(content_type.db_table)} ct
            ON ct.{quote(content_type.pk.column)} = p.{column(permission, "content_type")}
        WHERE ct.{column(content_type, "app_label")} = %s
            AND p.{column(permission, "codename")} = %s
            AND (EXISTS (
                    SELECT 1 FROM {quote(user_perms.db_table)} up
                    WHERE up.{column(user_perms, meta.model_name)} = u.{user_id}
                        AND up.{column(user_perms, "permission")} = p.{quote(permission.pk.column)})
                OR EXISTS (
                    SELECT 1 FROM {quote(user_groups.db_table)} ug
                    INNER JOIN {quote(group_perms.db_table)} gp
                        ON gp.{column(group_perms, "group")} = ug.{column(user_groups, "group")}
                    WHERE ug.{column(user_groups, meta.model_name)} = u.{user_id}
                        AND gp.{column(group_perms, "permission")} = p.{quote(permission.pk.column)}))
    )"""  # noqa: S608
    columns = ", ".join(f"u.{quote(field.column)}" for field in meta.concrete_fields)
    roles = ", ".join(f"{holds} AS role_{index}" for index in range(len(access.ROLE_PERMISSIONS)))
    return f"SELECT {columns}, {roles} FROM {quote(meta.db_table)} u WHERE u.{user_id} = %s"  # noqa: S608


def _role_parameters() -> list[str]:
    return [part for name in access.ROLE_PERMISSIONS for part in name.split(".", 1)]


class ModelBackend(backends.ModelBackend):
    """Django's backend, with the role of the request's user read in the query that loads it.

    Every page checks the role (``training.access.permissions``); with Django's backend that
    is a query for the permission set after the one for the user, at every request.
    ``get_user`` (what AuthenticationMiddleware calls) instead asks, in the user's own query,
    whether they hold each of the three role permissions, and gives the answer to the user
    object. Nothing is cached between requests: a role changed in the admin applies at the
    next request, in every worker. The whole permission set, which only the Django admin
    needs, is one query instead of Django's two, cached on the user object for the request
    as Django does.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql = _user_with_roles_sql(connection.vendor)
        found = list(user_model._default_manager.raw(sql, [*_role_parameters(), user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        held = frozenset(
            name
            for index, name in enumerate(access.ROLE_PERMISSIONS)
            if user.is_superuser or getattr(user, f"role_{index}")
        )
        setattr(user, access.ROLE_PERMISSIONS_ATTRIBUTE, held if user.is_active else frozenset())
        return user

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
