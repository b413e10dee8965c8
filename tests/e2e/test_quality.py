"""Complaints and improvement actions end to end in a real browser: a visitor complains
from the footer on a phone; an administrator handles it to its close, records the
improvement action, closes it and shows it on the programme page."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory
from training.quality.models import Complaint, ImprovementAction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_complaint_from_the_footer_to_what_we_changed(course_loaded, phone_page, run_tasks):
    page = phone_page
    cache.clear()
    mail.outbox.clear()
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Réclamation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire une réclamation")
    check_accessibility(page, "complaint-form-phone")
    page.get_by_label("Votre nom").fill("Nadia Perret")
    page.get_by_label("Votre adresse électronique").fill("nadia.perret@exemple.fr")
    page.get_by_label("Vous êtes").select_option(label="Employeur")
    page.get_by_label("Session concernée, le cas échéant").fill("Session de mars à Lyon")
    page.get_by_label("Objet").fill("Salle trop petite")
    page.get_by_label("Votre réclamation").fill("Douze personnes dans une salle prévue pour huit.")
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réclamation envoyée")
    check_accessibility(page, "complaint-done-phone")
    complaint = Complaint.objects.get()
    expect(page.get_by_text(complaint.reference)).to_be_visible()
    run_tasks()  # the task worker sends the acknowledgement
    assert any(complaint.reference in m.subject for m in mail.outbox)

    # The administrator (on a phone too) handles it.
    admin = UserFactory(role="Administrateur")
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto("/qualite/reclamations/")
    check_accessibility(page, "complaint-list-phone")
    page.get_by_role("link", name=complaint.reference).click()
    check_accessibility(page, "complaint-detail-phone")
    page.get_by_label("Statut").select_option(label="En cours")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La réclamation a été mise à jour.")).to_be_visible()
    page.get_by_label("Statut").select_option(label="Traitée")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Écrivez la réponse apportée à la personne.")).to_be_visible()
    check_accessibility(page, "complaint-detail-error-phone")
    page.get_by_label("Réponse apportée à la personne").fill(
        "Nous réservons désormais la grande salle au-delà de huit stagiaires."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Réponse apportée le")).to_be_visible()
    page.get_by_label("Statut").select_option(label="Clôturée")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette réclamation est close.")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == "close" and complaint.answered_at is not None

    # The improvement action that answers it.
    page.get_by_role("link", name="Enregistrer une action d'amélioration").click()
    expect(page.get_by_label("Titre")).to_have_value(
        f"Suite à la réclamation {complaint.reference}"
    )
    check_accessibility(page, "action-form-phone")
    page.get_by_label("Titre").fill("Une salle à la mesure du groupe")
    page.get_by_label("Description").fill("Réserver la grande salle au-delà de huit stagiaires.")
    page.get_by_label("Responsable").select_option(label=admin.get_full_name())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'action d'amélioration a été enregistrée.")).to_be_visible()
    page.get_by_label("Statut").select_option(label="Réalisée")
    page.get_by_label("Résultat obtenu").fill(
        "Grande salle réservée pour les trois sessions suivantes."
    )
    page.get_by_label("Affichée sur la page du programme").check()
    page.get_by_label("Ce que nous avons changé (texte public)").fill(
        "Au-delà de huit stagiaires, la formation a lieu dans une salle plus grande."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'action d'amélioration a été enregistrée.")).to_be_visible()
    action = ImprovementAction.objects.get()
    assert action.status == "realisee" and action.is_public and action.complaint == complaint

    page.goto("/qualite/actions/?statut=realisee")
    expect(page.get_by_role("link", name="Une salle à la mesure du groupe")).to_be_visible()
    check_accessibility(page, "action-list-phone")
    page.goto("/")
    expect(page.get_by_role("heading", name="Ce que nous avons changé")).to_be_visible()
    expect(
        page.get_by_text(re.compile("la formation a lieu dans une salle plus grande"))
    ).to_be_visible()
