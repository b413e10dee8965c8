"""The real course content meets the minimums the programme promises."""

import re
from pathlib import Path

import pytest
import yaml

from modules.loader import course_content_parse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MODULE_TITLES = [
    "L'évolution réglementaire de la problématique du secret professionnel",
    "L'étendue des informations confidentielles",
    "Les conditions de fond et de forme du partage d'information",
    "La question du droit d'opposition de l'usager / du patient",
    "Les conséquences juridiques en cas de non-respect des conditions réglementaires",
]


@pytest.fixture(scope="module")
def parsed():
    return course_content_parse(FIXTURES)


def words(text: str) -> int:
    return len(re.findall(r"[\wÀ-ÿ'’-]+", text))


def test_five_modules_in_the_programme_order(parsed):
    modules = sorted(parsed.modules, key=lambda m: m["number"])
    assert [m["number"] for m in modules] == [1, 2, 3, 4, 5]
    assert [m["title"] for m in modules] == MODULE_TITLES


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_module_meets_the_minimums(parsed, number):
    module = next(m for m in parsed.modules if m["number"] == number)
    lessons = [lesson for lesson in parsed.lessons if lesson["module"] == module["slug"]]
    text = "\n".join(lesson["source"] for lesson in lessons)
    assert len(lessons) >= 3
    assert words(text) >= 2000, f"module {number}: {words(text)} words"
    assert len(re.findall(r"^!!! cas ", text, flags=re.M)) >= 2
    assert len(re.findall(r'^!!! retenir "À retenir"', text, flags=re.M)) >= 1
    assert len(module["objectives"]) >= 3
    assert "## Textes cités" in module["intro"]
    assert re.search(r"^\|.+\|$", module["intro"].split("## Textes cités", 1)[1], flags=re.M)
    for case in re.split(r"^!!! cas ", text, flags=re.M)[1:]:
        block = case.split("\n!!! ", 1)[0]
        title = case.splitlines()[0]
        assert "**La situation.**" in block, f"module {number}: {title}"
        assert "**Le raisonnement juridique.**" in block, f"module {number}: {title}"
    slides = [s for s in parsed.slides if s["module"] == module["slug"]]
    assert len(slides) >= 10
    notes = next(n["source"] for n in parsed.notes if n["module"] == module["slug"])
    for heading in (
        "## Déroulé et timing",
        "## Questions pour lancer le débat",
        "## Corrigés des cas pratiques",
    ):
        assert heading in notes, f"module {number}: {heading}"


# The fact sheet's common misconceptions (§ 7), each corrected in the module where it belongs.
MISCONCEPTIONS = [
    (5, "L'art. 226-14 oblige à signaler."),
    (5, "ne dénonce pas un crime en devient complice"),
    (1, "Le secret partagé est une notion légale"),
    (2, "Tous les fonctionnaires sont tenus au secret professionnel."),
    (2, "Tous les travailleurs sociaux sont tenus au secret par leur profession."),
    (5, "l'ignorer n'est pas un délit"),
    (3, "Hors de l'équipe de soins, il suffit que la personne ne s'y oppose pas."),
    (4, "Hors de l'équipe de soins, il suffit que le patient ne s'oppose pas."),
    (2, "Tout le monde le sait déjà, je ne révèle rien."),
]


@pytest.mark.parametrize(("number", "phrase"), MISCONCEPTIONS)
def test_each_misconception_is_corrected_in_its_module(parsed, number, phrase):
    slug = next(m["slug"] for m in parsed.modules if m["number"] == number)
    text = "\n".join(lesson["source"] for lesson in parsed.lessons if lesson["module"] == slug)
    assert phrase in text


def test_glossary_bibliography_and_links_meet_the_minimums(parsed):
    assert len(parsed.glossary) >= 25
    assert len([r for r in parsed.resources if r["kind"] == "bibliography"]) >= 10
    assert len([r for r in parsed.resources if r["kind"] == "link"]) >= 10


def test_every_link_comes_from_the_verified_list_of_the_fact_sheet():
    facts = FIXTURES.parents[1] / "shared" / "legal-facts.md"
    if not facts.exists():
        facts = Path("/work/shared/legal-facts.md")
    if not facts.exists():
        pytest.skip("fact sheet not available")
    verified = facts.read_text(encoding="utf-8").split("### 9.1", 1)[1].split("### 9.2", 1)[0]
    resources = yaml.safe_load((FIXTURES / "resources.yaml").read_text(encoding="utf-8"))
    for resource in resources:
        if resource.get("url"):
            assert resource["url"] in verified, resource["url"]
    lesson_urls = set()
    for path in (FIXTURES / "course").rglob("*.md"):
        lesson_urls |= set(
            re.findall(r"\]\((https?://[^)\s]+)\)", path.read_text(encoding="utf-8"))
        )
    for url in lesson_urls:
        assert url in verified, url


def test_the_belgian_book_is_not_in_the_bibliography():
    assert "Lambert" not in (FIXTURES / "resources.yaml").read_text(encoding="utf-8")
