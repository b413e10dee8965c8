"""A bundle's PDFs printed by several processes (in the worker only: ``processes=2`` is what
``training.documents.tasks.bundle_build`` passes with ``WORKER_PDF_PROCESSES=2``): same
documents, stored once, errors surface."""

import threading

import pytest

from core import pdf
from tests.documents.test_pdf import finished, pdf_info, pdf_text  # noqa: F401
from training.documents import rendering
from training.documents.models import GeneratedDocument
from training.documents.services import documents_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_processes():
    return 2


def test_a_bundle_printed_on_two_processes_holds_every_document_once(
    finished,  # noqa: F811
    two_processes,
    tmp_path,
):
    session, _trainer, trainees = finished
    documents = list(documents_bundle(session=session, processes=two_processes))
    assert len(documents) == 4 + 3 * len(trainees)
    assert all(document.rendered for _path, document in documents)
    assert GeneratedDocument.objects.filter(session=session).count() == len(documents)
    for path, document in documents:
        data = document.read()
        assert data.startswith(b"%PDF-"), path
        trainee = document.record.trainee
        if trainee is not None:  # each personal document is its trainee's, title included
            assert trainee.get_full_name() in pdf_info(data, tmp_path)["Title"], path
            assert trainee.last_name in pdf_text(data, tmp_path), path
    again = list(documents_bundle(session=session, processes=two_processes))
    assert not any(document.rendered for _path, document in again)
    assert GeneratedDocument.objects.filter(session=session).count() == len(documents)


def test_a_worker_s_error_reaches_the_caller(finished, two_processes, monkeypatch):  # noqa: F811
    session, _trainer, _trainees = finished

    def broken(html, *, title):
        raise pdf.RefusedURL(f"refused URL: {title}")

    monkeypatch.setattr(rendering, "pdf_render", broken)  # the forked workers inherit it
    with pytest.raises(pdf.RefusedURL, match="refused URL"):
        list(documents_bundle(session=session, which="certificats", processes=two_processes))
    assert not GeneratedDocument.objects.filter(session=session, kind="certificate").exists()


def test_each_thread_keeps_one_font_configuration():
    first, _css = pdf._font_config()
    assert pdf._font_config()[0] is first
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf._font_config()[0]))
    thread.start()
    thread.join()
    assert other[0] is not first


def test_a_bundle_makes_each_document_s_html_once(finished, monkeypatch):  # noqa: F811
    session, _trainer, trainees = finished
    calls = []
    real = rendering.html_render
    monkeypatch.setattr(rendering, "html_render", lambda *a, **k: calls.append(a) or real(*a, **k))
    documents = list(documents_bundle(session=session))  # one process: the suite's setting
    from_html = [d for _path, d in documents if d.kind.render is None]
    assert len(calls) == len(from_html) == 3 + 3 * len(trainees)
    calls.clear()
    list(documents_bundle(session=session))  # served from storage: fingerprints only
    assert len(calls) == len(from_html)
