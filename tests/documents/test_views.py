"""Who reaches which session document: the « Documents » tab, downloads, ZIPs, the trainee's
own documents, and the management command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import UserFactory, attested_session
from training.documents.models import GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(db):
    """A finished session (on the real course when loaded, else on a minimal one)."""
    return attested_session(trainees=2)


@pytest.fixture
def light(monkeypatch):
    """Replace WeasyPrint by a stub for access tests (the PDFs are tested elsewhere)."""
    from core import pdf

    calls = []

    def fake(template_name, context, *, title, author, lang="fr"):
        calls.append(title)
        return b"%PDF-1.7\n% " + title.encode() + b"\n%%EOF\n"

    monkeypatch.setattr(pdf, "render_pdf", fake)
    return calls


def _tab(session):
    return reverse("training:session_documents", args=[session.pk])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("trainee", 403),
        ("trainer", 200),
        ("other_trainer", 404),
        ("admin", 200),
    ],
)
def test_the_documents_tab_follows_the_session_scope(
    client, finished, administrator, who, expected
):
    session, trainer, (trainee, _other) = finished
    users = {
        "trainee": trainee,
        "trainer": trainer,
        "other_trainer": UserFactory(role="Formateur"),
        "admin": administrator,
    }
    if who != "anonymous":
        client.force_login(users[who])
    assert client.get(_tab(session)).status_code == expected


def test_the_tab_lists_each_document_and_each_trainee(client, finished):
    session, trainer, trainees = finished
    client.force_login(trainer)
    page = client.get(_tab(session)).content.decode()
    assert "Support du diaporama" in page and "Feuille d&#x27;émargement" in page
    for slug in ["support-diaporama", "bibliographie", "ressources-internet"]:
        assert reverse("training:session_document", args=[session.pk, slug]) in page
    for trainee in trainees:
        for slug in ["convocation", "certificat-realisation", "attestation-fin-formation"]:
            url = reverse("training:session_trainee_document", args=[session.pk, slug, trainee.pk])
            assert url in page
    assert reverse("training:session_bundle_start", args=[session.pk, "tout"]) in page
    # The tab is in the session's tab list.
    detail = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert _tab(session) in detail


def test_a_trainer_downloads_a_session_document_as_a_named_pdf(client, finished, light):
    session, trainer, _trainees = finished
    client.force_login(trainer)
    response = client.get(reverse("training:session_document", args=[session.pk, "bibliographie"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{session.code.lower()}-bibliographie.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_attendance_sheet_is_the_signed_sheet(client, finished, light):
    session, trainer, _trainees = finished
    client.force_login(trainer)
    url = reverse("training:session_document", args=[session.pk, "feuille-emargement"])
    assert b"%PDF" in b"".join(client.get(url).streaming_content)
    assert light == [f"Feuille d'émargement — {session.code}"]


@pytest.mark.parametrize(
    "url_args",
    [
        ("session_document", ["inconnu"]),
        ("session_document", ["certificat-realisation"]),  # personal kind without a trainee
        ("session_trainee_document", ["bibliographie", "TRAINEE"]),  # session kind per trainee
        ("session_trainee_document", ["certificat-realisation", 999999]),
    ],
)
def test_tampered_document_urls_are_404(client, finished, light, url_args):
    session, trainer, (trainee, _other) = finished
    name, args = url_args
    args = [trainee.pk if a == "TRAINEE" else a for a in args]
    client.force_login(trainer)
    assert client.get(reverse(f"training:{name}", args=[session.pk, *args])).status_code == 404
    assert light == []


def test_another_trainers_session_documents_are_404(client, finished, light):
    session, _trainer, (trainee, _other) = finished
    client.force_login(UserFactory(role="Formateur"))
    for url in [
        reverse("training:session_document", args=[session.pk, "support-diaporama"]),
        reverse("training:session_trainee_document", args=[session.pk, "convocation", trainee.pk]),
    ]:
        assert client.get(url).status_code == 404
    start = reverse("training:session_bundle_start", args=[session.pk, "tout"])
    assert client.post(start).status_code == 404
    assert light == []


# --- Trainees ----------------------------------------------------------------------------


def _mine(session, slug):
    return reverse("training:my_document", args=[session.pk, slug])


def test_a_trainee_downloads_their_own_documents_once_the_session_is_attested(
    client, finished, light
):
    session, _trainer, (trainee, other) = finished
    client.force_login(trainee)
    for slug in ["convocation", "certificat-realisation", "attestation-fin-formation"]:
        response = client.get(_mine(session, slug))
        assert response.status_code == 200, slug
    assert all(trainee.get_full_name() in title for title in light)
    assert set(GeneratedDocument.objects.values_list("trainee", flat=True)) == {trainee.pk}


def test_a_trainee_cannot_reach_anyone_elses_documents(client, finished, light):
    session, trainer, (trainee, other) = finished
    client.force_login(trainee)
    # The trainers' URLs are refused by role...
    url = reverse("training:session_trainee_document", args=[session.pk, "convocation", other.pk])
    assert client.get(url).status_code == 403
    assert (
        client.get(
            reverse("training:session_document", args=[session.pk, "bibliographie"])
        ).status_code
        == 403
    )
    # ...and another session's documents do not exist for them.
    outsider, _t, _p = attested_session(trainees=1)
    assert client.get(_mine(outsider, "convocation")).status_code == 404
    assert client.get(_mine(session, "support-diaporama")).status_code == 404
    assert light == []


def test_certificate_and_attestation_wait_for_the_attested_end_of_the_session(client, db, light):
    session, _trainer, (trainee,) = attested_session(trainees=1, attest=False)
    client.force_login(trainee)
    assert client.get(_mine(session, "convocation")).status_code == 200
    assert client.get(_mine(session, "certificat-realisation")).status_code == 404
    assert client.get(_mine(session, "attestation-fin-formation")).status_code == 404
    dashboard = client.get(reverse("training:dashboard")).content.decode()
    assert _mine(session, "convocation") in dashboard
    assert _mine(session, "certificat-realisation") not in dashboard
    assert "une fois la session terminée" in dashboard


def test_the_dashboard_lists_the_trainees_documents(client, finished):
    session, _trainer, (trainee, _other) = finished
    client.force_login(trainee)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert "Mes documents de session" in page
    for slug in ["convocation", "certificat-realisation", "attestation-fin-formation"]:
        assert _mine(session, slug) in page


def test_a_removed_trainee_has_no_documents(client, finished, light):
    from training.models import Enrolment
    from training.sessions import services as session_services

    session, trainer, (trainee, _other) = finished
    session_services.enrolment_remove(
        enrolment=Enrolment.objects.get(session=session, trainee=trainee)
    )
    client.force_login(trainee)
    assert client.get(_mine(session, "convocation")).status_code == 404
    client.force_login(trainer)
    url = reverse("training:session_trainee_document", args=[session.pk, "convocation", trainee.pk])
    assert client.get(url).status_code == 404


# --- Command ------------------------------------------------------------------------------


def test_the_command_writes_every_document_into_a_folder(
    finished, light, tmp_path, run_tasks, django_capture_on_commit_callbacks
):
    session, _trainer, trainees = finished
    args = ["session_documents", session.code, "--out", str(tmp_path / "out")]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match="Is a task worker running"),
    ):
        call_command(*args, "--timeout", "0")
    assert run_tasks() == 1  # the worker builds the bundle the command asked for
    call_command(*args)
    files = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.pdf")
    )
    assert len(files) == 4 + 3 * len(trainees)
    args = ["session_documents", session.code, "--out", str(tmp_path / "certs")]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        call_command(*args, "--kind", "certificate", "--timeout", "0")
    run_tasks()
    call_command(*args, "--kind", "certificate")
    assert len(list((tmp_path / "certs").rglob("*.pdf"))) == len(trainees)
    assert len(light) == 4 + 3 * len(trainees)  # the second bundle reused the cache


def test_the_command_refuses_an_unknown_session(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("session_documents", "NOPE", "--out", str(tmp_path))


def test_the_dashboards_session_card_offers_the_convocation_pdf_next_to_the_ics(client):
    import re

    from tests.factories import EnrolmentFactory, SessionFactory, UserFactory

    person = UserFactory(role="Stagiaire")
    session = SessionFactory()
    EnrolmentFactory(session=session, trainee=person)
    client.force_login(person)
    html = client.get(reverse("training:dashboard")).content.decode()
    card = re.search(r'<section aria-labelledby="h-next-session".*?</section>', html, re.S)[0]
    assert reverse("training:session_ics", args=[session.pk]) in card
    pdf = reverse("training:my_document", args=[session.pk, "convocation"])
    assert pdf in card
    download = client.get(pdf)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
