"""Complaints (indicator 31): anyone may complain from the footer, gets an acknowledgement;
administrators move them from reçue to close with the answer; time to answer measured."""

import datetime
import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnrolmentFactory, SessionFactory
from training.privacy.models import AuditEvent
from training.quality import selectors, services
from training.quality.models import Complaint, ComplaintThrottle

pytestmark = pytest.mark.django_db

VISITOR = {
    "name": "Nadia Perret",
    "email": "nadia.perret@exemple.fr",
    "role": "employeur",
    "session_text": "Session de mars à Lyon",
    "subject": "Facture erronée",
    "message": "La facture mentionne trois jours au lieu de deux.",
    "website": "",
}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_page_links_to_the_complaint_form_in_its_footer(trainee):
    client = Client()
    for url in (reverse("home"), reverse("training:legal_notice"), reverse("login")):
        assert reverse("training:complaint_create") in client.get(url).content.decode()
    client.force_login(trainee)
    assert (
        reverse("training:complaint_create")
        in client.get(reverse("training:dashboard")).content.decode()
    )


def test_a_visitor_complains_and_gets_an_acknowledgement(
    django_capture_on_commit_callbacks, run_tasks
):
    client = Client()
    assert "Faire une réclamation" in page_text(client.get(reverse("training:complaint_create")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:complaint_create"), VISITOR, follow=True)
    assert mail.outbox == []  # the task worker sends it, not the request
    run_tasks()
    complaint = Complaint.objects.get()
    assert complaint.status == "recue" and complaint.submitted_by is None
    assert complaint.email == "nadia.perret@exemple.fr"
    assert f"Votre réclamation {complaint.reference} a bien été reçue" in page_text(response)
    [ack] = mail.outbox
    assert ack.to == ["nadia.perret@exemple.fr"]
    assert complaint.reference in ack.subject
    assert "Facture erronée" in ack.body
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is not None
    assert complaint.reference == f"REC-{timezone.localdate():%Y}-{complaint.pk:04d}"


def test_a_trainee_complains_about_one_of_their_sessions(trainee):
    session = SessionFactory()
    EnrolmentFactory(session=session, trainee=trainee)
    other = SessionFactory()
    client = Client()
    client.force_login(trainee)
    form = page_text(client.get(reverse("training:complaint_create")))
    assert "Votre adresse électronique" not in form  # the account says who they are
    assert session.code in form and other.code not in form
    data = {k: v for k, v in VISITOR.items() if k not in ("name", "email")}
    data["session"] = other.pk  # not theirs: refused
    assert "Sélectionnez un choix valide" in page_text(
        client.post(reverse("training:complaint_create"), data)
    )
    data["session"] = session.pk
    client.post(reverse("training:complaint_create"), data)
    complaint = Complaint.objects.get()
    assert (complaint.submitted_by, complaint.session) == (trainee, session)
    assert complaint.email == trainee.email


def test_a_visitor_must_give_an_address_and_bad_input_loses_nothing():
    client = Client()
    data = {**VISITOR, "email": "pas-une-adresse"}
    page = page_text(client.post(reverse("training:complaint_create"), data))
    assert "Saisissez une adresse de courriel valide." in page
    assert VISITOR["message"] in page  # what was typed is still there
    assert Complaint.objects.count() == 0


def test_a_robot_filling_the_honeypot_is_thanked_and_forgotten():
    response = Client().post(
        reverse("training:complaint_create"), {**VISITOR, "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert Complaint.objects.count() == 0
    assert mail.outbox == []


def test_more_than_five_complaints_an_hour_from_one_address_are_refused(settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert client.post(reverse("training:complaint_create"), VISITOR).status_code == 302
    page = page_text(client.post(reverse("training:complaint_create"), VISITOR))
    assert "Trop de réclamations ont été envoyées depuis cette connexion" in page
    assert Complaint.objects.count() == 5
    assert (
        Client(REMOTE_ADDR="203.0.113.10")
        .post(reverse("training:complaint_create"), VISITOR)
        .status_code
        == 302
    )
    # The address itself is never stored, only a keyed hash.
    assert not ComplaintThrottle.objects.filter(client_hash__contains="203.0.113").exists()


def test_the_rate_limit_forgets_after_an_hour():
    now = timezone.now()
    for minute in range(5):
        services.complaint_submit(
            **{k: v for k, v in VISITOR.items() if k != "website"},
            client_address="203.0.113.20",
            now=now + datetime.timedelta(minutes=minute),
        )
    with pytest.raises(services.RateLimited):
        services.complaint_submit(
            **{k: v for k, v in VISITOR.items() if k != "website"},
            client_address="203.0.113.20",
            now=now + datetime.timedelta(minutes=30),
        )
    services.complaint_submit(
        **{k: v for k, v in VISITOR.items() if k != "website"},
        client_address="203.0.113.20",
        now=now + datetime.timedelta(minutes=61),
    )


def submitted(now=None) -> Complaint:
    return services.complaint_submit(
        **{k: v for k, v in VISITOR.items() if k != "website"},
        client_address="192.0.2.1",
        now=now,
    )


def test_the_workflow_end_to_end_with_dates_answer_and_audit(
    administrator, django_capture_on_commit_callbacks, run_tasks
):
    received = timezone.now() - datetime.timedelta(days=4)
    complaint = submitted(now=received)
    session = SessionFactory()
    client = Client()
    client.force_login(administrator)
    url = reverse("training:complaint_detail", args=[complaint.pk])
    assert complaint.reference in page_text(client.get(reverse("training:complaint_list")))

    client.post(
        url, {"status": "en_cours", "session": session.pk, "internal_note": "Vu avec la compta."}
    )
    complaint.refresh_from_db()
    assert complaint.status == "en_cours" and complaint.started_at is not None
    assert complaint.session == session and complaint.handled_by == administrator

    page = page_text(client.post(url, {"status": "traitee", "session": session.pk}))
    assert "Écrivez la réponse apportée à la personne." in page
    complaint.refresh_from_db()
    assert complaint.status == "en_cours"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "status": "traitee",
                "session": session.pk,
                "answer": "Une facture rectifiée vous a été envoyée.",
                "send_answer": "on",
            },
        )
    complaint.refresh_from_db()
    assert complaint.status == "traitee"
    assert complaint.days_to_answer == 4
    run_tasks()
    [answer] = mail.outbox
    assert "Une facture rectifiée vous a été envoyée." in answer.body
    assert answer.to == ["nadia.perret@exemple.fr"]

    client.post(url, {"status": "close", "session": session.pk})
    complaint.refresh_from_db()
    assert complaint.status == "close" and complaint.closed_at is not None
    assert "Cette réclamation est close." in page_text(client.get(url))

    events = AuditEvent.objects.filter(action="complaint.status", object_id=str(complaint.pk))
    summaries = sorted(e.summary for e in events)
    assert len(summaries) == 4  # received, then three changes
    assert any("Reçue → En cours" in s for s in summaries)
    assert any("Traitée → Clôturée" in s for s in summaries)
    listing = page_text(client.get(reverse("training:complaint_list")))
    assert "Délai moyen de réponse" in listing and "4,0 jours" in listing


def test_a_closed_complaint_cannot_be_reopened_and_closing_unanswered_needs_a_reason(administrator):
    complaint = submitted()
    with pytest.raises(ValidationError) as caught:
        services.complaint_update(complaint=complaint, by=administrator, status="close")
    assert "internal_note" in caught.value.error_dict
    services.complaint_update(
        complaint=complaint, by=administrator, status="close", internal_note="Message publicitaire."
    )
    with pytest.raises(ValidationError) as caught:
        services.complaint_update(complaint=complaint, by=administrator, status="en_cours")
    assert "ne peut pas passer" in caught.value.messages[0]


def test_the_list_filters_by_status_and_the_figures_measure_the_time_to_answer(administrator):
    now = timezone.now()
    quick = submitted(now=now - datetime.timedelta(days=2))
    slow = submitted(now=now - datetime.timedelta(days=10))
    submitted(now=now)
    services.complaint_update(
        complaint=quick, by=administrator, status="traitee", answer="Réglé.", send_answer=False
    )
    services.complaint_update(
        complaint=slow, by=administrator, status="traitee", answer="Réglé.", send_answer=False
    )
    figures = selectors.complaint_figures()
    assert (figures.total, figures.open, figures.answered) == (3, 1, 2)
    assert str(figures.average_days) == "6.0" and figures.longest_days == 10
    client = Client()
    client.force_login(administrator)
    page = page_text(client.get(reverse("training:complaint_list") + "?statut=recue"))
    assert page.count("REC-") == 1
    bad = client.get(reverse("training:complaint_list") + "?statut=nimporte")
    assert bad.status_code == 200
    results = page_text(client.get(reverse("training:survey_results")))
    assert "3 réclamations reçues, traitées en 6,0 jours en moyenne, 1 encore ouverte." in results


def test_the_complaints_export_for_audits(administrator):
    complaint = submitted()
    client = Client()
    client.force_login(administrator)
    response = client.get(reverse("training:complaint_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffRéférence;Reçue;Statut")
    assert complaint.reference in text
