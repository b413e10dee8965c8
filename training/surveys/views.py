"""Survey pages: answering (by personal link without an account, or from the dashboard), a
session's « Satisfaction » tab, the results with their exports, and comment moderation.

Object scope: an invitation is reached by its signed link or by its own recipient (another
person's is a 404); a session's tab through ``session_get_managed`` (another trainer's is a
404); trainers see aggregated results of their own sessions only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.downloads import CSV, XLSX, download_response
from core.spreadsheets import csv_stream, xlsx_file
from training.access import permissions
from training.access.mixins import role_required
from training.accounts.models import User
from training.quality.selectors import complaint_figures
from training.sessions import selectors as session_selectors
from training.sessions.models import TrainingSession
from training.surveys import charts, exports, selectors, services
from training.surveys import permissions as survey_permissions
from training.surveys.forms import ColdDelayForm, ResponseForm, ResultsFilterForm, SponsorInviteForm
from training.surveys.links import invitation_from_token
from training.surveys.models import Questionnaire, SurveyAnswer, SurveyQuestion
from training.surveys.scheduling import cold_delay_days

# --- Answering ----------------------------------------------------------------------------------


def _answer_page(request, invitation, *, here: str):
    """Show the questionnaire, « déjà répondu » or « lien expiré »; record the answers."""
    context = {"invitation": invitation, "questionnaire": invitation.questionnaire}
    if invitation.answered:
        return render(request, "training/survey_done.html", context)
    if invitation.is_expired():
        return render(request, "training/survey_expired.html", context, status=410)
    questions = selectors.questions_for_form(questionnaire=invitation.questionnaire)
    form = ResponseForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation=invitation, answers=form.answers())
        except services.AlreadyAnswered:
            return render(request, "training/survey_done.html", context)
        except services.LinkExpired:
            return render(request, "training/survey_expired.html", context, status=410)
        messages.success(request, _("Thank you: your answers have been recorded."))
        return redirect(here)
    context.update({"form": form, "sections": _sections(form)})
    return render(request, "training/survey_answer.html", context)


def _sections(form: ResponseForm) -> list[tuple[str, list]]:
    grouped: list[tuple[str, list]] = []
    for question, field in form.bound_questions():
        if not grouped or grouped[-1][0] != question.section:
            grouped.append((question.section, []))
        grouped[-1][1].append((question, field))
    return grouped


@never_cache
def survey_answer(request, token: str):
    """Answer by the personal link of an email: no account, no password."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "training/survey_invalid.html", status=404)
    return _answer_page(request, invitation, here=request.path)


@never_cache
@role_required(lambda user: user.is_active)
def survey_answer_mine(request, pk: int):
    """Answer one of my invitations from the dashboard (logged in)."""
    invitation = selectors.invitation_for_user(user=request.user, pk=pk)
    return _answer_page(request, invitation, here=request.path)


@require_POST
@role_required(lambda user: user.is_active)
def survey_open(request, session_pk: int, kind: str):
    """Open the « à chaud » (or trainer's) questionnaire of a session from the dashboard,
    from the start of its last half-day, before the email goes."""
    pending = {
        (p.session.pk, p.questionnaire.kind): p
        for p in selectors.pending_for_user(user=request.user)
    }
    item = pending.get((session_pk, kind))
    if item is None:
        raise Http404
    invitation = item.invitation or services.invitation_open(
        user=request.user, questionnaire=item.questionnaire, session=item.session
    )
    return redirect("training:survey_answer_mine", pk=invitation.pk)


# --- A session's « Satisfaction » tab ------------------------------------------------------------


