"""Layout in a real browser: no page of any role scrolls sideways on a phone, and the menu is
expanded on a laptop.

The pages come from the access matrix (tests/security/matrix.py) and its world
(tests/security/world.py): every named URL that answers an HTML page with 200 to a role is
visited by that role, so a page added later is checked without touching this file.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.conftest import PHONE
from tests.security.matrix import MATRIX
from tests.security.world import ROLES, url_for, world_build
from training.attendance import services as attendance_services

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}
OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1 && el.offsetParent !== null) {
        wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' → ' + Math.round(box.right));
      }
    }
  }
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
}"""


def _client(world, role) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _browser_context(browser, live_server, client, viewport, **kwargs):
    context = browser.new_context(
        viewport=viewport, locale="fr-FR", base_url=live_server.url, **kwargs
    )
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _html_pages(world, role, client) -> list[tuple[str, str]]:
    """Every (name, url) of the matrix that answers this role an HTML page with 200."""
    pages = []
    for name in sorted(MATRIX):
        url = url_for(world, name)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((name, url))
    return pages


@pytest.fixture
def world(course_loaded):
    world = world_build()
    # Open session A's first half-day: its console and closing page are pages too.
    attendance_services.slot_open(slot=world.slot, user=world.users["trainer"])
    return world


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(browser, live_server, world):
    checked, wide = {}, []
    for role in ROLES:
        client = _client(world, role)
        pages = _html_pages(world, role, client)
        context = _browser_context(
            browser, live_server, client, PHONE, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        for name, url in pages:
            page.goto(url, wait_until="load")
            result = page.evaluate(OVERFLOW)
            if result["scroll"] > result["client"]:
                wide.append(
                    f"{role} {name} ({url}): {result['scroll'] - result['client']} px "
                    f"too wide: {result['wide']}"
                )
        context.close()
        checked[role] = len(pages)
    assert not wide, "Pages scrolling sideways at 390 px:\n" + "\n".join(wide)
    # The walk really covered the site: every role's pages, the trainer's tabs among them.
    assert checked["anonymous"] >= 8 and checked["trainee"] >= 20
    assert checked["trainer"] >= 30 and checked["admin"] >= 35, checked


@pytest.mark.parametrize("role", ["trainee", "trainer", "admin"])
def test_the_menu_is_expanded_on_a_laptop_for_every_role(browser, live_server, world, role):
    client = _client(world, role)
    context = _browser_context(browser, live_server, client, LAPTOP)
    page = context.new_page()
    page.goto("/tableau-de-bord/")
    assert not page.locator(".navbar-toggler").is_visible()
    links = page.locator("#nav-main .nav-link")
    assert links.count() >= 5
    tops = set()
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        tops.add(round(box["y"] + box["height"] / 2))
    # One row of links: every link is centred on the same line, and the bar stays short.
    assert max(tops) - min(tops) <= 2, tops
    assert page.locator(".site-header").bounding_box()["height"] < 100
    page.screenshot(path=f"tests/e2e/screenshots/menu-1366-{role}.png")
    context.close()
