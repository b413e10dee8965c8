"""Writes for the course: rendering stored Markdown (the one place that calls the renderer for
stored content, used by the loader and the admin) and reading progress."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.cache import version_bump
from modules import selectors
from modules.content import ContentError
from modules.models import GlossaryTerm, Lesson, LessonProgress, Module, Slide, TrainerNote
from modules.rendering import GLOSSARY_LINK, render_markdown


def glossary_names() -> dict[str, str]:
    """Return the glossary slugs and term names used to resolve ``[[slug]]`` links."""
    return dict(GlossaryTerm.objects.values_list("slug", "term"))


def markdown_render(
    source: str,
    *,
    glossary: dict[str, str] | None = None,
    path=None,
    line=None,
    what: str = "",
):
    """Render stored Markdown with the glossary links resolved.

    When the source comes from a content file (``path``), a ``[[slug]]`` that matches no
    glossary term is refused with ``ContentError`` at its own line (``what`` names the object
    in the message when the line alone would not).
    """
    glossary = glossary_names() if glossary is None else glossary
    rendered = render_markdown(source, glossary=glossary)
    unknown = sorted(rendered.glossary_slugs - set(glossary))
    if unknown and path is not None:
        prefix = f"{what}: " if what else ""
        # Find the line of the first unknown slug to point the author at it.
        for offset, text in enumerate(source.splitlines()):
            for match in GLOSSARY_LINK.finditer(text):
                if match.group(1) in unknown:
                    raise ContentError(
                        path,
                        (line or 1) + offset,
                        f"{prefix}unknown glossary term '{match.group(1)}'",
                    )
        raise ContentError(path, line, f"{prefix}unknown glossary term '{unknown[0]}'")
    return rendered


def glossary_unknown_slugs(source: str, *, glossary: dict[str, str] | None = None) -> list[str]:
    """Return the ``[[slug]]`` links of a Markdown source that match no glossary term."""
    known = set(glossary_names() if glossary is None else glossary)
    return sorted({m.group(1) for m in GLOSSARY_LINK.finditer(source or "")} - known)


def lesson_render(*, lesson: Lesson, glossary: dict[str, str] | None = None) -> None:
    """Render a lesson's Markdown into its cached HTML, table of contents and word count."""
    rendered = markdown_render(lesson.source, glossary=glossary)
    lesson.html, lesson.toc, lesson.words = rendered.html, rendered.toc, rendered.words


def module_render(*, module: Module, glossary: dict[str, str] | None = None) -> None:
    """Render a module introduction."""
    module.intro_html = markdown_render(module.intro_source, glossary=glossary).html


def glossary_term_render(*, term: GlossaryTerm, glossary: dict[str, str] | None = None) -> None:
    """Render a glossary definition."""
    term.definition_html = markdown_render(term.definition_source, glossary=glossary).html


def trainer_note_render(*, note: TrainerNote, glossary: dict[str, str] | None = None) -> None:
    """Render a trainer note."""
    note.html = markdown_render(note.source, glossary=glossary).html


def slide_render(*, slide: Slide, glossary: dict[str, str] | None = None) -> None:
    """Render a slide and its speaker notes."""
    slide.html = markdown_render(slide.source, glossary=glossary).html
    slide.notes_html = markdown_render(slide.notes_source, glossary=glossary).html


def lesson_mark_read(*, user, lesson: Lesson) -> tuple[LessonProgress, bool]:
    """Record that the user has read the lesson; a second call changes nothing."""
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:  # a concurrent request created it first
        return LessonProgress.objects.get(user=user, lesson=lesson), False


def content_changed() -> None:
    """Retire the cached outline and lesson pages: the course's content has changed.

    Called by the signals of every content model (the admin, the loader: ``receivers.py``).
    """
    version_bump(selectors.CONTENT_VERSION)


def progress_changed(*, user_id: int) -> None:
    """Retire the cached list of the lessons a user has read (``receivers.py``)."""
    version_bump(selectors.progress_version_key(user_id))
