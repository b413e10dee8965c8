"""One account per email whatever its case, enforced by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from training.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_account_differing_only_by_case():
    UserFactory(email="lea@exemple.fr")
    # ``save`` lower-cases; a bulk insert does not, and the database still refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Lea@Exemple.fr", first_name="L", last_name="D")])
    assert User.objects.filter(email__iexact="lea@exemple.fr").count() == 1


def test_the_admin_form_check_names_the_clash_in_french():
    UserFactory(email="lea@exemple.fr")
    clash = User(email="LEA@exemple.fr", first_name="Léa", last_name="Dubois")
    with pytest.raises(ValidationError) as caught:
        clash.validate_constraints()
    assert "Un utilisateur avec cette adresse électronique existe déjà." in str(caught.value)
