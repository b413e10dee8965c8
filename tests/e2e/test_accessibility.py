"""The RGAA audit's automated checks, on its declared sample (docs/accessibility-audit.md).

Each test names the criteria it backs. The sample is the demo (``seed_demo``) plus a session
running today, so that the signing page, the console and the projection exist.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import PHONE, SCREENSHOTS
from tests.factories import EnrolmentFactory, SessionFactory
from training.accounts.models import User
from training.attendance import codes
from training.attendance import services as attendance_services
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 300),
          name: el.getAttribute('name'), type: el.getAttribute('type'),
          fieldset: el.closest('fieldset') ? el.closest('fieldset').id : '',
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def sample(settings):
    """The audited pages, per role: (code, url)."""
    from modules.models import Lesson
    from quizzes import services as quiz_services
    from quizzes.models import Attempt, Quiz

    settings.DEBUG = True
    content_load()
    call_command("seed_demo", verbosity=0)
    trainee = User.objects.get(email="stagiaire@demo.example")
    trainer = User.objects.get(email="formatrice@demo.example")
    admin = User.objects.get(email="admin@demo.example")
    today = timezone.localdate()
    session = SessionFactory(
        code="AUDIT-JOUR",
        dates=[today, today + datetime.timedelta(days=1)],
        trainers=[trainer],
    )
    EnrolmentFactory(session=session, trainee=trainee)
    slot = session.slots.order_by("date", "period").first()
    attendance_services.slot_open(slot=slot, user=trainer)
    lesson = Lesson.objects.select_related("module").order_by("module__number", "order")[1]
    result = Attempt.objects.filter(user=trainee, status="submitted").first()
    quiz = Quiz.objects.filter(is_active=True).order_by("pk").first()
    taking = quiz_services.attempt_start(user=admin, quiz=quiz)
    return {
        "users": {"trainee": trainee, "trainer": trainer, "admin": admin},
        "session": session,
        "slot": slot,
        "pages": {
            None: [
                ("P01", "/"),
                ("P02", reverse("login")),
                ("P15", reverse("training:legal_notice")),
                ("P16", reverse("training:accessibility")),
            ],
            "trainee": [
                ("P03", reverse("training:dashboard")),
                ("P04", lesson.get_absolute_url()),
                ("P06", reverse("quizzes:attempt_result", args=[result.pk])),
                ("P07", reverse("boussole:walk")),
                ("P09", reverse("training:attendance_sign", args=[slot.pk])),
                ("P14", reverse("training:my_data_html")),
            ],
            "trainer": [
                ("P10", reverse("training:session_detail", args=[session.pk])),
                ("P11", reverse("training:attendance_console", args=[session.pk, slot.pk])),
                ("P12", reverse("training:attendance_projection", args=[session.pk, slot.pk])),
            ],
            "admin": [
                ("P05", reverse("quizzes:attempt_take", args=[taking.pk])),
                ("P13", reverse("training:attendance_export")),
            ],
        },
    }


def _context(browser, live_server, user, viewport=LAPTOP, **kwargs):
    context = browser.new_context(
        viewport=viewport, locale="fr-FR", base_url=live_server.url, **kwargs
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _each_page(browser, live_server, sample, viewport=LAPTOP, **kwargs):
    """Yield (code, page) for every page of the sample, each role in its own context."""
    for role, pages in sample["pages"].items():
        user = sample["users"][role] if role else None
        context = _context(browser, live_server, user, viewport, **kwargs)
        try:
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            for code, url in pages:
                page.goto(url)
                page.wait_for_load_state("networkidle")
                yield code, page
                assert errors == [], f"{code}: JavaScript errors {errors}"
        finally:
            context.close()


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def _ax_tree(page) -> list[dict]:
    session = page.context.new_cdp_session(page)
    try:
        return session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()


def _value(node, key):
    return (node.get(key) or {}).get("value") or ""


# --- 3.2, 8.x, 9.x, 11.1, 5.x, 6.2, 1.1: axe-core's WCAG rules, structure, names ------------


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_the_sample_passes_every_wcag_rule_of_axe_core(browser, live_server, sample, viewport):
    size = LAPTOP if viewport == "laptop" else PHONE
    found = {}
    for code, page in _each_page(browser, live_server, sample, size):
        found[code] = _axe(page)
        if viewport == "laptop":
            page.screenshot(path=str(SCREENSHOTS / f"audit-{code}.png"), full_page=True)
    bad = {code: violations for code, violations in found.items() if violations}
    assert not bad, bad
    assert len(found) == 15  # P08, the verdict, is reached in the keyboard journey


def test_the_sample_has_doctype_language_titles_headings_landmarks_and_names(
    browser, live_server, sample
):
    """8.1, 8.3, 8.5, 8.6, 9.1, 9.2, 12.6, 12.7, 6.2, 11.1, 11.9, 1.1."""
    site = "Partage d'informations à caractère secret"
    for code, page in _each_page(browser, live_server, sample):
        assert page.evaluate("document.doctype && document.doctype.name") == "html", code
        assert page.locator("html").get_attribute("lang") == "fr", code
        title = page.title()
        assert title.endswith(site) and len(title) > len(site) + 3, (code, title)
        assert page.locator("h1").count() == 1, code
        levels = [
            int(tag[1])
            for tag in page.eval_on_selector_all(
                "h1, h2, h3, h4, h5, h6", "els => els.map(e => e.tagName)"
            )
            if tag
        ]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (code, levels)
        nodes = [n for n in _ax_tree(page) if not n.get("ignored")]
        roles = {_value(n, "role") for n in nodes}
        assert "main" in roles, code
        if code != "P12":  # the projection is full screen, with no menu by design
            assert {"banner", "navigation", "contentinfo"} <= roles, (code, roles)
            assert page.locator("a.skip-link").get_attribute("href") == "#contenu"
        unnamed = [
            (_value(n, "role"), n.get("nodeId"))
            for n in nodes
            if _value(n, "role")
            in ("link", "button", "textbox", "checkbox", "radio", "combobox", "image", "img")
            and not _value(n, "name").strip()
        ]
        assert not unnamed, (code, unnamed)


# --- 10.7, 12.7, 12.8, 12.9, 7.3: keyboard-only journeys with a visible focus ---------------


def _tab_to(page, wanted, limit=80) -> list[dict]:
    """Press Tab until ``wanted(focus)`` is true; check that every focus stop is visible."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus is not None, "focus lost to the page"
        assert focus["outline"] != "none" and focus["width"] >= 2, f"invisible focus: {focus}"
        stops.append(focus)
        if wanted(focus):
            return stops
    raise AssertionError(f"not reached with the keyboard: {stops[-5:]}")


