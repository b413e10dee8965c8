"""The « Veille juridique » pages: overdue first, recording a verification (and refusing bad
input in French), resolving flags, the evidence downloads, the administrators' panel."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training.legalwatch import services
from training.legalwatch.models import LegalReference, ReviewFlag, Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(role="Administrateur", first_name="Agnès", last_name="Martin")


@pytest.fixture
def admin_client(client, course_loaded, admin):
    client.force_login(admin)
    return client


def record(reference_key, outcome, by, days_ago=0):
    return services.verification_record(
        reference=LegalReference.objects.get(key=reference_key),
        checked_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        checked_by=by,
        source_consulted="Légifrance, version en vigueur",
        outcome=outcome,
    )


def test_the_watch_page_lists_overdue_references_first(admin_client, admin):
    record("c-pen-121-2", "unchanged", admin, days_ago=3)
    page = admin_client.get(reverse("training:legal_watch")).content.decode()
    rows = page[page.index('id="h-references"') :]
    checked = rows.index("art. 121-2 C. pén.")
    assert rows.index("art. 226-14 C. pén.") < checked  # never verified: due now
    assert rows.index("art. 131-38 C. pén.") < checked
    assert "jamais" in rows and "à vérifier maintenant" in rows
    total = LegalReference.objects.active().count()
    assert f">{total}</dd>" in page


def test_the_watch_page_reads_in_a_constant_number_of_queries(
    admin_client, admin, django_assert_max_num_queries
):
    admin_client.get(reverse("training:legal_watch"))
    with django_assert_max_num_queries(30) as few:
        admin_client.get(reverse("training:legal_watch"))
    record("c-pen-226-14", "modified", admin)
    record("c-civ-9", "repealed", admin)
    record("c-pen-226-13", "unchanged", admin)
    with django_assert_max_num_queries(len(few.captured_queries) + 10):
        response = admin_client.get(reverse("training:legal_watch"))
    assert ReviewFlag.objects.count() > 50 and response.status_code == 200


def test_an_administrator_records_a_verification_and_sees_the_flagged_items(admin_client):
    url = reverse("training:legal_reference", args=["c-pen-226-14"])
    response = admin_client.post(
        url,
        {
            "checked_on": timezone.localdate().isoformat(),
            "source_consulted": "Légifrance, version en vigueur",
            "outcome": "modified",
            "note": "Nouvelle rédaction du 2°.",
        },
        follow=True,
    )
    verification = Verification.objects.get()
    assert verification.checked_by.last_name == "Martin"
    assert verification.note == "Nouvelle rédaction du 2°."
    page = response.content.decode()
    count = verification.flags.count()
    assert f"{count} élément(s) citant ce texte sont signalés" in page
    assert f"{count} éléments citent ce texte et sont signalés" in page
    lesson = verification.flags.filter(item_kind="lesson").first()
    assert lesson.item_label.replace("'", "&#x27;") in page
    assert reverse("admin:modules_lesson_change", args=[_lesson_pk(lesson.item_key)]) in page


def _lesson_pk(slug):
    from modules.models import Lesson

    return Lesson.objects.get(slug=slug).pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"checked_on": "2999-01-01", "source_consulted": "Légifrance", "outcome": "unchanged"},
            "ne peut pas être dans le futur",
        ),
        (
            {"checked_on": "hier", "source_consulted": "Légifrance", "outcome": "unchanged"},
            "date valide",
        ),
        (
            {"checked_on": "2026-01-05", "source_consulted": "", "outcome": "unchanged"},
            "obligatoire",
        ),
        (
            {"checked_on": "2026-01-05", "source_consulted": "x", "outcome": "perhaps"},
            "choix valide",
        ),
    ],
)
def test_a_bad_verification_is_refused_in_french_and_records_nothing(admin_client, data, message):
    response = admin_client.post(reverse("training:legal_reference", args=["c-pen-226-14"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Verification.objects.exists() and not ReviewFlag.objects.exists()


def test_flags_are_resolved_one_by_one_or_all_at_once(admin_client, admin):
    verification = record("c-pen-226-14", "modified", admin)
    flag = verification.flags.first()
    response = admin_client.post(
        reverse("training:legal_flag_resolve", args=[flag.pk]), {"note": "Relu.", "next": "list"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("training:legal_watch")
    flag.refresh_from_db()
    assert flag.resolved_by == admin and flag.resolution_note == "Relu."
    again = admin_client.post(reverse("training:legal_flag_resolve", args=[flag.pk]), follow=True)
    assert "déjà été marqué comme revu" in again.content.decode()
    admin_client.post(
        reverse("training:legal_flags_resolve", args=["c-pen-226-14"]), {"note": "Tout relu."}
    )
    assert not ReviewFlag.objects.open().exists()


def test_trainers_cannot_resolve_flags(client, course_loaded, admin):
    verification = record("c-pen-226-14", "modified", admin)
    client.force_login(UserFactory(role="Formateur"))
    flag = verification.flags.first()
    assert client.post(reverse("training:legal_flag_resolve", args=[flag.pk])).status_code == 403
    flag.refresh_from_db()
    assert flag.is_open


def test_the_reference_page_links_the_official_text_or_a_search(admin_client):
    page = admin_client.get(
        reverse("training:legal_reference", args=["c-pen-226-14"])
    ).content.decode()
    assert (
        "https://www.legifrance.gouv.fr/search/all?" in page and "Rechercher sur Légifrance" in page
    )
    assert "une recherche" in page
    page = admin_client.get(
        reverse("training:legal_reference", args=["crim-1973-05-17"])
    ).content.decode()
    assert "https://www.legifrance.gouv.fr/juri/id/JURITEXT000007058634" in page
    assert (
        admin_client.get(reverse("training:legal_reference", args=["nexiste-pas"])).status_code
        == 404
    )


def test_the_watch_log_exports_as_csv(admin_client, admin):
    verification = record("c-pen-226-14", "modified", admin)
    services.flags_resolve(reference=verification.reference, by=admin, note="Relu.")
    response = admin_client.get(reverse("training:legal_watch_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("Entrée;Référence;Code ou source;Statut")
    assert any(
        line.startswith("Vérification;art. 226-14 C. pén.;Code pénal") and ";Modifié;" in line
        for line in lines
    )
    assert (
        sum(1 for line in lines if line.startswith("Signalé à revoir;"))
        == verification.flags.count()
    )
    assert (
        sum(1 for line in lines if line.startswith("Revu;") and "Relu." in line)
        == verification.flags.count()
    )
    references = LegalReference.objects.active().count()
    assert sum(1 for line in lines if line.startswith("Référence;")) == references


def test_the_watch_log_exports_as_a_readable_pdf(admin_client, admin):
    record("c-pen-226-14", "modified", admin)
    response = admin_client.get(reverse("training:legal_watch_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Journal de veille juridique" in text
    assert "art. 226-14 C. pén." in text and "Modifié" in text and "Agnès Martin" in text


def test_administrators_have_a_legal_watch_panel_and_trainers_do_not(client, course_loaded, admin):
    client.force_login(admin)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert "Veille juridique" in page and reverse("training:legal_watch") in page
    client.force_login(UserFactory(role="Formateur"))
    assert (
        reverse("training:legal_watch")
        not in client.get(reverse("training:dashboard")).content.decode()
    )
