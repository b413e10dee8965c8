"""Tampered ids in model choice fields give a form error, never a crash (SQLite and PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from core.fields import ModelChoiceField, ModelMultipleChoiceField
from modules.models import Module

pytestmark = pytest.mark.django_db

TAMPERED = ["¹", "²³", "--5", "-1", "0", str(2**63), "9" * 5000, "1e3", " ", "abc", "1_0"]


@pytest.mark.parametrize("value", TAMPERED)
def test_a_tampered_id_is_an_invalid_choice(value):
    single = ModelChoiceField(queryset=Module.objects.all())
    multiple = ModelMultipleChoiceField(queryset=Module.objects.all())
    for field, data in ((single, value), (multiple, [value])):
        with pytest.raises(ValidationError):  # not ValueError, OverflowError or DataError
            field.clean(data)
