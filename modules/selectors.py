"""Reads for the course pages, with progress, in a constant number of queries."""

from __future__ import annotations

import unicodedata

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from modules.models import (
    Course,
    GlossaryTerm,
    Lesson,
    LessonProgress,
    Module,
    Resource,
    Slide,
)


def course_get() -> Course | None:
    """Return the course (the platform runs one), with its objectives."""
    return Course.objects.prefetch_related("objectives").order_by("pk").first()


def modules_with_progress(*, user, course: Course) -> list[Module]:
    """Return the course's modules annotated with lesson counts and the user's read count."""
    read_filter = Q(lessons__progress__user=user) if user.is_authenticated else Q(pk__in=[])
    modules = list(
        course.modules.annotate(
            lesson_count=Count("lessons", distinct=True),
            read_count=Count("lessons__progress", filter=read_filter, distinct=True),
        ).order_by("number")
    )
    for module in modules:
        module.percent = (
            round(100 * module.read_count / module.lesson_count) if module.lesson_count else 0
        )
    return modules


def course_progress(*, user, course: Course) -> dict:
    """Return lessons read / total for the whole course."""
    total = Lesson.objects.filter(module__course=course).count()
    read = (
        LessonProgress.objects.filter(user=user, lesson__module__course=course).count()
        if user.is_authenticated
        else 0
    )
    return {"total": total, "read": read, "percent": round(100 * read / total) if total else 0}


def module_get(*, slug: str) -> Module:
    """Return a module with its course objectives, or 404."""
    return get_object_or_404(
        Module.objects.select_related("course").prefetch_related("course_objectives"), slug=slug
    )


def module_lessons_with_progress(*, user, module: Module) -> list[Lesson]:
    """Return the module's lessons, each with ``is_read`` for the user."""
    read_ids = set()
    if user.is_authenticated:
        read_ids = set(
            LessonProgress.objects.filter(user=user, lesson__module=module).values_list(
                "lesson_id", flat=True
            )
        )
    lessons = list(
        module.lessons.only("slug", "title", "order", "minutes", "module_id").order_by("order")
    )
    for lesson in lessons:
        lesson.is_read = lesson.pk in read_ids
        lesson.module = module
    return lessons


def lesson_get(*, module_slug: str, slug: str) -> Lesson:
    """Return a lesson of a module, or 404."""
    return get_object_or_404(
        Lesson.objects.select_related("module", "module__course"),
        module__slug=module_slug,
        slug=slug,
    )


def lesson_neighbours(*, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """Return the previous and next lessons in course order (across modules)."""
    ordered = list(
        Lesson.objects.filter(module__course_id=lesson.module.course_id)
        .select_related("module")
        .only("slug", "title", "module__slug", "module__number", "order")
        .order_by("module__number", "order")
    )
    index = next(i for i, item in enumerate(ordered) if item.pk == lesson.pk)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following


def lesson_is_read(*, user, lesson: Lesson) -> bool:
    return (
        user.is_authenticated and LessonProgress.objects.filter(user=user, lesson=lesson).exists()
    )


def lesson_from_reference(reference: str) -> Lesson | None:
    """Return the lesson a ``module-slug/lesson-slug`` reference names, or None.

    The glossary's « back to the lesson » link is built from the lesson found here, never from
    the text it was given: an unknown reference gives no link (no open redirect).
    """
    module_slug, _sep, slug = (reference or "").strip("/").partition("/")
    if not module_slug or not slug or "/" in slug or len(reference) > 200:
        return None
    return (
        Lesson.objects.select_related("module").filter(module__slug=module_slug, slug=slug).first()
    )


def glossary_terms() -> list[GlossaryTerm]:
    """Return the glossary in French alphabetical order (« Équipe » among the E, not after Z)."""
    return sorted(GlossaryTerm.objects.all(), key=lambda term: _alphabetical(term.term))


def _alphabetical(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def course_resources(*, course: Course):
    """Return the course's own bibliography and links (not session-specific ones)."""
    return Resource.objects.of_course().filter(course=course).select_related("module")


def module_slides(*, module: Module) -> list[Slide]:
    """Return the module's slides in order, with only what the deck shows."""
    return list(
        Slide.objects.filter(module=module)
        .only("order", "title", "html", "notes_html", "module_id")
        .order_by("order")
    )
