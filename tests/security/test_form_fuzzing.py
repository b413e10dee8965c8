"""Every form of the project, fed valid, boundary and garbage values, never raises."""

import importlib
import inspect

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "training.accounts.forms",
    "training.sessions.forms",
    "training.attendance.forms",
    "training.privacy.forms",
    "quizzes.forms",
    "boussole.forms",
]


def form_classes():
    found = {}
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found[f"{module_name}.{name}"] = value
    return found


FORMS = form_classes()

values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "1900-01-01",
            "9999-12-31",
            "25:61",
            "NaN",
            "1e308",
            "a" * 5000,
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
            "on",
            "true",
            "1,2,3",
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.lists(st.text(max_size=20), max_size=4),
)


def _extra_kwargs(cls, world):
    from quizzes.models import Question

    parameters = inspect.signature(cls.__init__).parameters
    kwargs = {}
    if "trainees" in parameters:
        kwargs["trainees"] = world["trainees"]
    if "questions" in parameters:
        kwargs["questions"] = list(Question.objects.filter(quiz=world["quiz"]))
    if "verdicts" in parameters:
        kwargs["verdicts"] = world["verdicts"]
    if getattr(getattr(cls, "_meta", None), "model", None) is world["slot"].__class__:
        kwargs["instance"] = world["slot"]  # a slot is only ever edited, never created
    return kwargs


@pytest.fixture
def fuzz_world(course_loaded):
    from boussole.models import Guide
    from quizzes.models import Quiz
    from tests.factories import SessionFactory
    from training.models import User

    guide = Guide.objects.get()
    return {
        "slot": SessionFactory().slots.order_by("pk").first(),
        "trainees": User.objects.filter(groups__name="Stagiaire"),
        "quiz": Quiz.objects.order_by("pk").first(),
        "verdicts": [guide.verdicts[v] for v in guide.graph["verdict_order"]],
    }


def test_every_forms_module_has_forms():
    assert len(FORMS) >= 15, sorted(FORMS)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_fed_garbage_validates_or_reports_errors_without_raising(fuzz_world, name):
    cls = FORMS[name]
    kwargs = _extra_kwargs(cls, fuzz_world)
    field_names = list(cls(**kwargs).fields)

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries(dict.fromkeys(field_names, values)), blob=st.binary())
    def fuzz(data, blob):
        files = {
            field: SimpleUploadedFile("x.bin", blob)
            for field, bound in cls(**kwargs).fields.items()
            if isinstance(bound, forms.FileField)
        }
        query = QueryDict(mutable=True)  # what a real request carries
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        form = cls(data=query, files=files, **kwargs)
        if form.is_valid():
            assert isinstance(form.cleaned_data, dict)
        else:
            assert form.errors

    fuzz()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(max_size=300),
    capacity=st.integers(min_value=-(2**40), max_value=2**40),
    dates=st.text(max_size=60),
)
def test_the_session_form_view_never_returns_a_server_error(title, capacity, dates):
    from django.test import Client
    from django.urls import reverse

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role="Formateur"))
    response = client.post(
        reverse("training:session_create"),
        {"title": title, "capacity": capacity, "dates": dates, "place_name": title},
    )
    assert response.status_code in (200, 302)
