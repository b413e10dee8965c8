"""Session panels for pages whose views belong to other features (the dashboard)."""

from django import template
from django.utils import timezone

from training.access import permissions
from training.sessions import selectors

register = template.Library()


@register.inclusion_tag("training/includes/_session_dashboard.html", takes_context=True)
def session_dashboard_panel(context):
    """Render the trainee's next session, or the trainer's upcoming sessions."""
    user = context["request"].user
    # LANGUAGE_CODE: an inclusion tag's template sees only this dict (its fragment varies on it).
    data = {
        "request": context["request"],
        "user": user,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
    if permissions.can_run_sessions(user):
        data["trainer_sessions"] = selectors.sessions_upcoming_for_trainer(user=user)
        data["is_trainer"] = True
    else:
        if "trainee_sessions" in context:  # read once by the dashboard for its panels
            today = timezone.localdate()
            upcoming = [s for s in context["trainee_sessions"] if s.end_date >= today]
            session = upcoming[0] if upcoming else None
        else:
            session = selectors.session_next_for_trainee(user=user)
        if session is not None:
            programme = selectors.ProgrammeRef(session)  # read only if not rendered yet
            data.update(
                next_session=session,
                days=programme.days,
                trainers=programme.trainers,
                stamp=programme.stamp,
            )
    return data
