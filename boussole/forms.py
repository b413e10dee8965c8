from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

# The answers offered for a case, grouped by what they let the professional do (about thirty
# verdicts: one list of radio buttons would be hard to read on a phone).
VERDICT_GROUPS = [
    ("duty", _("What the law requires")),
    ("report", _("What the law allows you to report")),
    ("share", _("Sharing that the law allows")),
    ("consent", _("Sharing that needs consent")),
    ("refuse", _("No disclosure")),
]


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
        self.fields["verdict"].choices = [
            (label, [(v["id"], v["title"]) for v in verdicts if v["kind"] == kind])
            for kind, label in VERDICT_GROUPS
            if any(v["kind"] == kind for v in verdicts)
        ]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Show how to check my answer")))
