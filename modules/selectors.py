"""Reads for the course pages, with progress, in a constant number of queries.

What every reader sees the same (the course outline, a lesson page with its neighbours) is
kept in the shared cache under the content's version (``CONTENT_VERSION``, bumped by
``services.content_changed`` whenever the course changes: ``load_course``, the admin): a page
reads it in one round trip instead of three to five queries. What is the reader's own (the
lessons they have read) is one query per page.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from core.cache import version_current, versioned_get, versioned_get_many
from modules.models import (
    Course,
    GlossaryTerm,
    Lesson,
    LessonProgress,
    Module,
    Resource,
    Slide,
)

# The version of the course content: every cached page of the course is built from it.
CONTENT_VERSION = "modules:content"
OUTLINE = "modules:outline"


def progress_version_key(user_id: int) -> str:
    """The version of one user's reading progress (bumped by ``services.progress_changed``)."""
    return f"modules:progress-version:{user_id}"


def course_get() -> Course | None:
    """Return the course (the platform runs one), with its objectives."""
    return Course.objects.prefetch_related("objectives").order_by("pk").first()


@dataclass
class CourseOutline:
    """The course and its modules in order, each with the ids of its lessons (``lesson_ids``)."""

    course: Course
    modules: list[Module]
    stamp: str = ""  # new at each build: names the fragments rendered from it ({% cache %})


def _course_outline_build() -> CourseOutline | None:
    course = Course.objects.order_by("pk").first()
    if course is None:
        return None
    modules = list(course.modules.defer("intro_source").order_by("number"))
    lessons: dict[int, list[int]] = {module.pk: [] for module in modules}
    for module_id, lesson_id in (
        Lesson.objects.filter(module__course=course)
        .order_by("order", "pk")
        .values_list("module_id", "pk")
    ):
        lessons[module_id].append(lesson_id)
    for module in modules:
        module.lesson_ids = tuple(lessons[module.pk])
    return CourseOutline(course, modules, stamp=secrets.token_hex(8))


def course_outline() -> CourseOutline | None:
    """Return the course's outline (the same for everyone), or None before it is loaded."""
    return versioned_get(OUTLINE, version_key=CONTENT_VERSION, build=_course_outline_build)


def _lessons_read_entry(user) -> dict:
    """The versioned entry of the lessons the user has read, for ``versioned_get_many``."""
    if not user.is_authenticated:
        return {}
    return {
        f"modules:progress:{user.pk}": (
            progress_version_key(user.pk),
            lambda: frozenset(
                LessonProgress.objects.filter(user=user).values_list("lesson_id", flat=True)
            ),
        )
    }


def lessons_read(*, user) -> frozenset[int]:
    """Return the ids of the lessons the user has read (kept until they read another)."""
    entry = _lessons_read_entry(user)
    return next(iter(versioned_get_many(entry).values())) if entry else frozenset()


@dataclass
class CourseProgress:
    """The course, its modules with the user's progress (``lesson_count``, ``read_count``,
    ``percent`` on each) and the whole course's."""

    course: Course
    modules: list[Module]
    read: int
    total: int
    stamp: str = ""  # the outline's and the reader's progress: names the rendered fragments

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


def course_progress(*, user) -> CourseProgress | None:
    """Return the course with the user's progress, or None before the course is loaded.

    The outline and the lessons the user read come from the shared cache, in one round trip.
    """
    entries = {OUTLINE: (CONTENT_VERSION, _course_outline_build), **_lessons_read_entry(user)}
    values = versioned_get_many(entries)
    outline = values.pop(OUTLINE)
    if outline is None:
        return None
    read = next(iter(values.values()), frozenset())
    for module in outline.modules:  # the outline is the reader's own copy: annotate it
        module.lesson_count = len(module.lesson_ids)
        module.read_count = len(read.intersection(module.lesson_ids))
        module.percent = (
            round(100 * module.read_count / module.lesson_count) if module.lesson_count else 0
        )
    return CourseProgress(
        outline.course,
        outline.modules,
        read=sum(module.read_count for module in outline.modules),
        total=sum(module.lesson_count for module in outline.modules),
        stamp=f"{outline.stamp}-{'.'.join(str(module.read_count) for module in outline.modules)}",
    )


def course_progress_lazy(*, user) -> tuple[SimpleLazyObject, str]:
    """``course_progress`` named by the versions it is built from (the content's, the
    reader's), in one small read; the progress itself is read only if used (a fragment
    rendered under that name needs nothing else)."""
    stamp = version_current(CONTENT_VERSION, progress_version_key(user.pk))
    return SimpleLazyObject(lambda: course_progress(user=user)), stamp


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
        Lesson.objects.select_related("module").defer("source", "module__intro_source"),
        module__slug=module_slug,
        slug=slug,
    )


@dataclass
class LessonPage:
    """A lesson with its module and its neighbours in course order (None at either end), and
    whether the reader has read it (``is_read``)."""

    lesson: Lesson
    previous: Lesson | None
    next: Lesson | None
    stamp: str  # new at each build: names the page's rendered fragments ({% cache %})
    is_read: bool = False


def _lesson_page_build(module_slug: str, slug: str) -> LessonPage:
    lesson = lesson_get(module_slug=module_slug, slug=slug)
    previous, following = lesson_neighbours(lesson=lesson)
    return LessonPage(lesson, previous, following, stamp=secrets.token_hex(8))


def lesson_page(*, module_slug: str, slug: str, user) -> LessonPage:
    """Return a lesson, its neighbours and whether the user has read it, or 404.

    The lesson and its neighbours (the same for everyone, under the content's version) and
    the lessons the user read (under theirs) come from the shared cache in one round trip;
    an unknown address is not cached.
    """
    if len(module_slug) + len(slug) > 160:  # longer than any slug of the models: no lesson
        raise Http404
    key = f"modules:lesson:{module_slug}/{slug}"
    entries = {
        key: (CONTENT_VERSION, lambda: _lesson_page_build(module_slug, slug)),
        **_lessons_read_entry(user),
    }
    values = versioned_get_many(entries)
    page = values.pop(key)
    page.is_read = page.lesson.pk in next(iter(values.values()), frozenset())
    return page


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
