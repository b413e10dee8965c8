"""Forms for sessions: they validate and lay out; the services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.validators import MinValueValidator
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.dates import DateField
from core.fields import ModelChoiceField, ModelMultipleChoiceField
from modules.models import Course, Module, Resource
from training.bpf.forms import bpf_fields, bpf_layout
from training.sessions import selectors
from training.sessions.models import Slot, TrainingSession

MAX_CSV_BYTES = 3 * 1024 * 1024
format_html_lazy = lazy(format_html, str)


class DangerSubmit(Submit):
    """A red submit button (crispy's css_class would add to btn-primary, not replace it)."""

    field_classes = "btn btn-danger"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _day_fields(form: forms.Form) -> None:
    form.fields["day_1"] = DateField(label=_("Day 1"), widget=DateInput())
    form.fields["day_2"] = DateField(label=_("Day 2"), widget=DateInput())
    form.fields["day_3"] = DateField(
        label=_("Day 3 (optional)"), required=False, widget=DateInput()
    )


def _days_layout():
    return Fieldset(
        _("Days"),
        HTML(
            format_html_lazy(
                '<p class="form-text">{}</p>',
                _(
                    "2 or 3 days, in order, not necessarily consecutive, within 3 months. Each "
                    "day has a morning (09:00–12:30) and an afternoon (13:30–17:00); you can "
                    "change the hours afterwards."
                ),
            )
        ),
        Div(
            Div("day_1", css_class="col-sm-4"),
            Div("day_2", css_class="col-sm-4"),
            Div("day_3", css_class="col-sm-4"),
            css_class="row",
        ),
    )


class SessionForm(forms.ModelForm):
    """Create or edit a session; the days are three date inputs."""

    remote_url = forms.URLField(
        label=_("Remote session link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a remote session: the video-conference link."),
    )
    trainers = ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = TrainingSession
        field_classes = {"course": ModelChoiceField}
        fields = [
            "code",
            "course",
            "title",
            "capacity",
            "status",
            "place_name",
            "address",
            "access_notes",
            "remote_url",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Leave empty to get one such as PIS-20260310."),
            "access_notes": _(
                "Public transport, parking, floor, accessibility for disabled people."
            ),
            "notes": _("Internal notes, not shown to trainees."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = 1
        _day_fields(self)
        self.fields["trainers"].queryset = selectors.trainers_all()
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["course"].queryset = Course.objects.order_by("pk")
        if self.fields["course"].queryset.count() == 1:
            self.fields["course"].widget = forms.HiddenInput()
            self.fields["course"].initial = self.fields["course"].queryset.first()
        if self.instance.pk:
            days = sorted({s.date for s in self.instance.slots.all()})
            for index, day in enumerate(days[:3], start=1):
                self.initial.setdefault(f"day_{index}", day)
            self.initial.setdefault("trainers", list(self.instance.trainers.all()))
        else:
            self.fields["status"].choices = [
                c for c in self.fields["status"].choices if c[0] != TrainingSession.Status.FINISHED
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Session"),
                "course",
                Div(
                    Div("title", css_class="col-md-8"),
                    Div("code", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("capacity", css_class="col-sm-4"),
                    Div("status", css_class="col-sm-8"),
                    css_class="row",
                ),
            ),
            _days_layout(),
            "trainers",
            Fieldset(_("Place"), "place_name", "address", "access_notes", "remote_url"),
            "notes",
        )
        self.helper.add_input(Submit("submit", _("Save the session")))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place_name") and not cleaned.get("remote_url"):
            self.add_error("place_name", _("Give a place or a remote session link."))
        cleaned["dates"] = [cleaned.get(f"day_{i}") for i in (1, 2, 3) if cleaned.get(f"day_{i}")]
        return cleaned

    def validate_unique(self):
        # The service checks the reference code (it may generate one).
        pass


class SessionDuplicateForm(forms.Form):
    code = forms.CharField(
        label=_("Reference code of the new session"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to get one such as PIS-20260310."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _day_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(_days_layout(), "code")
        self.helper.add_input(Submit("submit", _("Duplicate")))

    def clean(self):
        cleaned = super().clean()
        cleaned["dates"] = [cleaned.get(f"day_{i}") for i in (1, 2, 3) if cleaned.get(f"day_{i}")]
        return cleaned


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the trainees (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(DangerSubmit("submit", _("Cancel the session")))


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ["start_time", "end_time", "modules"]
        field_classes = {"modules": ModelMultipleChoiceField}
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "modules": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = Module.objects.filter(
            course_id=self.instance.session.course_id
        ).order_by("number")
        self.fields["modules"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("start_time", css_class="col-sm-6"),
                Div("end_time", css_class="col-sm-6"),
                css_class="row",
            ),
            "modules",
        )
        self.helper.add_input(Submit("submit", _("Save the slot")))

    def _post_clean(self):
        # The service validates the hours (and the trainers' other sessions) and saves.
        pass


class EnrolmentForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    profession = forms.CharField(label=_("Profession"), max_length=150, required=False)
    organisation = forms.CharField(
        label=_("Organisation / employer"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(bpf_fields())  # optional, for the annual BPF
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "email",
            HTML(
                format_html_lazy(
                    '<p class="form-text">{}</p>',
                    _(
                        "For a person without an account, also give the names: the account is "
                        "created and an invitation is sent."
                    ),
                )
            ),
            Div(
                Div("first_name", css_class="col-sm-6"),
                Div("last_name", css_class="col-sm-6"),
                Div("profession", css_class="col-sm-6"),
                Div("organisation", css_class="col-sm-6"),
                css_class="row",
            ),
            bpf_layout(),
        )
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Enrol")))


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: nom, prénom, email, profession, organisation; optional, for the BPF: "
            "categorie, financement, prix. Separator « ; » or « , ». Encoding UTF-8 or Windows "
            "(Excel)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)d MB at most).")
                % {"size": MAX_CSV_BYTES // (1024 * 1024)}
            )
        return upload


class EnrolmentImportConfirmForm(forms.Form):
    """The checked CSV text comes back with the confirmation; it is parsed again."""

    csv_text = forms.CharField(widget=forms.HiddenInput, max_length=4 * MAX_CSV_BYTES)


class SessionResourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Address (URL)"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Resource
        fields = ["kind", "title", "authors", "publisher", "year", "url", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (Resource.Kind.BIBLIOGRAPHY, Resource.Kind.BIBLIOGRAPHY.label),
            (Resource.Kind.LINK, Resource.Kind.LINK.label),
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("kind", css_class="col-sm-4"),
                Div("title", css_class="col-sm-8"),
                css_class="row",
            ),
            Div(
                Div("authors", css_class="col-sm-5"),
                Div("publisher", css_class="col-sm-5"),
                Div("year", css_class="col-sm-2"),
                css_class="row",
            ),
            "url",
            "description",
        )
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Add the resource")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Resource.Kind.LINK and not cleaned.get("url"):
            self.add_error("url", _("A web link needs its address (URL)."))
        return cleaned

    def _post_clean(self):
        # The service builds the resource (slug, course, session flag).
        pass


class SessionFilterForm(forms.Form):
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("To"), required=False, widget=DateInput())
    trainer = ModelChoiceField(label=_("Trainer"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(TrainingSession.Status.choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = selectors.trainers_all()
        self.fields["trainer"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["trainer"].empty_label = _("All")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Div(
                Div("date_from", css_class="col-sm-6 col-lg-3"),
                Div("date_to", css_class="col-sm-6 col-lg-3"),
                Div("trainer", css_class="col-sm-6 col-lg-3"),
                Div("status", css_class="col-sm-6 col-lg-3"),
                css_class="row",
            )
        )
        self.helper.add_input(Submit("submit", _("Filter")))
