"""Presentation mode: who sees the deck and the presenter view, and what the page holds."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from modules.models import Module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(course_loaded):
    return Module.objects.order_by("number").first()


@pytest.mark.parametrize(
    ("role", "present", "presenter"),
    [
        (None, 302, 302),
        ("Stagiaire", 200, 403),
        ("Formateur", 200, 200),
        ("Administrateur", 200, 200),
    ],
)
def test_trainees_see_the_deck_and_only_trainers_the_presenter_view(
    client, module, role, present, presenter
):
    if role:
        client.force_login(UserFactory(role=role))
    assert client.get(reverse("modules:slides_present", args=[module.slug])).status_code == present
    url = reverse("modules:slides_presenter", args=[module.slug])
    assert client.get(url).status_code == presenter


def test_an_unknown_module_is_404(client, course_loaded):
    client.force_login(UserFactory(role="Formateur"))
    for name in ["modules:slides_present", "modules:slides_presenter"]:
        assert client.get(reverse(name, args=["nexiste-pas"])).status_code == 404


def test_the_deck_holds_every_slide_of_the_module_and_no_notes(client, module):
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(reverse("modules:slides_present", args=[module.slug])).content.decode()
    slides = list(module.slides.order_by("order"))
    assert len(slides) >= 10
    assert page.count('class="slide-frame"') == len(slides)
    for slide in slides:
        assert slide.html in page
    noted = [s for s in slides if s.notes_html]
    assert noted and not any(s.notes_html in page for s in noted)
    assert reverse("modules:slides_presenter", args=[module.slug]) not in page


def test_the_presenter_view_has_current_next_notes_and_timer(client, module):
    client.force_login(UserFactory(role="Formateur"))
    page = client.get(reverse("modules:slides_presenter", args=[module.slug])).content.decode()
    slides = list(module.slides.order_by("order"))
    for slide in slides:
        if slide.notes_html:
            assert slide.notes_html in page
    assert 'data-deck="current"' in page and 'data-deck="next"' in page
    assert "data-timer" in page
    assert f'data-channel="slides-{module.slug}"' in page
    assert reverse("modules:slides_present", args=[module.slug]) in page


def test_the_slide_pages_work_offline_and_respect_the_csp(client, module):
    """One page holds the whole deck; only our own script and stylesheet, nothing inline."""
    client.force_login(UserFactory(role="Formateur"))
    for name in ["modules:slides_present", "modules:slides_presenter"]:
        page = client.get(reverse(name, args=[module.slug])).content.decode()
        assert re.findall(r"<script[^>]*>", page) == [f'<script src="{static("js/slides.js")}">']
        assert " style=" not in page and "<style" not in page
        assert not re.search(r"(src|href)=\"https?://", page.split("<main", 1)[0])


def test_the_module_page_links_to_the_slides(client, module):
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(module.get_absolute_url()).content.decode()
    assert reverse("modules:slides_present", args=[module.slug]) in page
    assert reverse("modules:slides_presenter", args=[module.slug]) not in page
    client.force_login(UserFactory(role="Formateur"))
    page = client.get(module.get_absolute_url()).content.decode()
    assert reverse("modules:slides_presenter", args=[module.slug]) in page


def test_the_slide_pages_use_a_constant_number_of_queries(
    client, module, django_assert_max_num_queries
):
    client.force_login(UserFactory(role="Formateur"))
    with django_assert_max_num_queries(12):
        client.get(reverse("modules:slides_presenter", args=[module.slug]))
