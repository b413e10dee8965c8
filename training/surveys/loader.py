"""Load the questionnaires from ``fixtures/surveys/*.yaml``: validate everything, then apply.

``questionnaires_parse`` reads and checks every file without touching the database and
raises ``ContentError(path, line, message)`` on the first problem; ``questionnaires_apply``
creates or updates questionnaires by slug and questions by key inside the caller's
transaction (``training.content.loader.content_load``). A question written ``for_each:
module`` or ``for_each: objective`` becomes one question per module or course objective.

A question removed from its file is deleted when nobody answered it, kept inactive (hidden
from the form, still in past results) otherwise; the same for a questionnaire.

File format: see ``fixtures/README.md`` (« Questionnaires »).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from modules.content import (
    LINE_KEY,
    ContentError,
    line_of,
    optional_bool,
    read_yaml_file,
    require,
    unknown_fields,
)
from modules.loader import LoadReport, row_sync, row_update
from modules.models import CourseObjective, Module
from training.surveys.models import Questionnaire, SurveyQuestion

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = [k.value for k in Questionnaire.Kind]
TYPES = [t.value for t in SurveyQuestion.Type]
MEASURES = {"satisfaction": "likert", "recommendation": "recommendation"}
QUESTIONNAIRE_FIELDS = {
    "slug",
    "kind",
    "title",
    "intro",
    "anonymous",
    "minutes",
    "scales",
    "sections",
}
SECTION_FIELDS = {"title", "questions"}
QUESTION_FIELDS = {
    "key",
    "type",
    "text",
    "help",
    "required",
    "scale",
    "labels",
    "choices",
    "measure",
    "for_each",
}
PLACEHOLDERS = {"module": {"numero", "titre"}, "objective": {"objectif"}}
KEY_MAX = 100
TEXT_MAX = 500
LABEL_MAX = 120
HELP_MAX = 300


@dataclass
class ParsedSurveys:
    questionnaires: list[dict] = field(default_factory=list)


def _text(data: dict, key: str, path: Path, max_length: int = TEXT_MAX) -> str:
    value = " ".join(str(require(data, key, path)).split())
    if len(value) > max_length:
        raise ContentError(path, line_of(data, key), f"'{key}' longer than {max_length} characters")
    return value


def _labels(value, path: Path, line: int | None, what: str, count: int | None = None) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ContentError(path, line, f"{what} must be a list of texts")
    labels = []
    for item in value:
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
            raise ContentError(path, line, f"{what}: each label must be a non-empty text")
        label = " ".join(str(item).split())
        if len(label) > LABEL_MAX:
            raise ContentError(path, line, f"{what}: label longer than {LABEL_MAX} characters")
        labels.append(label)
    if count is not None and len(labels) != count:
        raise ContentError(path, line, f"{what} needs exactly {count} labels, not {len(labels)}")
    if len(set(labels)) != len(labels):
        raise ContentError(path, line, f"{what}: the same label appears twice")
    return labels


def _placeholders(text: str) -> set[str]:
    """Return the ``{names}`` of a text (ValueError when a brace is unbalanced)."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _parse_question(item, *, path: Path, scales: dict, section: str) -> dict:
    if not isinstance(item, dict):
        raise ContentError(path, None, "each question must be a mapping (key, type, text…)")
    line = item[LINE_KEY]
    unknown_fields(item, QUESTION_FIELDS, path, "a question")
    key = str(require(item, "key", path))
    if not SLUG.match(key) or len(key) > 60:
        raise ContentError(
            path, line_of(item, "key"), f"invalid key '{key}': lowercase letters, digits and '-'"
        )
    question_type = require(item, "type", path)
    if question_type not in TYPES:
        raise ContentError(
            path,
            line_of(item, "type"),
            f"unknown question type '{question_type}' ({', '.join(TYPES)})",
        )
    text = _text(item, "text", path)
    help_text = _text(item, "help", path, HELP_MAX) if item.get("help") else ""
    for_each = item.get("for_each")
    if for_each is not None and for_each not in PLACEHOLDERS:
        raise ContentError(
            path, line_of(item, "for_each"), "'for_each' must be 'module' or 'objective'"
        )
    try:
        names = _placeholders(text)
    except ValueError as exc:
        raise ContentError(
            path, line_of(item, "text"), f"malformed {{…}} in the text: {exc}"
        ) from exc
    allowed = PLACEHOLDERS.get(for_each, set())
    unknown = names - allowed
    if unknown:
        hint = (
            f"allowed with for_each: {for_each}: {', '.join(sorted(allowed))}"
            if for_each
            else "placeholders need 'for_each: module' or 'for_each: objective'"
        )
        raise ContentError(
            path,
            line_of(item, "text"),
            f"unknown placeholder {{{sorted(unknown)[0]}}} in the text ({hint})",
        )
    if for_each and not names:
        raise ContentError(
            path,
            line_of(item, "text"),
            f"a question repeated for each {for_each} must name it in its text "
            f"({', '.join('{' + n + '}' for n in sorted(allowed))})",
        )
    options: list[str] = []
    if question_type == "likert":
        if "scale" in item and "labels" in item:
            raise ContentError(path, line, "give either 'scale' or 'labels', not both")
        if "scale" in item:
            scale = str(item["scale"])
            if scale not in scales:
                known = ", ".join(sorted(scales)) or "none defined under 'scales'"
                raise ContentError(
                    path, line_of(item, "scale"), f"unknown scale '{scale}' (known: {known})"
                )
            options = scales[scale]
        elif "labels" in item:
            options = _labels(item["labels"], path, line_of(item, "labels"), "'labels'", 5)
        else:
            raise ContentError(path, line, "a 1–5 scale question needs a 'scale' (or 5 'labels')")
    elif question_type == "recommendation":
        if "labels" in item:
            options = _labels(item["labels"], path, line_of(item, "labels"), "'labels'", 2)
        else:
            options = ["Pas du tout probable", "Très probable"]
    elif question_type == "choice":
        options = _labels(item.get("choices"), path, line_of(item, "choices") or line, "'choices'")
        if len(options) < 2:
            raise ContentError(
                path, line_of(item, "choices"), "a choice needs at least two choices"
            )
        if len(options) > 12:
            raise ContentError(path, line_of(item, "choices"), "at most 12 choices")
    for name in ("scale", "labels", "choices"):
        if name in item and not (
            (name in ("scale", "labels") and question_type == "likert")
            or (name == "labels" and question_type == "recommendation")
            or (name == "choices" and question_type == "choice")
        ):
            raise ContentError(
                path, line_of(item, name), f"'{name}' does not apply to a {question_type} question"
            )
    measure = item.get("measure") or ""
    if measure:
        if measure not in MEASURES:
            raise ContentError(
                path,
                line_of(item, "measure"),
                f"unknown measure '{measure}' ({', '.join(sorted(MEASURES))})",
            )
        if MEASURES[measure] != question_type:
            raise ContentError(
                path,
                line_of(item, "measure"),
                f"the measure '{measure}' needs a {MEASURES[measure]} question",
            )
        if for_each:
            raise ContentError(
                path, line_of(item, "measure"), "a measure cannot be repeated with 'for_each'"
            )
    return {
        "key": key,
        "type": question_type,
        "text": text,
        "help": help_text,
        "required": optional_bool(item, "required", path, question_type != "text"),
        "options": options,
        "measure": measure,
        "for_each": for_each,
        "section": section,
        "line": line,
    }


