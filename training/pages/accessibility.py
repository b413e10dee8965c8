"""The RGAA 4.1 audit, read from its one source, ``docs/accessibility-audit.md``.

The accessibility statement publishes what this module computes from the grid: the rate of
RGAA (conforming criteria ÷ applicable criteria), the level it gives (« totalement »,
« partiellement » or « non conforme »), the date, the sample and the remaining
non-conformities with their workaround. Editing the Markdown file updates the statement.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

AUDIT_FILE = Path(settings.BASE_DIR) / "docs" / "accessibility-audit.md"
# RGAA 4.1: 13 themes, 106 criteria numbered 1.1 … 13.12.
THEME_SIZES = (9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12)
OFFICIAL_IDS = tuple(
    f"{theme}.{number}"
    for theme, size in enumerate(THEME_SIZES, start=1)
    for number in range(1, size + 1)
)
STATUSES = ("C", "NC", "NA")
FULL, PARTIAL, NONE = "full", "partial", "none"

_DATE = re.compile(r"^- Date de l'audit : (\d{4}-\d{2}-\d{2})\s*$", re.M)
_ROW = re.compile(r"^\|(.+)\|\s*$")


class AuditError(ValueError):
    """The audit file is malformed: the statement must not publish a rate from it."""


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    status: str
    reason: str


@dataclass(frozen=True)
class Remaining:
    criterion: str
    pages: str
    problem: str
    workaround: str


@dataclass(frozen=True)
class Audit:
    date: datetime.date
    sample: tuple[tuple[str, str, str], ...]
    criteria: tuple[Criterion, ...]
    remaining: tuple[Remaining, ...]

    def count(self, status: str) -> int:
        return sum(1 for criterion in self.criteria if criterion.status == status)

    @property
    def conforming(self) -> int:
        return self.count("C")

    @property
    def applicable(self) -> int:
        return self.count("C") + self.count("NC")

    @property
    def rate(self) -> Decimal:
        """RGAA's rate: conforming criteria ÷ applicable criteria, in %, one decimal (down)."""
        if not self.applicable:
            return Decimal(0)
        rate = Decimal(100) * self.count("C") / self.applicable
        return rate.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def level(self) -> str:
        """« totalement conforme » at 100 %, « partiellement » from 50 %, else « non »."""
        if self.applicable and self.count("NC") == 0:
            return FULL
        return PARTIAL if self.rate >= 50 else NONE

    @property
    def non_conforming(self) -> tuple[Criterion, ...]:
        return tuple(criterion for criterion in self.criteria if criterion.status == "NC")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _ROW.match(line)[1].split("|")]


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if match is None:
        raise AuditError(f"section « {title} » missing")
    return match[1]


def _table_rows(block: str) -> list[list[str]]:
    """The rows of one Markdown table, without its header and separator lines."""
    rows = [_cells(line) for line in block.splitlines() if _ROW.match(line)]
    rows = [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]
    return rows[1:]


def _data_rows(section: str) -> list[list[str]]:
    """Rows of every table of a section, without header and separator lines."""
    found = []
    for block in re.split(r"\n\s*\n", section):
        found += _table_rows(block)
    return found


def audit_parse(text: str) -> Audit:
    """Read the audit from its Markdown text; refuse a grid that is not RGAA 4.1's."""
    date = _DATE.search(text)
    if date is None:
        raise AuditError("no « - Date de l'audit : AAAA-MM-JJ » line")
    sample = tuple(
        tuple(cell.strip("`") for cell in row[:3])
        for row in _data_rows(_section(text, "Échantillon"))
    )
    criteria = []
    for row in _data_rows(_section(text, "Grille")):
        if len(row) != 4:
            raise AuditError(f"criterion row with {len(row)} cells: {row[:1]}")
        identifier, title, status, reason = row
        if status not in STATUSES:
            raise AuditError(f"{identifier}: unknown status « {status} »")
        if not title or not reason:
            raise AuditError(f"{identifier}: the wording and the reason are required")
        criteria.append(Criterion(identifier, title, status, reason))
    ids = tuple(criterion.id for criterion in criteria)
    if ids != OFFICIAL_IDS:
        missing = sorted(set(OFFICIAL_IDS) - set(ids))
        extra = sorted(set(ids) - set(OFFICIAL_IDS))
        raise AuditError(f"not RGAA 4.1's 106 criteria in order (missing {missing}, extra {extra})")
    remaining = tuple(
        Remaining(*row[:4]) for row in _data_rows(_section(text, "Non-conformités restantes"))
    )
    listed = {item.criterion for item in remaining}
    unlisted = [c.id for c in criteria if c.status == "NC" and c.id not in listed]
    if unlisted:
        raise AuditError(f"non-conforming criteria without a workaround: {unlisted}")
    return Audit(
        date=datetime.date.fromisoformat(date[1]),
        sample=sample,
        criteria=tuple(criteria),
        remaining=remaining,
    )


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Audit:
    return audit_parse(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _level(path: str, mtime: float) -> str:
    return _cached(path, mtime).level


def audit_level() -> str:
    """The level the footer of every page states (computed once per version of the file)."""
    try:
        return _level(str(AUDIT_FILE), AUDIT_FILE.stat().st_mtime)
    except OSError:
        return NONE


def audit_load(path: Path | None = None) -> Audit | None:
    """Return the audit (read again when the file changes), or None when there is none."""
    path = Path(path or AUDIT_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _cached(str(path), mtime)
