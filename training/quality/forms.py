"""Quality forms: the complaint form (visitors and accounts), the administrator's handling
of a complaint, and an improvement action."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import ModelChoiceField
from training.access import roles
from training.access.permissions import role_of
from training.accounts.models import User
from training.quality.models import Complaint, ImprovementAction
from training.sessions.models import TrainingSession
from training.surveys.models import SurveyQuestion

MESSAGE_MAX = 5000


class ComplaintForm(forms.Form):
    """A complaint; visitors give their name and email, accounts are known already.

    ``website`` is a honeypot: hidden from people (and from assistive technologies), left
    empty by them, filled by many robots. A filled honeypot is accepted silently and
    dropped.
    """

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send the acknowledgement and our answer to this address."),
    )
    role = forms.ChoiceField(
        label=_("You are"), choices=[("", _("Choose…")), *Complaint.Role.choices]
    )
    session = ModelChoiceField(
        label=_("Session concerned"),
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label=_("None, or another one"),
    )
    session_text = forms.CharField(
        label=_("Session concerned, if any (dates, place)"), max_length=200, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your complaint"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": MESSAGE_MAX}),
        help_text=_("Describe what happened and what you expect from us."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            del self.fields["name"]
            del self.fields["email"]
            self.fields["session"].queryset = TrainingSession.objects.visible_to(
                self.user
            ).order_by("-start_date")
            if role_of(self.user) == "trainee":
                self.fields["role"].initial = Complaint.Role.TRAINEE
        else:
            del self.fields["session"]
        self.helper = FormHelper()
        identity = [] if self.user is not None else [Field("name"), Field("email")]
        session = [Field("session")] if self.user is not None else []
        self.helper.layout = Layout(
            *identity,
            Field("role"),
            *session,
            Field("session_text"),
            Field("subject"),
            Field("message"),
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )
        self.helper.add_input(Submit("send", _("Send my complaint")))

    @property
    def is_spam(self) -> bool:
        return bool((self.cleaned_data.get("website") or "").strip())


class ComplaintUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Complaint.Status.choices)
    session = ModelChoiceField(
        label=_("Session concerned"),
        queryset=TrainingSession.objects.order_by("-start_date"),
        required=False,
        empty_label=_("None"),
    )
    answer = forms.CharField(
        label=_("Answer given to the person"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required to mark the complaint « traitée »; emailed to the person."),
    )
    send_answer = forms.BooleanField(
        label=_("Email the answer to the person"), required=False, initial=True
    )
    internal_note = forms.CharField(
        label=_("Internal note (not sent)"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        from training.quality.services import COMPLAINT_NEXT

        allowed = {complaint.status, *COMPLAINT_NEXT[complaint.status]}
        self.fields["status"].choices = [c for c in Complaint.Status.choices if c[0] in allowed]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


def _model_field(name: str, **kwargs) -> forms.Field:
    """The form field of an ImprovementAction model field (label, length, choices)."""
    return ImprovementAction._meta.get_field(name).formfield(**kwargs)


class ActionForm(forms.Form):
    """An improvement action; the service checks the rules (outcome to close, public text)."""

    title = _model_field("title")
    description = _model_field("description", widget=forms.Textarea(attrs={"rows": 4}))
    source = _model_field("source")
    complaint = ModelChoiceField(
        label=_("Complaint"),
        queryset=Complaint.objects.order_by("-created_at"),
        required=False,
        empty_label=_("None"),
    )
    question = ModelChoiceField(
        label=_("Survey question"),
        queryset=SurveyQuestion.objects.select_related("questionnaire").order_by(
            "questionnaire__kind", "order"
        ),
        required=False,
        empty_label=_("None"),
    )
    session = ModelChoiceField(
        label=_("Session"),
        queryset=TrainingSession.objects.order_by("-start_date"),
        required=False,
        empty_label=_("None"),
    )
    source_detail = _model_field(
        "source_detail",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The remark, the result or the change this action follows."),
    )
    owner = ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(
            Q(groups__name=roles.ADMINISTRATOR) | Q(groups__name=roles.TRAINER), is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name"),
        required=False,
        empty_label=_("Nobody yet"),
    )
    due_date = _model_field(
        "due_date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = _model_field("status")
    outcome = _model_field(
        "outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close the action (done or abandoned)."),
    )
    is_public = _model_field("is_public")
    public_summary = _model_field(
        "public_summary",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for the public programme page, without personal data."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].label_from_instance = lambda q: (
            f"{q.questionnaire.title} — {q.text[:80]}"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("title"),
            Field("description"),
            Fieldset(
                _("Where it comes from"),
                Field("source"),
                Field("complaint"),
                Field("question"),
                Field("session"),
                Field("source_detail"),
            ),
            Fieldset(
                _("Follow-up"),
                Div(
                    Div(Field("owner"), css_class="col-md-6"),
                    Div(Field("due_date"), css_class="col-md-3"),
                    Div(Field("status"), css_class="col-md-3"),
                    css_class="row",
                ),
                Field("outcome"),
            ),
            Fieldset(
                _("Programme page"),
                Field("is_public"),
                Field("public_summary"),
            ),
        )
        self.helper.add_input(Submit("save", _("Save")))

    @staticmethod
    def initial_from(action: ImprovementAction) -> dict:
        return {name: getattr(action, name) for name in ACTION_FORM_FIELDS}


ACTION_FORM_FIELDS = (
    "title",
    "description",
    "source",
    "complaint",
    "question",
    "session",
    "source_detail",
    "owner",
    "due_date",
    "status",
    "outcome",
    "is_public",
    "public_summary",
)


class StatusFilterForm(forms.Form):
    statut = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", _("Any status")), *choices]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "d-flex flex-wrap gap-2 align-items-end"
        self.helper.add_input(Submit("filter", _("Filter"), css_class="btn-secondary"))
