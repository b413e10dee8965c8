"""Load the « Boussole du partage » from ``fixtures/boussole.yaml``: validate, then apply.

``boussole_parse`` reads and checks the file without touching the database. Every problem is a
``ContentError(path, line, message)`` whose message names the node, verdict or case at fault:
an option leading nowhere (dead end), a node that cannot be reached, a cycle, a verdict with no
deciding legal basis (or a text listed both as deciding and as general), a case whose expected
verdict does not exist or whose answers do not lead to it.

``boussole_apply`` then renders the help texts once (the one Markdown render function) and
creates or updates the guide and its cases by slug, inside the caller's transaction
(``training.content.loader.content_load``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from core.typography import french_text
from modules.content import LINE_KEY, ContentError, line_of, read_yaml_file, require
from modules.loader import LoadReport, row_sync, rows_remove_missing
from modules.models import Module
from modules.services import glossary_names, markdown_render

from . import graph as graphs

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NODE_KINDS = ("question", "info")
VERDICT_KINDS = ("share", "consent", "report", "duty", "refuse")
TOP_FIELDS = {"guide", "nodes", "verdicts", "cases"}
GUIDE_FIELDS = {"slug", "title", "intro", "start"}
NODE_FIELDS = {"id", "kind", "text", "title", "help", "options"}
OPTION_FIELDS = {"key", "label", "next", "unknown", "condition", "to_check", "bases"}
VERDICT_FIELDS = {
    "id",
    "title",
    "kind",
    "summary",
    "to_check",
    "deciding_bases",
    "legal_bases",
    "answers_decide",
    "tell_the_person",
}
CASE_FIELDS = {
    "id",
    "title",
    "module",
    "situation",
    "expected_verdict",
    "key_conditions",
    "answers",
    "explanation",
}


@dataclass
class ParsedBoussole:
    path: Path
    guide: dict
    graph: dict
    cases: list[dict]
    lines: dict[str, int]


def _fail(path, data, key, message):
    raise ContentError(path, line_of(data, key) if isinstance(data, dict) else None, message)


def _mapping(value, path, line, what):
    if not isinstance(value, dict):
        raise ContentError(path, line, f"{what} must be a mapping")
    return value


def _fields(data: dict, allowed: set[str], path, what: str) -> None:
    for key in data:
        if key not in allowed and not key.startswith("__"):
            _fail(
                path,
                data,
                key,
                f"{what}: unknown field '{key}' (allowed: {', '.join(sorted(allowed))})",
            )


def _req(data: dict, key: str, path, what: str, kind=str):
    """``require`` with the name of the node, verdict or case in the message."""
    try:
        return require(data, key, path, kind)
    except ContentError as exc:
        raise ContentError(exc.path, exc.line or line_of(data), f"{what}: {exc.message}") from exc


def _text(data: dict, key: str, path, what: str) -> str:
    return str(_req(data, key, path, what)).strip()


def _opt_text(data: dict, key: str, path, what: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        _fail(path, data, key, f"{what}: field '{key}' must be text")
    return value.strip()


def _text_list(data: dict, key: str, path, what: str, *, required: bool) -> list[str]:
    value = data.get(key)
    if value is None or value == []:
        if required:
            _fail(path, data, key if key in data else None, f"{what}: '{key}' must not be empty")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, data, key, f"{what}: '{key}' must be a list of non-empty texts")
    return [v.strip() for v in value]


def _slug(value, path, line, what) -> str:
    value = str(value)
    if not SLUG.match(value):
        raise ContentError(
            path, line, f"{what}: invalid id '{value}' (lowercase letters, digits and '-')"
        )
    return value


def _parse_option(item, path, node_id: str) -> dict:
    what = f"node '{node_id}'"
    item = _mapping(item, path, None, f"{what}: each option")
    line = item[LINE_KEY]
    _fields(item, OPTION_FIELDS, path, f"{what}, option")
    key = _slug(_req(item, "key", path, what), path, line, f"{what}, option")
    what = f"node '{node_id}', option '{key}'"
    unknown = item.get("unknown", False)
    if not isinstance(unknown, bool):
        _fail(path, item, "unknown", f"{what}: 'unknown' must be true or false")
    return {
        "key": key,
        "label": _text(item, "label", path, what),
        "next": _slug(_req(item, "next", path, what), path, line_of(item, "next"), what),
        "unknown": unknown,
        "condition": _opt_text(item, "condition", path, what),
        "to_check": _text_list(item, "to_check", path, what, required=False),
        "bases": _text_list(item, "bases", path, what, required=False),
        "__line__": line,
    }


def _parse_node(item, path) -> dict:
    item = _mapping(item, path, None, "each node")
    line = item[LINE_KEY]
    node_id = _slug(_req(item, "id", path, "node"), path, line, "node")
    what = f"node '{node_id}'"
    _fields(item, NODE_FIELDS, path, what)
    kind = _text(item, "kind", path, what)
    if kind not in NODE_KINDS:
        _fail(path, item, "kind", f"{what}: unknown kind '{kind}' ({' or '.join(NODE_KINDS)})")
    options = item.get("options")
    if not options:
        raise ContentError(path, line, f"{what} is a dead end: it has no option")
    if not isinstance(options, list):
        _fail(path, item, "options", f"{what}: 'options' must be a list")
    node = {
        "id": node_id,
        "kind": kind,
        "text": _text(item, "text", path, what),
        "title": _opt_text(item, "title", path, what),
        "help": _opt_text(item, "help", path, what),
        "options": [_parse_option(o, path, node_id) for o in options],
        "__line__": line,
    }
    keys = [o["key"] for o in node["options"]]
    for key in keys:
        if keys.count(key) > 1:
            raise ContentError(path, line, f"{what}: duplicate option key '{key}'")
    unknowns = [o for o in node["options"] if o["unknown"]]
    if kind == "question":
        if not node["help"]:
            raise ContentError(path, line, f"{what}: a question needs a 'help' text")
        if len(node["options"]) < 2:
            raise ContentError(path, line, f"{what}: a question needs at least two options")
        if len(unknowns) != 1:
            raise ContentError(
                path, line, f"{what}: a question needs exactly one « Je ne sais pas » option"
            )
    else:
        if not node["title"]:
            raise ContentError(path, line, f"{what}: an info node needs a 'title'")
        if unknowns:
            raise ContentError(
                path, line, f"{what}: an info node cannot have a « Je ne sais pas » option"
            )
    return node


def _parse_verdict(item, path) -> dict:
    item = _mapping(item, path, None, "each verdict")
    line = item[LINE_KEY]
    verdict_id = _slug(_req(item, "id", path, "verdict"), path, line, "verdict")
    what = f"verdict '{verdict_id}'"
    _fields(item, VERDICT_FIELDS, path, what)
    kind = _text(item, "kind", path, what)
    if kind not in VERDICT_KINDS:
        _fail(path, item, "kind", f"{what}: unknown kind '{kind}' ({', '.join(VERDICT_KINDS)})")
    if not item.get("deciding_bases"):
        raise ContentError(
            path,
            line_of(item, "deciding_bases") or line,
            f"{what} cites no deciding legal basis: 'deciding_bases' must list at least one "
            "article (the texts that decide the verdict; the general ones go in 'legal_bases')",
        )
    deciding = _text_list(item, "deciding_bases", path, what, required=True)
    general = _text_list(item, "legal_bases", path, what, required=False)
    for basis in general:
        if basis in deciding:
            _fail(
                path,
                item,
                "legal_bases",
                f"{what}: '{basis}' is listed both as a deciding and as a general basis",
            )
    answers_decide = item.get("answers_decide", False)
    if not isinstance(answers_decide, bool):
        _fail(path, item, "answers_decide", f"{what}: 'answers_decide' must be true or false")
    return {
        "id": verdict_id,
        "kind": kind,
        "title": _text(item, "title", path, what),
        "summary": _text(item, "summary", path, what),
        "to_check": _text_list(item, "to_check", path, what, required=False),
        "deciding_bases": deciding,
        "legal_bases": general,
        "answers_decide": answers_decide,
        "tell_the_person": _text(item, "tell_the_person", path, what),
        "__line__": line,
    }


def _check_graph(graph: dict, path: Path) -> None:
    nodes, verdicts = graph["nodes"], graph["verdicts"]
    start = graph["start"]
    if start not in nodes:
        raise ContentError(path, graph["start_line"], f"the start node '{start}' does not exist")
    # Dead ends: every option must lead to an existing node or verdict.
    for node in nodes.values():
        for option in node["options"]:
            target = option["next"]
            if target not in nodes and target not in verdicts:
                raise ContentError(
                    path,
                    option["__line__"],
                    f"node '{node['id']}': option '{option['key']}' leads to '{target}', "
                    "which is neither a node nor a verdict (dead end)",
                )
            if option["unknown"] and nodes.get(target, {}).get("kind") != "info":
                raise ContentError(
                    path,
                    option["__line__"],
                    f"node '{node['id']}': the « Je ne sais pas » option must lead to an info node",
                )
    # Cycles: the walk replays paths from the start, so the graph must be acyclic.
    cycle = graphs.find_cycle(nodes, [start, *nodes])
    if cycle:
        raise ContentError(
            path,
            nodes[cycle[-2]]["__line__"],
            f"cycle through node '{cycle[0]}': {' → '.join(cycle)}",
        )
    # Unreachable nodes and verdicts.
    seen = graphs.reachable(graph)
    for node_id, node in nodes.items():
        if node_id not in seen:
            raise ContentError(
                path,
                node["__line__"],
                f"node '{node_id}' cannot be reached from the start node '{start}'",
            )
    for verdict_id, verdict in verdicts.items():
        if verdict_id not in seen:
            raise ContentError(
                path,
                verdict["__line__"],
                f"verdict '{verdict_id}' cannot be reached from the start node '{start}'",
            )


def _parse_case(item, path, graph: dict, module_slugs: set[str]) -> dict:
    item = _mapping(item, path, None, "each case")
    line = item[LINE_KEY]
    case_id = _slug(_req(item, "id", path, "case"), path, line, "case")
    what = f"case '{case_id}'"
    _fields(item, CASE_FIELDS, path, what)
    module = _text(item, "module", path, what)
    if module not in module_slugs:
        _fail(path, item, "module", f"{what}: unknown module '{module}'")
    expected = _text(item, "expected_verdict", path, what)
    if expected not in graph["verdicts"]:
        _fail(path, item, "expected_verdict", f"{what}: unknown expected verdict '{expected}'")
    answers = item.get("answers")
    if not isinstance(answers, list) or not answers:
        _fail(path, item, "answers", f"{what}: 'answers' must list [node, option] pairs")
    pairs = []
    for answer in answers:
        if (
            not isinstance(answer, list)
            or len(answer) != 2
            or not all(isinstance(a, str) for a in answer)
        ):
            _fail(path, item, "answers", f"{what}: each answer must be a [node, option] pair")
        pairs.append((answer[0], answer[1]))
    try:
        result = graphs.walk(graph, pairs)
    except graphs.PathError as exc:
        raise ContentError(
            path, line_of(item, "answers"), f"{what}: its answers do not fit the graph ({exc})"
        ) from exc
    if not result.finished:
        _fail(
            path,
            item,
            "answers",
            f"{what}: its answers stop at node '{result.node['id']}' before any verdict",
        )
    if result.verdict["id"] != expected:
        _fail(
            path,
            item,
            "answers",
            f"{what}: its answers lead to verdict '{result.verdict['id']}', "
            f"not to the expected verdict '{expected}'",
        )
    return {
        "slug": case_id,
        "title": _text(item, "title", path, what),
        "module": module,
        "situation": _text(item, "situation", path, what),
        "expected_verdict": expected,
        "key_conditions": _text_list(item, "key_conditions", path, what, required=True),
        "answers": [list(pair) for pair in pairs],
        "explanation": _opt_text(item, "explanation", path, what),
        "line": line,
    }


def boussole_parse(path: Path, *, module_slugs: set[str]) -> ParsedBoussole:
    """Read and validate the guide file; raise ContentError naming the faulty element."""
    data = read_yaml_file(path)
    data = _mapping(data, path, 1, "the file")
    _fields(data, TOP_FIELDS, path, "the file")
    guide_data = _mapping(require(data, "guide", path, dict), path, line_of(data, "guide"), "guide")
    _fields(guide_data, GUIDE_FIELDS, path, "guide")
    guide = {
        "slug": _slug(_req(guide_data, "slug", path, "guide"), path, guide_data[LINE_KEY], "guide"),
        "title": _text(guide_data, "title", path, "guide"),
        "intro": _opt_text(guide_data, "intro", path, "guide"),
    }
    nodes: dict[str, dict] = {}
    for item in require(data, "nodes", path, list):
        node = _parse_node(item, path)
        if node["id"] in nodes:
            raise ContentError(path, node["__line__"], f"duplicate node id '{node['id']}'")
        nodes[node["id"]] = node
    verdicts: dict[str, dict] = {}
    for item in require(data, "verdicts", path, list):
        verdict = _parse_verdict(item, path)
        if verdict["id"] in verdicts or verdict["id"] in nodes:
            raise ContentError(path, verdict["__line__"], f"duplicate id '{verdict['id']}'")
        verdicts[verdict["id"]] = verdict
    graph = {
        "start": _slug(
            _req(guide_data, "start", path, "guide"),
            path,
            line_of(guide_data, "start"),
            "guide",
        ),
        "start_line": line_of(guide_data, "start"),
        "nodes": nodes,
        "verdicts": verdicts,
    }
    _check_graph(graph, path)
    cases = []
    for item in data.get("cases") or []:
        case = _parse_case(item, path, graph, module_slugs)
        if any(c["slug"] == case["slug"] for c in cases):
            raise ContentError(path, case["line"], f"duplicate case id '{case['slug']}'")
        cases.append(case)
    for order, case in enumerate(cases, start=1):
        case["order"] = order
    lines = {k: v["__line__"] for k, v in {**nodes, **verdicts}.items()}
    return ParsedBoussole(path=path, guide=guide, graph=graph, cases=cases, lines=lines)


# --------------------------------------------------------------------------- applying


def _render(source: str, glossary: dict[str, str], path: Path, line: int | None, what: str):
    return markdown_render(source, glossary=glossary, path=path, line=line, what=what).html


def _stored_graph(parsed: ParsedBoussole, glossary: dict[str, str]) -> dict:
    """Return the graph as stored: line markers dropped, texts rendered, depths added.

    A question's ``text`` is the question itself (plain text); its ``help`` is Markdown. An
    info node's ``title`` is plain text and its ``text`` Markdown. Plain texts get French
    typography (non-breaking spaces); Markdown is rendered by the one render function.
    """
    graph = copy.deepcopy(parsed.graph)
    graph.pop("start_line", None)
    depths = graphs.remaining_steps(graph)
    for node_id, node in graph["nodes"].items():
        line = node.pop("__line__")
        what = f"node '{node_id}'"
        if node["kind"] == "info":
            node["text_html"] = _render(node["text"], glossary, parsed.path, line, what)
        else:
            node["text"] = french_text(node["text"])
        node["title"] = french_text(node["title"])
        node["help_html"] = (
            _render(node["help"], glossary, parsed.path, line, what) if node["help"] else ""
        )
        for option in node["options"]:
            option.pop("__line__", None)
            for key in ("label", "condition"):
                option[key] = french_text(option[key])
            for key in ("to_check", "bases"):
                option[key] = [french_text(t) for t in option[key]]
        node["min_remaining"], node["max_remaining"] = depths[node_id]
    for verdict in graph["verdicts"].values():
        verdict.pop("__line__", None)
        for key in ("title", "summary", "tell_the_person"):
            verdict[key] = french_text(verdict[key])
        for key in ("to_check", "deciding_bases", "legal_bases"):
            verdict[key] = [french_text(t) for t in verdict[key]]
    graph["node_order"] = list(graph["nodes"])
    graph["verdict_order"] = list(graph["verdicts"])
    return graph


def boussole_apply(parsed: ParsedBoussole, report: LoadReport):
    """Create or update the guide and its cases by slug; remove cases that disappeared."""

    from .models import Case, Guide

    glossary = glossary_names()
    values = {
        "title": parsed.guide["title"],
        "intro_source": parsed.guide["intro"],
        "intro_html": _render(parsed.guide["intro"], glossary, parsed.path, 1, "guide"),
        "graph": _stored_graph(parsed, glossary),
    }
    guide = row_sync(Guide, {"slug": parsed.guide["slug"]}, values, report, "boussole guide")
    Guide.objects.exclude(pk=guide.pk).delete()
    modules = dict(Module.objects.values_list("slug", "pk"))
    keep = []
    for case in parsed.cases:
        what = f"case '{case['slug']}'"
        values = {
            "guide": guide,
            "title": french_text(case["title"]),
            "order": case["order"],
            "module_id": modules.get(case["module"]),
            "situation_source": case["situation"],
            "situation_html": _render(case["situation"], glossary, parsed.path, case["line"], what),
            "expected_verdict": case["expected_verdict"],
            "key_conditions": [french_text(k) for k in case["key_conditions"]],
            "answers": case["answers"],
            "explanation_source": case["explanation"],
            "explanation_html": _render(
                case["explanation"], glossary, parsed.path, case["line"], what
            )
            if case["explanation"]
            else "",
        }
        keep.append(row_sync(Case, {"slug": case["slug"]}, values, report, "boussole cases").pk)
    rows_remove_missing(Case.objects.all(), keep, report, "boussole cases")
    return guide
