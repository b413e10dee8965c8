"""Model choice fields that refuse out-of-range ids with a form error instead of a crash.

Django's fields pass the posted id to the database; an id beyond 64 bits raises
OverflowError (SQLite) or DataError (PostgreSQL), i.e. a 500 on a tampered POST.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def _out_of_range(value) -> bool:
    """Return whether the value is a whole number no database id can be.

    ``int()`` decides what is a number (``str.isdigit`` accepts « ¹ », which ``int`` refuses);
    anything else is left to Django's own check, which reports it as an invalid choice.
    """
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not (0 < number <= MAX_ID)


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
