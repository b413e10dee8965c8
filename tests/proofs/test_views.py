"""The proof pack from the session page: trainers of the session and administrators ask for
it, the worker builds it (the bundles' progress page and download), trainees never reach it,
another trainer's session is a 404; the key is created once, outside the database, 0600, and
its public half is on the legal notice page."""

import html
import io
import json
import stat
import threading
import zipfile

import pytest
from django.urls import reverse

from tests.factories import UserFactory, attested_session
from training.documents.models import DocumentBundle
from training.proofs import seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(course_loaded):
    session, trainer, people = attested_session(trainees=2)
    return session, trainer, people


def test_the_trainer_asks_for_the_pack_and_the_worker_builds_it(
    finished, client, run_tasks, django_capture_on_commit_callbacks
):
    session, trainer, _people = finished
    client.force_login(trainer)
    page = client.get(reverse("training:session_proofs", args=[session.pk]))
    assert page.status_code == 200
    assert "Constituer le dossier de preuves" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:session_proofs_start", args=[session.pk]))
    bundle = DocumentBundle.objects.get(session=session, which="preuves")
    assert response.url == reverse("training:session_bundle", args=[session.pk, bundle.pk])
    waiting = client.get(response.url).content.decode()
    assert "Dossier de preuves (ZIP)" in waiting and "En attente du travailleur" in waiting
    assert run_tasks() == 1
    state = client.get(
        reverse("training:session_bundle_status", args=[session.pk, bundle.pk])
    ).json()
    assert state["status"] == "ready" and state["download_url"]
    download = client.get(state["download_url"])
    assert download["Content-Disposition"].endswith(f'dossier-preuves-{session.code.lower()}.zip"')
    data = b"".join(download.streaming_content)
    result = seal.pack_verify(io.BytesIO(data))
    assert result.ok, result
    assert result.session == session.code
    # Asked again with the same data: the same pack, no second build.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("training:session_proofs_start", args=[session.pk]))
    assert again.url == response.url
    assert run_tasks() == 0
    assert DocumentBundle.objects.filter(session=session, which="preuves").count() == 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    # No answers, no convocation record: listed as absent with their reason, not skipped.
    absent = {item["section"]: item["reason"] for item in manifest["absent"]}
    assert absent["satisfaction"] == "Aucune réponse à ce questionnaire pour cette session."
    assert absent["convocations"].startswith("Aucun envoi de convocation")


def test_trainees_never_reach_a_pack_and_another_trainer_gets_404(
    finished, client, run_tasks, django_capture_on_commit_callbacks
):
    session, trainer, people = finished
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:session_proofs_start", args=[session.pk]))
    bundle = DocumentBundle.objects.get(session=session, which="preuves")
    run_tasks()
    urls = [
        reverse("training:session_proofs", args=[session.pk]),
        reverse("training:session_bundle", args=[session.pk, bundle.pk]),
        reverse("training:session_bundle_status", args=[session.pk, bundle.pk]),
        reverse("training:session_bundle_download", args=[session.pk, bundle.pk]),
    ]
    client.force_login(people[0])  # a trainee of this very session
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("training:session_proofs_start", args=[session.pk])).status_code == 403
    )
    client.force_login(UserFactory(role="Formateur"))
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("training:session_proofs_start", args=[session.pk])).status_code == 404
    )
    assert DocumentBundle.objects.filter(session=session, which="preuves").count() == 1


def test_the_key_is_made_once_owner_only_and_shown_on_the_legal_notice(settings, tmp_path, client):
    settings.PROOF_SIGNING_KEY_FILE = tmp_path / "private" / "cle.pem"
    keys = []
    threads = [
        threading.Thread(target=lambda: keys.append(seal.signing_key_get())) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fingerprints = {seal.key_fingerprint(key.public_key()) for key in keys}
    assert len(fingerprints) == 1  # six processes at once agree on one key
    path = tmp_path / "private" / "cle.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["cle.pem"]  # no temporary file left
    page = client.get(reverse("training:legal_notice")).content.decode()
    assert fingerprints.pop() in page
    assert "BEGIN PUBLIC KEY" in page and "PRIVATE" not in page


def test_a_broken_key_file_is_said_not_served(settings, tmp_path, client):
    settings.PROOF_SIGNING_KEY_FILE = tmp_path / "cle.pem"
    (tmp_path / "cle.pem").write_text("pas une clé")
    with pytest.raises(seal.KeyUnavailable):
        seal.signing_key_get()
    page = client.get(reverse("training:legal_notice"))
    assert page.status_code == 200
    assert "La clé n'est pas disponible pour le moment." in page.content.decode()


def test_asking_for_a_pack_without_a_usable_key_is_said_not_a_500(
    finished, settings, tmp_path, client
):
    session, trainer, _people = finished
    settings.PROOF_SIGNING_KEY_FILE = tmp_path / "cle.pem"
    (tmp_path / "cle.pem").write_text("pas une clé")
    client.force_login(trainer)
    response = client.post(reverse("training:session_proofs_start", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert "la clé de signature n'est pas disponible" in html.unescape(response.content.decode())
    assert not DocumentBundle.objects.filter(session=session, which="preuves").exists()
    assert (tmp_path / "cle.pem").read_text() == "pas une clé"  # never overwritten
