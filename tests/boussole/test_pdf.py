import re
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from boussole import graph
from boussole.models import Case
from core import pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def pdf_fonts(path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_the_reasoning_sheet_reads_back_with_its_path_verdict_and_metadata(client, guide, tmp_path):
    user = UserFactory(role="Stagiaire", first_name="Camille", last_name="Durand")
    client.force_login(user)
    case = Case.objects.get(slug="ccas-plateforme-partagee")
    query = urlencode(
        {
            "p": graph.path_encode([tuple(a) for a in case.answers]),
            "cas": case.slug,
            "choix": "equipe-de-soins",
        }
    )
    response = client.get(reverse("boussole:fiche_pdf") + "?" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="fiche-raisonnement-consentement-prealable.pdf"'
    )
    file = tmp_path / "fiche.pdf"
    file.write_bytes(response.content)

    text = squash(pdf_text(file))
    verdict = guide.verdicts["consentement-prealable"]
    assert "Fiche de raisonnement" in text
    assert squash(verdict["title"]) in text
    assert "Ce qui a conduit à ce verdict" in text
    assert "Conditions encore à vérifier" in text
    assert "Ce que vous dites à la personne" in text
    assert "Textes applicables" in text
    assert "CSP, art. L. 1110-4, III, al. 2" in text
    assert squash(case.title) in text
    assert "Votre première réponse" in text
    assert "Camille Durand" in text
    assert re.search(r"\b1 ?/ ?\d", text)  # page numbers in the footer

    info = pdf_info(file)
    assert "Title:           Fiche de raisonnement — Boussole du partage" in info
    assert "Author:          Camille Durand" in info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    fonts = pdf_fonts(file).splitlines()[2:]
    assert fonts, "no font in the PDF"
    assert all(" yes " in line for line in fonts), fonts  # every font embedded
    assert any("DejaVu" in line for line in fonts)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "https://example.org/static/css/pdf.css",
        "https://pdf.invalid/static/../../../etc/passwd",
        "https://pdf.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://pdf.invalid/media/../../etc/passwd",
        "https://pdf.invalid/etc/passwd",
        "https://pdf.invalid/static/css/does-not-exist.css",
        "ftp://pdf.invalid/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_outside_addresses(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.restricted_fetcher().fetch(url)


def test_the_fetcher_refuses_data_urls_that_are_not_images():
    with pytest.raises(pdf.RefusedURL):
        pdf.restricted_fetcher().fetch("data:text/html,<h1>x</h1>")


def test_the_fetcher_serves_our_static_and_media_files_and_data_images():
    fetcher = pdf.restricted_fetcher()
    response = fetcher.fetch(pdf.PDF_BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    media = settings.MEDIA_ROOT / "documents" / "logo.txt"
    media.parent.mkdir(parents=True)
    media.write_text("bonjour")
    assert fetcher.fetch(pdf.PDF_BASE_URL + "media/documents/logo.txt").read() == b"bonjour"
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    assert fetcher.fetch(pixel).read().startswith(b"GIF")


def test_a_hostile_template_cannot_make_weasyprint_read_other_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    hostile = (
        "<html><head>"
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        "</head><body><p>Texte</p>"
        '<img src="file:///etc/passwd" alt=""></body></html>'
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda *args, **kwargs: hostile)
    asked, refused = [], []
    original = pdf.local_file_for

    def spy(url):
        asked.append(url)
        try:
            return original(url)
        except pdf.RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(pdf, "local_file_for", spy)
    data = pdf.render_pdf("ignored.html", {}, title="Test", author="Auteur")
    assert data.startswith(b"%PDF")
    assert f"file://{secret}" in refused
    assert "http://127.0.0.1:9/x.css" in refused
    assert "file:///etc/passwd" in refused
    assert asked == refused
