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


# --- Case variants of the email and password spraying (issue 24) ----------------------------


def test_a_case_variant_of_the_email_shares_the_lockout_of_the_account(client):
    UserFactory(email="t27@exemple.fr")
    spellings = [
        "t27@exemple.fr",
        "T27@exemple.fr",
        "t27@EXEMPLE.fr",
        " T27@Exemple.FR",
        "t27@exemple.FR",
    ]
    statuses = [attempt(client, email, "mauvais", "10.0.0.1").status_code for email in spellings]
    assert statuses == [200, 200, 200, 200, 429]
    # Locked whatever the spelling, even with the right password.
    for email in ("t27@exemple.fr", "T27@EXEMPLE.FR"):
        assert attempt(client, email, DEFAULT_PASSWORD, "10.0.0.1").status_code == 429
    assert "_auth_user_id" not in client.session
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"t27@exemple.fr"}


def test_a_case_variant_of_the_email_logs_in_to_the_one_account(client):
    user = UserFactory(email="hugo@exemple.fr")
    response = attempt(client, "HUGO@Exemple.fr", DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_spraying_many_accounts_from_one_address_locks_the_address(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    victims = [UserFactory(email=f"v{n}@exemple.fr") for n in range(25)]
    statuses = []
    for guess in range(4):  # 4 guesses per account: under the per-account limit of 5
        for victim in victims:
            statuses.append(
                attempt(client, victim.email, f"devine-{guess}", "10.0.0.9").status_code
            )
    assert statuses[:19] == [200] * 19
    assert set(statuses[20:]) == {429}
    # Locked for every account from that address, even with the right password…
    assert attempt(client, victims[0].email, DEFAULT_PASSWORD, "10.0.0.9").status_code == 429
    # …but not from elsewhere: the accounts themselves are not locked.
    assert attempt(client, victims[0].email, DEFAULT_PASSWORD, "10.0.0.10").status_code == 302


def test_a_room_behind_one_address_survives_a_few_typos(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    people = [UserFactory(email=f"stagiaire{n}@exemple.fr") for n in range(15)]
    for person in people:  # everyone mistypes once, from the training room's address
        assert attempt(client, person.email, "faute-de-frappe", "192.0.2.50").status_code == 200
    for person in people:
        client.logout()
        assert attempt(client, person.email, DEFAULT_PASSWORD, "192.0.2.50").status_code == 302


def test_a_successful_login_does_not_reset_the_address_count(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(email="complice@exemple.fr")
    victims = [UserFactory(email=f"w{n}@exemple.fr") for n in range(9)]
    for victim in victims:
        attempt(client, victim.email, "devine", "10.0.0.7")
    # The sprayer logs in to an account they own: only that account's failures are forgotten.
    assert attempt(client, "complice@exemple.fr", DEFAULT_PASSWORD, "10.0.0.7").status_code == 302
    client.logout()
    attempt(client, "autre@exemple.fr", "devine", "10.0.0.7")
    assert attempt(client, victims[0].email, DEFAULT_PASSWORD, "10.0.0.7").status_code == 429
