"""Write an admin's edits back into the content files, as a patch.

Each edit names its file, its place in the file (``modules.loader.Source``: a YAML key under
a path of keys and indexes, a front-matter key, the body of a Markdown file, the whole file,
or a part of a slide) and the value the admin wrote. ``patch_build`` puts each value in place,
in memory, and returns the unified diff from the files as they are to the files with the
edits: apply it from the project folder with ``git apply admin-edits.patch`` (or
``patch -p1 < admin-edits.patch``).

YAML values are rewritten without touching the rest of the file: the key and its value are
found with PyYAML's composer (which gives their positions), then replaced by the new value,
a literal block (``|-``) for text on several lines.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import yaml

# libyaml's composer gives the same positions (in characters) as the pure-Python one, faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(text: str) -> tuple[int, int] | None:
    """Return (start, end) character offsets of the front matter's YAML, if any."""
    if not text.startswith("---"):
        return None
    first = text.index("\n") + 1
    match = re.compile(r"^---[ \t]*$", re.M).search(text, first)
    if not match:
        return None
    return first, match.start()


def _mapping(root, node: tuple):
    current = root
    for step in node:
        if isinstance(step, int):
            if not isinstance(current, yaml.SequenceNode) or step >= len(current.value):
                raise ValueError(f"no item {step} in the YAML list")
            current = current.value[step]
        else:
            current = _value(current, step)
            if current is None:
                raise ValueError(f"no key '{step}' in the YAML mapping")
    if not isinstance(current, yaml.MappingNode):
        raise ValueError("the place named is not a YAML mapping")
    return current


def _value(mapping, key: str):
    for key_node, value_node in mapping.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def _entry(mapping, key: str):
    for key_node, value_node in mapping.value:
        if getattr(key_node, "value", None) == key:
            return key_node, value_node
    return None


class _Dumper(yaml.SafeDumper):
    pass


def _yaml_entry(key: str, value, column: int) -> str:
    """Return ``key: value`` as YAML, its continuation lines indented for ``column``."""
    indent = " " * column
    long_text = isinstance(value, str) and ("\n" in value or len(value) > 60)
    if long_text and not value.startswith((" ", "\t")) and value == value.rstrip():
        # A literal block keeps the text exactly and stays readable (no quotes to escape).
        lines = value.split("\n")
        body = "\n".join(f"{indent}  {line}" if line.strip() else "" for line in lines)
        return f"{key}: |-\n{body}"
    dumped = yaml.dump(
        {key: value},
        Dumper=_Dumper,
        allow_unicode=True,
        width=10**9,
        sort_keys=False,
        default_flow_style=False,
    ).rstrip("\n")
    first, *rest = dumped.split("\n")
    return "\n".join([first, *(f"{indent}{line}" for line in rest)])


def yaml_replace(text: str, node: tuple, key: str, value) -> str:
    """Return ``text`` with the value of ``key`` (in the mapping at ``node``) set to ``value``."""
    root = yaml.compose(text, Loader=_COMPOSER)
    mapping = _mapping(root, node)
    entry = _entry(mapping, key)
    if entry is None:  # an optional key the file does not have yet: add it at the end
        first_key = mapping.value[0][0]
        column = first_key.start_mark.column
        end = mapping.end_mark.index
        line_end = text.rfind("\n", 0, end) + 1 if text[end - 1 : end] != "\n" else end
        insert = " " * column + _yaml_entry(key, value, column) + "\n"
        if line_end == 0 or text[line_end - 1 : line_end] != "\n":
            insert = "\n" + insert
        return text[:line_end] + insert + text[line_end:]
    key_node, value_node = entry
    start, end = key_node.start_mark.index, value_node.end_mark.index
    original = text[start:end]
    trailing = len(original) - len(original.rstrip("\n"))
    new = _yaml_entry(key, value, key_node.start_mark.column) + "\n" * trailing
    return text[:start] + new + text[end:]


def yaml_line(text: str, node: tuple, key: str) -> int | None:
    root = yaml.compose(text, Loader=_COMPOSER)
    entry = _entry(_mapping(root, node), key)
    return entry[0].start_mark.line + 1 if entry else None