def _parse_file(path: Path, *, module_slugs: set[str], objective_codes: set[str]) -> dict:
    data = read_yaml_file(path)
    if not isinstance(data, dict):
        raise ContentError(path, 1, "the file must be a mapping (slug, kind, title, sections…)")
    unknown_fields(data, QUESTIONNAIRE_FIELDS, path, "a questionnaire")
    slug = str(require(data, "slug", path))
    if not SLUG.match(slug) or len(slug) > 50:
        raise ContentError(
            path, line_of(data, "slug"), f"invalid slug '{slug}': lowercase letters, digits, '-'"
        )
    kind = require(data, "kind", path)
    if kind not in KINDS:
        raise ContentError(
            path, line_of(data, "kind"), f"unknown kind '{kind}' ({', '.join(KINDS)})"
        )
    minutes = data.get("minutes", 5)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60:
        raise ContentError(path, line_of(data, "minutes"), "'minutes' must be a whole number 1–60")
    scales = {}
    raw_scales = data.get("scales") or {}
    if not isinstance(raw_scales, dict):
        raise ContentError(path, line_of(data, "scales"), "'scales' must map names to 5 labels")
    for name, labels in raw_scales.items():
        if str(name).startswith("__"):
            continue
        scales[str(name)] = _labels(labels, path, line_of(raw_scales, name), f"scale '{name}'", 5)
    questions = []
    for section in require(data, "sections", path, list):
        if not isinstance(section, dict):
            raise ContentError(path, line_of(data, "sections"), "each section needs a 'title'")
        unknown_fields(section, SECTION_FIELDS, path, "a section")
        title = _text(section, "title", path, 200)
        for item in require(section, "questions", path, list):
            questions.append(_parse_question(item, path=path, scales=scales, section=title))
    # Keys after expansion: a repeated question gives « key-<module slug or objective code> ».
    seen: dict[str, int] = {}
    for question in questions:
        suffixes = {"module": module_slugs, "objective": objective_codes}.get(
            question["for_each"], {None}
        )
        for suffix in suffixes:
            key = f"{question['key']}-{suffix}" if suffix else question["key"]
            if len(key) > KEY_MAX:
                raise ContentError(path, question["line"], f"key '{key}' is too long")
            if key in seen:
                raise ContentError(
                    path, question["line"], f"duplicate question key '{key}' (line {seen[key]})"
                )
            seen[key] = question["line"]
    measures = [q["measure"] for q in questions if q["measure"]]
    for measure in set(measures):
        if measures.count(measure) > 1:
            raise ContentError(path, data[LINE_KEY], f"the measure '{measure}' is used twice")
    if kind == "chaud" and "satisfaction" not in measures:
        raise ContentError(
            path,
            line_of(data, "sections"),
            "the « à chaud » questionnaire needs one question with 'measure: satisfaction' "
            "(the satisfaction rate published on the programme page)",
        )
    return {
        "slug": slug,
        "kind": kind,
        "title": _text(data, "title", path, 200),
        "intro": " ".join(str(data.get("intro") or "").split()),
        "anonymous": optional_bool(data, "anonymous", path, False),
        "minutes": minutes,
        "questions": questions,
        "path": path,
        "line": data[LINE_KEY],
    }


