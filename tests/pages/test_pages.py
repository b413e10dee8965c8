import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import DEFAULT_PASSWORD, UserFactory, course_for_tests

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


def test_home_page_shows_every_part_of_the_programme_from_the_database(client, settings):
    course = course_for_tests()
    fields = {
        "audience": "Public visé : cadres et non-cadres du secteur social",
        "prerequisites": "Aucun prérequis",
        "duration": "2 à 3 jours (14 à 21 heures)",
        "methods": "Projection d'un diaporama, cas concrets, débats",
        "evaluation": "Test de positionnement et évaluation finale",
        "accessibility": "Locaux accessibles aux personnes à mobilité réduite",
        "access_delays": "Inscription jusqu'à quinze jours avant la session",
    }
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    # update_or_create: the real course, when another test loaded it, already has this code.
    course.objectives.update_or_create(
        code="distinguer", defaults={"order": 1, "text": "Distinguer les trois notions"}
    )
    settings.ORGANISATION = {**settings.ORGANISATION, "handicap_email": "referent@of.example"}
    html = client.get(reverse("home")).content.decode()
    for value in [*fields.values(), "Distinguer les trois notions", "referent@of.example"]:
        assert escape(value) in html, value
    for heading in ["Objectifs", "Public", "Prérequis", "Durée", "Évaluation"]:
        assert escape(heading) in html, heading


def test_accessibility_statement_states_an_honest_rgaa_status(client, monkeypatch, tmp_path):
    from training.pages import accessibility

    monkeypatch.setattr(accessibility, "AUDIT_FILE", tmp_path / "no-audit.md")
    html = client.get(reverse("training:accessibility")).content.decode()
    # Without an RGAA audit the status can only be « non conforme ».
    assert "<strong>non conforme</strong>" in html
    assert "RGAA 4.1" in html
    assert "partiellement conforme" not in html
    assert "Accessibilité : non conforme" in html  # the footer link on every page


def test_administrators_without_staff_status_get_no_broken_admin_link(client):
    client.force_login(UserFactory(role="Administrateur", is_staff=False))
    html = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("admin:index") not in html


def test_the_site_sets_only_the_cookies_the_privacy_page_lists(client, settings):
    user = UserFactory(role="Stagiaire", email="lea@exemple.fr")
    names = set()
    for response in [
        client.get(reverse("login")),
        client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD}),
        client.get(reverse("training:dashboard")),
        client.post(reverse("set_language"), {"language": "en", "next": "/"}),
    ]:
        names |= set(response.cookies)
    expected = {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }
    assert names == expected
    html = client.get(reverse("training:privacy")).content.decode()
    assert "language cookie" in html
