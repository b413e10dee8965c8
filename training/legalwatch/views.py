"""The « Veille juridique » pages for administrators: the references, recording a
verification, the content to review, the evidence downloads."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.downloads import CSV, PDF, download_response
from core.spreadsheets import csv_stream
from training.access.mixins import role_required
from training.content import selectors as content_selectors
from training.content.patches import patch_build

from . import exports, permissions, selectors, services
from .forms import ReviewedForm, VerificationForm
from .models import ReviewFlag


@require_safe
@role_required(permissions.can_watch_legal_texts)
def legal_watch(request):
    """Every reference, overdue first; the content to review; the latest verifications."""
    rows = selectors.reference_rows()
    return render(
        request,
        "training/legalwatch_list.html",
        {
            "rows": rows,
            "summary": selectors.watch_summary(rows),
            "months": selectors.watch_months(),
            "flagged": selectors.flags_by_reference(selectors.flags_open()),
            "verifications": selectors.verifications_recent(limit=10),
            "revisions": content_selectors.revisions(limit=5),
            "admin_edits": content_selectors.admin_edits(),
        },
    )


@role_required(permissions.can_watch_legal_texts)
def legal_reference(request, key):
    """One reference: where it is cited, its verifications, and the form to record one."""
    reference = selectors.reference_get(key=key)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.verification_record(
                reference=reference, checked_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = verification.flags.count()
            if verification.flags_content:
                messages.warning(
                    request,
                    _(
                        "Verification recorded. %(count)s item(s) citing this text are flagged "
                        "« to review »."
                    )
                    % {"count": count},
                )
            else:
                messages.success(request, _("Verification recorded."))
            return redirect("training:legal_reference", key=reference.key)
    return render(
        request,
        "training/legalwatch_reference.html",
        {
            "reference": reference,
            "row": selectors.reference_row(reference=reference),
            "search_url": selectors.legifrance_search_url(reference),
            "citations": selectors.by_kind(selectors.reference_citations(reference=reference)),
            "citation_count": reference.citations.count(),
            "verifications": selectors.reference_verifications(reference=reference),
            "flags": (flags := selectors.flags_open(reference=reference)),
            "flag_groups": selectors.by_kind(flags),
            "form": form,
            "reviewed_form": ReviewedForm(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
@role_required(permissions.can_watch_legal_texts)
def legal_flag_resolve(request, pk):
    """Mark one flagged item reviewed."""
    flag = get_object_or_404(ReviewFlag.objects.select_related("reference"), pk=pk)
    form = ReviewedForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.flag_resolve(flag=flag, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("« %(item)s » marked as reviewed.") % {"item": flag.item_label})
    if request.POST.get("next") == "list":
        return redirect("training:legal_watch")
    return redirect("training:legal_reference", key=flag.reference.key)


@require_POST
@role_required(permissions.can_watch_legal_texts)
def legal_flags_resolve(request, key):
    """Mark every flagged item of a reference reviewed."""
    reference = selectors.reference_get(key=key)
    form = ReviewedForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    count = services.flags_resolve(reference=reference, by=request.user, note=note)
    messages.success(request, _("%(count)s item(s) marked as reviewed.") % {"count": count})
    return redirect("training:legal_reference", key=reference.key)


@require_safe
@role_required(permissions.can_watch_legal_texts)
def legal_watch_csv(request):
    """The watch log as CSV (French spreadsheet conventions, formulas escaped)."""
    stamp = timezone.localdate().isoformat()
    return download_response(
        csv_stream(exports.watch_log_rows()),
        filename=f"veille-juridique-{stamp}.csv",
        content_type=CSV,
    )


@require_safe
@role_required(permissions.can_watch_legal_texts)
def legal_watch_pdf(request):
    """The watch log as a readable PDF."""
    stamp = timezone.localdate().isoformat()
    pdf = exports.watch_log_pdf(author=request.user.get_full_name() or request.user.email)
    return download_response(pdf, filename=f"veille-juridique-{stamp}.pdf", content_type=PDF)


@require_safe
@role_required(permissions.can_watch_legal_texts)
def content_edits_patch(request):
    """The patch that carries the edits kept by the last load into the content files."""
    edits = [edit for edit in content_selectors.admin_edits() if not edit.discarded]
    try:
        patch = patch_build(edits, root=Path(settings.BASE_DIR))
    except (OSError, ValueError) as exc:
        messages.error(request, _("The patch could not be built: %(error)s") % {"error": exc})
        return redirect("training:legal_watch")
    return download_response(
        patch, filename="admin-edits.patch", content_type="text/x-diff; charset=utf-8"
    )
