"""The slides say what the lessons say: every legal reference on a slide is taught there too."""

import re
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parents[2] / "fixtures" / "course"
# An article (« L. 1110-4 », « R. 4127-4 », « 226-14 »), a law or decree number (« n° 2016-994 »).
REFERENCE = re.compile(r"\b(?:[LRD]\. ?\d[\d-]*\d|\d{3}-\d+(?:-\d+)?|n° ?\d[\d-]*\d)")
MODULES = sorted(path.name for path in COURSE.iterdir() if (path / "slides.md").exists())


def squeeze(text: str) -> str:
    """Compare references whatever their (no-break) spaces."""
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


def test_every_module_has_a_deck():
    assert len(MODULES) == 5


@pytest.mark.parametrize("module", MODULES)
def test_each_legal_reference_of_a_slide_is_in_the_module_s_own_texts(module):
    folder = COURSE / module
    taught = squeeze("".join(p.read_text() for p in folder.glob("*.md") if p.name != "slides.md"))
    references = set(REFERENCE.findall((folder / "slides.md").read_text()))
    assert len(references) >= 5, references
    assert sorted(r for r in references if squeeze(r) not in taught) == []
