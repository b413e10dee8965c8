"""« Tout télécharger » and « Télécharger tous les certificats »: the request answers at once
with the bundle's page, the worker builds the ZIP, a second request joins the same build, the
ZIP is served only once complete, through core.downloads, to the session's trainers only."""

import io
import zipfile

import pytest
from django.urls import reverse

from tests.documents.test_views import finished, light  # noqa: F401
from tests.factories import UserFactory
from training.documents import services
from training.documents.models import DocumentBundle

pytestmark = pytest.mark.django_db


def _start(client, session, which="tout"):
    return client.post(reverse("training:session_bundle_start", args=[session.pk, which]))


def _state(client, bundle):
    url = reverse("training:session_bundle_status", args=[bundle.session_id, bundle.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_the_request_queues_the_build_and_the_page_shows_its_progress(
    client,
    finished,  # noqa: F811
    light,  # noqa: F811
    django_capture_on_commit_callbacks,
    run_tasks,
):
    session, trainer, trainees = finished
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, session)
    bundle = DocumentBundle.objects.get(session=session)
    assert response.status_code == 302
    assert response.url == reverse("training:session_bundle", args=[session.pk, bundle.pk])
    assert light == []  # nothing printed in the request
    page = client.get(response.url).content.decode()
    assert "En attente du travailleur" in page
    assert reverse("training:session_bundle_status", args=[session.pk, bundle.pk]) in page
    assert "js/bundle-progress." in page
    state = _state(client, bundle)
    assert (state["status"], state["done"], state["total"]) == ("queued", 0, 4 + 3 * len(trainees))
    assert state["download_url"] == ""
    # Not ready yet: the download address leads back to the page, never to a partial file.
    download = reverse("training:session_bundle_download", args=[session.pk, bundle.pk])
    assert client.get(download).status_code == 302

    assert run_tasks() == 1
    state = _state(client, bundle)
    assert (state["status"], state["done"], state["percent"]) == ("ready", state["total"], 100)
    assert state["download_url"] == download
    response = client.get(download)
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert f'filename="{session.code.lower()}-tout.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 4 + 3 * len(trainees)
    code = session.code.lower()
    assert f"{code}-support-diaporama.pdf" in names
    assert f"{code}-feuille-emargement.pdf" in names
    assert sum(n.startswith("certificat-realisation/") for n in names) == len(trainees)
    assert all(archive.read(n).startswith(b"%PDF-") for n in names)
    assert archive.testzip() is None


def test_a_second_request_joins_the_build_instead_of_starting_another(
    client,
    finished,  # noqa: F811
    light,  # noqa: F811
    django_capture_on_commit_callbacks,
    run_tasks,
):
    session, trainer, trainees = finished
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        first = _start(client, session, "certificats")
        second = _start(client, session, "certificats")
    assert first.url == second.url
    assert DocumentBundle.objects.filter(session=session).count() == 1
    assert run_tasks() == 1  # one build, not two
    assert len(light) == len(trainees)
    with django_capture_on_commit_callbacks(execute=True):
        third = _start(client, session, "certificats")  # ready: served, nothing queued
    assert third.url == first.url
    assert run_tasks() == 0
    assert len(light) == len(trainees)


def test_changed_inputs_give_a_new_bundle_and_the_old_one_goes(
    finished,  # noqa: F811
    light,  # noqa: F811
    django_capture_on_commit_callbacks,
    run_tasks,
):
    session, trainer, trainees = finished
    with django_capture_on_commit_callbacks(execute=True):
        old, started = services.bundle_request(session=session, which="certificats")
    assert started
    run_tasks()
    old.refresh_from_db()
    old_path = old.file.path
    trainees[0].last_name = "Nouveau-Nom"
    trainees[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        new, started = services.bundle_request(session=session, which="certificats")
    assert started and new.pk != old.pk and new.fingerprint != old.fingerprint
    run_tasks()
    new.refresh_from_db()
    assert new.status == "ready"
    assert not DocumentBundle.objects.filter(pk=old.pk).exists()
    import os

    assert not os.path.exists(old_path)
    names = zipfile.ZipFile(new.file.path).namelist()
    assert any("nouveau-nom" in name for name in names)


def test_a_failed_build_is_retried_then_listed_for_the_administrators(
    finished,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
    run_tasks,
    settings,
):
    from core import pdf
    from training.background.models import TaskFailure

    session, _trainer, _trainees = finished

    def broken(*args, **kwargs):
        raise pdf.RefusedURL("refused URL: file:///etc/passwd")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    monkeypatch.setattr(services, "BUNDLE_ATTEMPTS", 1)
    with django_capture_on_commit_callbacks(execute=True):
        bundle, _started = services.bundle_request(session=session, which="certificats")
    run_tasks()
    bundle.refresh_from_db()
    assert bundle.status == "failed" and "refused URL" in bundle.error
    failure = TaskFailure.objects.get()
    assert failure.task == "training.documents.tasks.bundle_build"
    assert session.code in failure.description and "refused URL" in failure.error
    assert not list((settings.MEDIA_ROOT / "bundles").rglob("*.zip"))  # nothing half-written


def test_bundles_are_404_for_another_trainer_and_unknown_kinds(
    client,
    finished,  # noqa: F811
    light,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    session, trainer, _trainees = finished
    client.force_login(trainer)
    assert _start(client, session, "nimporte").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        _start(client, session)
    bundle = DocumentBundle.objects.get()
    client.force_login(UserFactory(role="Formateur"))
    for name in ("session_bundle", "session_bundle_status", "session_bundle_download"):
        assert (
            client.get(reverse(f"training:{name}", args=[session.pk, bundle.pk])).status_code == 404
        )
    assert _start(client, session).status_code == 404
    assert (
        client.get(reverse("training:session_bundle_start", args=[session.pk, "tout"])).status_code
        == 405
    )
