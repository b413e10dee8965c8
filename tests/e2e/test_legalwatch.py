"""Browser checks of the legal watch: an administrator records that art. 226-14 was modified
and sees the items to review; a trainee sees when a module was updated and its history."""

import pytest

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory
from training.content.loader import content_load
from training.legalwatch.models import ReviewFlag

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course(transactional_db):
    content_load()


def test_an_administrator_records_a_verification_and_sees_the_flagged_items(phone_page, course):
    # On a phone: at 1280 px the administrator's navigation bar (base.html) overflows.
    page = phone_page
    admin = UserFactory(role="Administrateur")
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto("/tableau-de-bord/")
    page.get_by_role("link", name="Ouvrir la veille juridique").click()
    assert page.get_by_role("heading", name="Veille juridique", level=1).is_visible()
    check_accessibility(page, "legalwatch_list")

    page.get_by_role("link", name="art. 226-14 C. pén.", exact=True).first.click()
    check_accessibility(page, "legalwatch_reference")
    page.get_by_label("Source consultée").fill("Légifrance, version en vigueur")
    page.get_by_label("Modifié").check()
    page.get_by_label("Note").fill("Nouvelle rédaction du 2°.")
    page.get_by_role("button", name="Enregistrer la vérification").click()
    page.wait_for_load_state("networkidle")

    flags = ReviewFlag.objects.filter(reference__key="c-pen-226-14")
    assert flags.count() > 0
    assert f"{flags.count()} élément(s) citant ce texte sont signalés" in page.content()
    lesson = flags.filter(item_kind="lesson").order_by("item_label").first()
    lessons = page.locator('ul.flagged-items[data-kind="lesson"]')
    assert lessons.get_by_role("link", name=lesson.item_label, exact=True).is_visible()
    check_accessibility(page, "legalwatch_reference_flagged")

    page.goto("/administration/veille-juridique/")
    page.get_by_text("art. 226-14 C. pén. — modifié").click()  # opens the details
    assert page.get_by_role("link", name=lesson.item_label, exact=True).first.is_visible()
    check_accessibility(page, "legalwatch_list_flagged")


def test_a_trainee_sees_the_update_date_and_history_of_a_module(page, course):
    trainee = UserFactory(role="Stagiaire")
    login(page, trainee.email, DEFAULT_PASSWORD)
    page.goto("/cours/consequences-juridiques/")
    assert page.get_by_text("Contenu à jour au").first.is_visible()
    page.get_by_role("link", name="Historique des mises à jour").click()
    history = page.get_by_role("heading", name="Historique des mises à jour")
    assert history.is_visible()
    assert "contenu publié" in page.content()
    assert "Contenu en cours de révision" not in page.content()
    check_accessibility(page, "legalwatch_module_history")
