"""Every route refuses a POST without a CSRF token, for every role, and nothing changes."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.security.world import url_for, url_names, world_build

pytestmark = pytest.mark.django_db

# Plausible bodies, so that a missing CSRF check would actually change something.
BODIES = {
    "login": lambda w: {"username": w.users["trainee"].email, "password": "x"},
    "training:profile": lambda w: {"first_name": "Forgé", "last_name": "Forgé"},
    "training:session_update": lambda w: {"title": "Forgé"},
    "training:session_cancel": lambda w: {"reason": "Forgé"},
    "training:enrolment_create": lambda w: {
        "email": "forge@exemple.fr",
        "first_name": "F",
        "last_name": "F",
    },
    "training:session_resource_create": lambda w: {
        "kind": "link",
        "title": "Forgé",
        "url": "https://exemple.fr/",
    },
    "training:attendance_status_mark": lambda w: {
        "trainee": w.users["trainee"].pk,
        "status": "absent",
        "reason": "Forgé",
    },
    "training:attendance_signature_correct": lambda w: {
        "new_status": "absent",
        "reason": "Forgé",
    },
    "boussole:case_detail": lambda w: {"verdict": "x", "reasoning": "Forgé"},
    "training:legal_reference": lambda w: {
        "checked_on": "2026-01-05",
        "source_consulted": "Forgé",
        "outcome": "unchanged",
    },
    "training:legal_flag_resolve": lambda w: {"note": "Forgé"},
    "training:legal_flags_resolve": lambda w: {"note": "Forgé"},
    "training:bpf_enrolment_edit": lambda w: {
        "trainee_category": "autre",
        "funding_source": "autre",
        "price": "1",
    },
}


def snapshot(world):
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("training", "quizzes", "modules", "boussole", "sessions")
    }
    world.session.refresh_from_db()
    world.token.refresh_from_db()
    trainee = world.users["trainee"]
    trainee.refresh_from_db()
    return counts, world.session.title, world.session.status, world.token.token, trainee.first_name


@pytest.mark.parametrize("role", ["anonymous", "trainee", "trainer", "admin"])
def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(course_loaded, role):
    world = world_build()
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    before = snapshot(world)
    accepted = []
    for name in [*url_names(), "set_language"]:
        url = reverse(name) if name == "set_language" else url_for(world, name)
        body = BODIES.get(name, lambda w: {})(world)
        response = client.post(url, body)
        if response.status_code != 403:
            accepted.append(f"{name}: {response.status_code}")
    assert not accepted, "\n".join(accepted)
    assert snapshot(world) == before


def test_a_post_with_the_token_is_accepted_so_the_check_above_is_meaningful(course_loaded):
    world = world_build()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["trainee"])
    page = client.get(reverse("training:calendar_feed"))
    token = page.cookies["csrftoken"].value
    old = world.token.token
    response = client.post(
        reverse("training:calendar_token_regenerate"), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    world.token.refresh_from_db()
    assert world.token.token != old
