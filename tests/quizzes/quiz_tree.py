"""A tiny content tree with quizzes, for loader and page tests.

Tests that load it start from no course (the ``no_course`` fixture): every test database
holds the real course otherwise.
"""

from pathlib import Path

from tests.modules.content_tree import write_tree

MODULE_QUIZ = """\
slug: quiz-essai
title: Quiz du module 1
kind: module
module: module-1
description: Vérifiez vos acquis sur le [[secret-professionnel]].
pass_mark: 0
max_attempts: 0
show_answers: true
questions:
  - key: q01
    type: single
    text: Qui est tenu au secret ?
    objective: distinguer
    legal_basis: Art. 226-13 C. pén.
    explanation: Le texte vise les dépositaires.
    choices:
      - text: Le dépositaire
        correct: true
        feedback: Exact.
      - text: Tout le monde
        correct: false
        feedback: "Idée reçue : tout le monde."
  - key: q02
    type: true_false
    text: Le secret partagé est une notion légale.
    objective: appliquer
    legal_basis: Loi du 22 juillet 1992
    explanation: Le Parlement a refusé de la définir.
    choices:
      - text: Vrai
        correct: false
        feedback: "Idée reçue : notion légale."
      - text: Faux
        correct: true
        feedback: Exact.
  - key: q03
    type: multiple
    text: Quelles sanctions ?
    objective: distinguer
    legal_basis: Art. 226-13 C. pén.
    explanation: Un an et 15 000 euros.
    choices:
      - text: Un an d'emprisonnement
        correct: true
        feedback: Exact.
      - text: 15 000 euros d'amende
        correct: true
        feedback: Exact.
      - text: La radiation automatique
        correct: false
        feedback: "Idée reçue : radiation automatique."
"""

POSITIONING = """\
slug: essai-positionnement
title: Test de positionnement
kind: positioning
module: null
description: Avant la session.
pass_mark: 0
max_attempts: 1
show_answers: false
questions:
  - key: q01
    type: single
    text: Qui est tenu au secret ?
    objective: distinguer
    legal_basis: Art. 226-13 C. pén.
    explanation: Le texte vise les dépositaires.
    choices:
      - text: Le dépositaire
        correct: true
        feedback: Exact.
      - text: Tout le monde
        correct: false
        feedback: "Idée reçue : tout le monde."
  - key: q02
    type: single
    text: Que faire ?
    objective: appliquer
    legal_basis: Art. L. 1110-4 CSP
    explanation: Partager le strict nécessaire.
    choices:
      - text: Le strict nécessaire
        correct: true
        feedback: Exact.
      - text: Tout le dossier
        correct: false
        feedback: "Idée reçue : tout le dossier."
"""

FINAL = (
    POSITIONING.replace("slug: essai-positionnement", "slug: essai-finale")
    .replace("title: Test de positionnement", "title: Évaluation finale")
    .replace("kind: positioning", "kind: final")
    .replace("pass_mark: 0", "pass_mark: 70")
    .replace("max_attempts: 1", "max_attempts: 2")
    .replace("show_answers: false", "show_answers: true")
)


def write_quiz_tree(base: Path) -> Path:
    write_tree(base)
    (base / "quizzes" / "module-1.yaml").write_text(MODULE_QUIZ, encoding="utf-8")
    (base / "quizzes" / "positionnement.yaml").write_text(POSITIONING, encoding="utf-8")
    (base / "quizzes" / "evaluation-finale.yaml").write_text(FINAL, encoding="utf-8")
    return base
