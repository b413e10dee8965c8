"""Quiz pages: thin views over selectors (reads) and services (start, submit)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from core.downloads import CSV, XLSX, download_response
from core.spreadsheets import csv_stream, xlsx_file
from quizzes import charts, exports, permissions, selectors, services
from quizzes.forms import QuizAnswerForm
from quizzes.models import Quiz
from training.access.mixins import role_required

# --------------------------------------------------------------------------- trainees


@role_required(permissions.can_take_quizzes)
def quiz_list(request):
    statuses = selectors.quiz_statuses(user=request.user)
    return render(
        request,
        "quizzes/quiz_list.html",
        {
            "positioning": [s for s in statuses if s.quiz.kind == Quiz.Kind.POSITIONING],
            "module_checks": [s for s in statuses if s.quiz.kind == Quiz.Kind.MODULE],
            "final": [s for s in statuses if s.quiz.kind == Quiz.Kind.FINAL],
        },
    )


def _quiz_detail(request, quiz, *, error="", status=200):
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "status": selectors.quiz_status(user=request.user, quiz=quiz),
            "error": error,
        },
        status=status,
    )


@role_required(permissions.can_take_quizzes)
def quiz_detail(request, slug):
    return _quiz_detail(request, selectors.quiz_get(slug=slug))


@require_POST
@role_required(permissions.can_take_quizzes)
def attempt_start(request, slug):
    quiz = selectors.quiz_get(slug=slug)
    try:
        attempt = services.attempt_start(
            user=request.user,
            quiz=quiz,
            session=services.session_for_attempt(user=request.user),
        )
    except services.QuizError as exc:
        return _quiz_detail(request, quiz, error=str(exc), status=403)
    return redirect(attempt.get_absolute_url())


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_take_quizzes)
def attempt_take(request, pk):
    attempt = selectors.attempt_get(user=request.user, pk=pk)
    if attempt.is_submitted:  # a second click, another tab, the back button
        return redirect(attempt.get_absolute_url())
    questions = services.quiz_questions(quiz=attempt.quiz)
    status = 200
    if request.method == "POST":
        form = QuizAnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                attempt, _graded = services.attempt_submit(attempt=attempt, answers=form.answers())
            except services.AnswerError as exc:
                form.add_answer_errors(exc.errors)
            else:
                return redirect(attempt.get_absolute_url())
        status = 400
    else:
        form = QuizAnswerForm(questions=questions)
    return render(
        request,
        "quizzes/attempt_take.html",
        {"attempt": attempt, "quiz": attempt.quiz, "form": form, "items": list(form.items())},
        status=status,
    )


@role_required(permissions.can_take_quizzes)
def attempt_result(request, pk):
    attempt = selectors.attempt_get(user=request.user, pk=pk)
    if not attempt.is_submitted:
        return redirect(attempt.get_absolute_url())
    answers = selectors.attempt_answers(attempt=attempt)
    status = selectors.quiz_status(user=request.user, quiz=attempt.quiz)
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "answers": answers,
            "objectives": selectors.objective_scores(answers),
            # French counts « 1,5 point » in the singular (below 2): the whole part decides.
            "points_count": int(attempt.score_points or 0),
            "status": status,
            "can_retake": attempt.quiz.is_active and status.can_start,
        },
    )


@role_required(permissions.can_take_quizzes)
def my_results(request):
    return render(
        request,
        "quizzes/my_results.html",
        {"groups": selectors.user_results(user=request.user)},
    )


# --------------------------------------------------------------------------- trainers


@role_required(permissions.can_see_results)
def results_index(request):
    return render(
        request,
        "quizzes/results_index.html",
        {"overview": selectors.results_overview(users=permissions.results_scope(request.user))},
    )


@role_required(permissions.can_see_results)
def quiz_results(request, slug):
    """A quiz's figures and item analysis, with the trainees 50 per page (``?page=N``)."""
    quiz = get_object_or_404(Quiz, slug=slug)
    results = selectors.quiz_results(
        quiz=quiz,
        users=permissions.results_scope(request.user),
        page=request.GET.get("page"),
        cache_scope=permissions.results_scope_key(request.user),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quizzes/quiz_results.html",
        {"quiz": quiz, "results": results, "page": results.page, "query": query.urlencode()},
    )


@role_required(permissions.can_see_results)
def learning_gain(request):
    gain = selectors.learning_gain(users=permissions.results_scope(request.user))
    paired = gain.paired
    trainee_chart = charts.dumbbell_chart(
        [
            (t.user.get_full_name() or t.user.email, t.overall.before, t.overall.after)
            for t in paired
        ],
        average=("", gain.average.before, gain.average.after),
    )
    objective_chart = charts.dumbbell_chart(
        [
            (o.code, g.before, g.after)
            for o, g in zip(gain.objectives, gain.objective_averages, strict=True)
        ],
        average=("", gain.average.before, gain.average.after),
    )
    return render(
        request,
        "quizzes/learning_gain.html",
        {
            "gain": gain,
            "paired": paired,
            "objective_rows": list(zip(gain.objectives, gain.objective_averages, strict=True)),
            "trainee_chart": trainee_chart,
            "objective_chart": objective_chart,
        },
    )


def _export(rows, *, fmt: str, name: str, title: str):
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return download_response(csv_stream(rows), filename=f"{filename}.csv", content_type=CSV)
    if fmt == "xlsx":
        return download_response(
            xlsx_file([(title, rows)]), filename=f"{filename}.xlsx", content_type=XLSX
        )
    raise Http404


@role_required(permissions.can_see_results)
def quiz_results_export(request, slug, fmt):
    quiz = get_object_or_404(Quiz, slug=slug)
    data = selectors.quiz_export_data(quiz=quiz, users=permissions.results_scope(request.user))
    return _export(
        exports.quiz_result_rows(data),
        fmt=fmt,
        name=f"resultats-{slugify(quiz.slug)}",
        title=quiz.title,
    )


@role_required(permissions.can_see_results)
def learning_gain_export(request, fmt):
    gain = selectors.learning_gain(users=permissions.results_scope(request.user))
    return _export(
        exports.learning_gain_rows(gain), fmt=fmt, name="progression", title="Progression"
    )
