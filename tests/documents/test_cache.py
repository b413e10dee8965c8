"""A document is rendered once per distinct input, then served from storage."""

import pytest

from modules.models import Module, Slide
from tests.factories import attested_session
from training.attendance.models import AttendanceCorrection, AttendanceSignature
from training.documents import services
from training.documents.models import GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Count the calls to WeasyPrint (through core.pdf.render_pdf)."""
    from core import pdf

    calls = []
    original = pdf.render_pdf

    def counting(*args, **kwargs):
        calls.append(kwargs.get("title"))
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


@pytest.fixture
def finished(db):
    """A finished session (on the real course when loaded, else on a minimal one)."""
    return attested_session(trainees=2)


def test_a_second_request_is_served_from_storage_without_rendering(finished, renders):
    session, _trainer, (trainee, _other) = finished
    first = services.document_get(session=session, kind="certificate", trainee=trainee)
    second = services.document_get(session=session, kind="certificate", trainee=trainee)
    assert len(renders) == 1
    assert first.rendered and not second.rendered
    assert second.record.pk == first.record.pk
    assert second.read() == first.read()
    assert GeneratedDocument.objects.filter(session=session).count() == 1


def test_a_change_of_attendance_regenerates_the_certificate(finished, renders):
    session, trainer, (trainee, _other) = finished
    first = services.document_get(session=session, kind="certificate", trainee=trainee)
    record = AttendanceSignature.objects.filter(trainee=trainee).order_by("slot__date").last()
    AttendanceCorrection.objects.create(
        signature=record,
        author=trainer,
        previous_status=record.status,
        new_status=AttendanceSignature.Status.ABSENT,
        reason="Parti à midi, signalé par le formateur.",
    )
    second = services.document_get(session=session, kind="certificate", trainee=trainee)
    assert len(renders) == 2 and second.rendered
    assert second.record.input_hash != first.record.input_hash
    # The superseded version and its file are gone; only the current one is kept.
    assert list(GeneratedDocument.objects.filter(session=session)) == [second.record]
    assert not first.record.file.storage.exists(first.record.file.name)


def test_a_change_of_the_trainee_or_the_session_regenerates_only_what_shows_it(finished, renders):
    session, _trainer, (trainee, other) = finished
    services.document_get(session=session, kind="certificate", trainee=trainee)
    services.document_get(session=session, kind="certificate", trainee=other)
    trainee.organisation = "EHPAD Les Tilleuls"
    trainee.save()
    services.document_get(session=session, kind="certificate", trainee=trainee)
    services.document_get(session=session, kind="certificate", trainee=other)
    assert len(renders) == 3  # the other trainee's certificate did not change

    session.place_name = "Salle des fêtes"
    session.save()
    services.document_get(session=session, kind="certificate", trainee=other)
    assert len(renders) == 4


def test_a_change_of_course_content_regenerates_the_bibliography(finished, renders):
    from modules.models import Resource

    session, _trainer, _trainees = finished
    Resource.objects.get_or_create(
        slug="ouvrage-de-reference",
        defaults={"kind": "bibliography", "course": session.course, "title": "Un ouvrage"},
    )
    services.document_get(session=session, kind="bibliography")
    services.document_get(session=session, kind="bibliography")
    assert len(renders) == 1
    entry = Resource.objects.bibliography().filter(course=session.course).first()
    entry.year = "2099"
    entry.save()
    again = services.document_get(session=session, kind="bibliography")
    assert len(renders) == 2 and again.rendered


def test_a_missing_file_is_rendered_again(finished, renders):
    session, _trainer, (trainee, _other) = finished
    first = services.document_get(session=session, kind="convocation", trainee=trainee)
    first.record.file.storage.delete(first.record.file.name)
    again = services.document_get(session=session, kind="convocation", trainee=trainee)
    assert len(renders) == 2 and again.read().startswith(b"%PDF-")


def test_the_slide_fingerprint_covers_the_slides(finished, monkeypatch):
    """Without printing the handout, its fingerprint changes with any slide."""
    from training.documents.data import SessionData
    from training.documents.registry import KINDS

    session, _trainer, _trainees = finished
    module = session.course.modules.order_by("number").first() or Module.objects.create(
        course=session.course, number=1, slug="module-essai", title="Module d'essai"
    )
    slide, _created = Slide.objects.get_or_create(
        module=module, order=1, defaults={"title": "Essai", "html": "<p>Essai</p>"}
    )
    before = services._inputs(KINDS["handout"], SessionData(session), None)[0]
    slide.html += "<p>Ajout</p>"
    slide.save()
    after = services._inputs(KINDS["handout"], SessionData(session), None)[0]
    assert before != after


def test_a_personal_document_is_only_for_an_enrolled_trainee(finished):
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    session, _trainer, _trainees = finished
    with pytest.raises(ValidationError):
        services.document_get(
            session=session, kind="certificate", trainee=UserFactory(role="Stagiaire")
        )
    assert not GeneratedDocument.objects.exists()
