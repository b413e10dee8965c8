"""Attendance panel for the dashboard (whose view belongs to another feature)."""

from django import template
from django.utils import timezone

from training.access import permissions
from training.attendance import selectors as attendance
from training.attendance.models import SlotAttendance
from training.sessions.models import Slot, TrainingSession

register = template.Library()


@register.inclusion_tag("training/attendance_dashboard_panel.html", takes_context=True)
def attendance_dashboard_panel(context):
    """Render « Signer » for a trainee whose half-day is open, the console for its trainer."""
    request = context["request"]
    user = request.user
    data = {"request": request, "user": user, "open_slots": [], "console_slots": []}
    if permissions.can_run_sessions(user):
        data["console_slots"] = list(
            Slot.objects.filter(
                session__in=TrainingSession.objects.for_trainer(user),
                attendance__status=SlotAttendance.Status.OPEN,
                date=timezone.localdate(),
            ).select_related("session")
        )
        data["can_export"] = permissions.can_administer(user)
    elif permissions.can_follow_course(user):
        data["open_slots"] = attendance.open_slots_for_trainee(
            user=user, sessions=context.get("trainee_sessions")
        )
    return data