def questionnaires_parse(
    base: Path, *, module_slugs: set[str], objective_codes: set[str]
) -> ParsedSurveys:
    """Read and validate every ``surveys/*.yaml`` file under ``base`` (the fixtures folder)."""
    folder = Path(base) / "surveys"
    parsed = ParsedSurveys()
    if not folder.is_dir():
        return parsed
    slugs: dict[str, Path] = {}
    kinds: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        item = _parse_file(path, module_slugs=module_slugs, objective_codes=objective_codes)
        if item["slug"] in slugs:
            raise ContentError(
                path,
                item["line"],
                f"duplicate slug '{item['slug']}' (also in {slugs[item['slug']].name})",
            )
        if item["kind"] in kinds:
            raise ContentError(
                path,
                item["line"],
                f"a second questionnaire of kind '{item['kind']}' (also {kinds[item['kind']].name})",
            )
        slugs[item["slug"]] = kinds[item["kind"]] = path
        parsed.questionnaires.append(item)
    return parsed


def _expanded(question: dict, modules: list[Module], objectives: list[CourseObjective]):
    """Yield (key, text, module, objective) for one parsed question."""
    if question["for_each"] == "module":
        for module in modules:
            text = question["text"].format(numero=module.number, titre=module.title)
            yield f"{question['key']}-{module.slug}", text, module, None
    elif question["for_each"] == "objective":
        for objective in objectives:
            text = question["text"].format(objectif=objective.text)
            yield f"{question['key']}-{objective.code}", text, None, objective
    else:
        yield question["key"], question["text"], None, None


def _retire(queryset, report: LoadReport, kind: str) -> None:
    """Delete the rows nobody answered; keep the others inactive."""
    answered = queryset.filter(answers__isnull=False).distinct()
    archived = queryset.filter(pk__in=answered.values("pk"), is_active=True).update(is_active=False)
    deleted = queryset.exclude(pk__in=answered.values("pk"))
    count = deleted.count()
    if count:
        deleted.delete()
    if archived + count:
        report.add(kind, "removed", archived + count)


def questionnaires_apply(parsed: ParsedSurveys, report: LoadReport, *, course=None) -> None:
    """Create or update questionnaires by slug and questions by key; retire what disappeared."""
    modules = list(Module.objects.filter(course=course).order_by("number")) if course else []
    objectives = list(course.objectives.order_by("order")) if course else []
    kept = []
    # Deactivate first: a questionnaire replacing another of the same kind under a new slug
    # must not meet the « one active per kind » constraint half-way.
    incoming = {q["slug"] for q in parsed.questionnaires}
    archived = (
        Questionnaire.objects.exclude(slug__in=incoming)
        .filter(is_active=True)
        .update(is_active=False)
    )
    for item in parsed.questionnaires:
        questionnaire = row_sync(
            Questionnaire,
            {"slug": item["slug"]},
            {
                "kind": item["kind"],
                "title": item["title"],
                "intro": item["intro"],
                "anonymous": item["anonymous"],
                "minutes": item["minutes"],
                "is_active": True,
            },
            report,
            "questionnaires",
        )
        kept.append(questionnaire.pk)
        existing = {q.key: q for q in questionnaire.questions.all()}
        kept_questions = []
        order = 0
        for question in item["questions"]:
            for key, text, module, objective in _expanded(question, modules, objectives):
                order += 1
                values = {
                    "order": order,
                    "section": question["section"],
                    "type": question["type"],
                    "text": text,
                    "help_text": question["help"],
                    "required": question["required"],
                    "options": question["options"],
                    "measure": question["measure"],
                    "module": module,
                    "objective": objective,
                    "is_active": True,
                }
                row = existing.get(key)
                if row is None:
                    row = SurveyQuestion.objects.create(
                        questionnaire=questionnaire, key=key, **values
                    )
                    report.add("survey questions", "created")
                else:
                    row_update(row, values, report, "survey questions")
                kept_questions.append(row.pk)
        _retire(questionnaire.questions.exclude(pk__in=kept_questions), report, "survey questions")
    gone = Questionnaire.objects.exclude(pk__in=kept)
    used = gone.filter(invitations__isnull=False) | gone.filter(responses__isnull=False)
    used_ids = set(used.values_list("pk", flat=True))
    deleted = gone.exclude(pk__in=used_ids)
    count = deleted.count()
    if count:
        deleted.delete()
    if archived or count:
        report.add("questionnaires", "removed", max(archived, count))
