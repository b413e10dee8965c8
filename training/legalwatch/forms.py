"""Forms of the legal watch: record a verification, mark content reviewed."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Verification


class VerificationForm(forms.Form):
    checked_on = forms.DateField(
        label=_("Date of the verification"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source_consulted = forms.CharField(
        label=_("Source consulted"),
        max_length=300,
        help_text=_("For instance: Légifrance, version in force on that day."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Verification.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "« Modified » or « repealed » flags every lesson, slide, question, verdict and "
            "glossary entry that cites this text « to review »."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed, which version you compared, what remains to do."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"checked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the verification cannot be in the future."))
        return value


class ReviewedForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("reviewed", _("Mark as reviewed")))
