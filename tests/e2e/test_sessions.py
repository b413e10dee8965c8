"""A trainer schedules a 3-day session, imports trainees from a CSV; a trainee sees it."""

import datetime
import time

import pytest
from django.core import mail

from tests.e2e.conftest import PHONE, check_accessibility, login, nav
from tests.factories import DEFAULT_PASSWORD, UserFactory
from training.content.loader import content_load
from training.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db(transaction=True)


def _working_day(start: datetime.date) -> datetime.date:
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    return start


def test_trainer_creates_a_session_imports_trainees_and_a_trainee_sees_it(
    page, tmp_path, task_worker
):
    content_load()
    trainer = UserFactory(role="Formateur", first_name="Claire", last_name="Rousseau")
    lea = UserFactory(role="Stagiaire", email="lea.dubois@exemple.fr", first_name="Léa")
    first = _working_day(datetime.date.today() + datetime.timedelta(days=20))
    days = [
        first,
        _working_day(first + datetime.timedelta(days=1)),
        first + datetime.timedelta(days=8),
    ]
    days[2] = _working_day(days[2])

    login(page, trainer.email, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Mes sessions").first.click()
    check_accessibility(page, "sessions-list-empty")
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Jour 1").fill(days[0].isoformat())
    page.get_by_label("Jour 2").fill(days[1].isoformat())
    page.get_by_label("Jour 3 (facultatif)").fill(days[2].isoformat())
    page.get_by_label("Lieu", exact=True).fill("Maison des associations")
    page.get_by_label("Informations d'accès").fill("Métro A, station Cordeliers.")
    check_accessibility(page, "session-form")
    page.get_by_role("button", name="Enregistrer la session").click()

    session = TrainingSession.objects.get()
    assert session.slots.count() == 6
    assert page.get_by_role("heading", level=1).inner_text() == session.title
    page.get_by_text(f"Session {session.code} créée avec ses demi-journées.").wait_for()
    check_accessibility(page, "session-detail")

    page.get_by_role("link", name="Stagiaires").click()
    page.get_by_role("link", name="Importer un fichier CSV").click()
    csv_file = tmp_path / "stagiaires.csv"
    csv_file.write_bytes(
        (
            "nom;prénom;email;profession;organisation\r\n"
            "Dubois;Léa;lea.dubois@exemple.fr;Infirmière;CH de Villeneuve\r\n"
            "Lefèvre;Hugo;hugo.lefevre@exemple.fr;Assistant social;Conseil départemental\r\n"
            "Moreau;Inès;ines.moreau@exemple.fr;Aide-soignante;EHPAD Les Glycines\r\n"
        ).encode("cp1252")
    )
    page.get_by_label("Fichier CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("heading", name="Aperçu").wait_for()
    assert "Lefèvre" in page.content()
    check_accessibility(page, "session-import-preview")
    page.get_by_role("button", name="Inscrire 3 stagiaires et envoyer les convocations").click()

    page.get_by_role("heading", name="Stagiaires inscrits").wait_for()
    assert page.get_by_text("Inès Moreau").count() >= 1
    assert page.get_by_text("En attente d’envoi").count() == 3  # queued, not sent in the request
    check_accessibility(page, "session-trainees")
    assert session.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 3
    assert mail.outbox == []
    task_worker()
    deadline = time.monotonic() + 60
    while sum("Convocation" in m.subject for m in mail.outbox) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sum("Convocation" in m.subject for m in mail.outbox) == 3
    task_worker.stop()
    page.reload()
    assert page.get_by_text("Envoyée", exact=True).count() == 3
    check_accessibility(page, "session-trainees-sent")
    page.get_by_role("link", name="Résultats", exact=True).last.click()
    page.get_by_role("heading", name="Résultats aux quiz de cette session").wait_for()
    check_accessibility(page, "session-results")

    page.goto(f"/sessions/calendrier/{days[0].year}/{days[0].month}/")
    assert page.get_by_text(session.code).count() >= 1
    check_accessibility(page, "session-calendar")

    page.context.clear_cookies()
    login(page, lea.email, DEFAULT_PASSWORD)
    panel = page.locator("section", has=page.locator("#h-next-session"))
    assert "Maison des associations" in panel.inner_text()
    assert "09:00–12:30" in panel.inner_text()
    assert panel.get_by_role("link", name="Ma convocation dans mon agenda (.ics)").count() == 1
    check_accessibility(page, "session-trainee-dashboard")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "session-trainee-dashboard-phone")
    panel.get_by_role("link", name="Détails de la session").click()
    check_accessibility(page, "session-detail-trainee")
    assert page.get_by_role("link", name="Stagiaires").count() == 0


def test_administrator_filters_all_sessions_and_a_user_subscribes_to_the_feed(page):
    from tests.factories import SessionFactory, session_dates

    admin = UserFactory(role="Administrateur", is_staff=True)
    claire = UserFactory(role="Formateur", first_name="Claire", last_name="Rousseau")
    SessionFactory(code="LYON-1", trainers=[claire], dates=session_dates(days_ahead=10))
    SessionFactory(code="PARIS-1", dates=session_dates(days_ahead=40))
    login(page, admin.email, DEFAULT_PASSWORD)
    nav(page, "Sessions")
    page.get_by_label("Formateur", exact=True).select_option(label="Claire Rousseau")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("link", name="LYON-1").count() == 1
    assert page.get_by_role("link", name="PARIS-1").count() == 0
    check_accessibility(page, "session-admin-list")
    page.get_by_role("link", name="LYON-1").click()
    page.get_by_role("link", name="Annuler").click()
    check_accessibility(page, "session-cancel")
    page.get_by_role("button", name="Annuler la session").click()
    page.get_by_text("Cette session est annulée.").wait_for()

    page.goto("/calendrier/abonnement/")
    url = page.get_by_label("Votre adresse personnelle").input_value()
    assert "/calendrier/flux/" in url and url.endswith(".ics")
    check_accessibility(page, "session-feed")
    page.get_by_role(
        "button", name="Créer une nouvelle adresse (l'ancienne cessera de fonctionner)"
    ).click()
    assert page.get_by_label("Votre adresse personnelle").input_value() != url
