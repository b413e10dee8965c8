"""Forms of the attendance pages: they validate input; the services record it."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.dates import DateField
from core.fields import ModelChoiceField
from training.accounts.models import User
from training.attendance.models import AttendanceSignature
from training.attendance.services import MARKABLE, SIGNATURE_MAX_BYTES
from training.sessions.models import TrainingSession

# A base64 data URL is 4/3 of the PNG plus its prefix; anything longer is refused unread.
SIGNATURE_FIELD_MAX = SIGNATURE_MAX_BYTES * 4 // 3 + 100


class SignatureFields(forms.Form):
    """A drawn signature (data URL from the signature pad) or a typed, certified name."""

    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature-input": ""})
    )
    typed_name = forms.CharField(
        label=_("Your first and last name"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    certified = forms.BooleanField(
        label=_(
            "I certify that I am present for this half-day and that this typed name is my signature."
        ),
        required=False,
    )

    def clean_signature(self):
        value = self.cleaned_data.get("signature", "")
        if len(value) > SIGNATURE_FIELD_MAX:
            raise forms.ValidationError(
                _("The signature image is too large (200 KB at most)."), code="too_large"
            )
        return value


class SignForm(SignatureFields):
    code = forms.CharField(
        label=_("Code shown on the screen"),
        max_length=12,
        validators=[
            RegexValidator(
                r"^\s*\d{3}\s?\d{3}\s*$", _("The code has 6 digits."), code="code_format"
            )
        ],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "class": "attendance-code-input",
            }
        ),
    )
    field_order = ["code", "signature", "typed_name", "certified"]


class AttestForm(SignatureFields):
    certified = forms.BooleanField(
        label=_(
            "I certify the attendance recorded for this half-day and that this typed name is my signature."
        ),
        required=False,
    )


class StatusMarkForm(forms.Form):
    trainee = ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in MARKABLE],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, trainees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainees is not None:
            self.fields["trainee"].queryset = trainees


class PaperSignatureForm(forms.Form):
    trainee = ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)
    scan = forms.FileField(
        label=_("Scanned sheet (PDF, PNG or JPEG, 5 MB at most)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    reason = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, trainees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trainees is not None:
            self.fields["trainee"].queryset = trainees


class CorrectionForm(forms.Form):
    new_status = forms.ChoiceField(
        label=_("New status"), choices=AttendanceSignature.Status.choices
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExportFilterForm(forms.Form):
    session = ModelChoiceField(
        label=_("Session"),
        queryset=TrainingSession.objects.order_by("-start_date", "code"),
        required=False,
        empty_label=_("All sessions"),
        to_field_name="code",
    )
    since = DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must come before the end date."))
        return data
