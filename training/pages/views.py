"""The public pages (programme, legal notice, privacy, accessibility) and the dashboard."""

from django.conf import settings
from django.shortcuts import render

from modules import selectors as course_selectors
from training.access import permissions
from training.access.mixins import role_required
from training.documents import selectors as document_selectors
from training.sessions import selectors as session_selectors


def home(request):
    """The public programme page, from data administrators edit."""
    return render(request, "training/home.html", {"course": course_selectors.course_get()})


@role_required(lambda user: user.is_active)
def dashboard(request):
    """The landing page after login; its panels depend on the role."""
    context = {}
    if permissions.can_follow_course(request.user):
        progress = course_selectors.course_progress(user=request.user)
        if progress is not None:
            context.update(course=progress.course, modules=progress.modules, progress=progress)
    if permissions.role_of(request.user) == "trainee":
        # Read once for the next-session, attendance and documents panels.
        context["trainee_sessions"] = session_selectors.trainee_sessions(
            user=request.user, since=document_selectors.recent_since()
        )
    return render(request, "training/dashboard.html", context)


def legal_notice(request):
    return render(request, "training/legal_notice.html")


def privacy(request):
    return render(
        request,
        "training/privacy.html",
        {
            "evidence_years": settings.RETENTION_EVIDENCE_YEARS,
            "inactive_months": settings.RETENTION_INACTIVE_ACCOUNT_MONTHS,
            "login_months": settings.RETENTION_LOGIN_RECORDS_MONTHS,
        },
    )


def accessibility(request):
    return render(request, "training/accessibility.html")
