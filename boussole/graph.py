"""The decision graph as plain data: analysis (for the loader) and walking (for the views).

A graph is the JSON stored in ``Guide.graph``::

    {"start": "node-id",
     "nodes": {"node-id": {"id", "kind": "question" | "info", "text", "title", "help",
                           "options": [{"key", "label", "next", "unknown", "condition",
                                        "to_check": [...], "bases": [...]}]}},
     "verdicts": {"verdict-id": {"id", "title", "kind", "summary", "to_check": [...],
                                 "deciding_bases": [...], "legal_bases": [...],
                                 "answers_decide": bool, "tell_the_person"}}}

A verdict names the texts that decide it (``deciding_bases``) apart from the general ones
(``legal_bases``). An answer may name the texts it rests on (``bases``: for instance the text
that binds the professional to secrecy); they join the deciding texts when the verdict says
``answers_decide`` (a refusal decided by the professional's own secret), the general ones
otherwise. The fiche lists the deciding texts first.

A path is the list of answers given so far, ``[(node_id, option_key), ...]``. It travels in
the query string (``?p=peril.non~secret-emetteur.oui``) so that no server state is needed:
every request replays it from the start node and refuses it if any step does not fit.

« Je ne sais pas » leads to an *info* node whose options all move forward; going back to the
question is the walk's Back link (the path minus its last answer), never an edge of the graph.
That keeps the graph acyclic, so the set of paths is finite and can be enumerated in tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

STEP_SEPARATOR = "~"
PAIR_SEPARATOR = "."
MAX_STEPS = 80
MAX_RAW_LENGTH = 4000
_STEP = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+(?:-[a-z0-9]+)*)$")


class PathError(ValueError):
    """A path that does not fit the graph (tampered, truncated or outdated)."""


@dataclass
class Step:
    number: int
    node: dict
    option: dict
    before: list[tuple[str, str]]  # the path up to (not including) this answer


@dataclass
class Walk:
    pairs: list[tuple[str, str]]
    steps: list[Step] = field(default_factory=list)
    node: dict | None = None
    verdict: dict | None = None

    @property
    def finished(self) -> bool:
        return self.verdict is not None

    @property
    def conditions(self) -> list[str]:
        """The conditions established by the answers, in order."""
        return [s.option["condition"] for s in self.steps if s.option.get("condition")]

    @property
    def to_check(self) -> list[str]:
        """What the answers left open, then what the verdict always asks to check."""
        items: list[str] = []
        for step in self.steps:
            items.extend(step.option.get("to_check") or [])
        if self.verdict:
            items.extend(self.verdict.get("to_check") or [])
        return _unique(items)

    @property
    def answer_bases(self) -> list[str]:
        """The texts the answers rest on, in the order the answers were given."""
        return _unique(base for step in self.steps for base in step.option.get("bases") or [])

    @property
    def deciding_bases(self) -> list[str]:
        """The texts that decide the verdict: the verdict's own, then, for a verdict decided by
        the answers (``answers_decide``), the texts those answers rest on."""
        if not self.verdict:
            return []
        items = list(self.verdict.get("deciding_bases") or [])
        if self.verdict.get("answers_decide"):
            items.extend(self.answer_bases)
        return _unique(items)

    @property
    def general_bases(self) -> list[str]:
        """The general texts: the verdict's, then those the answers rest on (unless they decide);
        none of them repeats a deciding text."""
        if not self.verdict:
            return []
        items = list(self.verdict.get("legal_bases") or [])
        if not self.verdict.get("answers_decide"):
            items.extend(self.answer_bases)
        deciding = set(self.deciding_bases)
        return [item for item in _unique(items) if item not in deciding]


def _unique(items) -> list:
    """Return the items without repeats, in their first order."""
    seen: set = set()
    return [item for item in items if not (item in seen or seen.add(item))]


# --------------------------------------------------------------------------- paths


def path_encode(pairs: list[tuple[str, str]]) -> str:
    """Return the query-string form of a path."""
    return STEP_SEPARATOR.join(f"{node}{PAIR_SEPARATOR}{key}" for node, key in pairs)


def path_decode(raw: str | None) -> list[tuple[str, str]]:
    """Parse the query-string form of a path; raise PathError when it is malformed."""
    raw = (raw or "").strip()
    if not raw:
        return []
    if len(raw) > MAX_RAW_LENGTH:
        raise PathError(_("The path is too long."))
    parts = raw.split(STEP_SEPARATOR)
    if len(parts) > MAX_STEPS:
        raise PathError(_("The path is too long."))
    pairs = []
    for number, part in enumerate(parts, start=1):
        match = _STEP.match(part)
        if not match:
            raise PathError(_("Step %(number)s of the path is malformed.") % {"number": number})
        pairs.append((match.group(1), match.group(2)))
    return pairs


def walk(graph: dict, pairs: list[tuple[str, str]]) -> Walk:
    """Replay a path from the start node; raise PathError at the first step that does not fit."""
    nodes, verdicts = graph["nodes"], graph["verdicts"]
    current = graph["start"]
    result = Walk(pairs=list(pairs))
    for number, (node_id, key) in enumerate(pairs, start=1):
        if current in verdicts:
            raise PathError(
                _("The path goes on after its verdict (step %(number)s).") % {"number": number}
            )
        if node_id != current:
            raise PathError(
                _("Step %(number)s does not answer the question that was asked.")
                % {"number": number}
            )
        node = nodes[current]
        option = next((o for o in node["options"] if o["key"] == key), None)
        if option is None:
            raise PathError(
                _("Step %(number)s gives an answer that the question does not offer.")
                % {"number": number}
            )
        result.steps.append(Step(number, node, option, list(pairs[: number - 1])))
        current = option["next"]
    result.node = nodes.get(current)
    result.verdict = verdicts.get(current)
    return result


def paths_count(graph: dict) -> int:
    """Return how many complete paths the graph has, without listing them."""
    nodes, verdicts = graph["nodes"], graph["verdicts"]
    memo: dict[str, int] = {}

    def count(node_id: str) -> int:
        if node_id in verdicts:
            return 1
        if node_id not in memo:
            memo[node_id] = sum(count(option["next"]) for option in nodes[node_id]["options"])
        return memo[node_id]

    return count(graph["start"])


def paths_enumerate(graph: dict) -> Iterator[tuple[list[tuple[str, str]], str]]:
    """Yield every complete path from the start node, with the verdict it reaches."""
    nodes, verdicts = graph["nodes"], graph["verdicts"]

    def visit(node_id: str, prefix: list[tuple[str, str]]):
        if node_id in verdicts:
            yield prefix, node_id
            return
        for option in nodes[node_id]["options"]:
            yield from visit(option["next"], [*prefix, (node_id, option["key"])])

    yield from visit(graph["start"], [])


# --------------------------------------------------------------------------- analysis


def successors(node: dict) -> list[str]:
    return [option["next"] for option in node["options"]]


def find_cycle(nodes: dict[str, dict], start_order: list[str]) -> list[str] | None:
    """Return one cycle as a list of node ids (first id repeated at the end), or None."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(nodes, white)
    for root in start_order:
        if colour[root] != white:
            continue
        stack = [(root, iter(successors(nodes[root])))]
        trail = [root]
        colour[root] = grey
        while stack:
            node_id, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node_id] = black
                stack.pop()
                trail.pop()
            elif child in nodes:
                if colour[child] == grey:
                    return [*trail[trail.index(child) :], child]
                if colour[child] == white:
                    colour[child] = grey
                    stack.append((child, iter(successors(nodes[child]))))
                    trail.append(child)
    return None


