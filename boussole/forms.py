from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class CaseAnswerForm(forms.Form):
    """The trainee's own answer to a case, before walking the guide; nothing is saved."""

    verdict = forms.ChoiceField(
        label=_("Your answer: what can the professional do?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the answer you would give."),
            "invalid_choice": _("Choose one of the answers offered."),
        },
    )
    reasoning = forms.CharField(
        label=_("Your reasoning (optional, not saved)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, verdicts: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = [(v["id"], v["title"]) for v in verdicts]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Show how to check my answer")))
