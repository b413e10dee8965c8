"""Enrolment by email, invitations, capacity, convocations with their .ics attachment."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory, session_dates
from training.models import Enrolment, User
from training.sessions import emails, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    return SessionFactory(
        trainers=[trainer],
        dates=session_dates(count=3),
        title="Le partage d'information à caractère secret",
        place_name="Maison des associations",
        address="12 rue de la République, 69002 Lyon",
        access_notes="Métro A, Cordeliers. Rez-de-chaussée.",
        capacity=3,
    )


def _enrol(session, email, **kwargs):
    return services.enrolment_create(session=session, email=email, **kwargs)


def test_an_existing_account_is_enrolled_and_receives_the_convocation(
    session, trainee, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(session, trainee.email.upper())
    assert mail.outbox == []  # queued: the worker sends it, never the request
    run_tasks()
    assert enrolment.trainee == trainee
    assert User.objects.filter(email__iexact=trainee.email).count() == 1
    assert [m.to for m in mail.outbox] == [[trainee.email]]
    assert mail.outbox[0].subject.startswith("Convocation : Le partage d'information")
    enrolment.refresh_from_db()
    assert enrolment.convocation_sent_at is not None


def test_an_unknown_email_creates_a_trainee_account_and_sends_an_invitation(
    session, client, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        _enrol(session, "Nouvelle@Exemple.fr", first_name="Léa", last_name="Dubois")
    run_tasks()
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.groups.filter(name="Stagiaire").exists()
    assert not user.has_usable_password()
    invitation = next(m for m in mail.outbox if "Votre compte" in m.subject)
    assert invitation.to == ["nouvelle@exemple.fr"]
    assert "Bonjour Léa Dubois," in invitation.body
    assert "Choisissez votre mot de passe avec ce lien (valable 7 jours)" in invitation.body
    link = re.search(r"https?://\S+/comptes/reinitialisation/\S+/\S+/", invitation.body).group(0)
    assert link in invitation.alternatives[0][0]
    # The link is Django's own password-reset confirmation: it leads to the set-password form.
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.content.decode()
    assert any("Convocation" in m.subject for m in mail.outbox)


def test_an_unknown_email_without_names_is_refused(session):
    with pytest.raises(ValidationError) as excinfo:
        _enrol(session, "inconnu@exemple.fr")
    assert "n'a pas encore de compte" in " ".join(excinfo.value.messages)
    assert not User.objects.filter(email="inconnu@exemple.fr").exists()


def test_an_invalid_email_is_refused_in_french(session):
    with pytest.raises(ValidationError) as excinfo:
        _enrol(session, "pas-une-adresse", first_name="A", last_name="B")
    assert "« pas-une-adresse » n'est pas une adresse électronique valide." in (
        excinfo.value.messages
    )


def test_enrolling_the_same_person_twice_is_refused(session, trainee):
    _enrol(session, trainee.email, send_convocation=False)
    with pytest.raises(ValidationError) as excinfo:
        _enrol(session, trainee.email)
    assert "est déjà inscrit·e à cette session" in " ".join(excinfo.value.messages)
    assert session.enrolments.count() == 1


def test_the_database_refuses_a_second_enrolment_row(session, trainee):
    Enrolment.objects.create(session=session, trainee=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=session, trainee=trainee)


def test_capacity_is_enforced(session):
    for _ in range(3):
        _enrol(session, UserFactory().email, send_convocation=False)
    with pytest.raises(ValidationError) as excinfo:
        _enrol(session, UserFactory().email)
    assert "La session est complète (3 places)." in excinfo.value.messages
    assert session.enrolments.count() == 3


def test_a_removed_trainee_frees_a_place_and_can_come_back(session, trainee):
    first = _enrol(session, trainee.email, send_convocation=False)
    for _ in range(2):
        _enrol(session, UserFactory().email, send_convocation=False)
    services.enrolment_remove(enrolment=first)
    first.refresh_from_db()
    assert first.status == Enrolment.Status.CANCELLED and first.cancelled_at
    _enrol(session, UserFactory().email, send_convocation=False)
    with pytest.raises(ValidationError):
        _enrol(session, trainee.email)
    services.enrolment_remove(enrolment=session.enrolments.exclude(trainee=trainee).first())
    again = _enrol(session, trainee.email, send_convocation=False)
    assert again.pk == first.pk and again.is_active and again.cancelled_at is None


def test_removing_twice_is_refused(session, trainee):
    enrolment = _enrol(session, trainee.email, send_convocation=False)
    services.enrolment_remove(enrolment=enrolment)
    with pytest.raises(ValidationError):
        services.enrolment_remove(enrolment=enrolment)


def test_nobody_can_be_enrolled_in_a_cancelled_session(session, trainee):
    services.session_cancel(session=session)
    with pytest.raises(ValidationError) as excinfo:
        _enrol(session, trainee.email)
    assert "Cette session est annulée" in " ".join(excinfo.value.messages)


def test_convocation_gives_dates_hours_place_trainer_programme_preparation_and_disability_contact(
    session, trainer, trainee, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.SITE_URL = "https://formation.exemple.fr"
    settings.ORGANISATION = {
        **settings.ORGANISATION,
        "handicap_name": "Mme Référente",
        "handicap_email": "referente@exemple.fr",
        "handicap_phone": "04 00 00 00 00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        _enrol(session, trainee.email)
    run_tasks()
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    first_day = session.slots.order_by("date").first().date
    for body in (message.body, html):
        assert "Ce message vaut convocation" in body
        assert f"{first_day.day} " in body and str(first_day.year) in body
        assert "09:00–12:30" in body and "13:30–17:00" in body
        assert "Maison des associations" in body
        assert "Métro A, Cordeliers" in body
        assert trainer.get_full_name() in body
        assert "https://formation.exemple.fr/" in body  # programme link
        assert "test de positionnement" in body
        assert "Mme Référente" in body and "referente@exemple.fr" in body
    assert f"{first_day.day}" in message.subject
    assert f"{first_day.year} : matin 09:00–12:30, après-midi 13:30–17:00" in message.body


def test_a_convocation_without_a_place_says_it_will_follow(trainee):
    session = SessionFactory(place_name="", address="", access_notes="")
    enrolment = Enrolment.objects.create(session=session, trainee=trainee)
    message = emails.convocation_message(enrolment=enrolment)
    for body in (message.body, message.alternatives[0][0]):
        assert "Le lieu vous sera communiqué avant la session." in body


def test_convocation_attaches_the_session_ics_in_paris_time(
    session, trainee, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        _enrol(session, trainee.email)
    run_tasks()
    (name, content, mimetype) = mail.outbox[0].attachments[0]
    assert name == f"session-{session.code.lower()}.ics"
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 6
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    start = first.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Paris"
    assert (start.hour, start.minute) == (9, 0)
    assert first.decoded("DTEND").time() == datetime.time(12, 30)
    assert "Maison des associations" in str(first["LOCATION"])
    assert any(tz["TZID"] == "Europe/Paris" for tz in calendar.walk("VTIMEZONE"))


def test_convocation_can_be_resent_from_the_trainees_tab(
    client, session, trainer, trainee, django_capture_on_commit_callbacks, run_tasks
):
    enrolment = _enrol(session, trainee.email, send_convocation=False)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:convocation_resend", args=[session.pk, enrolment.pk])
        )
    assert response.status_code == 302
    run_tasks()
    assert [m.to for m in mail.outbox] == [[trainee.email]]
    enrolment.refresh_from_db()
    assert enrolment.convocation_sent_at is not None


def test_convocation_is_not_resent_to_a_removed_trainee(session, trainee):
    enrolment = _enrol(session, trainee.email, send_convocation=False)
    services.enrolment_remove(enrolment=enrolment)
    with pytest.raises(ValidationError):
        emails.convocation_resend(enrolment=enrolment)
    assert mail.outbox == []


def test_trainer_enrols_by_email_from_the_page(
    client, session, trainer, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(trainer)
    url = reverse("training:enrolment_create", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "marc@exemple.fr", "first_name": "Marc", "last_name": "Petit"}
        )
    assert response.status_code == 302
    assert session.enrolments.filter(trainee__email="marc@exemple.fr").exists()
    run_tasks()
    assert len(mail.outbox) == 2


def test_enrolment_errors_are_shown_on_the_form(client, session, trainer, trainee):
    client.force_login(trainer)
    url = reverse("training:enrolment_create", args=[session.pk])
    client.post(url, {"email": trainee.email})
    response = client.post(url, {"email": trainee.email})
    assert response.status_code == 200
    assert "est déjà inscrit·e à cette session" in response.content.decode()


def test_trainer_removes_a_trainee_from_the_page(client, session, trainer):
    enrolment = EnrolmentFactory(session=session)
    client.force_login(trainer)
    response = client.post(reverse("training:enrolment_remove", args=[session.pk, enrolment.pk]))
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert not enrolment.is_active


def test_removing_by_get_is_not_allowed(client, session, trainer):
    enrolment = EnrolmentFactory(session=session)
    client.force_login(trainer)
    response = client.get(reverse("training:enrolment_remove", args=[session.pk, enrolment.pk]))
    assert response.status_code == 405


def test_an_enrolment_of_another_session_is_a_404(client, session, trainer):
    other = EnrolmentFactory()
    client.force_login(trainer)
    response = client.post(reverse("training:enrolment_remove", args=[session.pk, other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active
