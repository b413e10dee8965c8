from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from training.accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Login with the email address (the username field of the user model)."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Enter a correct email address and password. The password is case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self):
        # One account per email whatever its case: the login and its lockout count use the
        # lower-cased address (see ``training.accounts.auth.login_username``).
        return self.cleaned_data["username"].strip().lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the email queued for the task worker instead of sent in
    the request: a mail server that is down does not turn « forgot my password » into an
    error. The link is made when the email leaves (a fresh token), never stored."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from training.sessions.emails import password_reset_queue

        password_reset_queue(
            user_id=context["user"].pk, protocol=context["protocol"], domain=context["domain"]
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "profession", "profession_category", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["profession"].widget.attrs["autocomplete"] = "organization-title"
