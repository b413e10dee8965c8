"""Session documents read back from the PDF: text (pdftotext), pages and metadata (pdfinfo)."""

import math
import re
import subprocess
import zlib
from decimal import Decimal

import pytest

from modules.models import Module, Resource
from quizzes import services as quiz_services
from quizzes.models import Quiz
from tests.factories import attested_session
from training.documents import rendering
from training.documents.registry import KINDS
from training.documents.services import document_get
from training.sessions import services as session_services

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path, name="doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()


def pdf_info(data: bytes, tmp_path, name="doc") -> dict:
    path = tmp_path / f"{name}-info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout
    info = {}
    for line in out.decode().splitlines():
        key, _sep, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def flat(text: str) -> str:
    """Compare text whatever the line breaks, hyphenation and no-break spaces."""
    return re.sub(r"[\s\u00a0\u202f\u00ad\-‐‑]+", "", text).lower()


@pytest.fixture
def finished(course_loaded):
    """A finished, attested session: 2 trainees, the second missed the last half-day."""
    session, trainer, trainees = attested_session(trainees=2, absences={1: 1})
    session_services.session_resource_create(
        session=session,
        kind=Resource.Kind.BIBLIOGRAPHY,
        title="Guide maison du partage d'informations",
        authors="Service juridique de l'association",
        year="2025",
    )
    session_services.session_resource_create(
        session=session,
        kind=Resource.Kind.LINK,
        title="Protocole départemental de la CRIP",
        url="https://www.example.org/crip/protocole",
        description="Le protocole signé avec le conseil départemental.",
    )
    return session, trainer, trainees


def test_the_handout_has_a_cover_then_every_modules_slides_three_per_page(finished, tmp_path):
    session, _trainer, _trainees = finished
    data = document_get(session=session, kind="handout").read()
    modules = list(Module.objects.filter(course=session.course).prefetch_related("slides"))
    expected_pages = 1 + sum(math.ceil(m.slides.count() / 3) for m in modules)
    assert int(pdf_info(data, tmp_path)["Pages"]) == expected_pages

    pages = pdf_text(data, tmp_path).split("\f")
    page = 1  # after the cover
    for module in sorted(modules, key=lambda m: m.number):
        slides = list(module.slides.order_by("order"))
        assert slides, f"module {module.number} has no slides"
        for start in range(0, len(slides), 3):
            text = flat(pages[page])
            for slide in slides[start : start + 3]:
                assert flat(slide.title) in text, (module.number, slide.order, slide.title)
            page += 1
    assert flat(session.code) in flat(pages[0])


def test_every_document_carries_the_organisation_session_dates_and_trainer(finished, tmp_path):
    session, trainer, trainees = finished
    for key in ["bibliography", "links", "convocation", "certificate", "attestation"]:
        kind = KINDS[key]
        document = document_get(
            session=session, kind=kind, trainee=trainees[0] if kind.personal else None
        )
        text = flat(pdf_text(document.read(), tmp_path, key))
        assert flat("Organisme de formation") in text, key
        assert flat(session.code) in text, key
        assert flat(trainer.get_full_name()) in text, key
        assert flat(f"{session.end_date:%Y}") in text, key


def test_the_bibliography_lists_every_entry_of_the_course_and_of_the_session(finished, tmp_path):
    session, _trainer, _trainees = finished
    text = flat(pdf_text(document_get(session=session, kind="bibliography").read(), tmp_path))
    entries = Resource.objects.filter(kind=Resource.Kind.BIBLIOGRAPHY, course=session.course)
    course_entries = entries.filter(is_session_specific=False)
    assert course_entries.count() >= 10
    for resource in [*course_entries, *session.resources.bibliography()]:
        assert flat(resource.title) in text, resource.title
    assert flat("Référence ajoutée pour cette session") in text
    for heading in ["Ouvrages", "Rapports, recommandations et guides"]:
        assert flat(heading) in text


def test_the_link_list_has_every_link_its_address_and_a_qr_code(finished, tmp_path):
    session, _trainer, _trainees = finished
    data = document_get(session=session, kind="links").read()
    text = flat(pdf_text(data, tmp_path))
    links = [
        *Resource.objects.links().of_course().filter(course=session.course),
        *session.resources.links(),
    ]
    assert len(links) >= 10
    for resource in links:
        assert flat(resource.title) in text, resource.title
        assert flat(resource.url) in text, resource.url
    # One QR code per link: segno's SVG paths become vector drawings, one per link.
    html = rendering.html_render(
        KINDS["links"].template, KINDS["links"].build(_data(session), None)
    )
    assert html.count('<svg viewBox="0 0') == len(links)


