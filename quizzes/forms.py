"""The answer sheet of a quiz: one field per question, validated, never saved by itself.

The template lays it out by hand (one fieldset and legend per question, the statement is
Markdown-rendered HTML), hence no crispy helper here.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Question

ERRORS = {
    "required": _("Answer this question."),
    "invalid_choice": _("This choice does not belong to this question."),
    "invalid_list": _("This choice does not belong to this question."),
}


class QuizAnswerForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(c.pk, c.text) for c in question.choices.all()]
            if question.type == Question.Type.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=ERRORS,
                )
            else:
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect, error_messages=ERRORS
                )
            field.question = question
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = self.field_name(question)
            value = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            if question.type != Question.Type.MULTIPLE and len(value) > 1:
                self.add_error(name, _("Choose only one answer to this question."))
            elif len(value) != len(set(value)):
                self.add_error(name, _("The same choice was sent twice."))
        return cleaned

    def answers(self) -> dict[int, list[int]]:
        """Return {question id: [choice ids]} from valid data."""
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question))
            out[question.pk] = list(value) if isinstance(value, list) else [value]
        return out

    def add_answer_errors(self, errors: dict[int, str]) -> None:
        """Attach the service's per-question errors to the fields."""
        for question in self.questions:
            if question.pk in errors:
                self.add_error(self.field_name(question), errors[question.pk])

    def items(self):
        """Yield (number, question, bound field, chosen ids) for the template."""
        for number, question in enumerate(self.questions, start=1):
            name = self.field_name(question)
            bound = self[name]
            raw = self.data.getlist(name) if self.is_bound else []
            chosen = set()
            for value in raw:
                if str(value).isdigit():
                    chosen.add(int(value))
            yield {
                "number": number,
                "question": question,
                "field": bound,
                "name": name,
                "chosen": chosen,
                "errors": bound.errors,
                "multiple": question.type == Question.Type.MULTIPLE,
                "choices": list(question.choices.all()),
            }
