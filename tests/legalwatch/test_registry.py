"""The registry of legal references (fixtures/references.yaml) and the citations of the
content: every citation must name a reference of the registry, or the load is refused with
the file and the line."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from modules.content import ContentError, read_yaml_file
from modules.models import Lesson
from tests.legalwatch.conftest import FIXTURES, insert_line
from training.content.loader import content_load
from training.legalwatch.loader import references_parse
from training.legalwatch.models import ItemKind, LegalReference, ReferenceCitation

pytestmark = pytest.mark.django_db


def test_every_reference_of_the_registry_is_loaded_with_its_status(course_loaded):
    entries = read_yaml_file(FIXTURES / "references.yaml")
    assert LegalReference.objects.active().count() == len(entries)
    statuses = {e["cite"]: e["status"] for e in entries}
    for reference in LegalReference.objects.all():
        expected = "V" if statuses[reference.cite] == "V" else "U"
        assert reference.status == expected, reference.cite


def test_every_reference_is_cited_somewhere_and_every_cited_line_names_it(course_loaded):
    cited = set(ReferenceCitation.objects.values_list("reference__key", flat=True))
    assert cited == set(LegalReference.objects.values_list("key", flat=True))
    citation = ReferenceCitation.objects.filter(
        reference__key="c-pen-226-14", item_kind=ItemKind.LESSON
    ).first()
    lines = (FIXTURES / citation.path).read_text(encoding="utf-8").split("\n")
    for number in citation.lines:
        assert "226-14" in lines[number - 1]


def test_links_are_only_verified_addresses_and_the_rest_is_a_search(course_loaded):
    with_url = LegalReference.objects.exclude(url="")
    assert with_url.exists()
    for reference in with_url:
        assert reference.url.startswith("https://www.legifrance.gouv.fr/")
    # The fact sheet gives no verified address for art. 226-14 (§ 9.2): none is stored.
    assert LegalReference.objects.get(key="c-pen-226-14").url == ""


def test_a_title_is_given_only_where_the_fact_sheet_gives_one(course_loaded):
    titled = LegalReference.objects.exclude(title="")
    assert titled.exists()
    assert all(r.kind == "text" for r in titled)
    assert LegalReference.objects.filter(kind="article", title="").count() == (
        LegalReference.objects.filter(kind="article").count()
    )


@pytest.mark.parametrize(
    ("file", "after", "citation"),
    [
        (
            "course/05-consequences-juridiques/01-atteinte-au-secret-et-permissions.md",
            8,
            "Voir l'art. 226-99 C. pén.",
        ),
        ("course/02-etendue-informations/slides.md", 3, "- Art. L. 9999-1 CSP"),
        ("course/03-conditions-partage/trainer-notes.md", 2, "Citer la loi n° 2099-1 au besoin."),
        ("course/01-evolution-reglementaire/module.md", 20, "Voir Crim. 3 mars 1911."),
    ],
)
def test_an_uncatalogued_citation_is_refused_with_its_file_and_line(
    content_copy, course_loaded, file, after, citation
):
    path = content_copy / file
    line = insert_line(path, after, citation)
    before = Lesson.objects.count(), ReferenceCitation.objects.count()
    with pytest.raises(ContentError) as info:
        content_load(base=content_copy)
    assert info.value.path == path
    assert info.value.line == line
    assert (
        "not in the registry" in info.value.message or "no loi of that date" in info.value.message
    )
    assert (Lesson.objects.count(), ReferenceCitation.objects.count()) == before


def test_an_uncatalogued_citation_in_a_quiz_or_the_guide_is_refused_at_its_line(
    content_copy, course_loaded
):
    quiz = content_copy / "quizzes/module-3.yaml"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(
        text.replace("legal_basis: Art. L. 1110-4 II CSP", "legal_basis: Art. L. 1110-44 CSP", 1)
    )
    line = text.split("\n").index("    legal_basis: Art. L. 1110-4 II CSP") + 1
    with pytest.raises(ContentError) as info:
        content_load(base=content_copy)
    assert (info.value.path, info.value.line) == (quiz, line)

    quiz.write_text(text)
    guide = content_copy / "boussole.yaml"
    lines = guide.read_text(encoding="utf-8").split("\n")
    number = next(i for i, ln in enumerate(lines) if "deciding_bases:" in ln) + 2
    lines[number - 1] = re.sub(r"- .*", "- Art. 226-77 C. pén.", lines[number - 1])
    guide.write_text("\n".join(lines))
    with pytest.raises(ContentError) as info:
        content_load(base=content_copy)
    assert (info.value.path, info.value.line) == (guide, number)


def test_an_article_without_a_code_that_two_codes_have_is_refused(content_copy, course_loaded):
    path = content_copy / "course/02-etendue-informations/01-delit-d-atteinte-au-secret.md"
    line = insert_line(path, 7, "Voir aussi l'art. 9, au besoin.")
    with pytest.raises(ContentError, match="several texts of the registry") as info:
        content_load(base=content_copy)
    assert info.value.line == line


def test_load_course_names_the_file_and_line_and_changes_nothing(content_copy, course_loaded):
    path = content_copy / "glossary.yaml"
    line = insert_line(path, 6, "    Voir aussi l'art. 226-98 C. pén.")
    with pytest.raises(CommandError) as info:
        call_command("load_course", path=str(content_copy))
    assert f"{path}:{line}" in str(info.value)
    assert "nothing was changed" in str(info.value)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: peut-être\n",
            "must be V",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: loi\n  source: x\n  description: x\n  status: V\n",
            "unknown kind",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: V\n  colour: red\n",
            "unknown field 'colour'",
        ),
        (
            "- cite: la loi\n  kind: text\n  source: x\n  description: x\n  status: V\n",
            "exactly one",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: V\n  verified_on: 2999-01-01\n",
            "in the future",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: V\n  url: http://exemple.fr/\n",
            "https://",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: V\n  facts: [G1]\n",
            "not a fact id",
        ),
        (
            "- cite: art. 1 C. pén.\n  kind: article\n  source: x\n  description: x\n  status: V\n- cite: Art. 1 du Code pénal\n  kind: article\n  source: x\n  description: x\n  status: V\n",
            "duplicate reference",
        ),
    ],
)
def test_a_malformed_registry_is_refused_at_its_line(tmp_path, entry, message):
    (tmp_path / "references.yaml").write_text(entry, encoding="utf-8")
    with pytest.raises(ContentError, match=message) as info:
        references_parse(tmp_path)
    assert info.value.line is not None