def reachable(graph: dict) -> set[str]:
    """Return the ids of every node and verdict reachable from the start node."""
    nodes = graph["nodes"]
    seen = {graph["start"]}
    todo = [graph["start"]]
    while todo:
        node_id = todo.pop()
        if node_id not in nodes:
            continue
        for target in successors(nodes[node_id]):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def remaining_steps(graph: dict) -> dict[str, tuple[int, int]]:
    """Return, for each node, the fewest and the most answers still needed to reach a verdict.

    The graph must be acyclic (the loader checks it first).
    """
    nodes, verdicts = graph["nodes"], graph["verdicts"]
    memo: dict[str, tuple[int, int]] = {}

    def visit(node_id: str) -> tuple[int, int]:
        if node_id in verdicts:
            return (0, 0)
        if node_id not in memo:
            below = [visit(target) for target in successors(nodes[node_id])]
            memo[node_id] = (1 + min(b[0] for b in below), 1 + max(b[1] for b in below))
        return memo[node_id]

    for node_id in nodes:
        visit(node_id)
    return memo


def outline(graph: dict) -> dict:
    """Return the graph as a nested outline; a node met a second time is a reference."""
    nodes, verdicts = graph["nodes"], graph["verdicts"]
    expanded: set[str] = set()

    def visit(target: str) -> dict:
        if target in verdicts:
            return {"type": "verdict", "id": target, "verdict": verdicts[target]}
        if target in expanded:
            return {"type": "ref", "id": target, "node": nodes[target]}
        expanded.add(target)
        node = nodes[target]
        return {
            "type": "node",
            "id": target,
            "node": node,
            "branches": [{"option": o, "child": visit(o["next"])} for o in node["options"]],
        }

    return visit(graph["start"])
