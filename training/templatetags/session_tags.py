"""Session panels for pages whose views belong to other features (the dashboard)."""

from django import template

from training.access import permissions
from training.sessions import selectors

register = template.Library()


@register.inclusion_tag("training/includes/_session_dashboard.html", takes_context=True)
def session_dashboard_panel(context):
    """Render the trainee's next session, or the trainer's upcoming sessions."""
    user = context["request"].user
    data = {"request": context["request"], "user": user}
    if permissions.can_run_sessions(user):
        data["trainer_sessions"] = selectors.sessions_upcoming_for_trainer(user=user)
        data["is_trainer"] = True
    else:
        data["next_session"] = selectors.session_next_for_trainee(user=user)
    return data
