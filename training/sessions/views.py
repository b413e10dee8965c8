"""Session pages: thin views that parse, call a service or selector, and respond.

Object scope: sessions are fetched through ``visible_to`` (read) or ``managed_by`` (write)
querysets, so another trainer's session is a 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.downloads import ICS, download_response
from modules import selectors as course_selectors
from training.access import permissions
from training.access.mixins import role_required
from training.sessions import emails, imports, selectors, services
from training.sessions.calendar import sessions_calendar
from training.sessions.forms import (
    EnrolmentForm,
    EnrolmentImportConfirmForm,
    EnrolmentImportForm,
    SessionCancelForm,
    SessionDuplicateForm,
    SessionFilterForm,
    SessionForm,
    SessionResourceForm,
    SlotForm,
)
from training.sessions.imports import trainee_csv_parse, trainee_rows_parse


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (on its field when the form has it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _error_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _session_values(user, data) -> dict:
    """The form's values as keyword arguments of session_create / session_update."""
    return {
        **{name: data[name] for name in services.SESSION_FIELDS},
        "dates": data["dates"],
        "trainers": _with_self(user, data["trainers"]),
    }


def _with_self(user, trainers):
    """A trainer always stays on their own session (otherwise it would vanish for them)."""
    trainers = list(trainers or [])
    if not permissions.can_administer(user) and user not in trainers:
        trainers.append(user)
    return trainers


def _session_context(request, session, tab: str) -> dict:
    return {
        "session": session,
        "tab": tab,
        "can_manage": permissions.can_manage_session(request.user, session),
        "enrolled_count": selectors.session_enrolled_count(session=session),
    }


# --- Lists and calendar --------------------------------------------------------------------


@role_required(permissions.can_run_sessions)
def session_list(request):
    """« Mes sessions »: the sessions the user runs, upcoming then past."""
    return render(
        request,
        "training/session_list.html",
        selectors.sessions_for_trainer(user=request.user),
    )


@role_required(permissions.can_see_all_sessions)
def session_admin_list(request):
    """Every session, filtered by dates, trainer and status (administrators)."""
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.sessions_filtered(
        user=request.user,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        trainer=filters.get("trainer"),
        status=filters.get("status") or "",
    )
    return render(
        request, "training/session_admin_list.html", {"form": form, "sessions": sessions[:500]}
    )


@role_required(permissions.can_run_sessions)
def session_calendar(request, year: int | None = None, month: int | None = None):
    """A month of half-day slots as a table (no JavaScript)."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    context = selectors.month_calendar(user=request.user, year=year, month=month)
    return render(request, "training/session_calendar.html", context)


# --- One session ----------------------------------------------------------------------------


@role_required(permissions.can_subscribe_calendar)
def session_detail(request, pk: int):
    """The session's programme and half-day slots."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    context = _session_context(request, session, "programme")
    # Its days and trainers are read only if a fragment of the page is not rendered yet.
    programme = selectors.ProgrammeRef(session)
    context.update(days=programme.days, trainers=programme.trainers, stamp=programme.stamp)
    return render(request, "training/session_detail.html", context)


@role_required(permissions.can_run_sessions)
def session_trainees(request, pk: int, form=None):
    """The trainees tab: list, add, remove, import, resend convocations."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    context = _session_context(request, session, "trainees")
    context["enrolments"] = selectors.session_enrolments(session=session, include_removed=True)
    context["form"] = form or EnrolmentForm()
    return render(request, "training/session_trainees.html", context)


@role_required(permissions.can_subscribe_calendar)
def session_resources(request, pk: int, form=None):
    """Session-specific bibliography and links, next to the course's own."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    context = _session_context(request, session, "resources")
    context["resources"] = selectors.session_resources(session=session)
    if context["can_manage"]:
        context["form"] = form or SessionResourceForm()
    return render(request, "training/session_resources.html", context)