def _data(session):
    from training.documents.data import SessionData

    return SessionData(session)


def test_each_certificate_shows_the_trainee_employer_and_the_hours_attended(finished, tmp_path):
    session, _trainer, (full, partial) = finished
    hours = {t.pk: h for t, h in ((full, Decimal("14")), (partial, Decimal("10.5")))}
    for trainee, expected in [(full, "14 heures"), (partial, "10,5 heures")]:
        data = document_get(session=session, kind="certificate", trainee=trainee).read()
        text = pdf_text(data, tmp_path, f"cert-{trainee.pk}")
        assert "Certificat de réalisation" in text
        assert flat(trainee.get_full_name()) in flat(text)
        assert flat(trainee.organisation) in flat(text)
        assert flat(f"{expected} effectivement suivies") in flat(text)
        assert flat("action de formation") in flat(text)
        assert flat("Déclaration d'activité") in flat(text)
        assert "provisoire" not in text
        assert hours[trainee.pk] == Decimal(expected.split()[0].replace(",", "."))


def test_the_attestation_gives_objectives_and_final_results_per_objective(finished, tmp_path):
    session, _trainer, (trainee, _other) = finished
    final = Quiz.objects.get(kind=Quiz.Kind.FINAL, is_active=True)
    attempt = quiz_services.attempt_start(user=trainee, quiz=final, session=session)
    answers = {
        question.pk: [c.pk for c in question.choices.all() if c.is_correct]
        for question in final.questions.prefetch_related("choices")
    }
    quiz_services.attempt_submit(attempt=attempt, answers=answers)

    text = pdf_text(
        document_get(session=session, kind="attestation", trainee=trainee).read(), tmp_path
    )
    assert "Attestation de fin de formation" in text
    assert flat("Action de formation") in flat(text)
    for objective in session.course.objectives.all():
        assert flat(objective.text) in flat(text), objective.code
    assert text.count("Objectif atteint") == session.course.objectives.count()
    assert flat("100 %") in flat(text)
    assert flat("Évaluation réussie") in flat(text)


def test_pdfs_have_title_author_language_a4_pages_and_embedded_fonts(finished, tmp_path):
    session, _trainer, (trainee, _other) = finished
    data = document_get(session=session, kind="certificate", trainee=trainee).read()
    info = pdf_info(data, tmp_path)
    assert (
        info["Title"] == f"Certificat de réalisation — {session.code} — {trainee.get_full_name()}"
    )
    assert info["Author"] == "Organisme de formation (démonstration)"
    assert info["Page size"].endswith("(A4)")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout
    rows = fonts.decode().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), rows
    assert b"/Lang (fr)" in _streams(data)


def _streams(data: bytes) -> bytes:
    """Return the PDF's objects, compressed streams included (the catalog may be in one).

    A decompressor object reads each stream up to its own end marker, so neither the
    line break before ``endstream`` nor a last compressed byte that happens to be
    ``\\r`` can make a stream unreadable.
    """
    found = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            found.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"".join(found)


def test_french_punctuation_gets_its_no_break_spaces(finished, tmp_path):
    session, _trainer, (trainee, _other) = finished
    data = _data(session)
    for key in ["certificate", "attestation", "convocation", "bibliography", "handout"]:
        kind = KINDS[key]
        html = rendering.html_render(kind.template, kind.build(data, trainee))
        text = re.sub(r"<[^>]*>", "", html)
        assert not re.search(r" [:;!?»]", text), (key, re.findall(r".{20} [:;!?»]", text)[:3])
        assert not re.search(r"« ", text), key
    html = rendering.html_render(
        KINDS["certificate"].template, KINDS["certificate"].build(data, trainee)
    )
    assert "atteste que\u00a0:" in html
    # In the PDF, no line starts with the punctuation that must stay with its word.
    pdf = document_get(session=session, kind="certificate", trainee=trainee).read()
    lines = [line.strip() for line in pdf_text(pdf, tmp_path).splitlines()]
    assert not [line for line in lines if line[:1] in {":", ";", "!", "?", "»"}]


