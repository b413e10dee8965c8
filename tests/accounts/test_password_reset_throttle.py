"""The password-reset form: throttled per email and per client address, same answer always."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks, run_tasks):
    """Post the reset form from a client address, then let the task worker send the email."""

    def run(email, ip="10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)
        run_tasks()
        return response

    return run


def test_fifty_requests_for_one_email_send_three_emails(client, settings, ask):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 100
    UserFactory(email="hugo@exemple.fr")
    answers = {(r.status_code, r.url) for r in (ask("hugo@exemple.fr") for _ in range(50))}
    assert answers == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3


def test_case_variants_count_as_one_email(client, settings, ask):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    UserFactory(email="hugo@exemple.fr")
    for spelling in ("hugo@exemple.fr", "HUGO@exemple.fr", "Hugo@Exemple.FR", "hugo@EXEMPLE.fr"):
        ask(spelling, ip=f"10.0.1.{len(spelling)}")
    assert len(mail.outbox) == 3


def test_one_address_asking_for_many_emails_is_throttled(client, settings, ask):
    settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 5
    users = [UserFactory(email=f"p{n}@exemple.fr") for n in range(8)]
    for user in users:
        response = ask(user.email, ip="10.0.0.66")
        assert response.status_code == 302
    assert len(mail.outbox) == 5
    # Another address is served.
    ask(users[-1].email, ip="10.0.0.67")
    assert len(mail.outbox) == 6


def test_the_throttled_answer_is_the_one_everybody_gets(client, settings, ask):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 1
    UserFactory(email="hugo@exemple.fr")
    sent = ask("hugo@exemple.fr")
    throttled = ask("hugo@exemple.fr")
    unknown = ask("inconnu@exemple.fr")
    assert len(mail.outbox) == 1
    assert sent.status_code == throttled.status_code == unknown.status_code == 302
    assert sent.url == throttled.url == unknown.url
    done = client.get(throttled.url)
    assert done.status_code == 200


def test_the_window_slides_after_an_hour(client, settings, ask):
    import time_machine

    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 2
    UserFactory(email="hugo@exemple.fr")
    with time_machine.travel("2026-03-02 09:00 +0100", tick=False) as traveller:
        for _ in range(3):
            ask("hugo@exemple.fr")
        assert len(mail.outbox) == 2
        traveller.shift(61 * 60)
        ask("hugo@exemple.fr")
        assert len(mail.outbox) == 3
