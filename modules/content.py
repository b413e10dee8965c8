"""Reading content files: YAML with line numbers, Markdown front matter, precise errors.

Shared by every loader (course, quizzes, boussole) so that a malformed file always reports
the same way: file, line, what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

LINE_KEY = "__line__"
LINES_KEY = "__lines__"


@dataclass
class ContentError(Exception):
    """A content file is malformed: where and why."""

    path: Path | str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


# libyaml's parser (when PyYAML was built with it) reads the content twenty times faster than
# the pure-Python one, with the same marks (lines) and the same safe constructors.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """A safe YAML loader that records each mapping's first line under ``__line__``."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    offset = getattr(loader, "line_offset", 0)
    mapping[LINE_KEY] = node.start_mark.line + 1 + offset
    mapping[LINES_KEY] = {
        key.value: key.start_mark.line + 1 + offset
        for key, _value in node.value
        if hasattr(key, "value")
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, path: Path | str, line_offset: int = 0):
    """Parse YAML text; syntax errors become a ContentError with the line number."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is reported where it was opened, not at the end of file.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ContentError(path, line, f"invalid YAML: {problem or exc}") from exc
    finally:
        loader.dispose()


def read_yaml_file(path: Path):
    """Read and parse a YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, None, f"cannot read file: {exc}") from exc
    return load_yaml(text, path)


def split_front_matter(path: Path) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts) of a Markdown file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, None, f"cannot read file: {exc}") from exc
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "missing front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = load_yaml("".join(lines[1:index]), path, line_offset=1)
            if not isinstance(meta, dict):
                raise ContentError(path, 2, "front matter must be a mapping of keys to values")
            return meta, "".join(lines[index + 1 :]), index + 2
    raise ContentError(path, 1, "front matter is not closed by a '---' line")


def line_of(data: dict, key: str | None = None) -> int | None:
    """Return the line of ``key`` in a parsed mapping (or of the mapping itself)."""
    if key is not None and key in data.get(LINES_KEY, {}):
        return data[LINES_KEY][key]
    return data.get(LINE_KEY)


def require(data: dict, key: str, path, kind=str, *, allow_empty=False):
    """Return data[key], checking presence and type, or raise a ContentError at its line."""
    line = line_of(data, key)
    if key not in data or data[key] is None:
        raise ContentError(path, line, f"missing required field '{key}'")
    value = data[key]
    if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, kind):
        raise ContentError(path, line, f"field '{key}' must be of type {kind.__name__}")
    if not allow_empty and kind in (str, list) and not value:
        raise ContentError(path, line, f"field '{key}' must not be empty")
    return value


def unknown_fields(data: dict, allowed: set[str], path, what: str) -> None:
    """Refuse a field that is not in ``allowed`` (a typo would otherwise be ignored silently)."""
    for key in data:
        if key not in allowed and not str(key).startswith("__"):
            raise ContentError(
                path,
                line_of(data, key),
                f"unknown field '{key}' in {what} (allowed: {', '.join(sorted(allowed))})",
            )


def optional_bool(data: dict, key: str, path, default: bool) -> bool:
    """Return data[key] as true or false (the default when absent), or raise at its line."""
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ContentError(path, line_of(data, key), f"field '{key}' must be true or false")
    return value


def optional(data: dict, key: str, default=""):
    """Return data[key] as a string (or the default when absent or null)."""
    value = data.get(key)
    if value is None:
        return default
    return str(value).strip() if not isinstance(value, bool | list | dict) else value


def strip_lines(value):
    """Remove the ``__line__`` markers from parsed YAML (for storing or comparing)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in (LINE_KEY, LINES_KEY)}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
