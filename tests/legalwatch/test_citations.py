"""The citation grammar, on forms taken from the course content (lessons, slides, quizzes,
glossary, boussole), and its resolution against the registry."""

import datetime

import pytest

from training.legalwatch.citations import (
    CitationError,
    Index,
    citations_find,
    citations_resolve,
)


def keys(text, names=()):
    return [f.key or f.lookup for f in citations_find(text, names=names)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Articles with their code, in every spelling the content uses.
        ("Art. 226-13 C. pén.", ["c-pen-226-13"]),
        ("l'art. 226-14 du Code pénal", ["c-pen-226-14"]),
        ("articles 226-13 et 226-14 du code pénal", ["c-pen-226-13", "c-pen-226-14"]),
        ("art. L. 1110-4 CSP", ["csp-l-1110-4"]),
        ("l'art. L. 1110-4 du Code de la santé publique", ["csp-l-1110-4"]),
        ("art. R. 4127-35 CSP", ["csp-r-4127-35"]),
        ("art. L. 226-2-1 CASF", ["casf-l-226-2-1"]),
        ("art. D. 226-2-4 CASF", ["casf-d-226-2-4"]),
        ("art. 9 C. civ.", ["c-civ-9"]),
        ("l'**art. 9 du Code civil**", ["c-civ-9"]),
        ("art. 40 CPP", ["cpp-40"]),
        ("C. proc. pén., art. 40, al. 2", ["cpp-40"]),
        ("l'art. 40 du Code de procédure pénale", ["cpp-40"]),
        ("art. L. 121-7 du Code général de la fonction publique", ["cgfp-l-121-7"]),
        ("Art. L. 121-6 et L. 121-7 CGFP", ["cgfp-l-121-6", "cgfp-l-121-7"]),
        ("art. 83 RGPD", ["rgpd-83"]),
        ("l'art. 9 § 1 du RGPD", ["rgpd-9"]),
        # Sub-divisions map to the article.
        ("art. 226-14, 2°", ["c-pen-226-14"]),
        ("226-14, 3° : couple, danger immédiat", ["c-pen-226-14"]),
        ("(226-14 3°)", ["c-pen-226-14"]),
        ("Art. L. 1110-4 III al. 2 CSP", ["csp-l-1110-4"]),
        ("(art. L. 1110-4, III, al. 1)", [("article", "l-1110-4")]),
        ("Art. L. 1110-4 II et III CSP", ["csp-l-1110-4"]),
        ("art. 40 al. 2 CPP", ["cpp-40"]),
        ("Art. 226-14, al. 1 : sauf si la loi", ["c-pen-226-14"]),
        ("(art. 226-16 s.)", ["c-pen-226-16"]),
        # Enumerations share the code written at their end…
        ("art. L. 226-2-1 et L. 221-6 CASF", ["casf-l-226-2-1", "casf-l-221-6"]),
        ("Art. 121-2 et 131-38 C. pén.", ["c-pen-121-2", "c-pen-131-38"]),
        ("art. 9 et 1240 C. civ.", ["c-civ-9", "c-civ-1240"]),
        (
            "Art. L. 1110-4 II, R. 1110-1 et R. 1110-2 CSP",
            ["csp-l-1110-4", "csp-r-1110-1", "csp-r-1110-2"],
        ),
        ("Art. R. 4127-4 et L. 1110-4 I CSP", ["csp-r-4127-4", "csp-l-1110-4"]),
        ("art. R. 1110-1 à R. 1110-3 CSP", ["csp-r-1110-1", "csp-r-1110-3"]),
        # …but a Code pénal number keeps its code, and a new « art. » starts a new citation.
        (
            "(art. 226-13 C. pén., R. 4127-4, L. 1110-4 et L. 1111-7 CSP)",
            ["c-pen-226-13", "csp-r-4127-4", "csp-l-1110-4", "csp-l-1111-7"],
        ),
        (
            "l'art. 226-14, 1° et l'art. L. 411-3 CASF le permettent",
            ["c-pen-226-14", "casf-l-411-3"],
        ),
        # The code may come first.
        ("RGPD, art. 4 § 15 et art. 9", ["rgpd-4", ("article", "9")]),
        ("RGPD, art. 83", ["rgpd-83"]),
        # Numbers without « art. »: L./R./D. numbers and Code pénal numbers.
        ("L. 226-2-1, L. 221-6 CASF, art. 40 CPP.", ["casf-l-226-2-1", "casf-l-221-6", "cpp-40"]),
        (
            "Art. 434-1, 434-3, 223-6 ; art. 40 CPP",
            ["c-pen-434-1", "c-pen-434-3", "c-pen-223-6", "cpp-40"],
        ),
        ("- Parler hors du cadre : 226-13", ["c-pen-226-13"]),
        ("(voir l'aide de la question R. 1110-2)", [("article", "r-1110-2")]),
        # The code of medical ethics is the R. 4127 part of the CSP.
        ("l'article 4 du code de déontologie médicale", ["csp-r-4127-4"]),
        # The penal code of 1810, and the articles of a law or a decree.
        ("l'ancien art. 378 du Code pénal de 1810", ["c-pen-1810-378"]),
        (
            "la loi n° 78-17 du 6 janvier 1978, art. 1er",
            ["loi-78-17", "loi-78-17"],
        ),
        (
            "l'art. 6 de la loi du 6 janvier 1978",
            [
                ("text", "loi", datetime.date(1978, 1, 6)),
                ("text", "loi", datetime.date(1978, 1, 6)),
            ],
        ),
        ("Loi de 1978, art. 6", [("year", "loi", 1978)]),
        ("décret n° 88-145, art. 1er", ["decret-88-145", "decret-88-145"]),
        ("la loi n° 2021-1539 du 30 novembre 2021 (art. 41)", ["loi-2021-1539", "loi-2021-1539"]),
        (
            "l'art. 12 de la charte des droits et libertés de la personne accueillie",
            ["arrete-2003-09-08"],
        ),
        ("l'art. 2 de la DDHC", ["ddhc-2"]),
        # Texts by number, by date, both, in the singular and the plural.
        ("loi n° 2016-41 du 26 janvier 2016", ["loi-2016-41"]),
        ("la loi 2002-2", ["loi-2002-2"]),
        ("les décrets\n      n° 2016-994", ["decret-2016-994"]),
        ("la loi du 4 mars 2002", [("text", "loi", datetime.date(2002, 3, 4))]),
        ("Les lois du 5 mars 2007", [("text", "loi", datetime.date(2007, 3, 5))]),
        (
            "l'arrêté du\n         25 novembre 2016",
            [("text", "arrete", datetime.date(2016, 11, 25))],
        ),
        ("l'ordonnance du 10 février 2016", [("text", "ordonnance", datetime.date(2016, 2, 10))]),
        ("décret n° 2016-1349 du\n      10 octobre 2016", ["decret-2016-1349"]),
        ("le règlement (UE) 2016/679", ["reglement-ue-2016-679"]),
        ("la directive 95/46/CE", ["directive-95-46-ce"]),
        ("(décision n° 99-416 DC du 23 juillet 1999)", ["cc-99-416-dc"]),
        # Court decisions.
        ("Crim. 17 mai 1973, n° 72-91.572", ["crim-1973-05-17"]),
        ("Cass. crim., 17 mai 1973", ["crim-1973-05-17"]),
        ("la Chambre criminelle le 17 mai 1973", ["crim-1973-05-17"]),
        ("un arrêt de la Chambre criminelle du 8 juin 2021", ["crim-2021-06-08"]),
        ("Civ. 1re, 23 avril 2003, n° 01-01.851", ["civ1-2003-04-23"]),
        ("Cass. soc., 11 septembre 2024", ["soc-2024-09-11"]),
        ("CE, 28 juillet 1993, n° 97189", ["ce-1993-07-28"]),
        ("(CAA Lyon, 30 décembre 1992)", ["caa-lyon-1992-12-30"]),
        ("Crim. 1er mars 1950", ["crim-1950-03-01"]),
        # Not citations: years, ranges, pages, decision numbers, amounts, links, slugs.
        ("en 2010-2011, 15 000 €, p. 110-118", []),
        ("n° 72-91.572", []),
        ("la loi de 2007 a créé", []),
        ("[Légifrance](https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006417946)", []),
        ("id: perm-226-14-mineur", []),
        ("le Code pénal punit", []),
    ],
)
def test_the_grammar_reads_the_forms_the_course_uses(text, expected):
    assert keys(text) == expected


