"""The real guide (fixtures/boussole.yaml): every path, every case, every verdict."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from boussole import graph
from boussole.loader import boussole_parse

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "boussole.yaml"
MODULES = {
    "evolution-reglementaire",
    "etendue-informations-confidentielles",
    "conditions-du-partage",
    "droit-d-opposition",
    "consequences-juridiques",
}
REQUIRED_VERDICTS = {
    "echange-professionnels": "CSP, art. L. 1110-4, II",
    "equipe-de-soins": "CSP, art. L. 1110-12",
    "consentement-prealable": "CSP, art. L. 1110-4, III, al. 2",
    "protection-enfance-partage": "CASF, art. L. 226-2-2",
    "information-preoccupante": "CASF, art. L. 226-2-1",
    "signalement-possible": "C. pén., art. 226-14",
    "obligation-agir": "C. pén., art. 223-6",
    "pas-de-partage": "C. pén., art. 226-13",
}


@pytest.fixture(scope="module")
def parsed():
    return boussole_parse(FIXTURE, module_slugs=MODULES)


@pytest.fixture(scope="module")
def all_paths(parsed):
    return list(graph.paths_enumerate(parsed.graph))


def test_the_graph_has_finitely_many_paths_and_each_ends_on_a_verdict(parsed, all_paths):
    assert 100 < len(all_paths) < 20_000
    assert max(len(pairs) for pairs, _verdict in all_paths) <= 25
    for pairs, verdict in all_paths:
        result = graph.walk(parsed.graph, pairs)
        assert result.finished
        assert result.verdict["id"] == verdict


def test_every_verdict_and_every_answer_is_used_by_some_path(parsed, all_paths):
    reached = Counter(verdict for _pairs, verdict in all_paths)
    assert set(reached) == set(parsed.graph["verdicts"])
    used = {pair for pairs, _verdict in all_paths for pair in pairs}
    offered = {
        (node_id, option["key"])
        for node_id, node in parsed.graph["nodes"].items()
        for option in node["options"]
    }
    assert used == offered


def test_every_answer_states_the_condition_it_establishes(parsed):
    for node in parsed.graph["nodes"].values():
        for option in node["options"]:
            assert option["condition"] or option["unknown"], (node["id"], option["key"])


def test_every_walk_gives_conditions_and_things_to_check(parsed, all_paths):
    for pairs, _verdict in all_paths:
        result = graph.walk(parsed.graph, pairs)
        unknowns = sum(1 for step in result.steps if step.option["unknown"])
        assert len(result.conditions) == len(pairs) - unknowns
        assert result.to_check


def test_the_verdicts_asked_for_exist_with_their_legal_bases(parsed):
    verdicts = parsed.graph["verdicts"]
    for verdict_id, basis in REQUIRED_VERDICTS.items():
        assert any(basis in text for text in verdicts[verdict_id]["legal_bases"]), verdict_id
    for verdict in verdicts.values():
        assert verdict["legal_bases"]
        assert verdict["tell_the_person"]


def test_the_regimes_of_the_issue_are_all_covered(parsed):
    bases = " ".join(b for v in parsed.graph["verdicts"].values() for b in v["legal_bases"])
    helps = " ".join(n["help"] + n["text"] for n in parsed.graph["nodes"].values())
    for text in (
        "L. 121-6-2",
        "226-14, 3°",
        "226-14, 4°",
        "art. 40",
        "L. 1111-6",
        "C. civ., art. 9",
        "L. 121-7",
    ):
        assert text in bases, text
    assert "R. 1110-2" in helps


def test_every_question_has_help_and_a_je_ne_sais_pas_route_to_an_info_node(parsed):
    nodes = parsed.graph["nodes"]
    questions = [n for n in nodes.values() if n["kind"] == "question"]
    assert len(questions) >= 20
    for node in questions:
        assert "art." in node["help"].lower() or "article" in node["help"].lower(), node["id"]
        unknown = [o for o in node["options"] if o["unknown"]]
        assert len(unknown) == 1
        assert unknown[0]["label"].startswith("Je ne sais pas")
        assert nodes[unknown[0]["next"]]["kind"] == "info"


def test_there_are_ten_or_more_cases_spread_over_the_modules(parsed):
    assert len(parsed.cases) >= 10
    assert {case["module"] for case in parsed.cases} == MODULES


@pytest.mark.parametrize("case_index", range(16))
def test_each_case_reaches_its_expected_verdict_through_its_answers(parsed, case_index):
    if case_index >= len(parsed.cases):
        pytest.skip("fewer cases")
    case = parsed.cases[case_index]
    result = graph.walk(parsed.graph, [tuple(a) for a in case["answers"]])
    assert result.verdict["id"] == case["expected_verdict"]
    assert case["key_conditions"]


def test_a_path_survives_the_round_trip_through_the_query_string(all_paths):
    for pairs, _verdict in all_paths[:200]:
        assert graph.path_decode(graph.path_encode(pairs)) == pairs


@pytest.mark.parametrize(
    "raw",
    ["peril", "peril.", ".non", "PERIL.NON", "peril.non~", "peril.non~~x.y", "a.b.c", "péril.non"],
)
def test_a_malformed_path_is_refused(raw):
    with pytest.raises(graph.PathError):
        graph.path_decode(raw)


@pytest.mark.parametrize(
    "pairs",
    [
        [("secret-emetteur", "oui")],  # skips the first question
        [("peril", "peut-etre")],  # answer not offered
        [("peril", "oui"), ("secret-emetteur", "oui")],  # goes on after the verdict
        [("peril", "non"), ("inconnu", "oui")],  # unknown node
    ],
)
def test_a_path_that_does_not_fit_the_graph_is_refused(parsed, pairs):
    with pytest.raises(graph.PathError):
        graph.walk(parsed.graph, pairs)


def test_a_too_long_path_is_refused():
    with pytest.raises(graph.PathError):
        graph.path_decode("~".join(["peril.non"] * 200))
