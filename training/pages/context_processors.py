from django.conf import settings

from training.access import permissions
from training.pages.accessibility import audit_level


def platform(request):
    """Expose the organisation identity and the user's role to every template."""
    user = getattr(request, "user", None)
    return {
        "ORGANISATION": settings.ORGANISATION,
        # The footer's « Accessibilité : … » mention, from the audit grid.
        "accessibility_level": audit_level(),
        "user_role": permissions.role_of(user) if user is not None else "",
    }
