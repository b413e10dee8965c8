import pytest

from boussole.loader import boussole_parse
from boussole.models import Case, Guide
from modules.content import ContentError
from tests.boussole.small_guide import SMALL_GUIDE, line_number, write_guide
from tests.modules.content_tree import write_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(no_course):
    """Start from no course and no guide, as on a fresh database."""


MODULES = {"module-1", "module-2"}


def parse_error(tmp_path, text) -> ContentError:
    path = write_guide(tmp_path / "boussole.yaml", text)
    with pytest.raises(ContentError) as info:
        boussole_parse(path, module_slugs=MODULES)
    return info.value


def test_the_small_guide_parses(tmp_path):
    parsed = boussole_parse(write_guide(tmp_path / "boussole.yaml"), module_slugs=MODULES)
    assert set(parsed.graph["nodes"]) == {"q1", "q1-nsp", "q2", "q2-nsp"}
    assert set(parsed.graph["verdicts"]) == {"v-oui", "v-non"}
    assert parsed.cases[0]["answers"] == [["q1", "oui"], ["q2", "oui"]]


def test_an_option_leading_nowhere_is_a_dead_end_named_with_its_node(tmp_path):
    text = SMALL_GUIDE.replace(
        "        next: q2\n      - key: non", "        next: nulle-part\n      - key: non", 1
    )
    error = parse_error(tmp_path, text)
    assert "node 'q1'" in error.message
    assert "option 'oui' leads to 'nulle-part'" in error.message
    assert "dead end" in error.message
    assert error.line == line_number(text, "key: oui")


def test_a_node_without_options_is_a_dead_end(tmp_path):
    text = SMALL_GUIDE.replace(
        "verdicts:\n",
        "  - id: impasse\n    kind: info\n    title: Impasse\n    text: Rien.\n    options: []\nverdicts:\n",
    )
    error = parse_error(tmp_path, text)
    assert error.message == "node 'impasse' is a dead end: it has no option"
    assert error.line == line_number(text, "id: impasse")


def test_a_cycle_is_reported_with_the_nodes_it_goes_through(tmp_path):
    text = SMALL_GUIDE.replace(
        "        label: Je continue\n        next: v-oui",
        "        label: Je continue\n        next: q1",
    )
    error = parse_error(tmp_path, text)
    assert error.message.startswith("cycle through node 'q1'")
    assert "q2 → q2-nsp → q1" in error.message
    assert error.line == line_number(text, "id: q2-nsp")


def test_an_unreachable_node_is_named(tmp_path):
    orphan = (
        "  - id: orpheline\n    kind: info\n    title: Orpheline\n    text: Personne ne vient ici.\n"
        "    options:\n      - key: suite\n        label: Suite\n        next: v-oui\n"
    )
    text = SMALL_GUIDE.replace("verdicts:\n", orphan + "verdicts:\n")
    error = parse_error(tmp_path, text)
    assert error.message == "node 'orpheline' cannot be reached from the start node 'q1'"
    assert error.line == line_number(text, "id: orpheline")


def test_an_unreachable_verdict_is_named(tmp_path):
    text = SMALL_GUIDE.replace(
        "cases:\n",
        "  - id: v-jamais\n    kind: duty\n    title: Jamais\n    summary: Jamais atteint.\n"
        "    deciding_bases: [Art. 3]\n    tell_the_person: Rien.\ncases:\n",
    )
    error = parse_error(tmp_path, text)
    assert error.message == "verdict 'v-jamais' cannot be reached from the start node 'q1'"


def test_a_verdict_without_deciding_basis_is_refused_with_its_name(tmp_path):
    text = SMALL_GUIDE.replace("deciding_bases: [Art. 2]", "deciding_bases: []")
    error = parse_error(tmp_path, text)
    assert error.message.startswith("verdict 'v-non' cites no deciding legal basis")
    assert error.line == line_number(text, "deciding_bases: []")


def test_a_verdict_with_no_deciding_bases_field_is_refused(tmp_path):
    text = SMALL_GUIDE.replace("    deciding_bases: [Art. 2]\n", "")
    error = parse_error(tmp_path, text)
    assert error.message.startswith("verdict 'v-non' cites no deciding legal basis")


def test_general_bases_alone_do_not_make_a_verdict_valid(tmp_path):
    text = SMALL_GUIDE.replace("deciding_bases: [Art. 2]", "legal_bases: [Art. 2]")
    error = parse_error(tmp_path, text)
    assert error.message.startswith("verdict 'v-non' cites no deciding legal basis")


def test_a_text_cannot_be_both_deciding_and_general(tmp_path):
    text = SMALL_GUIDE.replace("legal_bases: [Art. 9]", "legal_bases: [Art. 1]")
    error = parse_error(tmp_path, text)
    assert error.message == (
        "verdict 'v-oui': 'Art. 1' is listed both as a deciding and as a general basis"
    )
    assert error.line == line_number(text, "legal_bases: [Art. 1]")


def test_answers_decide_must_be_a_boolean(tmp_path):
    error = parse_error(
        tmp_path, SMALL_GUIDE.replace("answers_decide: true", "answers_decide: parfois")
    )
    assert error.message == "verdict 'v-non': 'answers_decide' must be true or false"


def test_the_bases_of_an_answer_must_be_texts(tmp_path):
    error = parse_error(tmp_path, SMALL_GUIDE.replace("bases: [Art. 5]", "bases: [3, 4]"))
    assert error.message == ("node 'q1', option 'oui': 'bases' must be a list of non-empty texts")


