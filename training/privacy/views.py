"""Privacy pages: « Mes données » (export, erasure request), erasure decisions, audit trail."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import CSV, JSON, download_response
from core.spreadsheets import csv_stream
from training.access import permissions
from training.access.mixins import role_required
from training.privacy import selectors, services
from training.privacy.export import user_export
from training.privacy.forms import AuditFilterForm, ErasureDecisionForm
from training.privacy.models import AuditEvent, ErasureRequest
from training.privacy.summary import my_data_summary


@login_required
def my_data(request):
    """What the platform keeps about me, the downloads and the erasure request."""
    return render(
        request,
        "training/privacy_my_data.html",
        {
            "erasure_requests": ErasureRequest.objects.filter(user=request.user),
            "pending": ErasureRequest.objects.filter(
                user=request.user, status=ErasureRequest.Status.PENDING
            ).first(),
        },
    )


@login_required
def my_data_json(request):
    """Download every personal datum of the signed-in user as JSON."""
    data = user_export(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    stamp = timezone.localdate().isoformat()
    return download_response(body, filename=f"mes-donnees-{stamp}.json", content_type=JSON)


@login_required
def my_data_html(request):
    """The same data as the JSON download, summarised per category in French."""
    export = user_export(user=request.user)
    return render(
        request,
        "training/privacy_export.html",
        {
            "summary": my_data_summary(user=request.user, export=export),
            "generated_at": timezone.localtime(),
        },
    )


@login_required
@require_POST
def erasure_request_create(request):
    """Ask for the erasure of my account (an administrator confirms)."""
    try:
        services.erasure_request(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Your request has been recorded. An administrator will process it and tell you."),
        )
    return redirect("training:my_data")


@role_required(permissions.can_administer)
def erasure_list(request):
    """Erasure requests for administrators, pending first."""
    return render(
        request,
        "training/privacy_erasure_list.html",
        {"requests": selectors.erasure_requests_for_admin()[:200]},
    )


@role_required(permissions.can_administer)
def erasure_decide(request, pk):
    """Confirm (anonymise the account) or reject one pending erasure request."""
    erasure = get_object_or_404(ErasureRequest.objects.select_related("user"), pk=pk)
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST":
        if not erasure.is_pending:
            messages.error(request, _("This request was already decided."))
            return redirect("training:erasure_list")
        if form.is_valid():
            if form.cleaned_data["decision"] == "confirm":
                services.user_anonymise(user=erasure.user, by=request.user)
                messages.success(request, _("The account has been anonymised."))
            else:
                services.erasure_reject(
                    request=erasure, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The request has been rejected."))
            return redirect("training:erasure_list")
    return render(
        request, "training/privacy_erasure_decide.html", {"erasure": erasure, "form": form}
    )


def _audit_filtered(request):
    """Return (form, events): no event at all when the filters are not valid."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, selectors.audit_events()
    if not form.is_valid():
        return form, AuditEvent.objects.none()
    return form, selectors.audit_events(**{k: v for k, v in form.cleaned_data.items() if v})


def _audit_page(request, form, events, status=200):
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/privacy_audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )


@role_required(permissions.can_administer)
def audit_list(request):
    """The audit trail, read-only, filterable; invalid filters are shown with their errors."""
    form, events = _audit_filtered(request)
    return _audit_page(request, form, events)


@role_required(permissions.can_administer)
def audit_csv(request):
    """The filtered audit trail as CSV (UTF-8 with BOM, semicolons, formulas escaped).

    Invalid filters (a date outside 2000–2100…) answer the page with the errors, before any
    byte of CSV is sent: a download is never cut by a bad filter.
    """
    form, events = _audit_filtered(request)
    if form.errors:
        return _audit_page(request, form, events, status=400)
    stamp = timezone.localdate().isoformat()
    return download_response(
        csv_stream(selectors.audit_rows(events=events)),
        filename=f"journal-audit-{stamp}.csv",
        content_type=CSV,
    )
