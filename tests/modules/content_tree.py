"""A tiny but complete content tree for loader tests, written into a temporary folder."""

from pathlib import Path
from textwrap import dedent

COURSE = """\
slug: cours-test
title: "Cours de test"
objectives:
  - code: distinguer
    text: Distinguer
  - code: appliquer
    text: Appliquer
"""

MODULE = """\
---
number: {number}
slug: module-{number}
title: Module {number}
minutes: 60
objectives:
  - Savoir {number}
course_objectives: [distinguer]
---
Introduction du module {number}.
"""

LESSON = """\
---
title: Leçon {number}.{order}
slug: lecon-{number}-{order}
order: {order}
minutes: 10
---
## Partie un

Le [[secret-professionnel]] s'applique.

## Partie deux

Texte.
"""

GLOSSARY = """\
- slug: secret-professionnel
  term: Secret professionnel
  definition: Obligation de se taire.
  legal_basis: Art. 226-13 C. pén.
"""

RESOURCES = """\
- slug: livre
  kind: bibliography
  module: null
  authors: Auteur
  title: Un livre
  year: "2013"
- slug: site
  kind: link
  module: module-1
  title: Un site
  url: https://www.legifrance.gouv.fr/
  description: Le droit.
"""

SLIDES = """\
## Première diapositive
- point
Note:
Notes de l'orateur.
---
## Deuxième diapositive
Texte.
"""


def write_tree(base: Path, modules: int = 2, lessons: int = 2) -> Path:
    (base / "course").mkdir(parents=True)
    (base / "course.yaml").write_text(COURSE, encoding="utf-8")
    (base / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (base / "resources.yaml").write_text(RESOURCES, encoding="utf-8")
    (base / "quizzes").mkdir()
    for number in range(1, modules + 1):
        folder = base / "course" / f"0{number}-module"
        folder.mkdir()
        (folder / "module.md").write_text(MODULE.format(number=number), encoding="utf-8")
        (folder / "trainer-notes.md").write_text(
            "## Déroulé et timing\n\nNotes.\n", encoding="utf-8"
        )
        (folder / "slides.md").write_text(SLIDES, encoding="utf-8")
        for order in range(1, lessons + 1):
            (folder / f"0{order}-lecon.md").write_text(
                LESSON.format(number=number, order=order), encoding="utf-8"
            )
    return base


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


__all__ = ["write_tree", "replace_in", "dedent"]
