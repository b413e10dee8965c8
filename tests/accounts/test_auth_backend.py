"""The backend gives exactly Django's permissions: the whole set in one query, the role with
the user."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import UserFactory
from training.access import permissions
from training.accounts.auth import ModelBackend

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ["Stagiaire", "Formateur", "Administrateur", None])
def test_the_permission_set_is_django_s_in_one_query(role, django_assert_num_queries):
    user = UserFactory(role=role)
    user.user_permissions.add(Permission.objects.get(codename="view_permission"))
    expected = DjangoModelBackend().get_all_permissions(_fresh(user))
    assert "auth.view_permission" in expected
    user = _fresh(user)
    with django_assert_num_queries(1):
        assert ModelBackend().get_all_permissions(user) == expected
        assert ModelBackend().get_all_permissions(user) == expected  # cached on the user


def test_superusers_have_every_permission_and_inactive_users_none():
    admin = UserFactory(is_superuser=True)
    assert ModelBackend().get_all_permissions(
        _fresh(admin)
    ) == DjangoModelBackend().get_all_permissions(_fresh(admin))
    assert len(ModelBackend().get_all_permissions(_fresh(admin))) == Permission.objects.count()
    inactive = UserFactory(role="Administrateur", is_active=False)
    assert ModelBackend().get_all_permissions(_fresh(inactive)) == set()
    assert not _fresh(inactive).has_perm("training.administer_platform")


def test_roles_still_come_from_the_groups():
    trainer = UserFactory(role="Formateur")
    assert _fresh(trainer).has_perm("training.run_sessions")
    assert not _fresh(trainer).has_perm("training.administer_platform")


# --- The role read with the user (training.accounts.auth.ModelBackend.get_user) -------------

ROLE_PERMISSIONS = (
    "training.follow_course",
    "training.run_sessions",
    "training.administer_platform",
)


def _django_role(user):
    fresh = _fresh(user)
    return frozenset(p for p in ROLE_PERMISSIONS if fresh.has_perm(p))


@pytest.mark.parametrize("role", ["Stagiaire", "Formateur", "Administrateur", None])
def test_the_request_s_user_comes_with_django_s_role_permissions_in_one_query(
    role, django_assert_num_queries
):
    user = UserFactory(role=role)
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        held = permissions.role_permissions(loaded)
        # The predicates ask the database nothing more.
        assert (
            permissions.role_of(loaded)
            == {
                "Stagiaire": "trainee",
                "Formateur": "trainer",
                "Administrateur": "admin",
                None: "",
            }[role]
        )
        assert permissions.can_follow_course(loaded) == (role is not None)
    assert loaded == user
    assert held == _django_role(user)


def test_a_permission_given_to_the_user_alone_counts_as_in_django():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="run_sessions"))
    held = permissions.role_permissions(ModelBackend().get_user(user.pk))
    assert held == _django_role(user) == {"training.run_sessions"}


def test_a_group_given_the_trainers_permission_makes_its_members_trainers():
    user = UserFactory(role="Stagiaire")
    Group.objects.get(name="Stagiaire").permissions.add(
        Permission.objects.get(codename="run_sessions")
    )
    assert permissions.can_run_sessions(ModelBackend().get_user(user.pk))


def test_superusers_hold_every_role_and_inactive_users_are_not_loaded():
    admin = UserFactory(is_superuser=True)
    assert permissions.role_permissions(ModelBackend().get_user(admin.pk)) == set(ROLE_PERMISSIONS)
    assert ModelBackend().get_user(UserFactory(role="Formateur", is_active=False).pk) is None
    assert ModelBackend().get_user(999_999) is None
    assert ModelBackend().get_user("pas-un-nombre") is None


def test_a_role_taken_away_applies_at_the_next_request(client):
    """Nothing is cached between requests: the role is read with the user each time."""
    trainer = UserFactory(role="Formateur")
    client.force_login(trainer)
    url = reverse("training:session_list")
    assert client.get(url).status_code == 200
    trainer.groups.set([Group.objects.get(name="Stagiaire")])
    assert client.get(url).status_code == 403
    trainer.groups.set([Group.objects.get(name="Formateur")])
    assert client.get(url).status_code == 200


def test_a_logged_in_page_reads_the_session_and_the_user_and_nothing_else(
    client, django_assert_num_queries
):
    """The floor of every logged-in page: the two queries of a stock Django project."""
    client.force_login(UserFactory(role="Formateur"))
    client.get(reverse("training:legal_notice"))
    with django_assert_num_queries(2) as queries:
        response = client.get(reverse("training:legal_notice"))
    assert response.status_code == 200
    assert "django_session" in queries.captured_queries[0]["sql"]
    assert "training_user" in queries.captured_queries[1]["sql"]
