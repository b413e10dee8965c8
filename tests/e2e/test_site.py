import pytest
from django.core.management import call_command

from modules.models import Lesson
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, check_accessibility, login, logout
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    content_load()
    call_command("seed_demo", verbosity=0)


def test_anonymous_home_page_is_the_french_programme(page, demo):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Le partage d'information")
    assert page.get_by_text("Objectifs").first.is_visible()
    check_accessibility(page, "home-desktop")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "home-phone")


@pytest.mark.parametrize(
    ("email", "password", "name"),
    [
        ("stagiaire@demo.example", "demo-stagiaire-2026", "trainee"),
        ("formatrice@demo.example", "demo-formatrice-2026", "trainer"),
        ("admin@demo.example", "demo-admin-2026", "admin"),
    ],
)
def test_each_demo_role_logs_in_and_reaches_its_landing_page(page, demo, email, password, name):
    login(page, email, password)
    assert page.url.endswith("/tableau-de-bord/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    check_accessibility(page, f"dashboard-{name}")
    logout(page)
    assert page.get_by_role("link", name="Se connecter pour suivre le cours").is_visible()


def test_trainee_reads_a_lesson_marks_it_read_and_the_module_bar_moves(page, demo):
    login(page, "stagiaire@demo.example", "demo-stagiaire-2026")
    lesson = Lesson.objects.select_related("module").order_by("module__number", "order").first()
    page.goto(lesson.module.get_absolute_url())
    bar = page.locator("progress").first
    assert bar.get_attribute("value") == "0"
    page.get_by_role("link", name=lesson.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == lesson.title
    page.get_by_role("button", name="Marquer comme lu").click()
    assert page.get_by_text("Vous avez lu cette leçon.").is_visible()
    page.goto(lesson.module.get_absolute_url())
    assert int(page.locator("progress").first.get_attribute("value")) > 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_course_pages_pass_axe_on_desktop_and_phone(page, demo, viewport):
    page.set_viewport_size(DESKTOP if viewport == "desktop" else PHONE)
    login(page, "stagiaire@demo.example", "demo-stagiaire-2026")
    lesson = (
        Lesson.objects.select_related("module").filter(module__number=3).order_by("order").first()
    )
    for name, url in [
        ("course", "/cours/"),
        ("module", lesson.module.get_absolute_url()),
        ("lesson", lesson.get_absolute_url()),
        ("glossary", "/glossaire/"),
        ("resources", "/cours/ressources/"),
    ]:
        page.goto(url)
        check_accessibility(page, f"{name}-{viewport}")


def test_hostile_lesson_source_runs_no_script_in_the_browser(page, demo):
    from modules.services import lesson_render

    lesson = Lesson.objects.select_related("module").first()
    lesson.source = '## Test\n\n<script>window.pwned=1</script><img src=x onerror="window.pwned=2">[x](javascript:window.pwned=3)'
    lesson_render(lesson=lesson)
    lesson.save()
    login(page, "stagiaire@demo.example", "demo-stagiaire-2026")
    page.goto(lesson.get_absolute_url())
    page.get_by_text("x", exact=True).click()
    assert page.evaluate("window.pwned === undefined")


def test_a_lesson_prints_its_text_without_the_site_chrome(page, demo):
    login(page, "stagiaire@demo.example", "demo-stagiaire-2026")
    lesson = (
        Lesson.objects.select_related("module").filter(module__number=2).order_by("order").first()
    )
    page.goto(lesson.get_absolute_url())
    assert page.locator(".breadcrumb").is_visible()
    assert page.get_by_role("button", name="Marquer comme lu").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".breadcrumb").is_visible()
    assert not page.get_by_role("button", name="Marquer comme lu").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == lesson.title
    assert page.locator(".prose").first.is_visible()
    page.pdf(path=str(SCREENSHOTS / "lesson-print.pdf"))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_account_and_footer_pages_are_french_and_pass_axe(page, viewport):
    from django.urls import reverse

    from tests.factories import DEFAULT_PASSWORD, UserFactory

    UserFactory(role="Stagiaire", email="lea@exemple.fr", first_name="Léa")
    page.set_viewport_size(DESKTOP if viewport == "desktop" else PHONE)
    public = [
        ("login", "login", "Se connecter"),
        ("password-reset", "password_reset", "Réinitialiser mon mot de passe"),
        ("legal-notice", "training:legal_notice", "Mentions légales"),
        ("privacy", "training:privacy", "Politique de confidentialité"),
        ("accessibility", "training:accessibility", "Déclaration d'accessibilité"),
    ]
    private = [
        ("profile", "training:profile", "Mon profil"),
        ("password-change", "password_change", "Changer mon mot de passe"),
    ]
    for name, url_name, heading in public:
        page.goto(reverse(url_name))
        assert page.get_by_role("heading", level=1).inner_text() == heading
        check_accessibility(page, f"{name}-{viewport}")
    # The status the audit grid gives (docs/accessibility-audit.md), not a fixed word.
    assert page.get_by_text("partiellement conforme").first.is_visible()
    login(page, "lea@exemple.fr", DEFAULT_PASSWORD)
    for name, url_name, heading in private:
        page.goto(reverse(url_name))
        assert page.get_by_role("heading", level=1).inner_text() == heading
        check_accessibility(page, f"{name}-{viewport}")
