"""The public pages (programme, legal notice, privacy, accessibility) and the dashboard."""

from django.conf import settings
from django.shortcuts import render

from modules import selectors as course_selectors
from training.access import permissions
from training.access.mixins import role_required
from training.quality import selectors as quality_selectors


def home(request):
    """The public programme page, from data administrators edit, with the published results
    and what the organisation changed (Qualiopi indicators 2 and 32)."""
    return render(
        request,
        "training/home.html",
        {
            "course": course_selectors.course_get(),
            "published": quality_selectors.published_results_cached(),
            "changes": quality_selectors.public_actions(),
        },
    )


@role_required(lambda user: user.is_active)
def dashboard(request):
    """The landing page after login; its panels depend on the role."""
    course = course_selectors.course_get()
    context = {"course": course}
    if course is not None and permissions.can_follow_course(request.user):
        context["modules"] = course_selectors.modules_with_progress(
            user=request.user, course=course
        )
        context["progress"] = course_selectors.course_progress(user=request.user, course=course)
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
            "survey_years": settings.RETENTION_SURVEY_YEARS,
            "complaint_years": settings.RETENTION_COMPLAINT_YEARS,
        },
    )


def accessibility(request):
    return render(request, "training/accessibility.html")
