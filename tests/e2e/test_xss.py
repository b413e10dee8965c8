"""Hostile text typed by users never runs as script in a real browser."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD
from tests.security.world import world_build
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "<svg onload=window.__xss=3>",
    "javascript:window.__xss=4",
    "'-alert(window.__xss=5)-'",
]


def test_hostile_names_and_session_text_run_no_script(page):
    content_load()
    hostile = " ".join(PAYLOADS)
    world = world_build(
        trainee={"first_name": PAYLOADS[0], "last_name": PAYLOADS[1], "organisation": PAYLOADS[2]},
        trainer={"first_name": PAYLOADS[3], "last_name": PAYLOADS[4]},
        session={"title": hostile[:200], "place_name": PAYLOADS[1], "notes": hostile},
    )
    pk = world.session.pk
    pages = {
        world.users["trainer"]: [
            reverse("training:session_detail", args=[pk]),
            reverse("training:session_trainees", args=[pk]),
            reverse("training:attendance_session", args=[pk]),
            reverse("training:session_list"),
        ],
        world.users["trainee"]: [reverse("training:dashboard"), reverse("training:profile")],
    }
    for user, urls in pages.items():
        page.context.clear_cookies()
        login(page, user.email, DEFAULT_PASSWORD)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__xss === undefined"), url
    # The hostile text is shown as text, not dropped.
    page.goto(reverse("training:profile"))
    assert page.get_by_label("Prénom").input_value() == PAYLOADS[0]
    assert page.js_errors == []
