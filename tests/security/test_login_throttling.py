import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_email_and_address_pair_with_a_french_message(client):
    UserFactory(email="cible@exemple.fr")
    statuses = [
        attempt(client, "cible@exemple.fr", "mauvais", "10.0.0.1").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = attempt(client, "cible@exemple.fr", DEFAULT_PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "bloquée pendant 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_victim_can_still_log_in_from_another_address(client):
    UserFactory(email="cible@exemple.fr")
    for _ in range(6):
        attempt(client, "cible@exemple.fr", "mauvais", "10.0.0.1")
    ok = attempt(client, "cible@exemple.fr", DEFAULT_PASSWORD, "10.0.0.2")
    assert ok.status_code == 302


def test_the_lock_expires_after_fifteen_minutes(client):
    import time_machine

    UserFactory(email="cible@exemple.fr")
    with time_machine.travel("2026-03-02 09:00 +0100", tick=False) as traveller:
        for _ in range(5):
            attempt(client, "cible@exemple.fr", "mauvais", "10.0.0.1")
        assert attempt(client, "cible@exemple.fr", DEFAULT_PASSWORD, "10.0.0.1").status_code == 429
        traveller.shift(16 * 60)
        assert attempt(client, "cible@exemple.fr", DEFAULT_PASSWORD, "10.0.0.1").status_code == 302


def test_another_account_from_the_same_address_is_not_locked(client):
    UserFactory(email="cible@exemple.fr")
    UserFactory(email="autre@exemple.fr")
    for _ in range(6):
        attempt(client, "cible@exemple.fr", "mauvais", "10.0.0.1")
    assert attempt(client, "autre@exemple.fr", DEFAULT_PASSWORD, "10.0.0.1").status_code == 302


def proxied(client, email, password, forwarded):
    """A login through one reverse proxy: every request comes from 127.0.0.1."""
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_proxy_the_victim_can_still_log_in_from_another_address(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    UserFactory(email="cible@exemple.fr")
    for _ in range(6):
        proxied(client, "cible@exemple.fr", "mauvais", "203.0.113.5")
    assert proxied(client, "cible@exemple.fr", DEFAULT_PASSWORD, "203.0.113.5").status_code == 429
    assert proxied(client, "cible@exemple.fr", DEFAULT_PASSWORD, "198.51.100.7").status_code == 302


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lock(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    UserFactory(email="cible@exemple.fr")
    for n in range(5):
        proxied(client, "cible@exemple.fr", "mauvais", f"10.9.9.{n}, 203.0.113.5")
    forged = proxied(client, "cible@exemple.fr", DEFAULT_PASSWORD, "10.9.9.99, 203.0.113.5")
    assert forged.status_code == 429


def test_without_a_proxy_count_the_forwarded_for_header_is_ignored(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    UserFactory(email="cible@exemple.fr")
    for n in range(5):
        proxied(client, "cible@exemple.fr", "mauvais", f"203.0.113.{n}")
    assert proxied(client, "cible@exemple.fr", DEFAULT_PASSWORD, "198.51.100.7").status_code == 429
