"""Load the registry of legal references (``fixtures/references.yaml``) and index every
citation of the content, inside ``load_course``'s transaction.

``references_parse`` validates the registry; ``citations_parse`` reads every content file
(lessons, module introductions, trainer notes, slides, glossary, quizzes, the guide) and maps
each citation to a reference, raising ``ContentError(path, line, message)`` for a citation the
registry does not hold. ``legal_watch_apply`` then creates or updates the references by key
(a reference removed from the file is kept, inactive, with its history) and rebuilds the
index of citations.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from modules.content import LINE_KEY, ContentError, line_of, read_yaml_file, require
from modules.loader import LoadReport, row_sync

from .citations import (
    TEXT,
    CitationError,
    Index,
    article_number,
    citations_find,
    citations_resolve,
    date_of,
)
from .models import ItemKind, LegalReference, ReferenceCitation

REFERENCES_FILE = "references.yaml"
FIELDS = {
    "cite",
    "kind",
    "source",
    "title",
    "description",
    "in_force_since",
    "version",
    "url",
    "url_note",
    "status",
    "facts",
    "verified_on",
    "articles",
    "names",
}
KINDS = {"article", "text", "decision"}
STATUSES = {"V": "V", "U": "U", "à vérifier": "U"}
FACT = re.compile(r"^F\d\.\d\d$")
YAML_KEY_LINE = re.compile(r"^\s*(?:- )?[a-z_]+:(?:\s|$)")


@dataclass
class ParsedReferences:
    path: Path
    references: list[dict] = field(default_factory=list)
    index: Index = field(default_factory=Index)


def _date(item: dict, key: str, path: Path) -> datetime.date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(
            path, line_of(item, key), f"field '{key}' must be a date (YYYY-MM-DD)"
        ) from exc


def _texts(item: dict, key: str, path: Path) -> list[str]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ContentError(path, line_of(item, key), f"field '{key}' must be a list of texts")
    return [str(v).strip() for v in value]


def _definition(cite: str, path: Path, line: int | None):
    """Return (key, date) of the reference a registry entry's ``cite`` stands for."""
    found = [f for f in citations_find(cite) if f.lookup is None or f.lookup[0] != "article"]
    keys = {f.definition_key for f in found if f.definition_key}
    if len(keys) != 1:
        raise ContentError(
            path,
            line,
            f"'cite: {cite}' must name exactly one article, text or decision "
            f"(found: {', '.join(sorted(keys)) or 'none'}); see fixtures/README.md",
        )
    key = keys.pop()
    date = None
    text = TEXT.search(cite)
    if text and text.group("day"):
        date = date_of(text)
    return key, date


def references_parse(base: Path) -> ParsedReferences:
    """Read and validate ``references.yaml``; build the index citations are resolved with."""
    path = Path(base) / REFERENCES_FILE
    parsed = ParsedReferences(path=path)
    if not path.exists():
        return parsed
    data = read_yaml_file(path)
    if not isinstance(data, list):
        raise ContentError(path, 1, "the file must be a list of references")
    seen: dict[str, int] = {}
    today = datetime.date.today()
    for order, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ContentError(path, None, "each reference must be a mapping")
        line = item[LINE_KEY]
        for name in item:
            if name not in FIELDS and not name.startswith("__"):
                raise ContentError(
                    path,
                    line_of(item, name),
                    f"unknown field '{name}' (allowed: {', '.join(sorted(FIELDS))})",
                )
        cite = str(require(item, "cite", path)).strip()
        key, date = _definition(cite, path, line_of(item, "cite"))
        if key in seen:
            raise ContentError(
                path, line, f"duplicate reference '{cite}' ({key}), see line {seen[key]}"
            )
        seen[key] = line
        kind = str(require(item, "kind", path))
        if kind not in KINDS:
            raise ContentError(
                path, line_of(item, "kind"), f"unknown kind '{kind}' (article, text or decision)"
            )
        status = STATUSES.get(str(require(item, "status", path)).strip())
        if status is None:
            raise ContentError(
                path, line_of(item, "status"), "field 'status' must be V or « à vérifier »"
            )
        url = str(item.get("url") or "").strip()
        if url and not url.startswith("https://"):
            raise ContentError(path, line_of(item, "url"), f"invalid URL '{url}' (https:// only)")
        facts = _texts(item, "facts", path)
        for fact in facts:
            if not FACT.match(fact):
                raise ContentError(
                    path, line_of(item, "facts"), f"'{fact}' is not a fact id (F1.01…)"
                )
        verified_on = _date(item, "verified_on", path)
        if verified_on and verified_on > today:
            raise ContentError(
                path, line_of(item, "verified_on"), "field 'verified_on' is in the future"
            )
        reference = {
            "key": key,
            "cite": cite,
            "kind": kind,
            "source": str(require(item, "source", path)).strip(),
            "title": str(item.get("title") or "").strip(),
            "description": str(require(item, "description", path)).strip(),
            "in_force_since": _date(item, "in_force_since", path),
            "version": str(item.get("version") or "").strip(),
            "url": url,
            "url_note": str(item.get("url_note") or "").strip(),
            "status": status,
            "facts": facts,
            "verified_on": verified_on,
            "order": order,
        }
        for name, limit in (("cite", 200), ("source", 200), ("title", 400), ("description", 400)):
            if len(reference[name]) > limit:
                raise ContentError(
                    path, line_of(item, name), f"field '{name}' longer than {limit} characters"
                )
        parsed.references.append(reference)
        numbers = [article_number(key)] if article_number(key) else []
        numbers += [_article_token(a) for a in _texts(item, "articles", path)]
        dates = []
        if date is not None:
            text_kind = key.split("-", 1)[0]
            dates += [(text_kind, date), (text_kind, date.year)]
        parsed.index.add(key, numbers=numbers, dates=dates)
        for name in _texts(item, "names", path):
            parsed.index.names.append((name, key))
    return parsed