def test_a_registry_name_is_a_citation():
    assert keys("Dans l'arrêt *Watelet* de 1885", names=[("Watelet", "crim-1885-12-19")]) == [
        "crim-1885-12-19"
    ]
    assert keys("Watelets", names=[("Watelet", "crim-1885-12-19")]) == []


def test_offsets_point_at_the_citation_as_written():
    text = "Voir l'art. L. 1110-4 CSP et la loi du 4 mars 2002."
    found = citations_find(text)
    assert [text[f.start : f.end] for f in found] == ["L. 1110-4", "loi du 4 mars 2002"]


def _index():
    index = Index()
    for key in (
        "c-civ-9",
        "rgpd-9",
        "rgpd-4",
        "cpp-40",
        "loi-78-17",
        "c-pen-226-13",
        "csp-l-1110-4",
    ):
        number = key.rsplit("-", 1)[1] if key != "csp-l-1110-4" else "l-1110-4"
        index.add(key, numbers=[number])
    index.add(
        "loi-78-17", numbers=["1", "6"], dates=[("loi", datetime.date(1978, 1, 6)), ("loi", 1978)]
    )
    index.add("loi-2007-293", dates=[("loi", datetime.date(2007, 3, 5))])
    index.add("loi-2007-297", dates=[("loi", datetime.date(2007, 3, 5))])
    return index