def _session_tab(request, session, *, sponsor_form=None, delay_form=None):
    sponsor_form = sponsor_form or SponsorInviteForm()
    sponsor_form.helper.form_action = reverse("training:sponsor_invite", args=[session.pk])
    delay_form = delay_form or ColdDelayForm(
        initial={
            "cold_delay_days": getattr(
                getattr(session, "survey_settings", None), "cold_delay_days", None
            )
        }
    )
    delay_form.helper.form_action = reverse("training:session_survey_settings", args=[session.pk])
    readable = survey_permissions.questionnaire_kinds_readable(request.user)
    sessions = TrainingSession.objects.filter(pk=session.pk)
    results = [
        _with_charts(
            selectors.survey_results(questionnaire=q, sessions=sessions, user=request.user)
        )
        for q in selectors.in_kind_order(
            Questionnaire.objects.filter(is_active=True, kind__in=readable)
        )
    ]
    return render(
        request,
        "training/survey_session.html",
        {
            "session": session,
            "tab": "surveys",
            "can_manage": True,
            "enrolled_count": session_selectors.session_enrolled_count(session=session),
            "statuses": selectors.session_survey_statuses(session=session),
            "sponsors": selectors.sponsor_invitations(session=session),
            "sponsor_form": sponsor_form,
            "delay_form": delay_form,
            "cold_delay": cold_delay_days(session),
            "results": results,
            "is_admin": permissions.can_administer(request.user),
        },
    )


@role_required(permissions.can_run_sessions)
def session_surveys(request, pk: int):
    """The session's questionnaires: when they go, who answered (counts), the results."""
    session = session_selectors.session_get_managed(user=request.user, pk=pk)
    return _session_tab(request, session)