def _article_token(value: str) -> str:
    match = re.match(r"^(?:([LRD])\.\s?)?(\d+(?:-\d+)*)(?:er)?$", value.strip())
    if not match:
        return value.strip()
    letter, number = match.groups()
    return f"{letter.lower()}-{number}" if letter else number


# --------------------------------------------------------------------------- the content


@dataclass(frozen=True)
class Item:
    """A piece of content that may cite texts, and the lines of its file it covers."""

    kind: str
    key: str
    label: str
    module: str
    path: Path
    start: int  # first line (1-based)


@dataclass
class ParsedCitations:
    # (reference key, item) -> lines
    rows: dict[tuple[str, Item], list[int]] = field(default_factory=lambda: defaultdict(list))

    def items_citing(self, key: str) -> list[Item]:
        return [item for (ref, item) in self.rows if ref == key]


def _short(text: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[*_`>#]|\[\[[^|\]]*\|?|\]\]", "", text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _content_items(base: Path, course, quizzes, boussole) -> dict[Path, list[Item]]:
    """Every citing item, grouped by file, each with the line where it starts."""
    items: dict[Path, list[Item]] = defaultdict(list)
    modules = {m["slug"]: m for m in course.modules}
    items[base / "course.yaml"].append(
        Item(
            ItemKind.COURSE,
            course.course["slug"],
            course.course["title"],
            "",
            base / "course.yaml",
            1,
        )
    )
    for m in course.modules:
        label = f"Module {m['number']} : {m['title']}"
        items[m["path"]].append(Item(ItemKind.MODULE, m["slug"], label, m["slug"], m["path"], 1))
    for lesson in course.lessons:
        items[lesson["path"]].append(
            Item(
                ItemKind.LESSON,
                lesson["slug"],
                lesson["title"],
                lesson["module"],
                lesson["path"],
                1,
            )
        )
    for note in course.notes:
        module = modules[note["module"]]
        items[note["path"]].append(
            Item(
                ItemKind.TRAINER_NOTE,
                note["module"],
                f"Notes du formateur, module {module['number']}",
                note["module"],
                note["path"],
                1,
            )
        )
    for slide in course.slides:
        module = modules[slide["module"]]
        items[slide["path"]].append(
            Item(
                ItemKind.SLIDE,
                f"{slide['module']}/{slide['order']}",
                f"Diapositive {module['number']}.{slide['order']} : {slide['title']}",
                slide["module"],
                slide["path"],
                slide["line"],
            )
        )
    for term in course.glossary:
        items[term["path"]].append(
            Item(ItemKind.GLOSSARY, term["slug"], term["term"], "", term["path"], term["line"])
        )
    for quiz in quizzes.quizzes:
        path = quiz["path"]
        items[path].append(
            Item(ItemKind.QUIZ, quiz["slug"], quiz["title"], quiz["module"] or "", path, 1)
        )
        for question in quiz["questions"]:
            items[path].append(
                Item(
                    ItemKind.QUESTION,
                    f"{quiz['slug']}/{question['key']}",
                    f"{quiz['title']}, question {question['key']} : {_short(question['text'], 90)}",
                    quiz["module"] or "",
                    path,
                    question["line"],
                )
            )
    if boussole is not None:
        path = boussole.path
        items[path].append(
            Item(ItemKind.GUIDE, boussole.guide["slug"], boussole.guide["title"], "", path, 1)
        )
        for node_id, node in boussole.graph["nodes"].items():
            label = node["title"] or node["text"]
            items[path].append(
                Item(ItemKind.NODE, node_id, _short(label, 120), "", path, boussole.lines[node_id])
            )
        for verdict_id, verdict in boussole.graph["verdicts"].items():
            items[path].append(
                Item(
                    ItemKind.VERDICT,
                    verdict_id,
                    _short(verdict["title"], 150),
                    "",
                    path,
                    boussole.lines[verdict_id],
                )
            )
        for case in boussole.cases:
            items[path].append(
                Item(
                    ItemKind.CASE,
                    case["slug"],
                    _short(case["title"], 150),
                    case["module"],
                    path,
                    case["line"],
                )
            )
    for path in items:
        items[path].sort(key=lambda item: item.start)
    return items


def _blank_comments(text: str, path: Path) -> str:
    """Blank the YAML comment lines (authors' notes, never shown), keeping line numbers."""
    if path.suffix != ".yaml":
        return text
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))


def citations_parse(base: Path, *, course, quizzes, boussole, registry: ParsedReferences):
    """Find and resolve every citation of the content; refuse one the registry does not hold.

    Without a registry file (small content trees in tests, drafts) nothing is checked.
    """
    parsed = ParsedCitations()
    if not registry.path.exists():
        return parsed
    for path, file_items in _content_items(base, course, quizzes, boussole).items():
        try:
            text = _blank_comments(path.read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError) as exc:
            raise ContentError(path, None, f"cannot read file: {exc}") from exc
        lines = text.split("\n")
        for index, item in enumerate(file_items):
            end = file_items[index + 1].start - 1 if index + 1 < len(file_items) else len(lines)
            if end < item.start:
                continue
            segment = "\n".join(lines[item.start - 1 : end])
            breaks = []
            if path.suffix == ".yaml":
                offset = 0
                for line in segment.split("\n"):
                    if YAML_KEY_LINE.match(line):
                        breaks.append(offset)
                    offset += len(line) + 1
            found = citations_find(segment, names=registry.index.names)
            try:
                resolved = citations_resolve(segment, found, registry.index, breaks=breaks)
            except CitationError as exc:
                line = item.start + segment[: exc.found.start].count("\n")
                raise ContentError(
                    path,
                    line,
                    f"{exc} — add it to {REFERENCES_FILE} (see fixtures/README.md, "
                    "« Citer un texte »), or write the citation so that it names a "
                    "reference of the registry",
                ) from exc
            for citation, keys in resolved:
                line = item.start + segment[: citation.start].count("\n")
                for key in keys:
                    if line not in parsed.rows[(key, item)]:
                        parsed.rows[(key, item)].append(line)
    return parsed


def _relative(path: Path, base: Path) -> str:
    try:
        return str(Path(path).relative_to(base))
    except ValueError:
        return str(path)


def legal_watch_apply(
    registry: ParsedReferences, citations: ParsedCitations, report: LoadReport, *, base: Path
) -> None:
    """Create or update the references by key, then rebuild the index of citations."""
    if not registry.path.exists():
        return
    kept = {}
    for reference in registry.references:
        values = {k: v for k, v in reference.items() if k != "key"}
        values["is_active"] = True
        obj = row_sync(LegalReference, {"key": reference["key"]}, values, report, "references")
        kept[reference["key"]] = obj
    # A reference dropped from the file keeps its verifications (evidence): made inactive.
    stale = LegalReference.objects.active().exclude(pk__in=[o.pk for o in kept.values()])
    count = stale.update(is_active=False)
    if count:
        report.add("references", "removed", count)
    ReferenceCitation.objects.all().delete()
    ReferenceCitation.objects.bulk_create(
        [
            ReferenceCitation(
                reference=kept[key],
                item_kind=item.kind,
                item_key=item.key,
                item_label=item.label[:300],
                module_slug=item.module,
                path=_relative(item.path, base),
                lines=sorted(lines),
            )
            for (key, item), lines in citations.rows.items()
        ],
        batch_size=500,
    )
