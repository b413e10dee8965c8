import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from boussole import graph
from boussole.models import Case
from modules import rendering
from modules.models import Module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WALK = reverse("boussole:walk")


@pytest.fixture
def trainee_client(client, guide):
    client.force_login(UserFactory(role="Stagiaire"))
    return client


def walk_url(pairs, **params):
    query = {"p": graph.path_encode(pairs)} if pairs else {}
    query.update(params)
    return WALK + ("?" + urlencode(query) if query else "")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("boussole:home"),
        WALK,
        reverse("boussole:fiche_pdf"),
        reverse("boussole:case_list"),
        reverse("boussole:case_detail", args=["menace-couteau-foyer"]),
        reverse("boussole:case_projection", args=["menace-couteau-foyer"]),
        reverse("boussole:outline"),
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, guide, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "projection", "outline"),
    [("Stagiaire", 403, 403), ("Formateur", 200, 403), ("Administrateur", 200, 200)],
)
def test_each_role_reaches_what_it_may(client, guide, role, projection, outline):
    client.force_login(UserFactory(role=role))
    for name in ("boussole:home", "boussole:walk", "boussole:case_list"):
        assert client.get(reverse(name)).status_code == 200
    case_url = reverse("boussole:case_detail", args=["menace-couteau-foyer"])
    assert client.get(case_url).status_code == 200
    projection_url = reverse("boussole:case_projection", args=["menace-couteau-foyer"])
    assert client.get(projection_url).status_code == projection
    assert client.get(reverse("boussole:outline")).status_code == outline


def test_a_user_without_role_is_refused(client, guide):
    client.force_login(UserFactory())
    assert client.get(WALK).status_code == 403


def test_the_first_screen_asks_the_start_question_with_help_and_je_ne_sais_pas(
    trainee_client, guide
):
    start = guide.graph["nodes"][guide.graph["start"]]
    body = page(trainee_client, WALK)
    assert f'<h1 class="boussole-question" id="h-options">{html.escape(start["text"])}</h1>' in body
    assert '<details class="boussole-help">' in body
    assert "Définition et texte applicable" in body
    assert "223-6" in body
    for option in start["options"]:
        assert html.escape(walk_url([("peril", option["key"])])) in body
    assert "Je ne sais pas" in body
    assert 'value="0" max="100"' in body  # progress bar at the start


def test_je_ne_sais_pas_leads_to_how_to_find_out_and_back_to_the_question(trainee_client, guide):
    body = page(trainee_client, walk_url([("peril", "nsp")]))
    assert "Comment le savoir" in body
    assert "Comment reconnaître un péril" in body
    assert "Revenir à la question" in body
    assert f'href="{WALK}" rel="prev"' in body
    assert html.escape(walk_url([("peril", "nsp"), ("peril-nsp", "manque")])) in body
    assert "Si vous hésitez encore" in body  # the way out ends the screen (issue 20, point 8)


def test_the_back_link_drops_the_last_answer(trainee_client, guide):
    pairs = [("peril", "non"), ("secret-emetteur", "ass")]
    body = page(trainee_client, walk_url(pairs))
    assert f'href="{html.escape(walk_url(pairs[:1]))}" rel="prev"' in body
    assert "Étape 3" in body


@pytest.mark.parametrize(
    "slug",
    ["menace-couteau-foyer", "fille-pronostic-grave", "ccas-plateforme-partagee"],
)
def test_following_the_offered_links_walks_a_case_to_its_verdict(trainee_client, guide, slug):
    case = Case.objects.get(slug=slug)
    pairs = []
    for node_id, key in case.answers:
        body = page(trainee_client, walk_url(pairs, cas=slug))
        pairs.append((node_id, key))
        assert html.escape(walk_url(pairs, cas=slug)) in body
    body = page(trainee_client, walk_url(pairs, cas=slug))
    verdict = guide.verdicts[case.expected_verdict]
    assert f"<h1>{html.escape(verdict['title'])}</h1>" in body
    assert "Votre parcours aboutit au verdict attendu." in body
    for condition in case.key_conditions:
        assert html.escape(condition) in body


