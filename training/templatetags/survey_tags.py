"""Survey and quality panel for the dashboard (whose view belongs to another feature)."""

from django import template

from training.access import permissions
from training.quality.models import Complaint, ImprovementAction
from training.surveys import selectors

register = template.Library()


@register.inclusion_tag("training/includes/_survey_dashboard.html", takes_context=True)
def survey_dashboard_panel(context):
    """Render the questionnaires the user can answer, and the administrators' quality links."""
    request = context["request"]
    user = request.user
    data = {
        "request": request,
        "user": user,
        # The dashboard read the trainee's sessions once for its panels (training/pages/views.py).
        "pending": selectors.pending_for_user(
            user=user, trainee_sessions=context.get("trainee_sessions")
        ),
        "trainee": not permissions.can_run_sessions(user),
        "quality": None,
    }
    if permissions.can_administer(user):
        data["quality"] = {
            "comments": selectors.comments_to_read_count(),
            "complaints": Complaint.objects.filter(
                status__in=[Complaint.Status.RECEIVED, Complaint.Status.IN_PROGRESS]
            ).count(),
            "actions": ImprovementAction.objects.exclude(
                status__in=ImprovementAction.CLOSED
            ).count(),
        }
    return data
