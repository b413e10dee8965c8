"""Quality pages: the complaint form (anyone, linked from every page's footer), the
administrators' handling of complaints, and improvement actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.downloads import CSV, XLSX, download_response
from core.spreadsheets import csv_stream, xlsx_file
from training.access.mixins import role_required
from training.accounts.auth import client_ip_address
from training.quality import permissions, selectors, services
from training.quality.forms import ActionForm, ComplaintForm, ComplaintUpdateForm, StatusFilterForm
from training.quality.models import Complaint, ImprovementAction
from training.sessions.models import TrainingSession
from training.surveys.models import SurveyQuestion


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Complaints: anyone --------------------------------------------------------------------------


def complaint_create(request):
    """« Réclamation »: anyone may complain, with an account or as a visitor."""
    form = ComplaintForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("training:complaint_done")  # a robot: accept silently, keep nothing
        data = form.cleaned_data
        try:
            complaint = services.complaint_submit(
                name=data.get("name", ""),
                email=data.get("email", ""),
                role=data["role"],
                session=data.get("session"),
                session_text=data["session_text"],
                subject=data["subject"],
                message=data["message"],
                user=request.user,
                client_address=client_ip_address(request) or "",
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your complaint %(reference)s has been received. An acknowledgement is on its way to %(email)s."
                )
                % {"reference": complaint.reference, "email": complaint.email},
            )
            return redirect("training:complaint_done")
    return render(request, "training/complaint_form.html", {"form": form})


def complaint_done(request):
    """After a complaint: what happens next."""
    return render(request, "training/complaint_done.html")


# --- Complaints: administrators ------------------------------------------------------------------


@role_required(permissions.can_handle_complaints)
def complaint_list(request):
    """Every complaint, filterable by status, with the time taken to answer."""
    form = StatusFilterForm(request.GET or None, choices=Complaint.Status.choices)
    status = form.cleaned_data["statut"] if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.complaints_for_admin(status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/complaint_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "figures": selectors.complaint_figures(),
            "query": f"statut={status}" if status else "",
        },
    )


@role_required(permissions.can_handle_complaints)
def complaint_detail(request, pk: int):
    """One complaint: read it, move it along (reçue → en cours → traitée → close), answer."""
    complaint = get_object_or_404(
        Complaint.objects.select_related("session", "submitted_by", "handled_by"), pk=pk
    )
    initial = {
        "status": complaint.status,
        "session": complaint.session,
        "answer": complaint.answer,
        "internal_note": complaint.internal_note,
        "send_answer": True,
    }
    form = ComplaintUpdateForm(request.POST or None, complaint=complaint, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_update(complaint=complaint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The complaint has been updated."))
            return redirect("training:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "training/complaint_detail.html",
        {
            "complaint": complaint,
            "form": form,
            "actions": complaint.improvement_actions.select_related("owner").order_by("pk"),
        },
    )


@role_required(permissions.can_handle_complaints)
def complaint_export(request, fmt: str):
    """Every complaint as CSV or XLSX (for audits)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.complaint_rows(
        complaints=selectors.complaints_for_admin().order_by("created_at")
    )
    name = f"reclamations-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return download_response(csv_stream(rows), filename=f"{name}.csv", content_type=CSV)
    return download_response(
        xlsx_file([(_("Complaints"), rows)]), filename=f"{name}.xlsx", content_type=XLSX
    )


# --- Improvement actions ---------------------------------------------------------------------------


@role_required(permissions.can_manage_actions)
def action_list(request):
    """Improvement actions, filterable by status."""
    form = StatusFilterForm(request.GET or None, choices=ImprovementAction.Status.choices)
    status = form.cleaned_data["statut"] if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.actions_for_admin(status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/action_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "query": f"statut={status}" if status else "",
        },
    )


def _prefill(request) -> dict:
    """Initial values when an action is created from a complaint or a survey result."""
    initial = {}
    complaint = request.GET.get("reclamation", "")
    if complaint.isdigit():
        found = Complaint.objects.filter(pk=int(complaint[:18])).first()
        if found is not None:
            initial.update(
                source=ImprovementAction.Source.COMPLAINT,
                complaint=found,
                session=found.session,
                title=_("Following complaint %(reference)s") % {"reference": found.reference},
            )
    question = request.GET.get("question", "")
    if question.isdigit():
        found = SurveyQuestion.objects.filter(pk=int(question[:18])).first()
        if found is not None:
            initial.update(source=ImprovementAction.Source.SURVEY, question=found)
    session = request.GET.get("session", "")
    if session.isdigit():
        found = TrainingSession.objects.filter(pk=int(session[:18])).first()
        if found is not None:
            initial["session"] = found
    return initial


@role_required(permissions.can_manage_actions)
def action_create(request):
    """Record an improvement action from its source."""
    form = ActionForm(
        request.POST or None, initial=_prefill(request) if request.method == "GET" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The improvement action has been recorded."))
            return redirect("training:action_update", pk=action.pk)
    return render(request, "training/action_form.html", {"form": form, "action": None})


@role_required(permissions.can_manage_actions)
def action_update(request, pk: int):
    """Follow an improvement action to its outcome; show it on the programme page."""
    action = get_object_or_404(ImprovementAction, pk=pk)
    form = ActionForm(request.POST or None, initial=ActionForm.initial_from(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The improvement action has been saved."))
            return redirect("training:action_update", pk=action.pk)
    return render(request, "training/action_form.html", {"form": form, "action": action})


@role_required(permissions.can_manage_actions)
def action_export(request, fmt: str):
    """Every improvement action as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.action_rows(actions=selectors.actions_for_admin())
    name = f"actions-amelioration-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return download_response(csv_stream(rows), filename=f"{name}.csv", content_type=CSV)
    return download_response(
        xlsx_file([(_("Improvement actions"), rows)]), filename=f"{name}.xlsx", content_type=XLSX
    )