def test_every_case_replays_to_its_expected_verdict_over_http(trainee_client, guide):
    for case in Case.objects.all():
        body = page(trainee_client, walk_url([tuple(a) for a in case.answers]))
        assert html.escape(guide.verdicts[case.expected_verdict]["title"]) in body


def test_the_verdict_page_shows_conditions_checks_bases_and_what_to_tell(trainee_client, guide):
    pairs = [
        ("peril", "non"),
        ("secret-emetteur", "nsp"),
        ("secret-emetteur-nsp", "prudence"),
        ("situation", "coordination"),
        ("coord-participe", "oui"),
        ("coord-necessaire", "oui"),
        ("equipe", "non"),
        ("mode", "echange"),
        ("echange-r1110-2", "oui"),
    ]
    body = page(trainee_client, walk_url(pairs))
    verdict = guide.verdicts["echange-professionnels"]
    for heading in (
        "Ce qui vous a mené ici",
        "Conditions encore à vérifier",
        "Ce que vous dites à la personne",
        "Textes applicables",
        "Textes qui fondent cette réponse",
        "Télécharger la fiche de raisonnement (PDF)",
    ):
        assert heading in body
    for basis in verdict["deciding_bases"] + verdict["legal_bases"]:
        assert html.escape(basis) in body
    assert html.escape(verdict["tell_the_person"]) in body
    # The cautious answer adds its own point to check, before the verdict's.
    assert "Vérifiez le texte qui vous soumet, ou non, au secret professionnel" in body
    assert (
        html.escape(
            reverse("boussole:fiche_pdf") + "?" + urlencode({"p": graph.path_encode(pairs)})
        )
        in body
    )
    # Each answer can be changed by going back to that step.
    assert html.escape(walk_url(pairs[:3])) in body


@pytest.mark.parametrize(
    "query",
    [
        {"p": "secret-emetteur.oui"},
        {"p": "peril.peut-etre"},
        {"p": "peril.oui~secret-emetteur.oui"},
        {"p": "peril"},
        {"p": "<script>alert(1)</script>"},
        {"p": "peril.non~" * 300},
        {"cas": "cas-inconnu"},
        {"cas": "menace-couteau-foyer", "choix": "verdict-inconnu"},
        {"choix": "pas-de-partage"},
    ],
)
def test_a_tampered_walk_gets_a_clear_400_in_french(trainee_client, guide, query):
    for url in (WALK, reverse("boussole:fiche_pdf")):
        response = trainee_client.get(url + "?" + urlencode(query))
        assert response.status_code == 400
        body = response.content.decode()
        assert "Parcours invalide dans la boussole" in body
        assert "<script>alert" not in body


def test_the_reasoning_sheet_of_an_unfinished_walk_is_a_400(trainee_client, guide):
    response = trainee_client.get(reverse("boussole:fiche_pdf") + "?p=peril.non")
    assert response.status_code == 400
    assert "une fois la boussole arrivée à un verdict" in response.content.decode()


