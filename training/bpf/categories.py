"""The BPF categories, read from ``fixtures/bpf.yaml`` (data, not code: see that file for
where they come from and what is still to check on the Cerfa form).

Enrolments store a category's ``code``; a code that is no longer in the file is « unknown »
and the export asks for it to be fixed. The file is read again when it changes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

CODE = re.compile(r"^[a-z0-9_]{1,40}$")
TRAINEE = "trainee_categories"
FUNDING = "funding_sources"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    verified: bool = False
    cerfa: str = ""  # the line of the Cerfa form, once checked


class CategoriesError(ValueError):
    """The categories file is malformed (the message names the problem)."""


def categories_file() -> Path:
    return Path(getattr(settings, "BPF_CATEGORIES_FILE", settings.BASE_DIR / "fixtures/bpf.yaml"))


def _parse(text: str) -> dict[str, tuple[Category, ...]]:
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise CategoriesError("bpf.yaml: a mapping is expected at the top.")
    found = {}
    for key in (TRAINEE, FUNDING):
        entries = data.get(key)
        if not isinstance(entries, list) or not entries:
            raise CategoriesError(f"bpf.yaml: « {key} » must be a non-empty list.")
        seen = set()
        items = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise CategoriesError(f"bpf.yaml: each entry of « {key} » is a mapping.")
            code, label = str(entry.get("code", "")), str(entry.get("label", "")).strip()
            if not CODE.match(code) or not label:
                raise CategoriesError(f"bpf.yaml: « {key} »: bad code or empty label ({code!r}).")
            if code in seen:
                raise CategoriesError(f"bpf.yaml: « {key} »: code {code} appears twice.")
            seen.add(code)
            items.append(
                Category(code, label, bool(entry.get("verified")), str(entry.get("cerfa") or ""))
            )
        found[key] = tuple(items)
    return found


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, tuple[Category, ...]]:
    with open(path, encoding="utf-8") as handle:
        return _parse(handle.read())


def _all() -> dict[str, tuple[Category, ...]]:
    path = categories_file()
    return _load(str(path), os.path.getmtime(path))


def categories_of(kind: str) -> tuple[Category, ...]:
    """One list: ``TRAINEE`` or ``FUNDING``."""
    return _all()[kind]


def trainee_categories() -> tuple[Category, ...]:
    """The trainees' categories, in the file's order."""
    return _all()[TRAINEE]


def funding_sources() -> tuple[Category, ...]:
    """The funding sources, in the file's order."""
    return _all()[FUNDING]


def category_label(code: str, *, kind: str) -> str:
    """The label of a code (the code itself, marked, when the file no longer has it)."""
    for category in _all()[kind]:
        if category.code == code:
            return category.label
    return f"{code} (?)" if code else ""


def choices(kind: str) -> list[tuple[str, str]]:
    """Form choices: the codes and labels of one list."""
    return [(category.code, category.label) for category in _all()[kind]]


def _normalise(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.strip().lower())
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", value)


def category_find(value: str, *, kind: str) -> Category | None:
    """The category whose code or label is ``value`` (accents, case and spaces ignored)."""
    wanted = _normalise(value)
    if not wanted:
        return None
    for category in _all()[kind]:
        if wanted in (_normalise(category.code), _normalise(category.label)):
            return category
    return None