def test_the_fiche_lists_the_deciding_texts_first_then_the_general_ones(tmp_path):
    from boussole import graph

    parsed = boussole_parse(write_guide(tmp_path / "boussole.yaml"), module_slugs=MODULES)
    shared = graph.walk(parsed.graph, [("q1", "oui"), ("q2", "oui")])
    # The answer's text is general for a verdict that the answers do not decide...
    assert shared.deciding_bases == ["Art. 1"]
    assert shared.general_bases == ["Art. 9", "Art. 5"]
    refused = graph.walk(parsed.graph, [("q1", "oui"), ("q2", "non")])
    # ...and deciding, after the verdict's own, for a verdict decided by the answers.
    assert refused.deciding_bases == ["Art. 2", "Art. 5"]
    assert refused.general_bases == []
    direct = graph.walk(parsed.graph, [("q1", "non")])
    assert direct.deciding_bases == ["Art. 2"]


def test_a_case_with_an_unknown_expected_verdict_is_refused(tmp_path):
    text = SMALL_GUIDE.replace("expected_verdict: v-oui", "expected_verdict: v-inconnu")
    error = parse_error(tmp_path, text)
    assert error.message == "case 'cas-un': unknown expected verdict 'v-inconnu'"
    assert error.line == line_number(text, "expected_verdict")


def test_a_case_whose_answers_lead_elsewhere_is_refused(tmp_path):
    text = SMALL_GUIDE.replace("[q2, oui]", "[q2, non]")
    error = parse_error(tmp_path, text)
    assert "case 'cas-un': its answers lead to verdict 'v-non'" in error.message


def test_a_case_whose_answers_do_not_fit_the_graph_is_refused(tmp_path):
    text = SMALL_GUIDE.replace("[q2, oui]", "[q2, peut-etre]")
    error = parse_error(tmp_path, text)
    assert error.message.startswith("case 'cas-un': its answers do not fit the graph")


def test_a_case_with_an_unknown_module_is_refused(tmp_path):
    error = parse_error(tmp_path, SMALL_GUIDE.replace("module: module-1", "module: module-9"))
    assert error.message == "case 'cas-un': unknown module 'module-9'"


def test_a_question_without_je_ne_sais_pas_is_refused(tmp_path):
    text = SMALL_GUIDE.replace(
        "      - key: nsp\n        label: Je ne sais pas\n        unknown: true\n        next: q2-nsp\n",
        "      - key: autre\n        label: Autre\n        next: q2-nsp\n",
    )
    error = parse_error(tmp_path, text)
    assert error.message == "node 'q2': a question needs exactly one « Je ne sais pas » option"


def test_a_missing_field_names_the_node(tmp_path):
    error = parse_error(tmp_path, SMALL_GUIDE.replace("    help: Aide de la question deux.\n", ""))
    assert error.message == "node 'q2': a question needs a 'help' text"
    error = parse_error(tmp_path, SMALL_GUIDE.replace("        label: Je continue\n", ""))
    assert error.message == "node 'q2-nsp', option 'suite': missing required field 'label'"


def test_content_load_stores_the_rendered_guide_and_is_idempotent(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    write_guide(base / "boussole.yaml")
    report = content_load(base=base)
    assert report.counts["boussole guide"]["created"] == 1
    assert report.counts["boussole cases"]["created"] == 1
    guide = Guide.objects.get()
    info = guide.graph["nodes"]["q1-nsp"]
    assert 'href="/glossaire/#secret-professionnel"' in info["text_html"]
    assert guide.graph["nodes"]["q1"]["help_html"].startswith("<p>Aide")
    assert guide.graph["nodes"]["q1"]["max_remaining"] == 4
    assert guide.graph["nodes"]["q1"]["min_remaining"] == 1
    assert guide.graph["verdicts"]["v-oui"]["deciding_bases"] == ["Art.\u00a01"]
    assert guide.graph["verdicts"]["v-oui"]["legal_bases"] == ["Art.\u00a09"]
    assert guide.graph["nodes"]["q1"]["options"][0]["bases"] == ["Art.\u00a05"]
    case = Case.objects.select_related("module").get()
    assert case.module.slug == "module-1"
    assert case.expected["title"] == "Partage possible"
    again = content_load(base=base)
    assert again.counts["boussole guide"]["unchanged"] == 1
    assert again.counts["boussole cases"]["unchanged"] == 1


def test_a_broken_guide_leaves_the_database_as_it_was(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    write_guide(base / "boussole.yaml")
    content_load(base=base)
    before = Guide.objects.get().graph
    write_guide(
        base / "boussole.yaml",
        SMALL_GUIDE.replace("deciding_bases: [Art. 2]", "deciding_bases: []"),
    )
    with pytest.raises(ContentError):
        content_load(base=base)
    assert Guide.objects.get().graph == before
    assert Case.objects.count() == 1


def test_an_unknown_glossary_term_stops_the_load(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    write_guide(
        base / "boussole.yaml", SMALL_GUIDE.replace("[[secret-professionnel]]", "[[inconnu]]")
    )
    with pytest.raises(ContentError, match="node 'q1-nsp': unknown glossary term 'inconnu'"):
        content_load(base=base)
    assert not Guide.objects.exists()


def test_a_removed_case_is_deleted_on_reload(tmp_path):
    base = write_tree(tmp_path / "fixtures")
    write_guide(base / "boussole.yaml")
    content_load(base=base)
    write_guide(base / "boussole.yaml", SMALL_GUIDE.split("cases:")[0])
    report = content_load(base=base)
    assert report.counts["boussole cases"]["removed"] == 1
    assert not Case.objects.exists()