def test_a_trainee_signs_with_the_keyboard_only(browser, live_server, sample):
    from training.attendance.models import AttendanceSignature

    trainee, slot = sample["users"]["trainee"], sample["slot"]
    context = _context(browser, live_server, trainee, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(reverse("training:attendance_sign", args=[slot.pk]))
    first = _tab_to(page, lambda f: True)
    assert first[0]["text"] == "Aller au contenu"  # 12.7: the skip link comes first
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["name"] == "code")
    state = slot.attendance
    state.refresh_from_db()
    page.keyboard.type(codes.code_current(secret=state.secret))
    _tab_to(page, lambda f: f["name"] == "typed_name")
    page.keyboard.type(trainee.get_full_name())
    _tab_to(page, lambda f: f["name"] == "certified")
    page.keyboard.press("Space")
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Signer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("status").first.is_visible()
    assert AttendanceSignature.objects.filter(slot=slot, trainee=trainee, method="saisie").exists()
    page.screenshot(path=str(SCREENSHOTS / "audit-keyboard-signed.png"), full_page=True)
    context.close()


def test_a_quiz_is_answered_with_the_keyboard_only(browser, live_server, sample):
    from quizzes.models import Attempt, Quiz
    from tests.factories import UserFactory

    person = UserFactory(role="Stagiaire")
    quiz = Quiz.objects.filter(is_active=True, questions__isnull=False).distinct().first()
    context = _context(browser, live_server, person)
    page = context.new_page()
    page.goto(quiz.get_absolute_url())
    _tab_to(page, lambda f: f["tag"] == "button" and "Commencer" in f["text"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    fieldsets = page.eval_on_selector_all("fieldset.quiz-question", "els => els.map(e => e.id)")
    assert fieldsets
    for fieldset in fieldsets:
        # Radios are one tab stop per question, checkboxes one each: stop at the first.
        _tab_to(
            page,
            lambda f, fieldset=fieldset: (
                f["type"] in ("radio", "checkbox") and f["fieldset"] == fieldset
            ),
        )
        page.keyboard.press("Space")
    _tab_to(page, lambda f: f["tag"] == "button" and "Envoyer" in f["text"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attempt = Attempt.objects.get(user=person, quiz=quiz)
    assert attempt.status == "submitted"
    assert page.get_by_role("heading", level=1).is_visible()
    assert _axe(page) == []  # P06 reached by keyboard
    context.close()


def test_the_boussole_is_walked_to_a_verdict_with_the_keyboard_only(browser, live_server, sample):
    from boussole.models import Case, Guide

    guide = Guide.objects.get()
    case = Case.objects.order_by("pk").first()
    context = _context(browser, live_server, sample["users"]["trainee"], PHONE)
    page = context.new_page()
    page.goto(reverse("boussole:walk"))
    for node_id, key in case.answers:
        node = guide.graph["nodes"][node_id]
        option = next(o for o in node["options"] if o["key"] == key)
        label = " ".join(option["label"].replace("\u202f", " ").replace("\xa0", " ").split())
        _tab_to(
            page,
            lambda f, label=label: (
                " ".join(f["text"].replace("\u202f", " ").replace("\xa0", " ").split()) == label
            ),
            limit=120,
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")
    verdict = guide.graph["verdicts"][case.expected_verdict]["title"]
    heading = page.get_by_role("heading", level=1).inner_text()
    assert " ".join(heading.split()) == " ".join(
        verdict.replace("\u202f", " ").replace("\xa0", " ").split()
    )
    assert _axe(page) == []  # P08, the verdict
    page.screenshot(path=str(SCREENSHOTS / "audit-P08.png"), full_page=True)
    context.close()


def test_the_projection_is_driven_with_the_keyboard(browser, live_server, sample):
    session, slot = sample["session"], sample["slot"]
    context = _context(browser, live_server, sample["users"]["trainer"], LAPTOP)
    page = context.new_page()
    page.goto(reverse("training:attendance_projection", args=[session.pk, slot.pk]))
    page.wait_for_load_state("networkidle")
    assert page.locator("nav").count() == 0 and page.locator("form").count() == 0
    assert page.locator(".projection-code").is_visible()
    _tab_to(page, lambda f: f["text"] == "Plein écran")
    _tab_to(page, lambda f: f["text"] == "Quitter la projection")
    page.screenshot(path=str(SCREENSHOTS / "projection-1366.png"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("training:attendance_console", args=[session.pk, slot.pk]))
    context.close()


def test_tabbing_through_every_page_reaches_the_footer_without_a_trap(browser, live_server, sample):
    """12.9: no keyboard trap; 12.8: no positive tabindex."""
    for code, page in _each_page(browser, live_server, sample):
        assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0
        if code == "P12":
            continue
        _tab_to(page, lambda f: f["id"] == "language-select", limit=400)


# --- 10.4, 10.11, 13.9, 10.12, 10.2, 10.3, 3.3: zoom, reflow, spacing, no CSS, contrast -------


@pytest.mark.parametrize(
    ("name", "viewport", "scale"),
    [
        ("zoom-200", {"width": 683, "height": 450}, 2),
        ("reflow-320", {"width": 320, "height": 640}, 1),
        ("landscape", {"width": 844, "height": 390}, 1),
    ],
)
def test_the_sample_reflows_at_200_percent_320_px_and_in_landscape(
    browser, live_server, sample, name, viewport, scale
):
    wide = []
    for code, page in _each_page(browser, live_server, sample, viewport, device_scale_factor=scale):
        if page.evaluate(OVERFLOW) > 0:
            wide.append(code)
        assert page.locator("h1").is_visible(), code
        if name == "reflow-320":
            page.screenshot(path=str(SCREENSHOTS / f"audit-320-{code}.png"))
    assert not wide, f"{name}: pages scrolling sideways: {wide}"


TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""


def test_text_spacing_can_be_increased_without_loss(browser, live_server, sample):
    clipped = []
    for code, page in _each_page(browser, live_server, sample, PHONE):
        # Through the CSS object model: the strict CSP refuses a <style> element, as it should.
        page.evaluate(
            "css => { const sheet = [...document.styleSheets].find(s => s.href); "
            "css.split('}').filter(r => r.trim()).forEach(r => sheet.insertRule(r + '}', "
            "sheet.cssRules.length)); }",
            TEXT_SPACING,
        )
        if page.evaluate(OVERFLOW) > 0:
            clipped.append(f"{code}: scrolls sideways")
        lost = page.evaluate(
            """() => [...document.querySelectorAll('.btn, .badge, .nav-link, label, h1, h2')]
                .filter(e => e.offsetParent !== null && e.clientWidth > 1 && getComputedStyle(e).overflow === 'hidden'
                        && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
                .map(e => e.textContent.trim().slice(0, 40))"""
        )
        if lost:
            clipped.append(f"{code}: {lost}")
    assert not clipped, clipped


def test_without_stylesheets_the_content_stays_present_and_in_order(browser, live_server, sample):
    for code, page in _each_page(browser, live_server, sample, PHONE):
        heading = " ".join(page.locator("h1").inner_text().split())
        page.evaluate(
            "document.querySelectorAll('link[rel=stylesheet], style').forEach(e => e.remove())"
        )
        text = " ".join(page.locator("body").inner_text().split())
        assert heading in text, code
        if code != "P12":
            assert page.locator(".navbar-toggler").inner_text().strip() == "Menu"
            assert text.index(heading) > text.index("Aller au contenu"), code


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_focus_ring_and_field_borders_contrast_three_to_one(browser, live_server, sample):
    context = _context(browser, live_server, None)
    page = context.new_page()
    page.goto(reverse("login"))
    border = page.evaluate(
        "getComputedStyle(document.querySelector('#id_password')).borderTopColor"
    )
    assert _contrast(border, "rgb(255, 255, 255)") >= 3, border
    stops = _tab_to(page, lambda f: f["name"] == "password")
    for stop in stops:
        assert _contrast(stop["color"], "rgb(255, 255, 255)") >= 3, stop
    context.close()
