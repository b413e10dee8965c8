"""The BPF for administrators: the figures of a year, their exports, and the correction of
one enrolment's data. Thin views over ``selectors``, ``exports`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from core.downloads import CSV, PDF, XLSX, download_response
from core.spreadsheets import csv_stream, xlsx_file
from training.access.mixins import role_required
from training.bpf import categories, exports, permissions, selectors, services
from training.bpf.forms import BpfYearForm, EnrolmentBpfForm
from training.sessions.models import Enrolment

FORMATS = {"csv": CSV, "xlsx": XLSX, "pdf": PDF}


@require_safe
@role_required(permissions.can_manage_bpf)
def bpf(request):
    """The year's figures, or the list of the enrolments whose data is missing."""
    form = BpfYearForm(request.GET or None)
    year = (
        form.cleaned_data["year"] if request.GET and form.is_valid() else timezone.localdate().year
    )
    context = {
        "form": form,
        "year": year,
        "trainee_categories": categories.trainee_categories(),
        "funding_sources": categories.funding_sources(),
        "to_check": exports.TO_CHECK,
    }
    try:
        context["report"] = selectors.bpf_compute(year=year)
    except selectors.BpfIncomplete as incomplete:
        context["missing"] = incomplete.missing
    return render(request, "training/bpf.html", context)


@require_safe
@role_required(permissions.can_manage_bpf)
def bpf_export(request, year: int, extension: str):
    """The BPF of a year as CSV, XLSX or PDF; refused (back to the page) when data is missing."""
    if extension not in FORMATS or not 2000 <= year <= 2100:
        raise Http404
    try:
        report = selectors.bpf_compute(year=year)
    except selectors.BpfIncomplete as incomplete:
        messages.error(
            request,
            ngettext(
                "The BPF of %(year)s cannot be exported: %(count)d enrolment lacks its data. "
                "It is listed below.",
                "The BPF of %(year)s cannot be exported: %(count)d enrolments lack their data. "
                "They are listed below.",
                len(incomplete.missing),
            )
            % {"year": year, "count": len(incomplete.missing)},
        )
        return redirect(f"{reverse('training:bpf')}?year={year}")
    name = exports.bpf_filename(year, extension)
    if extension == "csv":
        return download_response(
            csv_stream(exports.bpf_rows(report)), filename=name, content_type=CSV
        )
    if extension == "xlsx":
        return download_response(
            xlsx_file(exports.bpf_sheets(report)), filename=name, content_type=XLSX
        )
    return download_response(exports.bpf_pdf(report), filename=name, content_type=PDF)


@role_required(permissions.can_manage_bpf)
def bpf_enrolment_edit(request, pk: int):
    """Correct one enrolment's BPF data (category, funding source, price)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("session", "trainee"), pk=pk)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    initial = {
        "trainee_category": enrolment.trainee_category,
        "funding_source": enrolment.funding_source,
        "price": enrolment.price,
    }
    form = EnrolmentBpfForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_bpf_update(enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("The BPF data of %(name)s in %(code)s is saved.")
                % {"name": enrolment.trainee.get_full_name(), "code": enrolment.session.code},
            )
            return redirect(
                back or f"{reverse('training:bpf')}?year={enrolment.session.start_date.year}"
            )
    return render(
        request,
        "training/bpf_enrolment_form.html",
        {
            "form": form,
            "enrolment": enrolment,
            "back": back,
            "missing": selectors.enrolment_missing(enrolment),
        },
    )
