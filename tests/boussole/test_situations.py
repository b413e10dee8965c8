"""The corpus of situations (situations.py), each walked through the real guide as the
professional would honestly answer, must reach the verdict and the texts a lawyer expects."""

from pathlib import Path

import pytest
from django.conf import settings

from boussole.loader import boussole_parse
from tests.boussole.situations import SITUATIONS, walk_situation

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "boussole.yaml"
MODULES = {
    "evolution-reglementaire",
    "etendue-informations-confidentielles",
    "conditions-du-partage",
    "droit-d-opposition",
    "consequences-juridiques",
}


@pytest.fixture(scope="module")
def guide_graph():
    return boussole_parse(FIXTURE, module_slugs=MODULES).graph


def test_the_corpus_is_large_varied_and_covers_every_verdict_and_every_point(guide_graph):
    assert len(SITUATIONS) >= 40
    ids = [s.id for s in SITUATIONS]
    assert len(ids) == len(set(ids))
    assert {s.verdict for s in SITUATIONS} == set(guide_graph["verdicts"])
    for point in range(1, 10):
        assert any(point in s.points for s in SITUATIONS), point
    for case in SITUATIONS:
        assert case.deciding, case.id  # every situation names at least one deciding text
        assert len(case.description) > 80, case.id


@pytest.mark.parametrize("case", SITUATIONS, ids=lambda s: s.id)
def test_a_professional_who_answers_honestly_reaches_the_expected_verdict_and_texts(
    guide_graph, case
):
    result = walk_situation(guide_graph, case)
    assert result.verdict["id"] == case.verdict
    # Every answer of the situation was asked for: the guide skipped nothing it should ask.
    assert {node for node, _key in result.pairs} == set(case.answers)
    deciding = " | ".join(result.deciding_bases)
    everything = " | ".join(result.deciding_bases + result.general_bases)
    for text in case.deciding:
        assert text in deciding, f"{text!r} not among the deciding texts: {deciding}"
    for text in case.also:
        assert text in everything, f"{text!r} not on the fiche: {everything}"
    # The fiche lists each text once, the deciding ones first.
    assert not set(result.deciding_bases) & set(result.general_bases)
