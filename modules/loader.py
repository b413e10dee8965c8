"""Load the course from ``fixtures/``: parse and validate every file first, then create or
update the database by slug, and report what changed.

``LoadReport`` and ``row_sync`` / ``rows_remove_missing`` are shared with the quiz and guide
loaders (``quizzes.loader``, ``boussole.loader``): one way to create-or-update a row by its
natural key and count the outcome.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from modules.content import (
    LINE_KEY,
    ContentError,
    line_of,
    optional,
    read_yaml_file,
    require,
    split_front_matter,
)
from modules.models import (
    Course,
    CourseObjective,
    GlossaryTerm,
    Lesson,
    Module,
    Resource,
    Slide,
    TrainerNote,
)
from modules.services import markdown_render

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Source:
    """Where a row's values come from in the content files.

    ``fields`` maps each model field that an author writes to its place in the file: a YAML
    key of the mapping found at ``node`` (a path of keys and list indexes from the file's
    root), ``"front:<key>"`` / ``"body"`` for a Markdown file with front matter, ``"file"``
    for a whole file, ``"slide:title"`` / ``"slide:source"`` / ``"slide:notes"`` for a slide
    starting at ``line``. A load guard (``LoadReport.guard``) uses it to tell an edit made in
    the admin from the file's text, and to write such an edit back as a patch.
    """

    path: Path
    fields: dict[str, str]
    node: tuple = ()
    line: int | None = None


class LoadGuard(Protocol):
    """What ``row_sync`` / ``row_update`` ask before writing (``training.content.guard``)."""

    def values_to_write(self, obj, values: dict, *, kind: str, source: Source | None) -> dict:
        """Return the values to write on an existing row (an admin's edit may be kept)."""

    def row_created(self, obj, values: dict, *, kind: str, source: Source | None) -> None:
        """Remember what a newly created row holds."""

    def removable(self, queryset):
        """Return the part of ``queryset`` that may be deleted (rows the files no longer hold)."""


@dataclass
class LoadReport:
    """What a load changed, per kind of object, and which objects (for the revision log)."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # (kind, outcome, label, module slug or None), one per object created, updated or removed.
    changes: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    guard: LoadGuard | None = None
    # Set by the caller once the load is applied (training.content: the revision recorded).
    revision: object | None = None

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, kind: str, outcome: str, obj) -> None:
        """Count one object's outcome and remember it for the revision log."""
        self.add(kind, outcome)
        if outcome != "unchanged":
            self.changes.append((kind, outcome, _label(obj), module_slug_of(obj)))

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def lines(self) -> list[str]:
        out = []
        for kind in sorted(self.counts):
            c = self.counts[kind]
            out.append(
                f"{kind}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['removed']} removed"
            )
        return out


# --------------------------------------------------------------------------- loading files


@dataclass
class ParsedCourse:
    course: dict
    objectives: list[dict]
    modules: list[dict]
    lessons: list[dict]
    notes: list[dict]
    slides: list[dict]
    glossary: list[dict]
    resources: list[dict]
    base: Path | None = None


def _slug(value, path, line, what="slug", max_length=50):
    value = str(value)
    if len(value) > max_length:
        raise ContentError(path, line, f"{what} '{value}' is longer than {max_length} characters")
    if not SLUG.match(value):
        raise ContentError(
            path, line, f"invalid {what} '{value}': use lowercase letters, digits and '-'"
        )
    return value


def _int(data, key, path, default=None):
    value = data.get(key, default)
    if value is None:
        raise ContentError(path, line_of(data), f"missing required field '{key}'")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ContentError(path, line_of(data, key), f"field '{key}' must be a positive integer")
    return value


def parse_slides(path: Path) -> list[dict]:
    """Split a slides.md file on '---' lines; 'Note:' starts the speaker notes."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, None, f"cannot read file: {exc}") from exc
    slides, current, start = [], [], 1
    for number, line in enumerate(text.splitlines() + ["---"], start=1):
        if line.strip() == "---":
            chunk = "\n".join(current).strip()
            if chunk:
                body, _sep, notes = _split_notes(chunk)
                first = body.strip().splitlines()[0] if body.strip() else ""
                if not first.startswith("## "):
                    raise ContentError(path, start, "a slide must start with a '## Title' line")
                slides.append(
                    {
                        "title": first[3:].strip(),
                        "source": "\n".join(body.strip().splitlines()[1:]).strip(),
                        "notes": notes.strip(),
                        "line": start,
                    }
                )
            current, start = [], number + 1
        else:
            current.append(line)
    return slides


def _split_notes(chunk: str) -> tuple[str, str, str]:
    parts = re.split(r"(?m)^Note:[ \t]*$", chunk, maxsplit=1)
    if len(parts) == 2:
        return parts[0], "Note:", parts[1]
    return parts[0], "", ""


def course_content_parse(base: Path) -> ParsedCourse:
    """Read and validate every content file under ``base`` (the fixtures folder)."""
    course_path = base / "course.yaml"
    data = read_yaml_file(course_path)
    if not isinstance(data, dict):
        raise ContentError(course_path, 1, "the file must be a mapping")
    course = {
        "slug": _slug(require(data, "slug", course_path), course_path, data[LINE_KEY]),
        "title": require(data, "title", course_path),
    }
    for key in (
        "stakes",
        "audience",
        "prerequisites",
        "duration",
        "methods",
        "evaluation",
        "accessibility",
        "access_delays",
        "price",
    ):
        course[key] = optional(data, key)
    objectives = []
    for order, item in enumerate(require(data, "objectives", course_path, list), start=1):
        if not isinstance(item, dict):
            raise ContentError(
                course_path, data[LINE_KEY], "each objective needs 'code' and 'text'"
            )
        objectives.append(
            {
                "code": _slug(
                    require(item, "code", course_path), course_path, item[LINE_KEY], "code"
                ),
                "text": require(item, "text", course_path),
                "order": order,
            }
        )
    codes = {o["code"] for o in objectives}

    glossary_path = base / "glossary.yaml"
    glossary = []
    for item in read_yaml_file(glossary_path) or []:
        if not isinstance(item, dict):
            raise ContentError(glossary_path, None, "each entry must be a mapping")
        line = item[LINE_KEY]
        glossary.append(
            {
                "slug": _slug(require(item, "slug", glossary_path), glossary_path, line),
                "term": require(item, "term", glossary_path),
                "definition": require(item, "definition", glossary_path),
                "legal_basis": optional(item, "legal_basis"),
                "line": line,
                "path": glossary_path,
            }
        )
    _no_duplicates(glossary, "slug", glossary_path)

    modules, lessons, notes, slides = [], [], [], []
    folders = sorted(p for p in (base / "course").iterdir() if p.is_dir())
    if not folders:
        raise ContentError(base / "course", None, "no module folder found")
    for folder in folders:
        path = folder / "module.md"
        meta, body, body_line = split_front_matter(path)
        line = meta.get(LINE_KEY)
        module = {
            "number": _int(meta, "number", path),
            "slug": _slug(require(meta, "slug", path), path, line_of(meta, "slug")),
            "title": require(meta, "title", path),
            "minutes": _int(meta, "minutes", path, 0),
            "objectives": [str(o) for o in require(meta, "objectives", path, list)],
            "course_objectives": [str(c) for c in meta.get("course_objectives") or []],
            "intro": body.strip(),
            "path": path,
            "body_line": body_line,
        }
        for code in module["course_objectives"]:
            if code not in codes:
                raise ContentError(
                    path, line_of(meta, "course_objectives"), f"unknown course objective '{code}'"
                )
        modules.append(module)
        lesson_files = sorted(folder.glob("[0-9][0-9]-*.md"))
        if not lesson_files:
            raise ContentError(folder, None, "a module needs at least one lesson file (NN-slug.md)")
        for lesson_path in lesson_files:
            lmeta, lbody, lline = split_front_matter(lesson_path)
            lline += len(lbody) - len(lbody.lstrip("\n"))
            if not lbody.strip():
                raise ContentError(lesson_path, lline, "the lesson has no text")
            lessons.append(
                {
                    "module": module["slug"],
                    "slug": _slug(
                        require(lmeta, "slug", lesson_path),
                        lesson_path,
                        line_of(lmeta, "slug"),
                        max_length=100,
                    ),
                    "title": require(lmeta, "title", lesson_path),
                    "order": _int(lmeta, "order", lesson_path),
                    "minutes": _int(lmeta, "minutes", lesson_path, 0),
                    "source": lbody.strip() + "\n",
                    "path": lesson_path,
                    "body_line": lline,
                }
            )
        notes_path = folder / "trainer-notes.md"
        if notes_path.exists():
            notes.append(
                {
                    "module": module["slug"],
                    "source": notes_path.read_text("utf-8"),
                    "path": notes_path,
                }
            )
        slides_path = folder / "slides.md"
        if slides_path.exists():
            for order, slide in enumerate(parse_slides(slides_path), start=1):
                slides.append(
                    {"module": module["slug"], "order": order, "path": slides_path, **slide}
                )
    _no_duplicates(modules, "slug", base / "course")
    _no_duplicates(modules, "number", base / "course")
    _no_duplicates(lessons, "slug", base / "course")

    resources_path = base / "resources.yaml"
    resources = []
    module_slugs = {m["slug"] for m in modules}
    for order, item in enumerate(read_yaml_file(resources_path) or [], start=1):
        if not isinstance(item, dict):
            raise ContentError(resources_path, None, "each entry must be a mapping")
        line = item[LINE_KEY]
        kind = require(item, "kind", resources_path)
        if kind not in ("bibliography", "link"):
            raise ContentError(
                resources_path,
                line_of(item, "kind"),
                f"unknown kind '{kind}' (bibliography or link)",
            )
        url = optional(item, "url")
        if kind == "link" and not url:
            raise ContentError(resources_path, line, "a link needs a 'url'")
        if url and not url.startswith(("https://", "http://")):
            raise ContentError(resources_path, line_of(item, "url"), f"invalid URL '{url}'")
        module_slug = item.get("module")
        if module_slug and module_slug not in module_slugs:
            raise ContentError(
                resources_path, line_of(item, "module"), f"unknown module '{module_slug}'"
            )
        resources.append(
            {
                "slug": _slug(
                    require(item, "slug", resources_path), resources_path, line, max_length=120
                ),
                "kind": kind,
                "module": module_slug or None,
                "title": require(item, "title", resources_path),
                "authors": optional(item, "authors"),
                "publisher": optional(item, "publisher"),
                "place": optional(item, "place"),
                "year": optional(item, "year"),
                "details": optional(item, "details"),
                "url": url,
                "description": optional(item, "description"),
                "note": optional(item, "note"),
                "order": order,
            }
        )
    _no_duplicates(resources, "slug", resources_path)
    return ParsedCourse(
        course, objectives, modules, lessons, notes, slides, glossary, resources, base=base
    )


def _no_duplicates(items, key, path):
    seen = set()
    for item in items:
        if item[key] in seen:
            raise ContentError(
                item.get("path", path), item.get("line"), f"duplicate {key} '{item[key]}'"
            )
        seen.add(item[key])


def _label(obj) -> str:
    return str(getattr(obj, "title", "") or obj)[:200]


def module_slug_of(obj) -> str | None:
    """Return the slug of the course module an object belongs to, if any."""
    if isinstance(obj, Module):
        return obj.slug
    for path in ("module", "quiz.module", "question.quiz.module"):
        current = obj
        for name in path.split("."):
            current = getattr(current, name, None)
            if current is None:
                break
        if isinstance(current, Module):
            return current.slug
    return None


def row_update(
    obj, values: dict, report: LoadReport, kind: str, *, source: Source | None = None
) -> None:
    """Save the fields of ``values`` that differ on ``obj``; count it updated or unchanged.

    With a guard on the report, an edit made in the admin since the last load may be kept
    (the guard removes those fields from ``values``).
    """
    if report.guard is not None:
        values = report.guard.values_to_write(obj, values, kind=kind, source=source)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.note(kind, "updated", obj)
    else:
        report.note(kind, "unchanged", obj)


def row_created(obj, values: dict, report: LoadReport, kind: str, *, source=None) -> None:
    """Count a row the loader has just created (and tell the guard what it holds)."""
    report.note(kind, "created", obj)
    if report.guard is not None:
        report.guard.row_created(obj, values, kind=kind, source=source)


def row_sync(model, lookup: dict, values: dict, report: LoadReport, kind: str, *, source=None):
    """Create the row found by ``lookup``, or update it to ``values``; count the outcome."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        row_created(obj, values, report, kind, source=source)
        return obj
    row_update(obj, values, report, kind, source=source)
    return obj


def rows_remove_missing(queryset, keep_ids, report, kind):
    """Delete the rows of ``queryset`` not in ``keep_ids``; count them removed.

    A guard may keep some of them (a row an administrator created in the admin).
    """
    stale = queryset.exclude(pk__in=keep_ids)
    if report.guard is not None:
        stale = report.guard.removable(stale)
    gone = list(stale)
    if gone:
        for obj in gone:
            report.changes.append((kind, "removed", _label(obj), module_slug_of(obj)))
        stale.model.objects.filter(pk__in=[obj.pk for obj in gone]).delete()
        report.add(kind, "removed", len(gone))


def course_content_apply(parsed: ParsedCourse, report: LoadReport) -> Course:
    """Create or update the database from parsed content, by slug; remove what disappeared."""
    glossary = {g["slug"]: g["term"] for g in parsed.glossary}
    base = parsed.base or Path(".")
    course_values = {k: v for k, v in parsed.course.items() if k != "slug"}
    course = row_sync(
        Course,
        {"slug": parsed.course["slug"]},
        course_values,
        report,
        "course",
        source=Source(base / "course.yaml", {k: k for k in course_values}),
    )
    objective_ids = {}
    for o in parsed.objectives:
        obj = row_sync(
            CourseObjective,
            {"course": course, "code": o["code"]},
            {"text": o["text"], "order": o["order"]},
            report,
            "objectives",
            source=Source(base / "course.yaml", {"text": "text"}, ("objectives", o["order"] - 1)),
        )
        objective_ids[o["code"]] = obj.pk
    rows_remove_missing(course.objectives.all(), objective_ids.values(), report, "objectives")

    term_ids = []
    for index, g in enumerate(parsed.glossary):
        html = markdown_render(
            g["definition"], glossary=glossary, path=g["path"], line=g["line"]
        ).html
        term = row_sync(
            GlossaryTerm,
            {"slug": g["slug"]},
            {
                "term": g["term"],
                "definition_source": g["definition"],
                "definition_html": html,
                "legal_basis": g["legal_basis"],
            },
            report,
            "glossary",
            source=Source(
                g["path"],
                {"term": "term", "definition_source": "definition", "legal_basis": "legal_basis"},
                (index,),
            ),
        )
        term_ids.append(term.pk)
    rows_remove_missing(GlossaryTerm.objects.all(), term_ids, report, "glossary")

    modules = {}
    for m in parsed.modules:
        html = markdown_render(
            m["intro"], glossary=glossary, path=m["path"], line=m["body_line"]
        ).html
        module = row_sync(
            Module,
            {"slug": m["slug"]},
            {
                "course": course,
                "number": m["number"],
                "title": m["title"],
                "minutes": m["minutes"],
                "objectives": m["objectives"],
                "intro_source": m["intro"],
                "intro_html": html,
            },
            report,
            "modules",
            source=Source(
                m["path"],
                {
                    "number": "front:number",
                    "title": "front:title",
                    "minutes": "front:minutes",
                    "objectives": "front:objectives",
                    "intro_source": "body",
                },
            ),
        )
        wanted = {objective_ids[c] for c in m["course_objectives"]}
        if set(module.course_objectives.values_list("pk", flat=True)) != wanted:
            module.course_objectives.set(wanted)
        modules[m["slug"]] = module
    rows_remove_missing(course.modules.all(), [m.pk for m in modules.values()], report, "modules")

    lesson_ids = []
    for lesson in parsed.lessons:
        rendered = markdown_render(
            lesson["source"],
            glossary=glossary,
            path=lesson["path"],
            line=lesson["body_line"],
        )
        obj = row_sync(
            Lesson,
            {"slug": lesson["slug"]},
            {
                "module": modules[lesson["module"]],
                "title": lesson["title"],
                "order": lesson["order"],
                "minutes": lesson["minutes"],
                "source": lesson["source"],
                "html": rendered.html,
                "toc": rendered.toc,
                "words": rendered.words,
            },
            report,
            "lessons",
            source=Source(
                lesson["path"],
                {
                    "title": "front:title",
                    "order": "front:order",
                    "minutes": "front:minutes",
                    "source": "body",
                },
            ),
        )
        lesson_ids.append(obj.pk)
    rows_remove_missing(Lesson.objects.filter(module__course=course), lesson_ids, report, "lessons")

    note_ids = []
    for n in parsed.notes:
        html = markdown_render(n["source"], glossary=glossary, path=n["path"], line=1).html
        note = row_sync(
            TrainerNote,
            {"module": modules[n["module"]]},
            {"source": n["source"], "html": html},
            report,
            "trainer notes",
            source=Source(n["path"], {"source": "file"}),
        )
        note_ids.append(note.pk)
    rows_remove_missing(
        TrainerNote.objects.filter(module__course=course), note_ids, report, "trainer notes"
    )

    slide_ids = []
    for s in parsed.slides:
        html = markdown_render(s["source"], glossary=glossary, path=s["path"], line=s["line"]).html
        notes_html = markdown_render(
            s["notes"], glossary=glossary, path=s["path"], line=s["line"]
        ).html
        slide = row_sync(
            Slide,
            {"module": modules[s["module"]], "order": s["order"]},
            {
                "title": s["title"],
                "source": s["source"],
                "html": html,
                "notes_source": s["notes"],
                "notes_html": notes_html,
            },
            report,
            "slides",
            source=Source(
                s["path"],
                {"title": "slide:title", "source": "slide:source", "notes_source": "slide:notes"},
                line=s["line"],
            ),
        )
        slide_ids.append(slide.pk)
    rows_remove_missing(Slide.objects.filter(module__course=course), slide_ids, report, "slides")

    resource_ids = []
    for r in parsed.resources:
        values = {k: v for k, v in r.items() if k not in ("slug", "module")}
        values["module"] = modules[r["module"]] if r["module"] else None
        values["course"] = course
        written = ("title", "authors", "publisher", "place", "year", "details", "url")
        written += ("description", "note", "kind", "module")
        obj = row_sync(
            Resource,
            {"slug": r["slug"]},
            values,
            report,
            "resources",
            source=Source(base / "resources.yaml", {k: k for k in written}, (r["order"] - 1,)),
        )
        resource_ids.append(obj.pk)
    rows_remove_missing(
        Resource.objects.filter(course=course, is_session_specific=False),
        resource_ids,
        report,
        "resources",
    )
    return course
