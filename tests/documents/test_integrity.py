"""A stored PDF is served only while it matches the size and SHA-256 recorded when it was
printed; a truncated or altered file is printed again (issue 24: a truncated certificate
was served as it was)."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import attested_session
from training.documents import services
from training.documents.models import GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(db):
    return attested_session(trainees=1)


def _path(record):
    return record.file.storage.path(record.file.name)


def test_a_printed_document_records_its_size_and_fingerprint(finished):
    session, _trainer, (trainee,) = finished
    document = services.document_get(session=session, kind="certificate", trainee=trainee)
    data = document.read()
    assert document.record.size == len(data)
    assert document.record.sha256 == hashlib.sha256(data).hexdigest()


def test_a_truncated_pdf_on_disk_is_printed_again_not_served(client, finished):
    session, trainer, (trainee,) = finished
    first = services.document_get(session=session, kind="certificate", trainee=trainee)
    whole = first.read()
    with open(_path(first.record), "r+b") as handle:
        handle.truncate(len(whole) // 3)
    client.force_login(trainer)
    response = client.get(
        reverse("training:session_trainee_document", args=[session.pk, "certificate", trainee.pk])
    )
    served = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert len(served) == len(whole)
    assert served.rstrip().endswith(b"%%EOF")
    record = GeneratedDocument.objects.get(session=session)
    assert record.pk != first.record.pk
    assert hashlib.sha256(served).hexdigest() == record.sha256


def test_an_altered_file_of_the_same_size_is_printed_again(finished):
    session, _trainer, (trainee,) = finished
    first = services.document_get(session=session, kind="certificate", trainee=trainee)
    path = Path(_path(first.record))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = services.document_get(session=session, kind="certificate", trainee=trainee)
    assert again.rendered
    assert again.read() != bytes(data)
    assert GeneratedDocument.objects.filter(session=session).count() == 1


def test_a_document_stored_before_fingerprints_existed_is_printed_again(finished):
    session, _trainer, (trainee,) = finished
    first = services.document_get(session=session, kind="certificate", trainee=trainee)
    GeneratedDocument.objects.filter(pk=first.record.pk).update(size=None, sha256="")
    again = services.document_get(session=session, kind="certificate", trainee=trainee)
    assert again.rendered and again.record.sha256
    third = services.document_get(session=session, kind="certificate", trainee=trainee)
    assert not third.rendered
