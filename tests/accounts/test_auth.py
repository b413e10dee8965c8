import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_lands_on_the_dashboard(client):
    user = UserFactory(role="Stagiaire", email="lea@exemple.fr")
    response = client.post(
        reverse("login"), {"username": "lea@exemple.fr", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("training:dashboard")
    page = client.get(response.url)
    assert page.context["user"] == user
    assert "Bonjour" in page.content.decode()


def test_wrong_password_shows_a_french_error_and_logs_nobody_in(client):
    UserFactory(email="lea@exemple.fr")
    response = client.post(reverse("login"), {"username": "lea@exemple.fr", "password": "mauvais"})
    assert response.status_code == 200
    assert (
        "Saisissez une adresse électronique et un mot de passe valides" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory(role="Stagiaire"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("logout")).status_code == 405


def test_password_reset_sends_a_french_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks, run_tasks
):
    user = UserFactory(email="hugo@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "hugo@exemple.fr"})
    assert response.status_code == 302
    assert mail.outbox == []  # queued: sent by the task worker, not in the request
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hugo@exemple.fr"]
    assert "Choisissez votre mot de passe" in message.subject
    link = re.search(r"https?://[^\s]+/comptes/reinitialisation/[^\s]+", message.body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un-nouveau-mot-2026", "new_password2": "un-nouveau-mot-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("un-nouveau-mot-2026")


def test_password_reset_for_an_unknown_email_reveals_nothing(
    client, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert run_tasks() == 0
    assert mail.outbox == []


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    bad = client.post(
        reverse("password_change"),
        {
            "old_password": "faux",
            "new_password1": "autre-mot-2026-x",
            "new_password2": "autre-mot-2026-x",
        },
    )
    assert bad.status_code == 200
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    good = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "autre-mot-2026-x",
            "new_password2": "autre-mot-2026-x",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("autre-mot-2026-x")


def test_profile_edits_only_the_connected_user(client):
    user = UserFactory(role="Stagiaire")
    other = UserFactory(role="Stagiaire", organisation="Ailleurs")
    client.force_login(user)
    response = client.post(
        reverse("training:profile"),
        {
            "first_name": "Inès",
            "last_name": "Moreau",
            "profession": "Aide-soignante",
            "profession_category": "medico_social",
            "organisation": "EHPAD",
            "email": other.email,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    other.refresh_from_db()
    assert (user.first_name, user.organisation) == ("Inès", "EHPAD")
    assert other.organisation == "Ailleurs"
    assert user.email != other.email


def test_profile_with_an_empty_name_is_refused_and_nothing_changes(client):
    user = UserFactory(first_name="Inès")
    client.force_login(user)
    response = client.post(
        reverse("training:profile"),
        {"first_name": "", "last_name": "X", "profession_category": "sante"},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Inès"
