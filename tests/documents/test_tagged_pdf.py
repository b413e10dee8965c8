"""The documents a trainee receives are tagged PDFs, read back with pypdf and pdfinfo (no mock):
title shown in the window, French language, marked content, a structure tree whose reading
order starts with the document's heading, and a text alternative on every image (QR codes,
signatures)."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from tests.factories import attested_session
from training.documents.services import document_get
from training.sessions import services as session_services

pytestmark = pytest.mark.django_db


def _structure(node, found):
    node = node.get_object()
    kind = node.get("/S")
    if kind is not None:
        found.append((str(kind), node.get("/Alt")))
    kids = node.get("/K")
    if kids is None:
        return found
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict):
            _structure(kid, found)
    return found


def _read(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    return reader, root, _structure(root["/StructTreeRoot"], [])


def _struct_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True
    ).stdout.decode()


@pytest.fixture
def finished():
    session, trainer, (person, _other) = attested_session(trainees=2)
    session_services.session_resource_create(
        session=session,
        kind="link",
        title="Légifrance",
        url="https://www.legifrance.gouv.fr/?a=1&b=2",
    )
    return session, trainer, person


@pytest.mark.parametrize(
    ("kind", "personal", "heading"),
    [
        ("convocation", True, "Convocation"),
        ("certificate", True, "Certificat de réalisation"),
        ("attestation", True, "Attestation de fin de formation"),
        ("handout", False, None),
    ],
)
def test_a_trainees_documents_are_tagged_with_title_language_and_reading_order(
    finished, tmp_path, kind, personal, heading
):
    session, _trainer, person = finished
    document = document_get(session=session, kind=kind, trainee=person if personal else None)
    reader, root, structure = _read(document.read())
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name
    assert session.code in reader.metadata.title
    if personal:
        assert person.get_full_name() in reader.metadata.title
    kinds = [name for name, _alt in structure]
    assert kinds[0] == "/Document" and "/H1" in kinds and "/P" in kinds
    # Reading order: the structure tree reads the document's title before its body.
    text = _struct_text(document.read(), tmp_path)
    if heading:
        first_heading = text[text.index("H1") :].split("\n", 3)[:3]
        assert heading.upper() in " ".join(first_heading).upper(), first_heading
    for name, alt in structure:
        if name == "/Figure":
            assert alt, f"{kind}: an image without a text alternative"


def test_qr_codes_and_signatures_have_a_text_alternative_that_names_them(finished, tmp_path):
    from django.core.files.base import ContentFile

    from tests.factories import signature_png
    from training.attendance.models import AttendanceSignature

    session, trainer, person = finished
    record = AttendanceSignature.objects.filter(trainee=person).first()
    record.evidence_file.save("s.png", ContentFile(signature_png()), save=False)
    AttendanceSignature.objects.filter(pk=record.pk).update(
        method="trace", evidence_file=record.evidence_file.name
    )
    _reader, _root, links = _read(document_get(session=session, kind="links").read())
    qr_alts = [str(alt) for name, alt in links if name == "/Figure"]
    assert qr_alts and all(alt.startswith("Code QR de l'adresse http") for alt in qr_alts)
    assert "Code QR de l'adresse https://www.legifrance.gouv.fr/?a=1&b=2" in qr_alts
    _reader, _root, sheet = _read(document_get(session=session, kind="attendance").read())
    signature_alts = [str(alt) for name, alt in sheet if name == "/Figure"]
    assert f"Signature de {person.get_full_name()}, tracée à" in " ".join(signature_alts)
    assert all(alt for alt in signature_alts)
