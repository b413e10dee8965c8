"""The one-query permission backend gives exactly Django's permission set."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission

from tests.factories import UserFactory
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