def _slide_bounds(lines: list[str], line: int) -> tuple[int, int]:
    """Return (first, last + 1) line indexes of the slide starting at ``line`` (1-based)."""
    first = line - 1
    while first < len(lines) and not lines[first].strip():
        first += 1
    last = first
    while last < len(lines) and lines[last].strip() != "---":
        last += 1
    return first, last


def _slide_parts(chunk: list[str]) -> dict:
    title = chunk[0][3:].strip() if chunk and chunk[0].startswith("## ") else ""
    body, notes, in_notes = [], [], False
    for line in chunk[1:]:
        if re.match(r"^Note:[ \t]*$", line) and not in_notes:
            in_notes = True
            continue
        (notes if in_notes else body).append(line)
    return {
        "title": title,
        "source": "\n".join(body).strip(),
        "notes": "\n".join(notes).strip(),
    }


def slide_replace(text: str, line: int, part: str, value: str) -> str:
    lines = text.split("\n")
    first, last = _slide_bounds(lines, line)
    parts = _slide_parts(lines[first:last])
    parts[part] = str(value).strip()
    chunk = [f"## {parts['title']}"]
    if parts["source"]:
        chunk += parts["source"].split("\n")
    if parts["notes"]:
        chunk += ["Note:", *parts["notes"].split("\n")]
    trailing_blank = [ln for ln in lines[first:last][::-1] if not ln.strip()]
    blank = [""] * min(len(trailing_blank), 1) if last < len(lines) else []
    return "\n".join(lines[:first] + chunk + blank + lines[last:])


def field_replace(text: str, place: str, node: tuple, line: int | None, value) -> str:
    """Return the file's text with the field at ``place`` set to ``value``."""
    if place == "file":
        return str(value).strip("\n") + "\n"
    if place == "body" or place.startswith("front:"):
        bounds = _front_matter(text)
        if bounds is None:
            raise ValueError("the file has no front matter")
        start, end = bounds
        if place == "body":
            head_end = text.index("\n", end) + 1 if "\n" in text[end:] else len(text)
            body = text[head_end:]
            leading = body[: len(body) - len(body.lstrip("\n"))]
            return text[:head_end] + leading + str(value).strip("\n") + "\n"
        front = yaml_replace(text[start:end], (), place.split(":", 1)[1], value)
        return text[:start] + front + text[end:]
    if place.startswith("slide:"):
        return slide_replace(text, line or 1, place.split(":", 1)[1], value)
    return yaml_replace(text, tuple(node), place, value)


def field_line(path: Path, place: str, node: tuple) -> int | None:
    """Return the line where a field starts in its file."""
    text = Path(path).read_text(encoding="utf-8")
    if place == "file":
        return 1
    if place == "body":
        bounds = _front_matter(text)
        return text[: bounds[1]].count("\n") + 2 if bounds else 1
    if place.startswith("front:"):
        bounds = _front_matter(text)
        if bounds is None:
            return None
        found = yaml_line(text[bounds[0] : bounds[1]], (), place.split(":", 1)[1])
        return found + 1 if found else None
    if place.startswith("slide:"):
        return None
    return yaml_line(text, tuple(node), place)


def patch_build(edits: Iterable, *, root: Path) -> str:
    """Return the unified diff that writes ``edits`` into their files.

    Each edit has ``path`` (relative to ``root`` or absolute), ``place``, ``node``, ``line``
    and ``admin_value``; edits without a place (a row created in the admin) are skipped.
    """
    by_path: dict[str, list] = defaultdict(list)
    for edit in edits:
        if edit.place and edit.path:
            by_path[edit.path].append(edit)
    out = []
    for relative in sorted(by_path):
        path = Path(relative) if Path(relative).is_absolute() else Path(root) / relative
        before = path.read_text(encoding="utf-8")
        after = before
        for edit in by_path[relative]:
            after = field_replace(after, edit.place, tuple(edit.node), edit.line, edit.admin_value)
        if after == before:
            continue
        out.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{relative}",
                tofile=f"b/{relative}",
            )
        )
    return "".join(out)
