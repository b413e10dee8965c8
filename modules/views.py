from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modules import permissions, selectors, services
from training.access.mixins import role_required


def _course_or_404():
    course = selectors.course_get()
    if course is None:
        raise Http404(_("The course has not been loaded yet."))
    return course


@role_required(permissions.can_read_course)
def course_detail(request):
    progress = selectors.course_progress(user=request.user)
    if progress is None:
        raise Http404(_("The course has not been loaded yet."))
    return render(
        request,
        "modules/course_detail.html",
        {"course": progress.course, "modules": progress.modules, "progress": progress},
    )


@role_required(permissions.can_read_course)
def module_detail(request, slug):
    module = selectors.module_get(slug=slug)
    lessons = selectors.module_lessons_with_progress(user=request.user, module=module)
    read = sum(1 for lesson in lessons if lesson.is_read)
    show_notes = permissions.can_see_trainer_notes(request.user)
    note = getattr(module, "trainer_note", None) if show_notes else None
    return render(
        request,
        "modules/module_detail.html",
        {
            "module": module,
            "lessons": lessons,
            "read": read,
            "percent": round(100 * read / len(lessons)) if lessons else 0,
            "minutes": sum(lesson.minutes for lesson in lessons),
            "trainer_note": note,
        },
    )


@role_required(permissions.can_read_course)
def lesson_detail(request, module_slug, slug):
    page = selectors.lesson_page(module_slug=module_slug, slug=slug, user=request.user)
    return render(
        request,
        "modules/lesson_detail.html",
        {
            "lesson": page.lesson,
            "module": page.lesson.module,
            "previous": page.previous,
            "next": page.next,
            "is_read": page.is_read,
            "stamp": page.stamp,
        },
    )


@require_POST
@role_required(permissions.can_read_course)
def lesson_mark_read(request, module_slug, slug):
    lesson = selectors.lesson_get(module_slug=module_slug, slug=slug)
    _progress, created = services.lesson_mark_read(user=request.user, lesson=lesson)
    if created:
        messages.success(request, _("Lesson marked as read."))
    return redirect(lesson.get_absolute_url() + "#progression")


@role_required(permissions.can_read_course)
def glossary(request):
    """The glossary, with a way back to the lesson that linked to it (``?depuis=`` or the
    same-origin page the reader came from)."""
    return render(
        request,
        "modules/glossary.html",
        {"terms": selectors.glossary_terms(), "from_lesson": _lesson_came_from(request)},
    )


def _lesson_came_from(request):
    """The lesson named by ``?depuis=module/lesson``, else by a same-origin Referer."""
    reference = request.GET.get("depuis", "")
    if not reference:
        referer = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return None
        try:
            match = resolve(urlsplit(referer).path)
        except Resolver404:
            return None
        if match.view_name != "modules:lesson_detail":
            return None
        reference = f"{match.kwargs['module_slug']}/{match.kwargs['slug']}"
    return selectors.lesson_from_reference(reference)


@role_required(permissions.can_read_course)
def resource_list(request):
    course = _course_or_404()
    resources = list(selectors.course_resources(course=course))
    return render(
        request,
        "modules/resource_list.html",
        {
            "course": course,
            "bibliography": [r for r in resources if r.kind == "bibliography"],
            "links": [r for r in resources if r.kind == "link"],
        },
    )


# --- Presentation mode --------------------------------------------------------------------
# Every slide of the module is rendered into the page, so once loaded the deck works with no
# network; ``static/js/slides.js`` only switches the visible slide and keeps the projected
# window and the presenter view in step through a BroadcastChannel (same origin, no server).


def _slides_context(request, slug: str) -> dict:
    module = selectors.module_get(slug=slug)
    return {
        "module": module,
        "slides": selectors.module_slides(module=module),
        "can_present": permissions.can_present_slides(request.user),
        "channel": f"slides-{module.slug}",
    }


@role_required(permissions.can_read_course)
def slides_present(request, slug: str):
    """The projected deck (trainees may view it too, without the notes)."""
    return render(request, "modules/slides_present.html", _slides_context(request, slug))


@role_required(permissions.can_present_slides)
def slides_presenter(request, slug: str):
    """The presenter's view: current slide, notes, next slide and a timer."""
    return render(request, "modules/slides_presenter.html", _slides_context(request, slug))
