"""Browser tests: Playwright for Python driving Debian's Chromium against a live server."""

import os
import shutil
import threading
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is used from the
# test body only, never concurrently with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with its static files answered as in production.

    pytest-django puts staticfiles' handler in front, which looks files up by their source
    names through the finders: the hashed names the production storage puts in the pages
    would be 404. Without it, WhiteNoise (in the middleware) serves them from the collected
    STATIC_ROOT with the production headers.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: browser tests cannot run in CI.")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", base_url=live_server.url, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


def login(page, email, password):
    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def check_accessibility(page, name):
    """Screenshot the page and fail on any serious or critical axe-core violation."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"axe-core violations on {name}:\n" + "\n".join(bad)
    assert page.js_errors == [], f"JavaScript errors on {name}: {page.js_errors}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} is {overflow}px wider than the viewport (horizontal scrolling)"


def logout(page):
    """Open the (possibly collapsed) menu, then the account menu, and log out."""
    _open_menu(page)
    page.get_by_role("button", name="Mon compte").click()
    page.locator(".dropdown-menu.show").wait_for(state="visible")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")


def _open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Wait for Bootstrap's collapse animation to finish before clicking inside the menu.
        page.locator("#nav-main.show:not(.collapsing)").wait_for(state="visible")


def nav(page, name):
    """Follow a link of the main navigation, opening the collapsed menu first if needed."""
    _open_menu(page)
    page.locator("#nav-main").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


class _ThreadWorker:
    """django-tasks-db's worker in a thread of this process, on the live server's own
    connection to the in-memory SQLite database (two connections to a shared-cache memory
    database lock each other's tables)."""

    def __init__(self, connection):
        self.connection = connection
        self.thread = None
        self.worker = None

    def _run(self):
        from django.db import connections

        connections["default"] = self.connection
        self.worker.run()

    def __call__(self):
        """Start the worker (the tests call ``task_worker()``)."""
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="e2e-worker",
            excluded_queue_names=[],
        )
        self.connection.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        """Stop it (before the test body reads the database on its own connection)."""
        if self.thread is not None:
            self.worker.running = False
            self.thread.join(timeout=60)
            self.connection.dec_thread_sharing()
            self.thread = None


@pytest.fixture
def task_worker(live_server):
    from django.db import connections

    worker = _ThreadWorker(
        live_server.thread.connections_override.get("default", connections["default"])
    )
    yield worker
    worker.stop()
