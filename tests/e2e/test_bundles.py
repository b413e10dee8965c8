"""« Tout télécharger » in Chromium: the page answers at once, shows the worker's progress,
then the ZIP; a second click follows the same build instead of starting another."""

import io
import zipfile

import pytest

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, attested_session
from training.content.loader import content_load
from training.documents.models import DocumentBundle

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bundle_page_shows_progress_then_the_zip_and_a_second_click_joins(page, task_worker):
    from django_tasks_db.models import DBTaskResult

    content_load()
    session, trainer, trainees = attested_session(trainees=3)
    total = 4 + 3 * len(trainees)
    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/documents/")
    page.get_by_role("button", name="Tout télécharger (ZIP)").click()
    page.get_by_role("heading", name="Tous les documents (ZIP)").wait_for()
    bundle_url = page.url
    assert "En attente du travailleur" in page.get_by_role("status").inner_text()
    check_accessibility(page, "bundle-queued")

    # A second click while the first build waits: the same bundle, no second task.
    page.goto(f"/sessions/{session.pk}/documents/")
    assert page.get_by_role("link", name="ZIP de tous les documents en préparation").count() == 1
    page.get_by_role("button", name="Tout télécharger (ZIP)").click()
    page.get_by_role("heading", name="Tous les documents (ZIP)").wait_for()
    assert page.url == bundle_url
    assert DocumentBundle.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="bundle_build").count() == 1

    task_worker()  # the worker starts: the page follows its progress without reloading
    page.wait_for_function(
        "() => { const bar = document.querySelector('progress');"
        " return bar.value >= 1 && document.querySelector('[data-bundle-message]')"
        ".textContent.length > 0; }",
        timeout=60_000,
    )
    check_accessibility(page, "bundle-progress")
    link = page.get_by_role("link", name="Télécharger le ZIP")
    link.wait_for(state="visible", timeout=120_000)
    assert page.url == bundle_url  # no reload: the script updated the page
    assert f"Le ZIP est prêt : {total} documents." in page.get_by_role("status").inner_text()
    assert page.locator("progress").get_attribute("value") == str(total)
    check_accessibility(page, "bundle-ready")
    with page.expect_download() as download:
        link.click()
    task_worker.stop()
    data = download.value.path().read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None and len(archive.namelist()) == total
    assert download.value.suggested_filename == f"{session.code.lower()}-tout.zip"
    assert DBTaskResult.objects.filter(task_path__endswith="bundle_build").count() == 1


def test_email_states_on_the_trainees_tab_and_failures_for_the_administrators(page):
    import datetime

    from django.utils import timezone

    from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
    from training.background.models import EmailDelivery, TaskFailure

    trainer = UserFactory(role="Formateur")
    admin = UserFactory(role="Administrateur")
    session = SessionFactory(trainers=[trainer])
    sent, waiting, failed = (EnrolmentFactory(session=session) for _ in range(3))
    now = timezone.now()
    EmailDelivery.objects.create(
        kind="convocation",
        session=session,
        recipient=sent.trainee,
        status="sent",
        attempts=1,
        sent_at=now,
    )
    EmailDelivery.objects.create(
        kind="convocation",
        session=session,
        recipient=waiting.trainee,
        status="queued",
        attempts=2,
        next_attempt_at=now + datetime.timedelta(minutes=15),
        reason="le serveur de courriel est injoignable (ConnectionRefusedError: [Errno 111] Connection refused)",
    )
    EmailDelivery.objects.create(
        kind="convocation",
        session=session,
        recipient=failed.trainee,
        status="failed",
        attempts=6,
        reason="le serveur de courriel a refusé l’adresse (SMTPRecipientsRefused)",
    )
    TaskFailure.objects.create(
        task="training.documents.tasks.bundle_build",
        description=f"tout — {session.code}",
        error="RefusedURL: refused URL: file:///etc/passwd",
        attempts=3,
    )
    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/stagiaires/")
    assert page.get_by_text("2 tentatives échouées, nouvel essai à").count() == 1
    assert page.get_by_text("Échec", exact=True).count() == 1
    check_accessibility(page, "session-trainees-email-states")
    page.context.clear_cookies()
    login(page, admin.email, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Travaux en arrière-plan").click()
    page.get_by_role("heading", name="Tâches en échec après leurs nouvelles tentatives").wait_for()
    assert "refused URL" in page.content()
    assert failed.trainee.email in page.content()
    check_accessibility(page, "task-failures")
