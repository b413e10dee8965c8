"""A trainer projects a module's slides, drives them from the presenter view, offline, and
downloads the handout from the session's documents tab."""

import pytest

from modules.models import Module
from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory, attested_session
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)


def visible_title(page) -> str:
    return page.locator("#deck .slide-frame:visible .slide-title").inner_text()


def test_trainer_presents_with_the_keyboard_and_downloads_the_handout(page, tmp_path):
    content_load()
    trainer = UserFactory(role="Formateur", first_name="Claire", last_name="Rousseau")
    session, _trainer, _trainees = attested_session(trainees=2, trainer=trainer)
    module = Module.objects.order_by("number").first()
    titles = list(module.slides.order_by("order").values_list("title", flat=True))
    total = len(titles)
    assert total >= 10

    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(module.get_absolute_url())
    page.get_by_role("link", name="Ouvrir le diaporama").click()
    page.locator("[data-counter]").filter(has_text=f"1 / {total}").wait_for()
    assert visible_title(page) == titles[0]
    check_accessibility(page, "slides-present")

    # Works with no network once loaded: every slide is already in the page.
    page.context.set_offline(True)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert visible_title(page) == titles[2]
    assert page.locator("[data-counter]").inner_text() == f"3 / {total}"
    page.keyboard.press(" ")
    assert visible_title(page) == titles[3]
    page.keyboard.press("ArrowLeft")
    assert visible_title(page) == titles[2]
    page.keyboard.press("End")
    assert visible_title(page) == titles[-1]
    assert page.locator("[data-counter]").inner_text() == f"{total} / {total}"
    page.keyboard.press("Home")
    assert visible_title(page) == titles[0]
    assert page.evaluate("location.hash") == "#1"
    page.context.set_offline(False)

    # F asks the browser for full screen (headless Chromium grants it to a key press).
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")

    # The presenter view drives the projected window (BroadcastChannel, no server).
    presenter = page.context.new_page()
    presenter.js_errors = []
    presenter.on("pageerror", lambda exc: presenter.js_errors.append(str(exc)))
    presenter.goto(f"/diaporama/{module.slug}/presentateur/")
    presenter.locator('[data-deck="current"] .slide-frame:visible').wait_for()
    presenter.keyboard.press("ArrowRight")
    presenter.keyboard.press("ArrowRight")
    page.locator("[data-counter]").filter(has_text=f"3 / {total}").wait_for()
    assert visible_title(page) == titles[2]
    current = presenter.locator('[data-deck="current"] .slide-frame:visible .slide-title')
    following = presenter.locator('[data-deck="next"] .slide-frame:visible .slide-title')
    assert current.inner_text() == titles[2]
    assert following.inner_text() == titles[3]
    assert presenter.locator('[data-deck="notes"] .notes:visible').inner_text().strip()
    assert presenter.locator("[data-timer]").inner_text().count(":") == 1
    # And the other way round: the projected window moves the presenter view.
    page.bring_to_front()
    page.keyboard.press("ArrowLeft")
    presenter.locator('[data-deck="current"] .slide-frame:visible .slide-title').filter(
        has_text=titles[1]
    ).wait_for()
    check_accessibility(presenter, "slides-presenter")

    # The handout, from the session's documents tab.
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Documents").click()
    page.get_by_role("heading", name="Documents de la session").wait_for()
    check_accessibility(page, "session-documents")
    row = page.locator(".documents-list li").filter(has_text="Support du diaporama")
    with page.expect_download(timeout=120_000) as download_info:
        row.get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename == f"{session.code.lower()}-support-diaporama.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")


def test_a_trainee_views_the_slides_and_downloads_their_documents(page, tmp_path):
    content_load()
    session, _trainer, (trainee,) = attested_session(trainees=1)
    module = Module.objects.order_by("number").first()

    login(page, trainee.email, DEFAULT_PASSWORD)
    page.goto(module.get_absolute_url())
    assert page.get_by_role("link", name="Vue présentateur").count() == 0
    page.get_by_role("link", name="Ouvrir le diaporama").click()
    page.locator("[data-counter]").filter(has_text="1 / ").wait_for()
    page.keyboard.press("ArrowRight")
    page.locator("[data-counter]").filter(has_text="2 / ").wait_for()
    assert page.get_by_text("Notes de l'orateur").count() == 0
    assert page.get_by_role("link", name="Vue présentateur").count() == 0

    page.goto("/tableau-de-bord/")
    panel = page.locator(".documents-panel")
    panel.get_by_role("heading", name="Mes documents de session").wait_for()
    check_accessibility(page, "dashboard-trainee-documents")
    with page.expect_download(timeout=60_000) as download_info:
        panel.get_by_role("link", name="Certificat de réalisation").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
