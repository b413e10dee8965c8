"""Authentication backend: Django's ModelBackend with a one-query permission set."""

import ipaddress

from django.conf import settings
from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db.models import Q


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
