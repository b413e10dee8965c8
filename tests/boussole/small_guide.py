"""A tiny but complete guide file for loader tests (modules module-1 and module-2)."""

from pathlib import Path

SMALL_GUIDE = """\
guide:
  slug: boussole
  title: Boussole de test
  start: q1
  intro: Introduction.
nodes:
  - id: q1
    kind: question
    text: Question un ?
    help: Aide de la question un (art. 1).
    options:
      - key: oui
        label: Oui
        condition: La condition un est remplie.
        bases: [Art. 5]
        next: q2
      - key: non
        label: Non
        next: v-non
      - key: nsp
        label: Je ne sais pas
        unknown: true
        next: q1-nsp
  - id: q1-nsp
    kind: info
    title: Comment le savoir
    text: Cherchez dans le [[secret-professionnel]].
    options:
      - key: oui
        label: C'est oui
        to_check: [Vérifiez la condition un.]
        next: q2
      - key: non
        label: C'est non
        next: v-non
  - id: q2
    kind: question
    text: Question deux ?
    help: Aide de la question deux.
    options:
      - key: oui
        label: Oui
        next: v-oui
      - key: non
        label: Non
        next: v-non
      - key: nsp
        label: Je ne sais pas
        unknown: true
        next: q2-nsp
  - id: q2-nsp
    kind: info
    title: Savoir pour la deux
    text: Texte.
    options:
      - key: suite
        label: Je continue
        next: v-oui
verdicts:
  - id: v-oui
    kind: share
    title: Partage possible
    summary: Vous pouvez partager.
    to_check: [Point à vérifier.]
    deciding_bases: [Art. 1]
    legal_bases: [Art. 9]
    tell_the_person: Dites-le.
  - id: v-non
    kind: refuse
    title: Pas de partage
    summary: Vous ne pouvez pas.
    deciding_bases: [Art. 2]
    answers_decide: true
    tell_the_person: Ne dites rien.
cases:
  - id: cas-un
    title: Cas un
    module: module-1
    situation: Une situation fictive.
    expected_verdict: v-oui
    key_conditions: [La condition un.]
    answers:
      - [q1, oui]
      - [q2, oui]
"""


def write_guide(path: Path, text: str = SMALL_GUIDE) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_number(text: str, needle: str, occurrence: int = 1) -> int:
    """Return the 1-based line of the n-th line containing ``needle``."""
    found = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")
