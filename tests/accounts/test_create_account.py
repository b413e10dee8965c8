"""`manage.py create_account`: how an operator creates the first administrator (docs/operations.md)."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from training.access.roles import ADMINISTRATOR, TRAINER
from training.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(django_capture_on_commit_callbacks, run_tasks):
    """Run the command, then the task worker (which sends the invitation)."""

    def run(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("create_account", *args, stdout=out)
        run_tasks()
        return out.getvalue()

    return run


def test_the_first_administrator_gets_the_role_staff_status_and_a_working_invitation(
    settings, create
):
    settings.SITE_URL = "https://formation.example.org"
    output = create(
        "Direction@Example.org",
        "--role",
        "administrator",
        "--first-name",
        "Camille",
        "--last-name",
        "Durand",
    )
    user = User.objects.get(email="direction@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    printed = re.search(r"Link to choose the password: (\S+)", output).group(1)
    (message,) = mail.outbox
    assert message.to == ["direction@example.org"]
    emailed = re.search(r"https://\S+/comptes/reinitialisation/\S+/\S+/", message.body).group(0)
    for link in (printed, emailed):
        assert link.startswith("https://formation.example.org/comptes/reinitialisation/")
        page = Client().get(link.removeprefix("https://formation.example.org"), follow=True)
        assert "<h1>Choisir un mot de passe</h1>" in page.content.decode()


def test_a_trainer_is_not_staff(create):
    create("claire@example.org", "--role", "trainer", "--first-name", "Claire", "--last-name", "R")
    user = User.objects.get(email="claire@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [TRAINER]
    assert not user.is_staff


def test_an_existing_address_is_refused_in_french_and_nothing_changes(create):
    create("claire@example.org", "--role", "trainer", "--first-name", "Claire", "--last-name", "R")
    with pytest.raises(CommandError, match="Un compte avec l'adresse claire@example.org existe"):
        create(
            "CLAIRE@example.org", "--role", "administrator", "--first-name", "C", "--last-name", "R"
        )
    assert User.objects.get(email="claire@example.org").groups.get().name == TRAINER
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["pas-une-adresse", "--first-name", "A", "--last-name", "B"],
            "adresse électronique valide",
        ),
        (["a@example.org", "--first-name", " ", "--last-name", "B"], "prénom et le nom"),
    ],
)
def test_bad_input_gets_a_french_error_and_creates_nothing(create, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args, "--role", "trainee")
    assert not User.objects.exists() or not User.objects.filter(email="a@example.org").exists()
    assert mail.outbox == []
