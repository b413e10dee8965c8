"""The public pages (programme, legal notice, privacy, accessibility), the dashboard and the
server error page (``handler500``: 503 when the database or the disk is unavailable)."""

import sys

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from core.database import connections_discard, database_unavailable
from core.storage import is_no_space
from modules import selectors as course_selectors
from training.access import permissions
from training.access.mixins import role_required
from training.documents import selectors as document_selectors
from training.pages.accessibility import audit_load
from training.proofs import seal
from training.quality import selectors as quality_selectors
from training.sessions import selectors as session_selectors


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
    context = {}
    if permissions.can_follow_course(request.user):
        # Read only if its fragment (named by the content's and the reader's versions) is not
        # rendered yet in this process.
        context["progress"], context["progress_stamp"] = course_selectors.course_progress_lazy(
            user=request.user
        )
    if permissions.role_of(request.user) == "trainee":
        # Read once for the next-session, attendance and documents panels.
        context["trainee_sessions"] = session_selectors.trainee_sessions(
            user=request.user, since=document_selectors.recent_since()
        )
    return render(request, "training/dashboard.html", context)


def legal_notice(request):
    """The legal notice, with the public key that signs the proof packs (and its fingerprint)."""
    return render(request, "training/legal_notice.html", {"proof_key": seal.signing_key_facts()})


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
    """The accessibility statement: status, rate, sample and remaining non-conformities, all
    computed from the audit grid (docs/accessibility-audit.md)."""
    return render(request, "training/accessibility.html", {"audit": audit_load()})


# --- Error pages ------------------------------------------------------------------------------

# How long a client is told to wait before retrying: a lock or a restart lasts seconds; a
# full disk needs someone to free space.
RETRY_AFTER_SECONDS = {"database": 30, "storage": 300}


def _error_page(template: str, context: dict, status: int) -> HttpResponse:
    # A plain context, no request: no context processor, so no session or user lookup, which
    # would need the very database that may be down.
    return HttpResponse(loader.get_template(template).render(context), status=status)


def error_reporting_configured() -> bool:
    """Return whether a server error reaches someone (``ADMINS`` by email, or Sentry)."""
    return bool(settings.ADMINS) or bool(getattr(settings, "SENTRY_DSN", ""))


def server_error(request):
    """``handler500``: a database or disk that is unavailable for now answers 503 and « try
    again »; any other error answers 500, saying the team was told only when it was."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        connections_discard()  # a read-only or broken connection must not outlive the fault
        reason = "database"
    elif is_no_space(error):
        reason = "storage"
    else:
        return _error_page(
            "500.html",
            {"reported": error_reporting_configured(), "organisation": settings.ORGANISATION},
            status=500,
        )
    retry_after = RETRY_AFTER_SECONDS[reason]
    response = _error_page(
        "503.html",
        {"reason": reason, "retry_after": retry_after, "organisation": settings.ORGANISATION},
        status=503,
    )
    response["Retry-After"] = str(retry_after)
    return response
