"""A session's page: its programme comes from the shared cache, and shows every change at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.models import Module
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.sessions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, course_loaded):
    trainer = UserFactory(role="Formateur", first_name="Claire", last_name="Formatrice")
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    url = reverse("training:session_detail", args=[session.pk])

    def html():
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    html()  # cached from now on
    return session, trainer, html


def test_the_page_reads_the_session_its_rights_and_the_cache(page, client):
    session, _trainer, html = page
    with CaptureQueriesContext(connection) as queries:
        html()
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 4  # session, user, the training session with the user's rights, programme
    assert "training_shared_cache" in sql[-1]
    # Its fragments rendered: only the programme's version is read, not the programme.
    assert "sessions:programme:" not in sql[-1] and "sessions:programme" in sql[-1]


def test_a_half_day_changed_shows_at_once(page):
    session, _trainer, html = page
    slot = session.slots.order_by("date", "period").first()
    module = Module.objects.order_by("number").last()
    services.slot_update(
        slot=slot,
        start_time=datetime.time(8, 45),
        end_time=datetime.time(12, 15),
        modules=[module],
    )
    text = html()
    assert "08:45–12:15" in text
    assert f"{module.number}. {module.title}" in text


def test_trainers_changed_or_renamed_show_at_once(page):
    session, trainer, html = page
    assert "Claire Formatrice" in html()
    trainer.last_name = "Formatrice-Martin"
    trainer.save()
    assert "Claire Formatrice-Martin" in html()
    other = UserFactory(role="Formateur", first_name="Paul", last_name="Second")
    session.trainers.add(other)
    assert "Paul Second" in html()


def test_a_module_renamed_in_the_admin_shows_at_once(page):
    session, _trainer, html = page
    module = session.slots.order_by("date", "period").first().modules.first()
    module.title = "Un titre revu"
    module.save()
    assert f"{module.number}. Un titre revu" in html()


def test_the_header_follows_the_session_and_its_head_count(page):
    session, _trainer, html = page
    session.title = "Session renommée"
    session.save()
    assert "Session renommée" in html()
    EnrolmentFactory(session=session)
    assert "1 inscrit sur 12 places" in html()