def test_outside_addresses_in_content_fetch_nothing(finished, tmp_path, monkeypatch):
    """Content with file:// or http:// images renders, and the fetcher refuses them."""
    from core import pdf

    session, _trainer, _trainees = finished
    slide = session.course.modules.order_by("number").first().slides.order_by("order").first()
    slide.html = (
        '<p>Piège</p><img src="file:///etc/passwd" alt="">'
        '<img src="http://127.0.0.1:9/secret.png" alt="">'
        '<img src="/static/../../training/settings.py" alt="">'
    )
    slide.save()
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
    data = document_get(session=session, kind="handout").read()
    assert data.startswith(b"%PDF-")
    outside = [u for u in asked if "passwd" in u or "127.0.0.1" in u or "settings.py" in u]
    assert outside and set(outside) <= set(refused)
    assert b"root:" not in data


def test_no_slide_of_the_handout_overflows_its_frame(finished):
    """Lay the handout out with free-height slides: each must fit the fixed 16:9 frame."""
    import weasyprint

    from core.pdf import PDF_BASE_URL, restricted_fetcher

    session, _trainer, _trainees = finished
    kind = KINDS["handout"]
    html = rendering.html_render(kind.template, kind.build(_data(session), None))
    free = weasyprint.CSS(string=".handout-slide { height: auto !important; }")
    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=restricted_fetcher()
    ).render(stylesheets=[free])
    frame = 61.875 * 96 / 25.4  # mm → CSS px

    def slides(box):
        if "handout-slide" in (
            (getattr(box, "element", None) is not None and box.element.get("class")) or ""
        ):
            yield box
        for child in getattr(box, "children", []):
            yield from slides(child)

    heights = [
        (box.element.findtext(".//h3") or "", box.border_height())
        for page in document.pages
        for box in slides(page._page_box)
    ]
    assert len(heights) == sum(m.slides.count() for m in session.course.modules.all())
    too_tall = [(title, round(h * 25.4 / 96, 1)) for title, h in heights if h > frame + 0.5]
    assert too_tall == []


def test_each_qr_code_encodes_the_address_printed_beside_it(finished):
    """A QR code paired with the wrong row would send a paper reader to the wrong page."""
    from training.documents.builders import _qr

    session, _trainer, _trainees = finished
    kind = KINDS["links"]
    html = rendering.html_render(kind.template, kind.build(_data(session), None))
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    pairs = [
        (re.search(r'<path [^>]*d="([^"]+)"', row), re.search(r'<a href="([^"]+)"', row))
        for row in rows
    ]
    assert len(pairs) >= 10 and all(path and link for path, link in pairs)
    for path, link in pairs:
        url = link.group(1).replace("&amp;", "&")
        expected = re.search(r'd="([^"]+)"', str(_qr(url))).group(1)
        assert path.group(1) == expected, url


def test_the_certificate_carries_the_fields_funders_require(finished, tmp_path, settings):
    """Organisation identity with its activity number, action title, nature and dates."""
    from django.utils import formats

    settings.ORGANISATION = {
        **settings.ORGANISATION,
        "nda": "11 75 99999 75",
        "siret": "123 456 789 00012",
    }
    session, _trainer, (trainee, _other) = finished
    text = flat(
        pdf_text(
            document_get(session=session, kind="certificate", trainee=trainee).read(), tmp_path
        )
    )
    for expected in [
        "11 75 99999 75",
        "123 456 789 00012",
        settings.ORGANISATION["name"],
        session.course.title,
        "action de formation",
        formats.date_format(session.start_date, "j F Y", use_l10n=True),
        formats.date_format(session.end_date, "j F Y", use_l10n=True),
    ]:
        assert flat(expected) in text, expected


def test_article_numbers_and_thousands_never_break_across_lines():
    from core.typography import NBSP, NNBSP, french_text

    assert french_text("art. L. 226-2-2 CASF et R. 1110-1") == (
        f"art.{NBSP}L.{NBSP}226-2-2 CASF et R.{NBSP}1110-1"
    )
    # Thousands and unit symbols take the narrow no-break space, as on screen.
    assert french_text("15 000 € et 300 000 €") == f"15{NNBSP}000{NNBSP}€ et 300{NNBSP}000{NNBSP}€"
    assert french_text("Crim. 19 décembre 1885") == "Crim. 19 décembre 1885"
    assert french_text("L. Dupont, 2 rue") == "L. Dupont, 2 rue"
