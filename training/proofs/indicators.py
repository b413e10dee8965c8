"""What each file of a proof pack proves: Qualiopi indicators and the funders' usual items.

The descriptions are short and neutral, written for this platform: they are NOT the official
wording of the national quality framework (« référentiel national qualité »), which the
index says. Numbers are the framework's indicator numbers.
"""

from __future__ import annotations

# Indicator number → short neutral French description (not the official wording).
QUALIOPI = {
    1: "Information du public sur la prestation (programme, objectifs, durée, prix)",
    2: "Indicateurs de résultats (satisfaction, réussite)",
    4: "Analyse du besoin du bénéficiaire",
    5: "Objectifs de la prestation, opérationnels et évaluables",
    8: "Positionnement des bénéficiaires à l'entrée",
    9: "Information des bénéficiaires sur les conditions de déroulement",
    10: "Adaptation de la prestation et suivi des bénéficiaires",
    11: "Évaluation de l'atteinte des objectifs",
    23: "Veille légale et réglementaire",
    30: "Recueil des appréciations des parties prenantes",
    31: "Traitement des réclamations",
    32: "Amélioration continue",
}

# The items a funder (OPCO, France Travail, the State's control) usually checks.
FUNDER = {
    "realisation": "Réalisation de l'action (elle a eu lieu, comme prévu)",
    "assiduite": "Assiduité (présence par demi-journée, heures suivies)",
    "resultats": "Résultats (évaluation des acquis)",
}

FUNDER_SHORT = {"realisation": "réalisation", "assiduite": "assiduité", "resultats": "résultats"}
