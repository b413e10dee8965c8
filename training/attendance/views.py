"""Attendance pages: the session's « Émargement » tab, the trainer's console, the trainee's
signing page, the sheets (PDF) and the administrators' exports.

Thin views: they parse, call a service (writes) or a read of ``training.attendance``, and
respond. Sessions are fetched through ``visible_to`` / ``managed_by`` querysets and slots
through their session, so another trainer's session or slot is a 404.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.downloads import CSV, XLSX, download_response
from training.access import permissions
from training.access.mixins import role_required
from training.accounts.models import User
from training.attendance import codes
from training.attendance import selectors as attendance
from training.attendance import services as services
from training.attendance.exports import (
    attendance_csv_stream,
    attendance_xlsx,
    export_filename,
    summary_csv_stream,
)
from training.attendance.forms import (
    AttestForm,
    CorrectionForm,
    ExportFilterForm,
    PaperSignatureForm,
    SignForm,
    StatusMarkForm,
)
from training.attendance.models import AttendanceSignature
from training.sessions import selectors
from training.sessions.models import Enrolment, Slot, TrainingSession


def _client(request) -> tuple[str | None, str]:
    return get_client_ip_address(request), request.META.get("HTTP_USER_AGENT", "")[:500]


def _managed_slot(request, pk: int, slot_pk: int) -> tuple[TrainingSession, Slot]:
    session = selectors.session_get_managed(user=request.user, pk=pk)
    slot = get_object_or_404(session.slots.select_related("session"), pk=slot_pk)
    return session, slot


def _enrolled_trainees(session: TrainingSession):
    return User.objects.filter(
        pk__in=Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).values(
            "trainee_id"
        )
    )


def attendance_trainees_qs(session: TrainingSession):
    """Trainees a trainer may mark: the enrolled ones and anyone already recorded."""
    return User.objects.filter(pk__in=[t.pk for t in attendance.session_trainees(session=session)])


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _decode_signature(form) -> bytes | None:
    value = form.cleaned_data.get("signature") or ""
    if not value:
        return None
    return services.signature_data_url_decode(value=value)


def _tab_context(request, session: TrainingSession) -> dict:
    return {
        "session": session,
        "tab": "attendance",
        "can_manage": permissions.can_manage_session(request.user, session),
        "enrolled_count": selectors.session_enrolled_count(session=session),
    }


# --- The session's tab ------------------------------------------------------------------------


@role_required(permissions.can_subscribe_calendar)
def attendance_session(request, pk: int):
    """The « Émargement » tab: half-days and their state; the trainee sees their own records."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    context = _tab_context(request, session)
    days = selectors.session_days(session=session)
    slots = [slot for day in days for slot in day["slots"]]
    states = attendance.slot_states(slots=slots)
    records = attendance.session_records(session=session)
    today = timezone.localdate()
    for slot in slots:
        slot.state = states[slot.pk]
        slot.is_today = slot.date == today
    planned = attendance.planned_hours(session=session)
    hours = attendance.attended_hours(session=session)
    if context["can_manage"]:
        trainees = attendance.session_trainees(session=session)
        for slot in slots:
            slot_records = [r for (s, _t), r in records.items() if s == slot.pk]
            slot.attended = sum(
                1 for r in slot_records if r.effective_status in AttendanceSignature.ATTENDED
            )
        context["grid"] = [
            {
                "trainee": trainee,
                "hours": hours.get(trainee.pk, 0),
                "cells": [records.get((slot.pk, trainee.pk)) for slot in slots],
            }
            for trainee in trainees
        ]
        context["corrections"] = attendance.session_corrections(session=session)
    else:
        for slot in slots:
            slot.record = records.get((slot.pk, request.user.pk))
        context["my_hours"] = hours.get(request.user.pk, 0)
    context.update(days=days, slots=slots, planned=planned)
    return render(request, "training/attendance_session.html", context)