@role_required(permissions.can_run_sessions)
def session_results(request, pk: int):
    """The quiz results of this session's trainees (attempts sent within the session)."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    context = _session_context(request, session, "results")
    context["results"] = selectors.session_quiz_results(session=session)
    return render(request, "training/session_results.html", context)


@role_required(permissions.can_subscribe_calendar)
def session_ics(request, pk: int):
    """Download the session's calendar file."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    return download_response(
        emails.session_ics(session=session),
        filename=emails.session_ics_filename(session),
        content_type=ICS,
    )


@role_required(permissions.can_run_sessions)
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(**_session_values(request.user, data))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Session %(code)s created with its half-day slots.") % {"code": session.code},
            )
            return redirect(session.get_absolute_url())
    elif request.method == "GET":
        course = course_selectors.course_get()
        if course is not None:
            form.initial.setdefault("course", course)
            form.initial.setdefault("title", course.title)
        form.initial.setdefault("trainers", [request.user])
    return render(request, "training/session_form.html", {"form": form, "session": None})


@role_required(permissions.can_run_sessions)
def session_update(request, pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(session=session, **_session_values(request.user, data))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(session.get_absolute_url())
    return render(request, "training/session_form.html", {"form": form, "session": session})


@role_required(permissions.can_run_sessions)
def session_duplicate(request, pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    form = SessionDuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.session_duplicate(
                session=session, dates=form.cleaned_data["dates"], code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Session %(code)s created from %(source)s.")
                % {"code": copy.code, "source": session.code},
            )
            return redirect(copy.get_absolute_url())
    return render(request, "training/session_duplicate.html", {"form": form, "session": session})


@role_required(permissions.can_run_sessions)
def session_cancel(request, pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    if session.is_cancelled:
        messages.info(request, _("This session is already cancelled."))
        return redirect(session.get_absolute_url())
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request, _("The session is cancelled; the enrolled trainees are told by email.")
            )
        return redirect(session.get_absolute_url())
    return render(
        request,
        "training/session_cancel.html",
        {
            "form": form,
            "session": session,
            "enrolled_count": selectors.session_enrolled_count(session=session),
        },
    )


@role_required(permissions.can_run_sessions)
def slot_update(request, pk: int, slot_pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    slot = get_object_or_404(session.slots.select_related("session"), pk=slot_pk)
    form = SlotForm(request.POST or None, instance=slot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_update(
                slot=slot,
                start_time=data["start_time"],
                end_time=data["end_time"],
                modules=data["modules"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The slot has been saved."))
            return redirect(session.get_absolute_url())
    return render(
        request, "training/session_slot_form.html", {"form": form, "session": session, "slot": slot}
    )


# --- Trainees --------------------------------------------------------------------------------


@role_required(permissions.can_run_sessions)
def enrolment_create(request, pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("training:session_trainees", pk=session.pk)
    form = EnrolmentForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrolment_create(session=session, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is enrolled; the convocation is on its way (its status is in "
                    "the « Convocation » column)."
                )
                % {"name": enrolment.trainee},
            )
            return redirect("training:session_trainees", pk=session.pk)
    return session_trainees(request, pk=session.pk, form=form)


@require_POST
@role_required(permissions.can_run_sessions)
def enrolment_remove(request, pk: int, enrolment_pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    enrolment = get_object_or_404(session.enrolments.select_related("trainee"), pk=enrolment_pk)
    try:
        services.enrolment_remove(enrolment=enrolment)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request, _("%(name)s is no longer enrolled.") % {"name": enrolment.trainee}
        )
    return redirect("training:session_trainees", pk=session.pk)


@require_POST
@role_required(permissions.can_run_sessions)
def convocation_resend(request, pk: int, enrolment_pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    enrolment = get_object_or_404(session.enrolments.select_related("trainee"), pk=enrolment_pk)
    try:
        emails.convocation_resend(enrolment=enrolment)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("The convocation to %(email)s is queued; it leaves within a minute.")
            % {"email": enrolment.trainee.email},
        )
    return redirect("training:session_trainees", pk=session.pk)


@require_POST
@role_required(permissions.can_run_sessions)
def convocations_resend(request, pk: int):
    """« Renvoyer les convocations »: every enrolled trainee's convocation, queued again."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    try:
        queued = emails.convocations_resend(session=session)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d convocation is queued; the « Convocation » column shows when it leaves.",
                "%(count)d convocations are queued; the « Convocation » column shows when each one leaves.",
                len(queued),
            )
            % {"count": len(queued)},
        )
    return redirect("training:session_trainees", pk=session.pk)


@role_required(permissions.can_run_sessions)
def enrolment_import(request, pk: int):
    """Upload a CSV, see the preview and the line-numbered errors, then confirm."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    context = {"session": session, "tab": "trainees", "can_manage": True}
    if request.method == "POST" and "csv_text" in request.POST:
        confirm = EnrolmentImportConfirmForm(request.POST)
        if not confirm.is_valid():
            return HttpResponse(
                _("The import form was altered; upload the file again."), status=400
            )
        parsed = trainee_rows_parse(confirm.cleaned_data["csv_text"])
        if parsed.ok:
            try:
                report = imports.enrolment_import_csv(session=session, rows=parsed.rows)
            except ValidationError as error:
                parsed.errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d trainee enrolled (%(created)d new accounts, %(already)d already enrolled).",
                        "%(count)d trainees enrolled (%(created)d new accounts, %(already)d already enrolled).",
                        len(report.enrolled),
                    )
                    % {
                        "count": len(report.enrolled),
                        "created": len(report.accounts_created),
                        "already": len(report.already_enrolled),
                    },
                )
                messages.info(
                    request,
                    _(
                        "The convocations and invitations are sent in the background: the "
                        "« Convocation » column shows when each one has gone."
                    ),
                )
                return redirect("training:session_trainees", pk=session.pk)
        context.update(form=EnrolmentImportForm(), parsed=parsed)
        return render(request, "training/session_import.html", context)

    form = EnrolmentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        parsed = trainee_csv_parse(form.cleaned_data["file"].read())
        context["parsed"] = parsed
        if parsed.ok:
            context["preview"] = selectors.import_preview(session=session, rows=parsed.rows)
            context["confirm"] = EnrolmentImportConfirmForm(initial={"csv_text": parsed.text})
    context["form"] = form
    return render(request, "training/session_import.html", context)


# --- Resources -------------------------------------------------------------------------------


@require_POST
@role_required(permissions.can_run_sessions)
def session_resource_create(request, pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    form = SessionResourceForm(request.POST)
    if form.is_valid():
        try:
            services.session_resource_create(session=session, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The resource has been added to the session."))
            return redirect("training:session_resources", pk=session.pk)
    return session_resources(request, pk=session.pk, form=form)


@require_POST
@role_required(permissions.can_run_sessions)
def session_resource_delete(request, pk: int, resource_pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    resource = get_object_or_404(session.resources.all(), pk=resource_pk)
    try:
        services.session_resource_delete(session=session, resource=resource)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The resource has been removed."))
    return redirect("training:session_resources", pk=session.pk)


# --- Calendar feed ---------------------------------------------------------------------------


@role_required(permissions.can_subscribe_calendar)
def calendar_feed(request):
    """Show the user's secret feed URL, with a button to regenerate it."""
    token = services.calendar_token_ensure(user=request.user)
    url = request.build_absolute_uri(reverse("training:calendar_feed_ics", args=[token.token]))
    return render(request, "training/session_feed.html", {"feed_url": url, "token": token})


@require_POST
@role_required(permissions.can_subscribe_calendar)
def calendar_token_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, _("A new address has been created; the old one no longer works."))
    return redirect("training:calendar_feed")


def calendar_feed_ics(request, token: str):
    """The subscribable feed: no login, the secret token identifies the user."""
    user = selectors.calendar_token_user(token=token)
    body = sessions_calendar(
        sessions=selectors.sessions_for_feed(user=user),
        name=_("Training sessions — %(name)s") % {"name": user.get_full_name() or user.email},
        stamp=datetime.datetime.now(datetime.UTC),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
