from django.conf import settings

from training.access import permissions


def platform(request):
    """Expose the organisation identity and the user's role to every template."""
    user = getattr(request, "user", None)
    return {
        "ORGANISATION": settings.ORGANISATION,
        "user_role": permissions.role_of(user) if user is not None else "",
    }
