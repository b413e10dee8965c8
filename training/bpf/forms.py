"""BPF forms: the three fields of an enrolment (also added to the enrolment form) and the
choice of a year for the export."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.bpf import categories

MAX_PRICE_DIGITS = 10


class PriceField(forms.DecimalField):
    """A price typed the French way: « 1 050,50 », « 450 € » (spaces and the euro sign go)."""

    def to_python(self, value):
        if isinstance(value, str):
            for character in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(character, "")
        return super().to_python(value)


def bpf_fields() -> dict[str, forms.Field]:
    """The enrolment's BPF fields (optional), their choices read from ``fixtures/bpf.yaml``."""
    empty = [("", _("— not given —"))]
    return {
        "trainee_category": forms.ChoiceField(
            label=_("Trainee category (BPF)"),
            choices=empty + categories.choices(categories.TRAINEE),
            required=False,
        ),
        "funding_source": forms.ChoiceField(
            label=_("Funding source (BPF)"),
            choices=empty + categories.choices(categories.FUNDING),
            required=False,
        ),
        "price": PriceField(
            label=_("Price (€)"),
            min_value=0,
            max_digits=MAX_PRICE_DIGITS,
            decimal_places=2,
            required=False,
            localize=True,
            help_text=_("The amount invoiced for this trainee's place, in euros."),
        ),
    }


def bpf_layout() -> Div:
    return Div(
        Div("trainee_category", css_class="col-sm-5"),
        Div("funding_source", css_class="col-sm-4"),
        Div("price", css_class="col-sm-3"),
        css_class="row",
    )


class EnrolmentBpfForm(forms.Form):
    """An administrator corrects the BPF data of one enrolment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(bpf_fields())
        self.helper = FormHelper()
        self.helper.layout = Layout(bpf_layout())
        self.helper.form_tag = False  # the template's form carries « next »
        self.helper.add_input(Submit("submit", _("Save")))


class BpfYearForm(forms.Form):
    year = forms.IntegerField(label=_("Calendar year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("show", _("Show")))