def resolve(text):
    return [keys for _found, keys in citations_resolve(text, citations_find(text), _index())]


def test_an_article_without_its_code_takes_the_code_of_the_paragraph():
    assert resolve("RGPD, art. 4 § 15 et art. 9") == [["rgpd-4"], ["rgpd-9"]]
    assert resolve("art. 9 C. civ. ; plus loin, l'art. 9 encore") == [["c-civ-9"], ["c-civ-9"]]
    assert resolve("introduit dans le Code civil un article 9 célèbre") == [["c-civ-9"]]


def test_the_code_of_a_paragraph_stops_at_a_blank_line_and_at_a_yaml_field():
    text = "RGPD, art. 4\n\nEt l'art. 9"
    with pytest.raises(CitationError, match="several texts"):
        citations_resolve(text, citations_find(text), _index())
    text = "legal_basis: RGPD, art. 4\nexplanation: l'art. 9"
    with pytest.raises(CitationError, match="several texts"):
        citations_resolve(
            text, citations_find(text), _index(), breaks=[0, text.index("explanation")]
        )


def test_a_lone_number_unique_in_the_registry_is_found():
    assert resolve("l'art. 40 ne prévoit pas de sanction") == [["cpp-40"]]
    assert resolve("La loi n° 78-17 du 6 janvier 1978. Son article 1er pose") == [
        ["loi-78-17"],
        ["loi-78-17"],
    ]


def test_a_text_cited_by_its_date_names_every_text_of_that_date():
    assert resolve("les lois du 5 mars 2007") == [["loi-2007-293", "loi-2007-297"]]
    assert resolve("la loi du 6 janvier 1978") == [["loi-78-17"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("art. 226-99 C. pén.", "is not in the registry"),
        ("la loi du 1er avril 2019", "no loi of that date"),
        ("l'art. 777", "no such article"),
        ("l'art. 9", "several texts of the registry"),
    ],
)
def test_an_unknown_or_ambiguous_citation_is_refused(text, message):
    with pytest.raises(CitationError, match=message) as info:
        citations_resolve(text, citations_find(text), _index())
    assert text[info.value.found.start : info.value.found.end] in text
