"""Quiz panels other apps' pages include (dashboard, module page) without knowing the models."""

from django import template

from quizzes import permissions, selectors

register = template.Library()


@register.inclusion_tag("quizzes/includes/_dashboard_panel.html", takes_context=True)
def quiz_dashboard_panel(context):
    """The trainee's quizzes with their status, or the results link for trainers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    data = {"show": False, "statuses": [], "can_see_results": False, "stamp": ""}
    data["LANGUAGE_CODE"] = context.get("LANGUAGE_CODE")
    if user is None or not permissions.can_take_quizzes(user):
        return data
    data["show"] = True
    data["can_see_results"] = permissions.can_see_results(user)
    if not data["can_see_results"]:
        data["statuses"], data["stamp"] = selectors.quiz_statuses_lazy(user=user)
    return data


@register.inclusion_tag("quizzes/includes/_module_quiz.html", takes_context=True)
def module_quiz_link(context, module):
    """The « Quiz du module » link with the user's best score, on a module page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    quiz = selectors.module_check_get(module=module)
    if quiz is None or user is None or not permissions.can_take_quizzes(user):
        return {"status": None}
    return {"status": selectors.quiz_status(user=user, quiz=quiz)}


@register.filter
def percent(value):
    """Format a 0–100 number as a whole percentage for display ('' when missing)."""
    if value is None or value == "":
        return ""
    return f"{round(value)}\u00a0%"
