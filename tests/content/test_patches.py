"""Writing a value back into a content file changes that value and nothing else, for every
text field of the real content files."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from modules.content import split_front_matter, strip_lines
from modules.loader import parse_slides
from training.content.patches import field_line, field_replace, yaml_replace

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text):
    return yaml.load(text, Loader=LOADER)  # noqa: S506 — a safe loader (libyaml's)


TRICKY = [
    "Une phrase avec l'apostrophe : deux-points, # dièse et « guillemets ».",
    "- commence comme une liste",
    'Des "guillemets droits" et un antislash \\ ici',
    "Première ligne\n\nDeuxième paragraphe, plus long que soixante caractères pour être en bloc.",
    "Court",
    "",
]


def _fields(data, node=()):
    """Yield (node, key, value) for every text value of the YAML document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                yield node, key, value
            elif isinstance(value, list | dict):
                yield from _fields(value, (*node, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _fields(item, (*node, index))


def _get(data, node):
    for step in node:
        data = data[step]
    return data


YAML_FILES = ["glossary.yaml", "course.yaml", "resources.yaml", "quizzes/module-3.yaml"]


@pytest.mark.parametrize("name", YAML_FILES)
def test_rewriting_each_value_with_itself_or_a_tricky_text_changes_only_it(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    original = load(text)
    fields = list(_fields(original))
    assert len(fields) > 10
    for number, (node, key, value) in enumerate(fields):
        for new in (value.strip(), TRICKY[number % len(TRICKY)]):
            changed = load(yaml_replace(text, node, key, new))
            expected = load(text)
            _get(expected, node)[key] = new
            assert changed == expected, (node, key, new)


def test_a_missing_optional_key_is_added_to_its_mapping():
    text = "- slug: a\n  term: A\n- slug: b\n  term: B\n"
    changed = yaml_replace(text, (0,), "legal_basis", "Art. 9 C. civ.")
    assert load(changed) == [
        {"slug": "a", "term": "A", "legal_basis": "Art. 9 C. civ."},
        {"slug": "b", "term": "B"},
    ]


def test_a_list_value_is_rewritten_as_a_list():
    path = FIXTURES / "course/02-etendue-informations/module.md"
    text = path.read_text(encoding="utf-8")
    changed = field_replace(text, "front:objectives", (), None, ["Un", "Deux : trois"])
    tmp_meta = load(changed.split("---")[1])
    assert tmp_meta["objectives"] == ["Un", "Deux : trois"]
    assert changed.split("---", 2)[2] == text.split("---", 2)[2]


def test_the_body_and_the_front_matter_of_a_lesson(tmp_path):
    source = next((FIXTURES / "course/01-evolution-reglementaire").glob("01-*.md"))
    path = tmp_path / source.name
    text = source.read_text(encoding="utf-8")
    changed = field_replace(text, "body", (), None, "## Nouveau\n\nTexte.")
    changed = field_replace(changed, "front:title", (), None, "Titre : nouveau")
    path.write_text(changed, encoding="utf-8")
    meta, body, _line = split_front_matter(path)
    assert strip_lines(meta)["title"] == "Titre : nouveau"
    assert body.strip() == "## Nouveau\n\nTexte."
    assert strip_lines(meta)["slug"] == load(text.split("---")[1])["slug"]
    assert field_line(path, "front:title", ()) == 2


def test_one_slide_changes_and_the_others_stay(tmp_path):
    source = FIXTURES / "course/03-conditions-partage/slides.md"
    path = tmp_path / "slides.md"
    before = parse_slides(source)
    target = before[4]
    text = source.read_text(encoding="utf-8")
    text = field_replace(text, "slide:notes", (), target["line"], "Nouvelle note\nsur deux lignes")
    text = field_replace(text, "slide:title", (), target["line"], "Nouveau titre")
    path.write_text(text, encoding="utf-8")
    after = parse_slides(path)
    assert len(after) == len(before)
    assert after[4]["title"] == "Nouveau titre"
    assert after[4]["notes"] == "Nouvelle note\nsur deux lignes"
    assert after[4]["source"] == target["source"]
    for index in (3, 5):
        assert {k: v for k, v in after[index].items() if k != "line"} == {
            k: v for k, v in before[index].items() if k != "line"
        }
