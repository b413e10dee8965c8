import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [None, "Stagiaire", "Formateur", "Administrateur"]
PUBLIC = [
    "home",
    "login",
    "password_reset",
    "training:legal_notice",
    "training:privacy",
    "training:accessibility",
]
LOGGED_IN = ["training:dashboard", "training:profile", "password_change"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_answer_everyone_in_french(client, role, name):
    if role:
        client.force_login(UserFactory(role=role))
    response = client.get(reverse(name))
    expected = 302 if (name == "login" and role) else 200
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert 'href="#contenu"' in html  # skip link


@pytest.mark.parametrize("name", LOGGED_IN)
def test_private_pages_send_anonymous_users_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("name", LOGGED_IN)
def test_private_pages_answer_each_role(client, role, name):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(name)).status_code == 200


def test_navigation_depends_on_the_role(client):
    client.force_login(UserFactory(role="Stagiaire"))
    assert "/admin/" not in client.get(reverse("training:dashboard")).content.decode()
    client.force_login(UserFactory(role="Administrateur", is_staff=True))
    assert reverse("admin:index") in client.get(reverse("training:dashboard")).content.decode()


def test_privacy_page_states_the_retention_periods_from_settings(client, settings):
    settings.RETENTION_EVIDENCE_YEARS = 7
    settings.RETENTION_INACTIVE_ACCOUNT_MONTHS = 30
    html = client.get(reverse("training:privacy")).content.decode()
    assert "7 ans" in html
    assert "30 mois" in html


def test_legal_notice_shows_the_organisation_identity(client, settings):
    settings.ORGANISATION = {
        **settings.ORGANISATION,
        "name": "Formations Exemple SARL",
        "siret": "123 456 789 00012",
    }
    html = client.get(reverse("training:legal_notice")).content.decode()
    assert "Formations Exemple SARL" in html
    assert "123 456 789 00012" in html


def test_english_is_available_as_second_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
