"""The proof pack in Chromium: the trainer opens the « Dossier de preuves » tab, asks for the
pack, follows the worker's progress on the bundles' page, downloads the ZIP, which verifies;
axe-core on each screen."""

import io

import pytest

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, attested_session
from training.content.loader import content_load
from training.proofs import seal

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_trainer_makes_the_pack_follows_its_progress_and_downloads_it(page, task_worker):
    content_load()
    session, trainer, _trainees = attested_session(trainees=2)
    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Dossier de preuves").click()
    page.get_by_role("heading", name="Dossier de preuves").wait_for()
    fingerprint = page.locator("code").first.inner_text()
    check_accessibility(page, "proofs-tab")
    page.get_by_role("button", name="Constituer le dossier de preuves").click()
    page.get_by_role("heading", name="Dossier de preuves (ZIP)").wait_for()
    assert "En attente du travailleur" in page.get_by_role("status").inner_text()
    check_accessibility(page, "proofs-queued")

    task_worker()
    link = page.get_by_role("link", name="Télécharger le ZIP")
    link.wait_for(state="visible", timeout=120_000)
    assert "Le ZIP est prêt" in page.get_by_role("status").inner_text()
    check_accessibility(page, "proofs-ready")
    with page.expect_download() as download:
        link.click()
    task_worker.stop()
    assert download.value.suggested_filename == f"dossier-preuves-{session.code.lower()}.zip"
    result = seal.pack_verify(io.BytesIO(download.value.path().read_bytes()))
    assert result.ok and result.key_fingerprint == fingerprint

    page.goto("/mentions-legales/")
    assert page.locator("#proof-key-fingerprint").inner_text() == fingerprint
    check_accessibility(page, "legal-notice-key")