@require_POST
@role_required(permissions.can_run_sessions)
def attendance_slot_open(request, pk: int, slot_pk: int):
    session, slot = _managed_slot(request, pk, slot_pk)
    try:
        services.slot_open(slot=slot, user=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("training:attendance_session", pk=session.pk)
    return redirect("training:attendance_console", pk=session.pk, slot_pk=slot.pk)


# --- Trainer's console ------------------------------------------------------------------------


def _console_rows(session: TrainingSession, slot: Slot) -> list[dict]:
    records = attendance.slot_records(slot=slot)
    rows = []
    for trainee in attendance.session_trainees(session=session):
        record = records.get(trainee.pk)
        rows.append({"trainee": trainee, "record": record})
    return rows


def _sign_url(request, slot: Slot, code: str, *, rehearsal: bool = False) -> str:
    name = "training:attendance_rehearsal_sign" if rehearsal else "training:attendance_sign"
    return request.build_absolute_uri(reverse(name, args=[slot.pk]) + f"?code={code}")


def _projected_code(state) -> tuple[str | None, bool]:
    """Return (code, rehearsal): the signing code of an open half-day, the rehearsal code of
    an upcoming one, nothing for a closed one."""
    if state.is_open:
        return codes.code_current(secret=state.secret), False
    if state.status == state.Status.UPCOMING:
        if state.pk is None:  # never used yet: keep its secret, or the code would change
            state = services.slot_attendance_ensure(slot=state.slot)
        return codes.code_current(secret=codes.rehearsal_secret(secret=state.secret)), True
    return None, False


@never_cache
@role_required(permissions.can_run_sessions)
def attendance_console(request, pk: int, slot_pk: int):
    """The projected console of an open half-day: code, QR, live list, marks, paper, close."""
    session, slot = _managed_slot(request, pk, slot_pk)
    state = attendance.slot_states(slots=[slot])[slot.pk]
    if not state.is_open:
        messages.info(request, _("This half-day is not open: open it from the attendance tab."))
        return redirect("training:attendance_session", pk=session.pk)
    trainees = attendance_trainees_qs(session)
    rows = _console_rows(session, slot)
    context = _tab_context(request, session)
    context.update(
        slot=slot,
        state=state,
        code=codes.code_current(secret=state.secret),
        step=codes.code_step(),
        seconds_left=codes.code_seconds_left(),
        rows=rows,
        signed_count=sum(
            1
            for row in rows
            if row["record"] and row["record"].current_status in AttendanceSignature.ATTENDED
        ),
        mark_form=StatusMarkForm(trainees=trainees),
        paper_form=PaperSignatureForm(trainees=trainees),
        markable=services.MARKABLE,
        sign_path=reverse("training:attendance_sign_home"),
    )
    return render(request, "training/attendance_console.html", context)


@never_cache
@role_required(permissions.can_run_sessions)
def attendance_projection(request, pk: int, slot_pk: int):
    """What the projector shows: the code, the QR code and the live count, full screen, with
    no menu and no per-trainee control. Before the half-day opens, the same screen is a
    rehearsal (its code only serves the trainers' test signatures, which record nothing)."""
    session, slot = _managed_slot(request, pk, slot_pk)
    state = attendance.slot_states(slots=[slot])[slot.pk]
    code, rehearsal = _projected_code(state)
    if code is None or (rehearsal and session.is_cancelled):
        messages.info(request, _("This half-day is closed: there is nothing to project."))
        return redirect("training:attendance_session", pk=session.pk)
    rows = _console_rows(session, slot)
    context = {
        "session": session,
        "slot": slot,
        "state": state,
        "rehearsal": rehearsal,
        "code": code,
        "step": codes.code_step(),
        "seconds_left": codes.code_seconds_left(),
        "total": len(rows),
        "signed_count": sum(
            1
            for row in rows
            if row["record"] and row["record"].current_status in AttendanceSignature.ATTENDED
        ),
        "sign_path": reverse(
            "training:attendance_rehearsal_sign" if rehearsal else "training:attendance_sign_home",
            **({"args": [slot.pk]} if rehearsal else {}),
        ),
        "back_url": reverse(
            "training:attendance_session" if rehearsal else "training:attendance_console",
            args=[session.pk] if rehearsal else [session.pk, slot.pk],
        ),
    }
    return render(request, "training/attendance_projection.html", context)


@never_cache
@role_required(permissions.can_run_sessions)
def attendance_console_state(request, pk: int, slot_pk: int):
    """The console's live data (polled every few seconds): code, QR address, who signed."""
    session, slot = _managed_slot(request, pk, slot_pk)
    state = attendance.slot_states(slots=[slot])[slot.pk]
    step = codes.code_step()
    rows = []
    signed = 0
    for row in _console_rows(session, slot):
        record = row["record"]
        status = record.effective_status if record else ""
        if status in AttendanceSignature.ATTENDED:
            signed += 1
        rows.append(
            {
                "id": row["trainee"].pk,
                "status": status,
                "label": attendance.status_label(status) if record else _("Not signed yet"),
                "time": timezone.localtime(record.signed_at).strftime("%H:%M") if record else "",
                "method": record.get_method_display() if record else "",
            }
        )
    data = {
        "status": state.status,
        "signed": signed,
        "total": len(rows),
        "trainees": rows,
    }
    code, rehearsal = _projected_code(state)
    if code is not None:
        data.update(
            code=code,
            rehearsal=rehearsal,
            step=step,
            seconds_left=codes.code_seconds_left(),
            qr=reverse("training:attendance_qr", args=[session.pk, slot.pk]) + f"?pas={step}",
        )
    return JsonResponse(data)


@never_cache
@role_required(permissions.can_run_sessions)
def attendance_qr(request, pk: int, slot_pk: int):
    """The QR code of the signing address with the current code (an SVG image); for an
    upcoming half-day, the rehearsal's test-signing address with the rehearsal code."""
    _session, slot = _managed_slot(request, pk, slot_pk)
    state = attendance.slot_states(slots=[slot])[slot.pk]
    code, rehearsal = _projected_code(state)
    if code is None:
        raise Http404
    response = HttpResponse(
        codes.qr_svg(url=_sign_url(request, slot, code, rehearsal=rehearsal)),
        content_type="image/svg+xml",
    )
    # segno's SVG has no style attribute or element: nothing inline to allow.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_POST
@role_required(permissions.can_run_sessions)
def attendance_status_mark(request, pk: int, slot_pk: int):
    session, slot = _managed_slot(request, pk, slot_pk)
    form = StatusMarkForm(request.POST, trainees=attendance_trainees_qs(session))
    if not form.is_valid():
        return HttpResponse(
            _("The form was altered or incomplete: give a status and a reason."), status=400
        )
    try:
        services.status_mark(
            slot=slot,
            trainee=form.cleaned_data["trainee"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            author=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: « %(status)s » recorded.")
            % {
                "name": form.cleaned_data["trainee"].get_full_name(),
                "status": attendance.status_label(form.cleaned_data["status"]),
            },
        )
    return _back_to_console(session, slot)


def _back_to_console(session, slot):
    state = attendance.slot_states(slots=[slot])[slot.pk]
    if state.is_open:
        return redirect("training:attendance_console", pk=session.pk, slot_pk=slot.pk)
    return redirect("training:attendance_session", pk=session.pk)


@require_POST
@role_required(permissions.can_run_sessions)
def attendance_paper(request, pk: int, slot_pk: int):
    session, slot = _managed_slot(request, pk, slot_pk)
    form = PaperSignatureForm(request.POST, request.FILES, trainees=_enrolled_trainees(session))
    if not form.is_valid():
        return HttpResponse(
            _("The form was altered or incomplete: choose a trainee and a scanned sheet."),
            status=400,
        )
    ip, agent = _client(request)
    try:
        services.paper_signature_record(
            slot=slot,
            trainee=form.cleaned_data["trainee"],
            scan=form.cleaned_data["scan"].read(services.SCAN_MAX_BYTES + 1),
            recorded_by=request.user,
            reason=form.cleaned_data["reason"],
            ip_address=ip,
            user_agent=agent,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Paper signature of %(name)s recorded.")
            % {"name": form.cleaned_data["trainee"].get_full_name()},
        )
    return _back_to_console(session, slot)


@role_required(permissions.can_run_sessions)
def attendance_slot_close(request, pk: int, slot_pk: int):
    """Close the half-day and attest it with the trainer's drawn or typed signature."""
    session, slot = _managed_slot(request, pk, slot_pk)
    state = attendance.slot_states(slots=[slot])[slot.pk]
    if not (state.is_open or state.is_auto_closed):
        messages.info(request, _("This half-day is not open."))
        return redirect("training:attendance_session", pk=session.pk)
    form = AttestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.slot_close_and_attest(
                    slot=slot,
                    trainer=request.user,
                    image_data=_decode_signature(form),
                    typed_name=form.cleaned_data["typed_name"],
                    certified=form.cleaned_data["certified"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The half-day is closed and attested."))
                return redirect("training:attendance_session", pk=session.pk)
        status = 400
    rows = _console_rows(session, slot)
    context = _tab_context(request, session)
    context.update(
        slot=slot,
        form=form,
        signed=[r for r in rows if r["record"]],
        unsigned=[r for r in rows if not r["record"]],
    )
    return render(request, "training/attendance_close.html", context, status=status)


@role_required(permissions.can_run_sessions)
def attendance_signature_correct(request, pk: int, signature_pk: int):
    """Append a correction to a record (with its reason); the original stays unchanged."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    record = get_object_or_404(
        AttendanceSignature.objects.filter(slot__session=session)
        .with_effective_status()
        .select_related("trainee", "slot"),
        pk=signature_pk,
    )
    form = CorrectionForm(request.POST or None, initial={"new_status": record.effective_status})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.signature_correct(
                    signature=record,
                    author=request.user,
                    new_status=form.cleaned_data["new_status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The correction is recorded; the original is kept."))
                return redirect("training:attendance_session", pk=session.pk)
        status = 400
    context = _tab_context(request, session)
    context.update(
        record=record,
        form=form,
        history=list(record.corrections.select_related("author").order_by("created_at", "pk")),
    )
    return render(request, "training/attendance_correct.html", context, status=status)


@role_required(permissions.can_subscribe_calendar)
def attendance_evidence(request, pk: int, signature_pk: int):
    """Serve a signature image or scanned sheet to the session's trainers or its signer."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    records = AttendanceSignature.objects.filter(slot__session=session)
    if not permissions.can_manage_session(request.user, session):
        records = records.filter(trainee=request.user)
    record = get_object_or_404(records, pk=signature_pk)
    if not record.evidence_file:
        raise Http404
    data = record.evidence_file.read()
    record.evidence_file.close()
    kind = "application/pdf" if data.startswith(b"%PDF-") else None
    if kind is None:
        kind = "image/png" if data.startswith(services.PNG_MAGIC) else "image/jpeg"
    return download_response(
        data,
        filename=record.evidence_file.name.rsplit("/", 1)[-1],
        content_type=kind,
        inline=True,
    )


# --- Trainee's signing page -------------------------------------------------------------------


@role_required(permissions.can_follow_course)
def attendance_sign_home(request):
    """« Signer »: the open half-day of today (redirects when there is exactly one)."""
    slots = attendance.open_slots_for_trainee(user=request.user)
    if len(slots) == 1:
        return redirect("training:attendance_sign", slot_pk=slots[0].pk)
    return render(request, "training/attendance_sign_home.html", {"slots": slots})


@never_cache
@role_required(permissions.can_follow_course)
def attendance_sign(request, slot_pk: int):
    """The trainee signs a half-day from their phone: room code, then drawing or typed name."""
    slot = get_object_or_404(
        Slot.objects.filter(session__in=TrainingSession.objects.for_trainee(request.user))
        .select_related("session")
        .prefetch_related("modules"),
        pk=slot_pk,
    )
    state = attendance.slot_states(slots=[slot])[slot.pk]
    record = (
        AttendanceSignature.objects.filter(slot=slot, trainee=request.user)
        .with_effective_status()
        .first()
    )
    initial = {"code": request.GET.get("code", "")[:12]}
    form = SignForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ip, agent = _client(request)
            try:
                services.signature_record(
                    slot=slot,
                    trainee=request.user,
                    code=form.cleaned_data["code"],
                    image_data=_decode_signature(form),
                    typed_name=form.cleaned_data["typed_name"],
                    certified=form.cleaned_data["certified"],
                    ip_address=ip,
                    user_agent=agent,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Thank you, your signature is recorded."))
                return redirect("training:attendance_sign", slot_pk=slot.pk)
        status = 400
    context = {
        "session": slot.session,
        "slot": slot,
        "state": state,
        "record": record,
        "form": form,
        "is_today": slot.date == timezone.localdate(),
    }
    return render(request, "training/attendance_sign.html", context, status=status)


@never_cache
@role_required(permissions.can_run_sessions)
def attendance_rehearsal_sign(request, slot_pk: int):
    """A trainer's test signature during a rehearsal: checked like a real one, never kept."""
    slot = get_object_or_404(
        Slot.objects.filter(session__in=TrainingSession.objects.managed_by(request.user))
        .select_related("session")
        .prefetch_related("modules"),
        pk=slot_pk,
    )
    state = attendance.slot_states(slots=[slot])[slot.pk]
    form = SignForm(request.POST or None, initial={"code": request.GET.get("code", "")[:12]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.signature_rehearse(
                    slot=slot,
                    user=request.user,
                    code=form.cleaned_data["code"],
                    image_data=_decode_signature(form),
                    typed_name=form.cleaned_data["typed_name"],
                    certified=form.cleaned_data["certified"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Rehearsal: this signature would have been accepted. Nothing was "
                        "recorded; on the day, open the half-day for the real signatures."
                    ),
                )
                return redirect("training:attendance_rehearsal_sign", slot_pk=slot.pk)
        status = 400
    context = {"session": slot.session, "slot": slot, "state": state, "form": form}
    return render(request, "training/attendance_rehearsal_sign.html", context, status=status)


# --- Exports (administrators) -----------------------------------------------------------------


@role_required(permissions.can_administer)
def attendance_export(request):
    """Filter by session and dates, then download the rows (CSV, XLSX) or the hours summary."""
    form = ExportFilterForm(request.GET or None)
    download = request.GET.get("telecharger", "")
    if download and form.is_valid():
        filters = {
            "session": form.cleaned_data["session"],
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
        if download == "csv":
            return download_response(
                attendance_csv_stream(**filters),
                filename=export_filename("emargement", extension="csv", **filters),
                content_type=CSV,
            )
        if download == "resume-csv":
            return download_response(
                summary_csv_stream(**filters),
                filename=export_filename("heures", extension="csv", **filters),
                content_type=CSV,
            )
        if download == "xlsx":
            return download_response(
                attendance_xlsx(**filters),
                filename=export_filename("emargement", extension="xlsx", **filters),
                content_type=XLSX,
            )
        return HttpResponse(_("Unknown export format."), status=400)
    status = 400 if download else 200
    return render(
        request,
        "training/attendance_export.html",
        {"form": form, "today": date_format(timezone.localdate(), "j F Y")},
        status=status,
    )
