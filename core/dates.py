"""The range of dates the platform accepts: what it can print, export and put in a calendar.

Every date a person types (session days, filters of the audit trail and of the exports, the
command-line exports) goes through ``date_in_range``: a date in year 1 or 9999 used to reach
a 500 (the audit CSV cut mid-download, a calendar that could not be written).
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


def date_in_range(value: datetime.date | None) -> None:
    """Refuse a date outside ``DATE_MIN`` … ``DATE_MAX`` with a French message."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": DATE_MIN.strftime("%d/%m/%Y"), "max": DATE_MAX.strftime("%d/%m/%Y")},
        )


class DateField(forms.DateField):
    """A form date limited to the platform's range (also told to the browser's date picker)."""

    default_validators = [date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("min", DATE_MIN.isoformat())
        attrs.setdefault("max", DATE_MAX.isoformat())
        return attrs