def test_a_case_asks_for_an_answer_first_then_reveals_how_to_check_it(trainee_client, guide):
    case = Case.objects.get(slug="ccas-plateforme-partagee")
    url = case.get_absolute_url()
    body = page(trainee_client, url)
    assert "Votre réponse d'abord" in body
    assert html.escape(guide.verdicts["consentement-prealable"]["title"]) in body
    assert "Vérifier ma réponse avec la boussole" not in body

    response = trainee_client.post(url, {"verdict": "", "reasoning": ""})
    assert response.status_code == 200
    assert "Choisissez la réponse que vous donneriez." in response.content.decode()
    response = trainee_client.post(url, {"verdict": "n-importe-quoi"})
    assert response.status_code == 200
    assert "Choisissez l'une des réponses proposées." in html.unescape(response.content.decode())

    response = trainee_client.post(
        url, {"verdict": "equipe-de-soins", "reasoning": "Ils travaillent <b>ensemble</b>."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vérifier ma réponse avec la boussole" in body
    assert "Ils travaillent &lt;b&gt;ensemble&lt;/b&gt;." in body
    walk_link = walk_url([], cas=case.slug, choix="equipe-de-soins")
    assert html.escape(walk_link) in body

    answers = [tuple(a) for a in case.answers]
    body = page(trainee_client, walk_url(answers, cas=case.slug, choix="equipe-de-soins"))
    assert "Votre première réponse" in body
    assert "Votre première réponse différait de la réponse attendue." in body
    assert "Votre parcours aboutit au verdict attendu." in body


def test_the_projection_view_is_in_large_type_with_a_reveal(client, guide):
    client.force_login(UserFactory(role="Formateur"))
    case = Case.objects.get(slug="urgences-violences-couple")
    body = page(client, reverse("boussole:case_projection", args=[case.slug]))
    assert 'class="boussole-projection"' in body
    assert '<details class="boussole-projection-answer">' in body
    assert html.escape(case.expected["title"]) in body
    body = page(client, case.get_absolute_url())
    assert reverse("boussole:case_projection", args=[case.slug]) in body


def test_the_outline_shows_every_node_verdict_and_case(client, guide):
    client.force_login(UserFactory(role="Administrateur"))
    body = page(client, reverse("boussole:outline"))
    for node_id in guide.graph["nodes"]:
        assert f'id="node-{node_id}"' in body
    for verdict_id in guide.verdicts:
        assert f'id="verdict-{verdict_id}"' in body
    for case in Case.objects.all():
        assert html.escape(case.title) in body


def test_the_outline_counts_paths_in_french_with_grouped_thousands(client, guide):
    client.force_login(UserFactory(role="Administrateur"))
    body = page(client, reverse("boussole:outline"))
    count = sum(1 for _ in graph.paths_enumerate(guide.graph))
    assert count >= 1000
    grouped = f"{count:,}".replace(",", "\xa0")
    assert f"{grouped} parcours possibles" in body
    assert "fiches «\xa0comment le savoir\xa0»" in body


def test_the_case_list_and_module_pages_link_the_cases(trainee_client, guide):
    body = page(trainee_client, reverse("boussole:case_list"))
    for case in Case.objects.all():
        assert case.get_absolute_url() in body
    module = Module.objects.get(slug="conditions-du-partage")
    body = page(trainee_client, module.get_absolute_url())
    assert "Cas pratiques" in body
    for case in Case.objects.filter(module=module):
        assert case.get_absolute_url() in body


def test_the_navigation_offers_the_compass(trainee_client, guide):
    body = page(trainee_client, reverse("training:dashboard"))
    assert f'href="{reverse("boussole:home")}"' in body
    assert ">Boussole</a>" in body


def test_walking_never_renders_markdown(trainee_client, guide, monkeypatch):
    calls = []
    monkeypatch.setattr(rendering.markdown, "Markdown", lambda *a, **k: calls.append(1))
    case = Case.objects.get(slug="synthese-ase-service-social")
    page(trainee_client, WALK)
    page(trainee_client, walk_url([tuple(a) for a in case.answers], cas=case.slug))
    page(trainee_client, case.get_absolute_url())
    assert calls == []


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_list_query_count_does_not_grow_with_cases(trainee_client, guide):
    url = reverse("boussole:case_list")
    small = count_queries(trainee_client, url)
    for case in list(Case.objects.all()):
        case.pk = None
        case.slug = f"{case.slug}-copie"
        case.save()
    assert count_queries(trainee_client, url) == small


def test_the_walk_only_answers_get_requests(trainee_client, guide):
    assert trainee_client.post(WALK).status_code == 405
    assert trainee_client.post(reverse("boussole:fiche_pdf")).status_code == 405
