"""View mixins and decorators that apply the named predicates of permissions.py."""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from training.access import permissions


class RoleRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Require login, then a named predicate (``predicate = permissions.can_run_sessions``)."""

    predicate = staticmethod(permissions.can_follow_course)

    def test_func(self):
        return self.predicate(self.request.user)


def role_required(predicate):
    """Decorate a function view: anonymous → login page, wrong role → 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