@require_POST
@role_required(permissions.can_run_sessions)
def sponsor_invite(request, pk: int):
    """Invite an employer or funder to answer about the session."""
    session = session_selectors.session_get_managed(user=request.user, pk=pk)
    form = SponsorInviteForm(request.POST)
    if form.is_valid():
        try:
            services.sponsor_invite(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("The questionnaire will be emailed to %(email)s within a few minutes.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("training:session_surveys", pk=session.pk)
    return _session_tab(request, session, sponsor_form=form)


@require_POST
@role_required(permissions.can_run_sessions)
def session_survey_settings(request, pk: int):
    """Set the session's « à froid » delay."""
    session = session_selectors.session_get_managed(user=request.user, pk=pk)
    form = ColdDelayForm(request.POST)
    if form.is_valid():
        services.session_survey_settings_update(
            session=session, cold_delay_days=form.cleaned_data["cold_delay_days"]
        )
        messages.success(request, _("The « à froid » delay has been saved."))
        return redirect("training:session_surveys", pk=session.pk)
    return _session_tab(request, session, delay_form=form)


# --- Results ---------------------------------------------------------------------------------


def _with_charts(results: selectors.SurveyResults) -> selectors.SurveyResults:
    """Attach each block's chart geometry (``results.blocks``: sections of blocks)."""
    results.blocks = results.sections()
    for _section, blocks in results.blocks:
        for block in blocks:
            first = block.items[0]
            if block.is_likert:
                block.chart = charts.likert_chart(block.items)
            elif first.question.type == SurveyQuestion.Type.RECOMMENDATION:
                block.chart = charts.columns_chart(first.buckets)
            elif not first.is_text:
                block.chart = charts.bars_chart(first.buckets)
    return results


def _results_query(request):
    """Return (form, results or None, scope text) from the GET filters."""
    user = request.user
    readable = survey_permissions.questionnaire_kinds_readable(user)
    questionnaires = Questionnaire.objects.filter(kind__in=readable).order_by("-is_active", "kind")
    trainers = None
    if permissions.can_administer(user):
        trainers = (
            User.objects.filter(sessions_trained__isnull=False)
            .distinct()
            .order_by("last_name", "first_name")
        )
    data = request.GET.copy()
    if not data.get("questionnaire"):
        first = questionnaires.filter(is_active=True).first()
        if first is not None:
            data["questionnaire"] = str(first.pk)
    form = ResultsFilterForm(data, questionnaires=questionnaires, trainers=trainers)
    if not form.is_valid():
        return form, None, ""
    cleaned = form.cleaned_data
    sessions = selectors.sessions_for_results(
        user=user,
        trainer=cleaned.get("trainer"),
        since=cleaned.get("since"),
        until=cleaned.get("until"),
    )
    results = selectors.survey_results(
        questionnaire=cleaned["questionnaire"], sessions=sessions, user=user
    )
    scope = [_("all sessions") if trainers is not None else _("my sessions")]
    if cleaned.get("trainer"):
        scope.append(_("trainer: %(name)s") % {"name": cleaned["trainer"].get_full_name()})
    if cleaned.get("since") or cleaned.get("until"):
        scope.append(
            _("ended from %(since)s to %(until)s")
            % {
                "since": cleaned["since"].strftime("%d/%m/%Y") if cleaned.get("since") else "…",
                "until": cleaned["until"].strftime("%d/%m/%Y") if cleaned.get("until") else "…",
            }
        )
    return form, results, ", ".join(scope)


@role_required(survey_permissions.can_read_survey_results)
def survey_results(request):
    """Results per questionnaire, over my sessions (or all), one trainer's, a period."""
    form, results, scope = _results_query(request)
    query = request.GET.urlencode()
    return render(
        request,
        "training/survey_results.html",
        {
            "form": form,
            "results": _with_charts(results) if results is not None else None,
            "scope": scope,
            "query": query,
            "is_admin": permissions.can_administer(request.user),
            "comments_to_read": selectors.comments_to_read_count()
            if permissions.can_administer(request.user)
            else 0,
            "complaints": complaint_figures() if permissions.can_administer(request.user) else None,
        },
    )


@role_required(survey_permissions.can_read_survey_results)
def survey_results_export(request, fmt: str):
    """The results shown, as CSV (the distribution) or XLSX (summary and distribution)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, results, scope = _results_query(request)
    if results is None:
        raise Http404
    stamp = timezone.localdate().isoformat()
    name = f"resultats-{results.questionnaire.slug}-{stamp}"
    if fmt == "csv":
        return download_response(
            csv_stream(exports.detail_rows(results)), filename=f"{name}.csv", content_type=CSV
        )
    handle = xlsx_file(
        [
            (_("Summary"), exports.summary_rows(results, scope=scope)),
            (_("Detail"), exports.detail_rows(results)),
        ]
    )
    return download_response(handle, filename=f"{name}.xlsx", content_type=XLSX)


# --- Comments ---------------------------------------------------------------------------------


@role_required(survey_permissions.can_moderate_comments)
def survey_comments(request):
    """Free-text answers to read, then publish to the trainers or hide."""
    status = request.GET.get("statut", "")
    if status not in {c.value for c in SurveyAnswer.CommentStatus}:
        status = ""
    page = Paginator(selectors.comments_for_moderation(status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/survey_comments.html",
        {
            "page": page,
            "status": status,
            "statuses": [c for c in SurveyAnswer.CommentStatus if c.value],
            "query": f"statut={status}" if status else "",
        },
    )


@require_POST
@role_required(survey_permissions.can_moderate_comments)
def survey_comment_moderate(request, pk):
    """Publish or hide one comment."""
    answer = get_object_or_404(
        SurveyAnswer.objects.exclude(text="").select_related("question", "response__session"),
        pk=pk,
    )
    decision = request.POST.get("decision")
    if decision not in ("publier", "masquer"):
        messages.error(request, _("Choose to publish or to hide the comment."))
    else:
        services.comment_moderate(answer=answer, publish=decision == "publier", by=request.user)
        messages.success(
            request,
            _("The comment is published to the trainers.")
            if decision == "publier"
            else _("The comment is hidden from the trainers."),
        )
    back = request.POST.get("next", "")
    if back.startswith(reverse("training:survey_comments")):
        return redirect(back)
    return redirect("training:survey_comments")
