"""CSV import of trainees: parsing edge cases (pure), all-or-nothing service, preview pages."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.models import Enrolment, User
from training.sessions import imports, services
from training.sessions.imports import trainee_csv_parse

pytestmark = pytest.mark.django_db

HEADER = "nom;prénom;email;profession;organisation\r\n"


def _csv(*lines, header=HEADER, encoding="utf-8"):
    return (header + "".join(line + "\r\n" for line in lines)).encode(encoding)


# --- Parsing (no database) -------------------------------------------------------------------


def test_semicolon_utf8_file_is_parsed():
    parsed = trainee_csv_parse(
        _csv(
            "Dubois;Léa;lea@exemple.fr;Infirmière;CH de Villeneuve", "Petit;Marc;MARC@exemple.fr;;"
        )
    )
    assert parsed.errors == []
    assert [(r.line, r.last_name, r.first_name, r.email) for r in parsed.rows] == [
        (2, "Dubois", "Léa", "lea@exemple.fr"),
        (3, "Petit", "Marc", "marc@exemple.fr"),
    ]
    assert parsed.rows[0].organisation == "CH de Villeneuve"


def test_windows_1252_accents_are_read():
    data = _csv(
        "Lefèvre;Hélène;helene@exemple.fr;Éducatrice;Foyer Saint-Exupéry", encoding="cp1252"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = trainee_csv_parse(data)
    assert parsed.errors == []
    row = parsed.rows[0]
    assert (row.last_name, row.first_name, row.profession) == ("Lefèvre", "Hélène", "Éducatrice")
    assert row.organisation == "Foyer Saint-Exupéry"


def test_utf8_with_bom_is_read_and_the_first_column_is_recognised():
    data = b"\xef\xbb\xbf" + _csv("Moreau;Inès;ines@exemple.fr;Aide-soignante;EHPAD")
    parsed = trainee_csv_parse(data)
    assert parsed.errors == []
    assert parsed.rows[0].last_name == "Moreau"


def test_comma_separated_file_with_quotes_is_read():
    header = "Nom,Prénom,E-mail,Profession,Organisation\n"
    data = _csv(
        'Girard,Thomas,thomas@exemple.fr,Directeur,"Association Horizons, Lyon"', header=header
    )
    parsed = trainee_csv_parse(data)
    assert parsed.errors == []
    assert parsed.rows[0].organisation == "Association Horizons, Lyon"


def test_columns_may_come_in_another_order_and_optional_ones_may_be_missing():
    parsed = trainee_csv_parse(_csv("a@exemple.fr;Ana;Lopez", header="email;prenom;nom\n"))
    assert parsed.errors == []
    assert (parsed.rows[0].first_name, parsed.rows[0].last_name) == ("Ana", "Lopez")


def test_duplicated_lines_are_kept_once_with_a_warning():
    parsed = trainee_csv_parse(
        _csv(
            "Dubois;Léa;lea@exemple.fr;;",
            "Petit;Marc;marc@exemple.fr;;",
            "Dubois;Léa;LEA@exemple.fr;;",
        )
    )
    assert parsed.errors == []
    assert [r.email for r in parsed.rows] == ["lea@exemple.fr", "marc@exemple.fr"]
    assert parsed.warnings == [
        "Ligne 4 : lea@exemple.fr figure déjà ligne 2 ; cette ligne est ignorée."
    ]


def test_invalid_and_missing_values_are_reported_with_their_line_numbers():
    parsed = trainee_csv_parse(
        _csv(
            "Dubois;Léa;lea@exemple.fr;;",
            "Petit;Marc;marc-at-exemple.fr;;",
            ";Zoé;zoe@exemple.fr;;",
            "Roux;Sarah;;;",
        )
    )
    assert parsed.errors == [
        "Ligne 3 : « marc-at-exemple.fr » n'est pas une adresse électronique valide.",
        "Ligne 4 : le nom est manquant.",
        "Ligne 5 : l'adresse électronique est manquante.",
    ]
    assert not parsed.ok


def test_blank_lines_are_skipped_but_line_numbers_stay_true():
    parsed = trainee_csv_parse(_csv("Dubois;Léa;lea@exemple.fr;;", ";;;;", "", "Roux;Sarah;bad;;"))
    assert parsed.errors == ["Ligne 5 : « bad » n'est pas une adresse électronique valide."]


def test_an_empty_file_is_reported():
    assert trainee_csv_parse(b"").errors == ["Le fichier est vide."]
    assert trainee_csv_parse(b"\xef\xbb\xbf \r\n").errors == ["Le fichier est vide."]


def test_a_header_without_rows_is_reported():
    assert trainee_csv_parse(_csv()).errors == [
        "Le fichier a une ligne d'en-tête mais aucun stagiaire."
    ]


def test_wrong_columns_are_reported_with_what_was_expected_and_found():
    parsed = trainee_csv_parse(_csv("x;y;z", header="name;surname;mail_address\n"))
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert error.startswith("Ligne 1 : colonnes manquantes : nom, prénom, email.")
    assert "nom, prénom, email, profession, organisation" in error
    assert "name, surname, mail_address" in error


def test_a_spreadsheet_file_is_refused_with_advice():
    parsed = trainee_csv_parse(b"PK\x03\x04binary-xlsx-content")
    assert "Enregistrer sous" in parsed.errors[0]


def test_extra_values_on_a_line_are_reported():
    parsed = trainee_csv_parse(_csv("Dubois;Léa;lea@exemple.fr;Infirmière;CH;en trop"))
    assert parsed.errors == [
        "Ligne 2 : 6 valeurs pour 5 colonnes (un séparateur se trouve-t-il dans une valeur ?)."
    ]


def test_trailing_empty_separators_are_tolerated():
    parsed = trainee_csv_parse(_csv("Dubois;Léa;lea@exemple.fr;Infirmière;CH;;"))
    assert parsed.errors == []


# --- Service ---------------------------------------------------------------------------------


@pytest.fixture
def session(trainer):
    return SessionFactory(trainers=[trainer], capacity=20)


def _rows(*lines):
    parsed = trainee_csv_parse(_csv(*lines))
    assert parsed.ok, parsed.errors
    return parsed.rows


def test_import_creates_accounts_enrols_everyone_and_sends_emails(
    session, django_capture_on_commit_callbacks, run_tasks
):
    existing = UserFactory(role="Stagiaire", email="samir@exemple.fr", first_name="Samir")
    rows = _rows(
        "Dubois;Léa;lea@exemple.fr;Infirmière;CH",
        "Benali;Samir;SAMIR@exemple.fr;Éducateur;MECS",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.enrolment_import_csv(session=session, rows=rows)
    assert report.accounts_created == ["lea@exemple.fr"]
    assert sorted(report.enrolled) == ["lea@exemple.fr", "samir@exemple.fr"]
    lea = User.objects.get(email="lea@exemple.fr")
    assert (lea.first_name, lea.profession, lea.organisation) == ("Léa", "Infirmière", "CH")
    assert lea.groups.filter(name="Stagiaire").exists()
    assert not lea.has_usable_password()
    existing.refresh_from_db()
    assert existing.first_name == "Samir"  # existing accounts are reused, not overwritten
    assert User.objects.filter(email__iexact="samir@exemple.fr").count() == 1
    assert mail.outbox == []  # queued with the enrolments, sent by the worker
    run_tasks()
    subjects = sorted((m.to[0], m.subject.split(" ")[0]) for m in mail.outbox)
    assert subjects == [
        ("lea@exemple.fr", "Convocation"),
        ("lea@exemple.fr", "Votre"),
        ("samir@exemple.fr", "Convocation"),
    ]
    assert all(e.convocation_sent_at for e in session.enrolments.all())


def test_reimporting_the_same_file_creates_no_duplicates(session):
    rows = _rows("Dubois;Léa;lea@exemple.fr;;", "Petit;Marc;marc@exemple.fr;;")
    imports.enrolment_import_csv(session=session, rows=rows, send_emails=False)
    report = imports.enrolment_import_csv(session=session, rows=rows, send_emails=False)
    assert report.enrolled == [] and report.accounts_created == []
    assert sorted(report.already_enrolled) == ["lea@exemple.fr", "marc@exemple.fr"]
    assert session.enrolments.count() == 2
    assert User.objects.filter(email__in=["lea@exemple.fr", "marc@exemple.fr"]).count() == 2


def test_import_brings_back_a_removed_trainee(session):
    enrolment = EnrolmentFactory(session=session, trainee=UserFactory(email="lea@exemple.fr"))
    services.enrolment_remove(enrolment=enrolment)
    report = imports.enrolment_import_csv(
        session=session, rows=_rows("Dubois;Léa;lea@exemple.fr;;"), send_emails=False
    )
    assert report.enrolled == ["lea@exemple.fr"]
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_import_over_capacity_writes_nothing(trainer):
    session = SessionFactory(trainers=[trainer], capacity=2)
    rows = _rows("A;A;a@exemple.fr;;", "B;B;b@exemple.fr;;", "C;C;c@exemple.fr;;")
    with pytest.raises(ValidationError) as excinfo:
        imports.enrolment_import_csv(session=session, rows=rows)
    assert "au-delà de sa capacité de 2" in excinfo.value.messages[0]
    assert not User.objects.filter(email__in=["a@exemple.fr", "b@exemple.fr"]).exists()
    assert session.enrolments.count() == 0
    assert mail.outbox == []


def test_import_uses_a_constant_number_of_queries(session, django_assert_max_num_queries):
    rows_small = _rows(*[f"N{i};P{i};p{i}@exemple.fr;;" for i in range(5)])
    rows_large = _rows(*[f"M{i};Q{i};q{i}@exemple.fr;;" for i in range(200)])
    session.capacity = 300
    session.save()
    # 16, and the version of the quiz results the enrolments change (the shared cache's row).
    with django_assert_max_num_queries(19):
        imports.enrolment_import_csv(session=session, rows=rows_small, send_emails=False)
    with django_assert_max_num_queries(19):
        imports.enrolment_import_csv(session=session, rows=rows_large, send_emails=False)
    assert session.enrolments.count() == 205


def test_a_large_import_hands_its_emails_to_the_worker_in_batches(
    session, monkeypatch, django_capture_on_commit_callbacks, run_tasks
):
    from training.background.models import EmailDelivery
    from training.sessions import tasks

    monkeypatch.setattr(tasks, "BATCH", 2)
    UserFactory(role="Stagiaire", email="samir@exemple.fr")  # has a password: no invitation
    rows = _rows(
        "Dubois;Léa;lea@exemple.fr;;", "Petit;Marc;marc@exemple.fr;;", "B;Samir;samir@exemple.fr;;"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.enrolment_import_csv(session=session, rows=rows)
    assert len(report.enrolled) == 3
    assert mail.outbox == []
    assert EmailDelivery.objects.filter(status="queued").count() == 5
    assert run_tasks() == 3  # 2 invitations in one task, 3 convocations in two
    sent = sorted((m.to[0], m.subject.split(" ")[0]) for m in mail.outbox)
    assert sent == [
        ("lea@exemple.fr", "Convocation"),
        ("lea@exemple.fr", "Votre"),
        ("marc@exemple.fr", "Convocation"),
        ("marc@exemple.fr", "Votre"),
        ("samir@exemple.fr", "Convocation"),
    ]
    assert not session.enrolments.filter(convocation_sent_at__isnull=True).exists()
    mail.outbox = []
    assert run_tasks() == 0  # nothing is sent twice
    assert mail.outbox == []


def test_the_worker_does_not_send_a_convocation_no_longer_wanted(
    trainer, django_capture_on_commit_callbacks, run_tasks
):
    from training.background.models import EmailDelivery
    from training.sessions import emails

    live = SessionFactory(trainers=[trainer])
    removed = EnrolmentFactory(session=live)
    kept = EnrolmentFactory(session=live)
    with django_capture_on_commit_callbacks(execute=True):
        emails.convocations_queue(session=live, trainee_ids=[removed.trainee_id, kept.trainee_id])
    services.enrolment_remove(enrolment=removed)
    run_tasks()
    assert [m.to[0] for m in mail.outbox] == [kept.trainee.email]
    removed.refresh_from_db()
    assert removed.convocation_sent_at is None
    skipped = EmailDelivery.objects.get(recipient=removed.trainee)
    assert skipped.status == "cancelled" and "n’est plus nécessaire" in skipped.reason.replace(
        "'", "’"
    )


def test_the_page_says_the_emails_are_sent_in_the_background(client, session, trainer):
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    text = HEADER + "Dubois;Léa;lea@exemple.fr;;\r\nPetit;Marc;marc@exemple.fr;;\r\n"
    response = client.post(url, {"csv_text": text}, follow=True)
    html = response.content.decode()
    assert "2 stagiaires inscrits" in html
    assert "envoyées en arrière-plan" in html
    assert mail.outbox == []


# --- Pages -----------------------------------------------------------------------------------


def _upload(data, name="stagiaires.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(client, session, trainer):
    UserFactory(email="samir@exemple.fr")
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    data = _csv("Dubois;Léa;lea@exemple.fr;;", "Benali;Samir;samir@exemple.fr;;", encoding="cp1252")
    response = client.post(url, {"file": _upload(data)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aperçu" in html
    assert "1 nouveau compte" in html and "1 compte existant" in html
    assert "Inscrire 2 stagiaires et envoyer les convocations" in html
    assert not User.objects.filter(email="lea@exemple.fr").exists()
    csv_text = response.context["confirm"].initial["csv_text"]
    response = client.post(url, {"csv_text": csv_text})
    assert response.status_code == 302
    assert session.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 2


def test_upload_with_errors_lists_them_and_offers_no_confirmation(client, session, trainer):
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    response = client.post(url, {"file": _upload(_csv("Dubois;Léa;pas-valide;;"))})
    html = response.content.decode()
    assert "Le fichier contient 1 erreur : rien n'a été importé." in html
    assert "Ligne 2 : « pas-valide »" in html
    assert "csv_text" not in html


def test_a_tampered_confirmation_is_parsed_again_and_refused(client, session, trainer):
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    response = client.post(url, {"csv_text": "nom;prénom;email\nX;Y;not-an-email\n"})
    assert response.status_code == 200
    assert "n&#x27;est pas une adresse électronique valide" in response.content.decode()
    assert session.enrolments.count() == 0
    assert client.post(url, {"csv_text": ""}).status_code == 400


def test_an_empty_upload_is_refused_by_the_form(client, session, trainer):
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    response = client.post(url, {"file": _upload(b"")})
    assert response.status_code == 200
    assert session.enrolments.count() == 0


# --- NUL bytes (issue 24: the preview accepted them, then confirming was a dead end) ---------


def test_a_csv_with_nul_bytes_is_refused_at_the_preview_with_its_line(client, session, trainer):
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    data = _csv(
        "Dubois;Léa;lea@exemple.fr;;",
        "Benali;Sa\x00mir;samir@exemple.fr;;",
        "Petit;Marc;marc@exemple.fr;\x00;",
    )
    response = client.post(url, {"file": _upload(data)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 3 : la ligne contient un caractère NUL" in html
    assert "Ligne 4 : la ligne contient un caractère NUL" in html
    assert "Ligne 2 :" not in html
    assert "CSV UTF-8" in html
    assert "csv_text" not in html  # no confirmation that would fail
    # The form to upload a corrected file is there: no dead end.
    assert 'name="file"' in html
    assert session.enrolments.count() == 0
    fixed = _csv("Dubois;Léa;lea@exemple.fr;;", "Benali;Samir;samir@exemple.fr;;")
    preview = client.post(url, {"file": _upload(fixed)})
    confirm = client.post(url, {"csv_text": preview.context["confirm"].initial["csv_text"]})
    assert confirm.status_code == 302
    assert session.enrolments.count() == 2


def test_a_utf16_file_without_its_mark_is_refused_without_listing_every_line():
    lines = [f"Nom{n};Prénom;p{n}@exemple.fr;;" for n in range(30)]
    parsed = trainee_csv_parse(_csv(*lines, encoding="utf-16-le"))
    assert not parsed.rows
    assert len(parsed.errors) == imports.MAX_LINES_REPORTED + 1
    assert parsed.errors[0].startswith("Ligne 1 :")
    assert parsed.errors[-1].endswith("lignes de plus contiennent un caractère NUL.")
