"""Every upload is checked by content (not by name): hostile files are refused, nothing saved.

Uploads in the project: the signature pad image (trainee signing, trainer attesting), the
scanned paper sheet, and the CSV import of trainees. Session resources are links, not files.
"""

import base64
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import attendance_session, scan_pdf, signature_png
from training.attendance import codes
from training.attendance import services as services
from training.attendance.models import AttendanceSignature, SlotAttendance
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bomb(width=20000, height=20000) -> bytes:
    """A tiny PNG whose header declares a huge image (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width // 8 + 1) * 16)
    return (
        services.PNG_MAGIC
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>window.__xss = 1</script></svg>"
)
PDF = scan_pdf()
HTML = b"<html><script>alert(1)</script></html>"

HOSTILE_SIGNATURES = {
    "svg with script": SVG_SCRIPT,
    "pdf named .png": PDF,
    "text named .png": b"just some text, not an image",
    "html": HTML,
    "decompression bomb": png_bomb(),
    "mid-size bomb": png_bomb(10000, 10000),
    "truncated png": signature_png()[:60],
    "png magic then garbage": services.PNG_MAGIC + b"\x00" * 200,
    "too large": signature_png(width=1200, height=600, noise=200_000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SIGNATURES))
def test_the_signature_check_refuses_hostile_images_with_a_french_message(name):
    with pytest.raises(ValidationError) as caught:
        services.signature_image_check(data=HOSTILE_SIGNATURES[name])
    message = " ".join(caught.value.messages)
    assert "signature" in message
    assert any(word in message for word in ("PNG", "dimensions", "volumineuse", "Ko"))


def test_a_real_signature_image_is_accepted():
    services.signature_image_check(data=signature_png())


def test_the_signature_data_url_must_declare_png_and_stay_small():
    svg_url = "data:image/svg+xml;base64," + base64.b64encode(SVG_SCRIPT).decode()
    with pytest.raises(ValidationError):
        services.signature_data_url_decode(value=svg_url)
    huge = "data:image/png;base64," + "A" * (services.SIGNATURE_MAX_BYTES * 2)
    with pytest.raises(ValidationError):
        services.signature_data_url_decode(value=huge)


HOSTILE_SCANS = {
    "svg with script": SVG_SCRIPT,
    "html named .pdf": HTML,
    "text named .png": b"not a scan at all",
    "empty": b"",
    "decompression bomb": png_bomb(),
    "mid-size bomb": png_bomb(10000, 10000),
    "png magic then garbage": services.PNG_MAGIC + b"\x00" * 200,
    "jpeg magic then garbage": b"\xff\xd8\xff" + b"\x00" * 200,
    "too large": PDF + b"0" * services.SCAN_MAX_BYTES,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SCANS))
def test_the_scan_check_refuses_hostile_files_with_a_french_message(name):
    with pytest.raises(ValidationError) as caught:
        services.scan_kind(data=HOSTILE_SCANS[name])
    assert "feuille numérisée" in " ".join(caught.value.messages)


def _jpeg(size=(200, 120)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (240, 240, 230)).save(buffer, format="JPEG")
    return buffer.getvalue()


# What the fault-injection run recorded as evidence: files that only begin like a PDF or an
# image (issue 24). They are refused by parsing, not by their first bytes.
LOOKALIKE_SCANS = {
    "html behind %PDF-": b"%PDF-1.7\n<!doctype html><html><body>Pas un PDF</body></html>",
    "random bytes behind %PDF-": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "a PDF cut in half": PDF[: len(PDF) // 2],
    "a PDF without pages": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "jpeg header then random bytes": _jpeg()[:20] + bytes(range(256)) * 20,
    "a truncated jpeg": _jpeg()[: len(_jpeg()) // 2],
}


@pytest.mark.parametrize("name", sorted(LOOKALIKE_SCANS))
def test_a_scan_that_only_begins_like_a_pdf_or_an_image_is_refused(name):
    with pytest.raises(ValidationError) as caught:
        services.scan_kind(data=LOOKALIKE_SCANS[name])
    assert "feuille numérisée" in " ".join(caught.value.messages)


def test_real_scans_are_accepted_after_parsing():
    assert services.scan_kind(data=scan_pdf(pages=2)) == "pdf"
    assert services.scan_kind(data=_jpeg()) == "jpg"


def test_a_resource_pdf_is_checked_by_parsing_too():
    from core.uploads import resource_file_check

    assert resource_file_check(name="support.pdf", data=PDF) == "pdf"
    with pytest.raises(ValidationError):
        resource_file_check(name="support.pdf", data=LOOKALIKE_SCANS["html behind %PDF-"])


@pytest.fixture
def opened():
    return attendance_session(trainees=2, open_slot=True)


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("svg with script", "feuille.pdf"),
        ("html named .pdf", "feuille.pdf"),
        ("text named .png", "feuille.png"),
        ("decompression bomb", "feuille.png"),
        ("html behind %PDF-", "feuille.pdf"),
        ("random bytes behind %PDF-", "feuille.pdf"),
    ],
)
def test_the_paper_upload_view_refuses_hostile_scans_and_saves_nothing(
    client, opened, name, filename
):
    session, slot, trainer, (trainee, _other) = opened
    client.force_login(trainer)
    data = {**HOSTILE_SCANS, **LOOKALIKE_SCANS}[name]
    upload = SimpleUploadedFile(filename, data, content_type="application/pdf")
    response = client.post(
        reverse("training:attendance_paper", args=[session.pk, slot.pk]),
        {"trainee": trainee.pk, "scan": upload},
        follow=True,
    )
    assert response.status_code == 200
    assert "PDF, PNG ou JPEG" in response.content.decode()
    assert not AttendanceSignature.objects.exists()


def _code(slot):
    state = SlotAttendance.objects.get(slot=slot)
    return codes.code_current(secret=state.secret)


@pytest.mark.parametrize("name", ["svg with script", "pdf named .png", "decompression bomb"])
def test_the_signing_page_refuses_hostile_images_and_saves_nothing(client, opened, name):
    session, slot, trainer, (trainee, _other) = opened
    client.force_login(trainee)
    data_url = "data:image/png;base64," + base64.b64encode(HOSTILE_SIGNATURES[name]).decode()
    response = client.post(
        reverse("training:attendance_sign", args=[slot.pk]),
        {"code": _code(slot), "signature": data_url, "typed_name": "", "certified": "on"},
    )
    assert response.status_code == 400
    assert "signature" in response.content.decode()
    assert not AttendanceSignature.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "pas un fichier CSV"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "pas un fichier CSV"),
        (PDF, "nom"),
        (b"\x00\xff\xfe\x81\x8d" * 40, ""),
    ],
)
def test_the_csv_import_refuses_non_csv_content_and_enrols_nobody(
    client, opened, content, expected
):
    session, _slot, trainer, _people = opened
    client.force_login(trainer)
    before = Enrolment.objects.count()
    response = client.post(
        reverse("training:enrolment_import", args=[session.pk]),
        {"file": SimpleUploadedFile("stagiaires.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert "csv_text" not in body  # no confirmation offered
    assert Enrolment.objects.count() == before


def test_the_csv_import_refuses_a_file_over_the_size_limit(client, opened, settings):
    from training.sessions.forms import MAX_CSV_BYTES

    session, _slot, trainer, _people = opened
    client.force_login(trainer)
    big = b"nom;prenom;email\n" + b"a;b;c@exemple.fr\n" * (MAX_CSV_BYTES // 16 + 10)
    response = client.post(
        reverse("training:enrolment_import", args=[session.pk]),
        {"file": SimpleUploadedFile("stagiaires.csv", big, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "trop volumineux" in response.content.decode()
    assert Enrolment.objects.filter(session=session).count() == 2


def test_a_truncated_png_is_refused_even_after_weasyprint_relaxed_pillow():
    # WeasyPrint sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True when imported, process-wide.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(ValidationError, match="PNG"):
        services.signature_image_check(data=signature_png()[:-20])
    services.signature_image_check(data=signature_png())


@pytest.mark.django_db
def test_ids_beyond_64_bits_are_a_form_error_not_a_crash():
    from tests.factories import SessionFactory
    from training.sessions.forms import SlotForm

    slot = SessionFactory().slots.first()
    form = SlotForm(
        data={"start_time": "09:00", "end_time": "12:00", "modules": ["9223372036854775808"]},
        instance=slot,
    )
    assert not form.is_valid()
    assert "modules" in form.errors


# --- Resource files (uploaded in the admin) ---------------------------------------------------


def _office(member: str, mimetype: bytes | None = None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        archive.writestr(member, "<xml/>")
    return buffer.getvalue()


HOSTILE_RESOURCES = {
    "svg with script": ("support.svg", SVG_SCRIPT),
    "svg named .pdf": ("support.pdf", SVG_SCRIPT),
    "html named .pdf": ("support.pdf", HTML),
    "pdf named .html": ("support.html", PDF),
    "png named .pdf": ("support.pdf", signature_png()),
    "decompression bomb": ("schema.png", png_bomb()),
    "png magic then garbage": ("schema.png", services.PNG_MAGIC + b"\x00" * 200),
    "zip named .docx": ("support.docx", _office("autre.txt")),
    "docx named .odt": ("support.odt", _office("word/document.xml")),
    "odt with a wrong type": ("support.odt", _office("content.xml", b"text/html")),
    "zip named .zip": ("archive.zip", _office("word/document.xml")),
    "empty": ("support.pdf", b""),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_RESOURCES))
def test_the_resource_file_check_refuses_hostile_files_with_a_french_message(name):
    from core.uploads import resource_file_check

    filename, data = HOSTILE_RESOURCES[name]
    with pytest.raises(ValidationError) as caught:
        resource_file_check(name=filename, data=data)
    assert "fichier de la ressource" in " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("filename", "data", "kind"),
    [
        ("support.pdf", PDF, "pdf"),
        ("Schéma.PNG", signature_png(), "png"),
        ("support.docx", _office("word/document.xml"), "docx"),
        (
            "support.odp",
            _office("content.xml", b"application/vnd.oasis.opendocument.presentation"),
            "odp",
        ),
    ],
)
def test_the_resource_file_check_accepts_documents_whose_content_matches_the_name(
    filename, data, kind
):
    from core.uploads import resource_file_check

    assert resource_file_check(name=filename, data=data) == kind


def _resource_post(client, filename, data):
    return client.post(
        reverse("admin:modules_resource_add"),
        {
            "slug": "support-televerse",
            "kind": "file",
            "title": "Support téléversé",
            "order": 0,
            "file": SimpleUploadedFile(filename, data, content_type="application/pdf"),
        },
    )


def test_the_admin_refuses_a_hostile_resource_file_and_saves_nothing(client, tmp_path, settings):
    from modules.models import Resource
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    client.force_login(UserFactory(role="Administrateur", is_staff=True, is_superuser=True))
    response = _resource_post(client, "support.pdf", SVG_SCRIPT)
    assert response.status_code == 200
    assert "doit être un PDF" in response.content.decode()
    assert not Resource.objects.filter(slug="support-televerse").exists()
    assert not list(tmp_path.rglob("*"))

    accepted = _resource_post(client, "support.pdf", PDF)
    assert accepted.status_code == 302
    assert Resource.objects.get(slug="support-televerse").file.read() == PDF


def test_the_admin_refuses_a_resource_file_over_the_size_limit(client, tmp_path, settings):
    from core import uploads
    from modules.models import Resource
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    client.force_login(UserFactory(role="Administrateur", is_staff=True, is_superuser=True))
    big = PDF + b"0" * uploads.RESOURCE_MAX_BYTES
    response = _resource_post(client, "support.pdf", big)
    assert "trop volumineux (20 Mo au maximum)" in response.content.decode()
    assert not Resource.objects.filter(slug="support-televerse").exists()
