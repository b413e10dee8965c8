"""Pages of the guide. Thin: parse the query string, replay the path, render.

The path of answers travels in the URL (``?p=…``), the case being worked on in ``?cas=…`` and
the trainee's own answer to it in ``?choix=…``; every request replays the whole path from the
start node, so nothing is kept on the server and a tampered URL gets a 400 with a French
explanation.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.downloads import PDF, download_response
from training.access.mixins import role_required

from . import documents, graph, permissions, selectors
from .forms import CaseAnswerForm


def _bad_request(request, message: str):
    return render(
        request,
        "boussole/invalid_path.html",
        {"message": message, "home_url": reverse("boussole:home")},
        status=400,
    )


def _query(pairs, case=None, choice=None) -> str:
    params = {}
    if pairs:
        params["p"] = graph.path_encode(pairs)
    if case is not None:
        params["cas"] = case.slug
    if choice:
        params["choix"] = choice
    return "?" + urlencode(params) if params else ""


def _read_walk(request, guide):
    """Return (walk, case, choice) from the query string; raise graph.PathError if tampered."""
    result = graph.walk(guide.graph, graph.path_decode(request.GET.get("p")))
    case = None
    if slug := request.GET.get("cas"):
        case = selectors.case_find(slug=slug)
        if case is None:
            raise graph.PathError(_("This practice case does not exist."))
    choice = request.GET.get("choix") or None
    if choice and (case is None or choice not in guide.verdicts):
        raise graph.PathError(_("The answer given for the practice case is not a verdict."))
    return result, case, choice


@require_safe
@role_required(permissions.can_walk_guide)
def home(request):
    guide = selectors.guide_get()
    return render(
        request,
        "boussole/home.html",
        {
            "guide": guide,
            "case_count": guide.cases.count(),
            "can_see_outline": permissions.can_see_outline(request.user),
        },
    )


@require_safe
@role_required(permissions.can_walk_guide)
def walk(request):
    guide = selectors.guide_get()
    try:
        result, case, choice = _read_walk(request, guide)
    except graph.PathError as exc:
        return _bad_request(request, str(exc))
    base = reverse("boussole:walk")

    def link(pairs):
        return base + _query(pairs, case, choice)

    if result.pairs:
        back_url = link(result.pairs[:-1])
    else:
        back_url = case.get_absolute_url() if case else reverse("boussole:home")
    context = {
        "guide": guide,
        "walk": result,
        "case": case,
        "steps": [{"step": step, "change_url": link(step.before)} for step in result.steps],
        "back_url": back_url,
        "restart_url": link([]),
    }
    if result.finished:
        context.update(documents.fiche_context(guide=guide, walk=result, case=case, choice=choice))
        context["pdf_url"] = reverse("boussole:fiche_pdf") + _query(result.pairs, case, choice)
        return render(request, "boussole/walk_verdict.html", context)
    node = result.node
    done = len(result.pairs)
    context.update(
        {
            "node": node,
            "number": done + 1,
            "percent": round(100 * done / (done + node["max_remaining"])),
            "options": [
                {"option": option, "url": link([*result.pairs, (node["id"], option["key"])])}
                for option in node["options"]
            ],
        }
    )
    return render(request, "boussole/walk_step.html", context)


@require_safe
@role_required(permissions.can_walk_guide)
def fiche_pdf(request):
    guide = selectors.guide_get()
    try:
        result, case, choice = _read_walk(request, guide)
    except graph.PathError as exc:
        return _bad_request(request, str(exc))
    if not result.finished:
        return _bad_request(
            request, _("The reasoning sheet is available once the guide has reached a verdict.")
        )
    pdf = documents.fiche_render(
        guide=guide,
        walk=result,
        case=case,
        choice=choice,
        author=request.user.get_full_name() or request.user.email,
    )
    return download_response(
        pdf, filename=f"fiche-raisonnement-{result.verdict['id']}.pdf", content_type=PDF
    )


@require_safe
@role_required(permissions.can_walk_guide)
def case_list(request):
    guide = selectors.guide_get()
    return render(
        request,
        "boussole/case_list.html",
        {"guide": guide, "cases": selectors.case_list()},
    )


@role_required(permissions.can_walk_guide)
def case_detail(request, slug):
    case = selectors.case_get(slug=slug)
    verdicts = [case.guide.verdicts[v] for v in case.guide.graph["verdict_order"]]
    form = CaseAnswerForm(request.POST or None, verdicts=verdicts)
    form.helper.form_action = case.get_absolute_url() + "#reponse"
    context = {
        "case": case,
        "form": form,
        "expected": case.expected,
        "can_project": permissions.can_project_cases(request.user),
    }
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["verdict"]
        context.update(
            {
                "answered": True,
                "choice": case.guide.verdicts[choice],
                "reasoning": form.cleaned_data["reasoning"],
                "walk_url": reverse("boussole:walk") + _query([], case, choice),
            }
        )
    return render(request, "boussole/case_detail.html", context)


@require_safe
@role_required(permissions.can_project_cases)
def case_projection(request, slug):
    case = selectors.case_get(slug=slug)
    expected = case.expected
    return render(
        request,
        "boussole/case_projection.html",
        {
            "case": case,
            "expected": expected,
            "walk_url": reverse("boussole:walk") + _query([], case),
        },
    )


@require_safe
@role_required(permissions.can_see_outline)
def outline(request):
    guide = selectors.guide_get()
    nodes = guide.graph["nodes"].values()
    paths = graph.paths_count(guide.graph)
    return render(
        request,
        "boussole/outline.html",
        {
            "guide": guide,
            "tree": graph.outline(guide.graph),
            "verdicts": [guide.verdicts[v] for v in guide.graph["verdict_order"]],
            "cases": selectors.case_list(),
            "question_count": sum(1 for n in nodes if n["kind"] == "question"),
            "info_count": sum(1 for n in nodes if n["kind"] == "info"),
            # « 4 854 », not « 4854 »: French groups thousands.
            "path_count": paths,
            "path_count_text": number_format(paths, force_grouping=True),
        },
    )
