"""Load the question bank from ``fixtures/quizzes/*.yaml``: validate everything, then apply.

``quiz_bank_parse`` reads and checks every file without touching the database and raises a
``ContentError(path, line, message)`` on the first problem; ``quiz_bank_apply`` then creates or
updates quizzes by slug, questions by key and choices by position, inside the caller's
transaction (``training.content.loader.content_load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.typography import french_text
from modules.content import (
    LINE_KEY,
    ContentError,
    line_of,
    optional_bool,
    read_yaml_file,
    require,
    unknown_fields,
)
from modules.loader import LoadReport, Source, row_created, row_update, rows_remove_missing
from modules.models import Course, Module
from modules.services import glossary_names, markdown_render
from quizzes.models import Choice, Question, Quiz

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KINDS = ("module", "positioning", "final")
TYPES = ("single", "multiple", "true_false")
TRUE_FALSE_TEXTS = ("Vrai", "Faux")
# URL segments of quizzes/urls.py that a quiz slug would shadow.
RESERVED_SLUGS = {"resultats", "mes-resultats", "tentatives", "progression"}
DEFAULTS = {
    "module": {"pass_mark": 0, "max_attempts": 0},
    "positioning": {"pass_mark": 0, "max_attempts": 1},
    "final": {"pass_mark": 70, "max_attempts": 2},
}
QUIZ_FIELDS = {
    "slug",
    "title",
    "kind",
    "module",
    "description",
    "pass_mark",
    "max_attempts",
    "show_answers",
    "questions",
}
QUESTION_FIELDS = {"key", "type", "text", "objective", "legal_basis", "explanation", "choices"}
CHOICE_FIELDS = {"text", "correct", "feedback"}
CHOICE_TEXT_MAX = 500
SLUG_MAX = 50
TITLE_MAX = 250
LEGAL_BASIS_MAX = 300
CHOICE_KEYS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class ParsedQuizBank:
    quizzes: list[dict] = field(default_factory=list)


def _percent(data: dict, key: str, path: Path, default: int) -> int:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ContentError(path, line_of(data, key), f"field '{key}' must be an integer 0–100")
    return value


def _count(data: dict, key: str, path: Path, default: int) -> int:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ContentError(
            path, line_of(data, key), f"field '{key}' must be an integer ≥ 0 (0 = unlimited)"
        )
    return value


def _text(data: dict, key: str, path: Path) -> str:
    return str(require(data, key, path)).strip()


def _title(data: dict, path: Path) -> str:
    title = _text(data, "title", path)
    if len(title) > TITLE_MAX:
        raise ContentError(
            path, line_of(data, "title"), f"title longer than {TITLE_MAX} characters"
        )
    return title


def _parse_choice(item, question_type: str, path: Path, question_line: int) -> dict:
    if not isinstance(item, dict):
        raise ContentError(path, question_line, "each choice must be a mapping with 'text'")
    unknown_fields(item, CHOICE_FIELDS, path, "a choice")
    text = _text(item, "text", path)
    if len(text) > CHOICE_TEXT_MAX:
        raise ContentError(
            path, line_of(item, "text"), f"choice text longer than {CHOICE_TEXT_MAX} characters"
        )
    if "correct" not in item or not isinstance(item["correct"], bool):
        raise ContentError(
            path,
            line_of(item, "correct") or item[LINE_KEY],
            "field 'correct' must be true or false",
        )
    feedback = str(item.get("feedback") or "").strip()
    if not item["correct"] and not feedback:
        raise ContentError(
            path,
            item[LINE_KEY],
            "a wrong choice needs a 'feedback' naming the misconception",
        )
    return {
        "text": text,
        "correct": item["correct"],
        "feedback": feedback,
        "line": item[LINE_KEY],
    }


def _parse_question(item, *, path: Path, objective_codes: set[str], order: int) -> dict:
    if not isinstance(item, dict):
        raise ContentError(path, None, "each question must be a mapping")
    line = item[LINE_KEY]
    unknown_fields(item, QUESTION_FIELDS, path, "a question")
    key = str(require(item, "key", path))
    if not KEY.match(key) or len(key) > 40:
        raise ContentError(
            path, line_of(item, "key"), f"invalid key '{key}': use lowercase letters and digits"
        )
    question_type = require(item, "type", path)
    if question_type not in TYPES:
        raise ContentError(
            path,
            line_of(item, "type"),
            f"unknown question type '{question_type}' (single, multiple or true_false)",
        )
    text = _text(item, "text", path)
    if re.search(r"\n\s*\n", text):
        raise ContentError(path, line_of(item, "text"), "the statement must be a single paragraph")
    objective = str(require(item, "objective", path))
    if objective not in objective_codes:
        raise ContentError(
            path,
            line_of(item, "objective"),
            f"unknown course objective '{objective}' (known: {', '.join(sorted(objective_codes))})",
        )
    legal_basis = _text(item, "legal_basis", path)
    if len(legal_basis) > LEGAL_BASIS_MAX:
        raise ContentError(
            path,
            line_of(item, "legal_basis"),
            f"legal basis longer than {LEGAL_BASIS_MAX} characters",
        )
    explanation = _text(item, "explanation", path)
    raw_choices = require(item, "choices", path, list)
    choices = [_parse_choice(c, question_type, path, line) for c in raw_choices]
    choices_line = line_of(item, "choices")
    if len(choices) < 2:
        raise ContentError(path, choices_line, f"question '{key}' needs at least two choices")
    if len(choices) > len(CHOICE_KEYS):
        raise ContentError(path, choices_line, f"question '{key}' has too many choices")
    texts = [c["text"] for c in choices]
    for choice in choices:
        if texts.count(choice["text"]) > 1:
            raise ContentError(
                path, choice["line"], f"duplicate choice '{choice['text']}' in question '{key}'"
            )
    correct = sum(1 for c in choices if c["correct"])
    if correct == 0:
        raise ContentError(path, choices_line, f"question '{key}' has no correct choice")
    if question_type == "single" and correct > 1:
        second = [c for c in choices if c["correct"]][1]
        raise ContentError(
            path,
            second["line"],
            f"single-choice question '{key}' has {correct} correct choices (exactly one expected)",
        )
    if question_type == "true_false":
        if sorted(texts) != sorted(TRUE_FALSE_TEXTS):
            odd = next((c for c in choices if c["text"] not in TRUE_FALSE_TEXTS), None)
            raise ContentError(
                path,
                odd["line"] if odd else choices_line,
                f"true/false question '{key}' must have exactly two choices, « Vrai » and « Faux »",
            )
        if correct != 1:
            raise ContentError(
                path, choices_line, f"true/false question '{key}' needs exactly one correct choice"
            )
    return {
        "key": key,
        "type": question_type,
        "text": text,
        "objective": objective,
        "legal_basis": legal_basis,
        "explanation": explanation,
        "choices": choices,
        "order": order,
        "line": line,
        "path": path,
    }


def _parse_quiz(path: Path, *, objective_codes: set[str], module_slugs: set[str]) -> dict:
    data = read_yaml_file(path)
    if not isinstance(data, dict):
        raise ContentError(path, 1, "the file must be a mapping (slug, title, kind, questions…)")
    unknown_fields(data, QUIZ_FIELDS, path, "a quiz")
    slug = str(require(data, "slug", path))
    if not SLUG.match(slug):
        raise ContentError(
            path,
            line_of(data, "slug"),
            f"invalid slug '{slug}': use lowercase letters, digits and '-'",
        )
    if len(slug) > SLUG_MAX:
        raise ContentError(path, line_of(data, "slug"), f"slug longer than {SLUG_MAX} characters")
    if slug in RESERVED_SLUGS:
        raise ContentError(path, line_of(data, "slug"), f"the slug '{slug}' is reserved")
    kind = require(data, "kind", path)
    if kind not in KINDS:
        raise ContentError(
            path, line_of(data, "kind"), f"unknown kind '{kind}' (module, positioning or final)"
        )
    module = data.get("module")
    if kind == "module":
        if not module:
            raise ContentError(
                path, line_of(data, "module") or data[LINE_KEY], "a module check needs a 'module'"
            )
        if str(module) not in module_slugs:
            raise ContentError(path, line_of(data, "module"), f"unknown module '{module}'")
        module = str(module)
    elif module:
        raise ContentError(
            path, line_of(data, "module"), f"a {kind} quiz cannot belong to a module"
        )
    else:
        module = None
    questions = []
    for order, item in enumerate(require(data, "questions", path, list), start=1):
        questions.append(
            _parse_question(item, path=path, objective_codes=objective_codes, order=order)
        )
    seen: set[str] = set()
    for question in questions:
        if question["key"] in seen:
            raise ContentError(
                path, question["line"], f"duplicate question key '{question['key']}'"
            )
        seen.add(question["key"])
    defaults = DEFAULTS[kind]
    return {
        "slug": slug,
        "title": _title(data, path),
        "kind": kind,
        "module": module,
        "description": str(data.get("description") or "").strip(),
        "pass_mark": _percent(data, "pass_mark", path, defaults["pass_mark"]),
        "max_attempts": _count(data, "max_attempts", path, defaults["max_attempts"]),
        "show_answers": optional_bool(data, "show_answers", path, True),
        "questions": questions,
        "path": path,
        "line": data[LINE_KEY],
    }


def quiz_bank_parse(
    base: Path, *, objective_codes: set[str], module_slugs: set[str]
) -> ParsedQuizBank:
    """Read and validate every ``quizzes/*.yaml`` file under ``base`` (the fixtures folder)."""
    folder = Path(base) / "quizzes"
    parsed = ParsedQuizBank()
    if not folder.is_dir():
        return parsed
    slugs: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        quiz = _parse_quiz(path, objective_codes=objective_codes, module_slugs=module_slugs)
        if quiz["slug"] in slugs:
            raise ContentError(
                path,
                quiz["line"],
                f"duplicate quiz slug '{quiz['slug']}' (also in {slugs[quiz['slug']].name})",
            )
        slugs[quiz["slug"]] = path
        parsed.quizzes.append(quiz)
    return parsed


# --------------------------------------------------------------------------- applying


def _render(source: str, glossary: dict[str, str], path: Path, line: int) -> str:
    return markdown_render(source, glossary=glossary, path=path, line=line).html


def inline_statement(html: str) -> str:
    """Drop the paragraph around a one-paragraph statement (it goes inside a <legend>)."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def quiz_bank_apply(parsed: ParsedQuizBank, report: LoadReport, *, course=None) -> None:
    """Create or update quizzes by slug, questions by key, choices by position.

    Removed questions and choices are deleted (past answers keep their snapshot); a removed
    quiz is deleted when nobody has attempted it, archived (hidden) otherwise.
    """

    if course is None:
        course = Course.objects.order_by("pk").first()
    objectives = {o.code: o for o in course.objectives.all()} if course else {}
    modules = {m.slug: m for m in Module.objects.all()}
    glossary = glossary_names()

    kept_quiz_ids = []
    for q in parsed.quizzes:
        path = q["path"]
        module = modules[q["module"]] if q["module"] else None
        order = {"positioning": 0, "final": 99}.get(q["kind"], module.number if module else 50)
        values = {
            "title": q["title"],
            "kind": q["kind"],
            "module": module,
            "description_source": q["description"],
            "description_html": _render(q["description"], glossary, path, q["line"]),
            "pass_mark": q["pass_mark"],
            "max_attempts": q["max_attempts"],
            "show_answers": q["show_answers"],
            "order": order,
            "is_active": True,
        }
        quiz_source = Source(
            path,
            {
                "title": "title",
                "kind": "kind",
                "module": "module",
                "description_source": "description",
                "pass_mark": "pass_mark",
                "max_attempts": "max_attempts",
                "show_answers": "show_answers",
            },
        )
        quiz = Quiz.objects.filter(slug=q["slug"]).first()
        if quiz is None:
            quiz = Quiz.objects.create(slug=q["slug"], **values)
            row_created(quiz, values, report, "quizzes", source=quiz_source)
        else:
            row_update(quiz, values, report, "quizzes", source=quiz_source)
        kept_quiz_ids.append(quiz.pk)

        existing_questions = {x.key: x for x in quiz.questions.all()}
        existing_choices: dict[int, dict[str, Choice]] = {}
        for choice in Choice.objects.filter(question__quiz=quiz):
            existing_choices.setdefault(choice.question_id, {})[choice.key] = choice
        kept_question_ids = []
        for item in q["questions"]:
            line = item["line"]
            values = {
                "type": item["type"],
                "text_source": item["text"],
                "text_html": inline_statement(_render(item["text"], glossary, path, line)),
                "objective": objectives[item["objective"]],
                "legal_basis": item["legal_basis"],
                "explanation_source": item["explanation"],
                "explanation_html": _render(item["explanation"], glossary, path, line),
                "order": item["order"],
            }
            question_source = Source(
                path,
                {
                    "type": "type",
                    "text_source": "text",
                    "objective": "objective",
                    "legal_basis": "legal_basis",
                    "explanation_source": "explanation",
                },
                ("questions", item["order"] - 1),
            )
            question = existing_questions.get(item["key"])
            if question is None:
                question = Question.objects.create(quiz=quiz, key=item["key"], **values)
                row_created(question, values, report, "questions", source=question_source)
            else:
                row_update(question, values, report, "questions", source=question_source)
            kept_question_ids.append(question.pk)

            current = existing_choices.get(question.pk, {})
            keys = []
            for index, c in enumerate(item["choices"]):
                key = CHOICE_KEYS[index]
                keys.append(key)
                values = {
                    "order": index + 1,
                    "text": french_text(c["text"]),
                    "is_correct": c["correct"],
                    "feedback_source": c["feedback"],
                    "feedback_html": _render(c["feedback"], glossary, path, c["line"]),
                }
                choice_source = Source(
                    path,
                    {"text": "text", "is_correct": "correct", "feedback_source": "feedback"},
                    ("questions", item["order"] - 1, "choices", index),
                )
                choice = current.get(key)
                if choice is None:
                    choice = Choice.objects.create(question=question, key=key, **values)
                    row_created(choice, values, report, "choices", source=choice_source)
                else:
                    row_update(choice, values, report, "choices", source=choice_source)
            stale = [c.pk for k, c in current.items() if k not in keys]
            if stale:
                rows_remove_missing(Choice.objects.filter(pk__in=stale), [], report, "choices")
        rows_remove_missing(quiz.questions.all(), kept_question_ids, report, "questions")

    gone = Quiz.objects.exclude(pk__in=kept_quiz_ids)
    if report.guard is not None:
        gone = report.guard.removable(gone)
    archived_ids = set(
        gone.filter(attempts__isnull=False, is_active=True).values_list("pk", flat=True)
    )
    for quiz in Quiz.objects.filter(pk__in=archived_ids).select_related("module"):
        report.changes.append(
            ("quizzes", "removed", quiz.title, getattr(quiz.module, "slug", None))
        )
    archived_count = Quiz.objects.filter(pk__in=archived_ids).update(is_active=False)
    deleted = gone.filter(attempts__isnull=True).select_related("module")
    deleted_list = list(deleted)
    deleted_count = len(deleted_list)
    for quiz in deleted_list:
        report.changes.append(
            ("quizzes", "removed", quiz.title, getattr(quiz.module, "slug", None))
        )
    if deleted_count:
        deleted.delete()
    if archived_count + deleted_count:
        report.add("quizzes", "removed", archived_count + deleted_count)
