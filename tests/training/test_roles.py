import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory
from training import permissions
from training.models import User

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_with_their_permissions():
    perms = {
        g.name: set(g.permissions.values_list("codename", flat=True))
        for g in Group.objects.prefetch_related("permissions")
    }
    assert perms["Stagiaire"] == {"follow_course"}
    assert perms["Formateur"] == {"follow_course", "run_sessions"}
    assert perms["Administrateur"] == {"follow_course", "run_sessions", "administer_platform"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Stagiaire", (True, False, False, "trainee")),
        ("Formateur", (True, True, False, "trainer")),
        ("Administrateur", (True, True, True, "admin")),
        (None, (False, False, False, "")),
    ],
)
def test_predicates_follow_the_role(role, expected):
    user = UserFactory(role=role)
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    got = (
        permissions.can_follow_course(user),
        permissions.can_run_sessions(user),
        permissions.can_administer(user),
        permissions.role_of(user),
    )
    assert got == expected


def test_inactive_user_has_no_role():
    user = UserFactory(role="Administrateur", is_active=False)
    assert permissions.role_of(User.objects.get(pk=user.pk)) == ""


def test_email_is_the_login_and_is_normalised():
    user = User.objects.create_user(
        "  Marie.Curie@Exemple.FR ", "x" * 12, first_name="Marie", last_name="Curie"
    )
    assert user.email == "marie.curie@exemple.fr"
    assert User.objects.get_by_natural_key("MARIE.CURIE@exemple.fr") == user
    assert str(user) == "Marie Curie"


def test_seed_demo_is_idempotent_and_gives_roles(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    count = User.objects.count()
    call_command("seed_demo", verbosity=0)
    assert User.objects.count() == count
    admin = User.objects.get(email="admin@demo.example")
    assert admin.check_password("demo-admin-2026")
    assert permissions.role_of(admin) == "admin"
    assert permissions.role_of(User.objects.get(email="formatrice@demo.example")) == "trainer"
    assert User.objects.filter(groups__name="Stagiaire").count() >= 13


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email="admin@demo.example").exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(email="admin@demo.example").exists()
