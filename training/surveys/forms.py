"""Survey forms: answering a questionnaire (fields built from its questions), inviting an
employer or funder, a session's « à froid » delay, and the results filters."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import ModelChoiceField
from training.accounts.models import User
from training.surveys.models import Questionnaire, SurveyQuestion

TEXT_MAX = 2000


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


class ResponseForm(forms.Form):
    """One field per active question; the template lays them out (fieldsets, radios)."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    @staticmethod
    def _field(question: SurveyQuestion) -> forms.Field:
        common = {
            "label": question.text,
            "required": question.required,
            "help_text": question.help_text,
        }
        if question.type == SurveyQuestion.Type.TEXT:
            return forms.CharField(
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
                error_messages={"required": _("Please answer this question.")},
                **common,
            )
        return forms.TypedChoiceField(
            choices=[(str(value), label) for value, label in question.values()],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Please choose an answer."),
                "invalid_choice": _("Choose one of the answers offered."),
            },
            **common,
        )

    def bound_questions(self):
        """Yield (question, bound field) in order, for the template."""
        for question in self.questions:
            yield question, self[field_name(question)]

    def answers(self) -> dict[int, int | str]:
        """Return the cleaned answers by question id (empty ones left out)."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value is not None and value != "":
                result[question.pk] = value
        return result


class SponsorInviteForm(forms.Form):
    name = forms.CharField(label=_("Contact name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation (employer or funder)"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("Email address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div(Field("name"), css_class="col-md-4"),
                Div(Field("organisation"), css_class="col-md-4"),
                Div(Field("email"), css_class="col-md-4"),
                css_class="row",
            )
        )
        self.helper.add_input(Submit("invite", _("Send the questionnaire")))


class ColdDelayForm(forms.Form):
    cold_delay_days = forms.IntegerField(
        label=_("Days between the last day and the « à froid » questionnaire"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty for the default delay."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save"), css_class="btn-secondary"))


class ResultsFilterForm(forms.Form):
    """Which questionnaire, and over which sessions (a trainer's, a period, one session)."""

    questionnaire = ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none(), empty_label=None
    )
    trainer = ModelChoiceField(
        label=_("Trainer"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    since = forms.DateField(
        label=_("Sessions ended from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, questionnaires, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires
        if trainers is None:
            del self.fields["trainer"]
        else:
            self.fields["trainer"].queryset = trainers
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        columns = [Div(Field("questionnaire"), css_class="col-md-4")]
        if trainers is not None:
            columns.append(Div(Field("trainer"), css_class="col-md-3"))
        columns += [
            Div(Field("since"), css_class="col-md-2"),
            Div(Field("until"), css_class="col-md-2"),
        ]
        self.helper.layout = Layout(Div(*columns, css_class="row"))
        self.helper.add_input(Submit("show", _("Show"), css_class="btn-secondary"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return data
