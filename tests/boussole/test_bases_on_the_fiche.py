"""The verdict page and the PDF fiche list the deciding texts first, then the general ones
(issue 20: « the fiche's bases section lists the deciding texts first »)."""

import html
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from boussole import graph
from boussole.models import Case
from tests.boussole.situations import SITUATIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# An assistante de service social asked by a landlord: refused, because her own profession binds
# her to secrecy (CASF L. 411-3) and no text lets her answer (C. pén. 226-13).
BAILLEUR = next(s for s in SITUATIONS if s.id == "ass-bailleur")
PAIRS = [
    ("peril", "non"),
    ("secret-emetteur", "ass"),
    ("situation", "demande-exterieure"),
    ("exterieur-maire", "non"),
]


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def positions(text: str, needles: list[str]) -> list[int]:
    found = [text.find(needle) for needle in needles]
    assert all(index >= 0 for index in found), dict(zip(needles, found, strict=True))
    return found


@pytest.fixture
def trainee(client, guide):
    client.force_login(UserFactory(role="Stagiaire", first_name="Camille", last_name="Durand"))
    return client


def test_the_situation_walks_the_path_used_here(guide):
    assert set(BAILLEUR.answers.items()) == set(PAIRS)


def test_the_verdict_page_lists_the_deciding_texts_then_the_general_ones(trainee, guide):
    response = trainee.get(
        reverse("boussole:walk") + "?" + urlencode({"p": graph.path_encode(PAIRS)})
    )
    body = plain(html.unescape(response.content.decode()))
    bases = body.split("Textes applicables", 1)[1]
    order = positions(
        bases,
        [
            "Textes qui fondent cette réponse",
            "C. pén., art. 226-13",
            "CASF, art. L. 411-3",
            "Textes généraux",
            "C. civ., art. 9",
        ],
    )
    assert order == sorted(order)


def test_the_pdf_fiche_lists_the_deciding_texts_then_the_general_ones(trainee, guide, tmp_path):
    response = trainee.get(
        reverse("boussole:fiche_pdf") + "?" + urlencode({"p": graph.path_encode(PAIRS)})
    )
    assert response.status_code == 200
    file = tmp_path / "fiche.pdf"
    file.write_bytes(response.content)
    text = plain(
        subprocess.run(
            ["pdftotext", "-layout", str(file), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    bases = text.split("Textes applicables", 1)[1]
    order = positions(
        bases,
        [
            "Textes qui fondent cette réponse",
            "C. pén., art. 226-13",
            "CASF, art. L. 411-3",
            "Textes généraux",
            "C. civ., art. 9",
        ],
    )
    assert order == sorted(order)


def test_a_verdict_decided_by_its_own_texts_keeps_the_answers_texts_among_the_general_ones(
    trainee, guide
):
    case = Case.objects.get(slug="assistante-sociale-medecin-traitant")
    response = trainee.get(
        reverse("boussole:walk")
        + "?"
        + urlencode({"p": graph.path_encode([tuple(a) for a in case.answers])})
    )
    body = plain(html.unescape(response.content.decode())).split("Textes applicables", 1)[1]
    deciding, general = body.split("Textes généraux", 1)
    assert "CSP, art. L. 1110-4, II" in deciding
    assert "CASF, art. L. 411-3" in general.split("</ul>", 1)[0]


def test_the_case_form_groups_the_answers_by_what_they_allow(trainee, guide):
    body = trainee.get(reverse("boussole:case_detail", args=["menace-couteau-foyer"]))
    text = body.content.decode()
    order = positions(
        text,
        [
            "Ce que la loi impose",
            "Ce que la loi permet de signaler",
            "Partages que la loi permet",
            "Partage subordonné au consentement",
            "Ne rien révéler",
        ],
    )
    assert order == sorted(order)
    for verdict in guide.verdicts.values():
        assert f'value="{verdict["id"]}"' in text
