"""Dates outside 2000–2100 are refused with a French error wherever a person types one; the
calendar of a session stored with any date still works (issue 24: year 1 and year 9999 gave
500s, a cut CSV and a calendar that could not be written)."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import SessionFactory, UserFactory, course_for_tests
from training.privacy.audit import audit_record
from training.privacy.models import AuditEvent
from training.sessions.models import Slot, TrainingSession

pytestmark = pytest.mark.django_db
RANGE_ERROR = "Saisissez une date comprise entre le 01/01/2000 et le 31/12/2100."
OUT_OF_RANGE = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]


@pytest.fixture
def admin_client(administrator):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    return client


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["since", "until"])
def test_the_audit_page_refuses_a_date_out_of_range(admin_client, day, field):
    response = admin_client.get(reverse("training:audit_list"), {field: day})
    assert response.status_code == 200
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["since", "until"])
def test_the_audit_csv_is_never_started_with_a_date_out_of_range(admin_client, day, field):
    audit_record(actor=None, action=AuditEvent.Action.ROLE_CHANGE, summary="un événement")
    response = admin_client.get(reverse("training:audit_csv"), {field: day})
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"].startswith("text/html")
    assert RANGE_ERROR in response.content.decode()


def test_the_audit_csv_of_the_whole_range_is_complete(admin_client):
    for number in range(120):
        audit_record(actor=None, action=AuditEvent.Action.ROLE_CHANGE, summary=f"e{number}")
    response = admin_client.get(
        reverse("training:audit_csv"), {"since": "2000-01-01", "until": "2100-12-31"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.splitlines()
    assert len(lines) == 1 + AuditEvent.objects.count()
    assert body.endswith("\r\n")


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_attendance_export_refuses_a_date_out_of_range(admin_client, day):
    response = admin_client.get(
        reverse("training:attendance_export"), {"since": day, "telecharger": "csv"}
    )
    assert response.status_code == 400
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_sessions_filter_refuses_a_date_out_of_range(admin_client, day):
    response = admin_client.get(reverse("training:session_admin_list"), {"date_from": day})
    assert response.status_code in (200, 400)
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize("days", [("9999-12-29", "9999-12-30"), ("0001-01-01", "0001-01-02")])
def test_a_session_cannot_be_created_with_days_out_of_range(client, trainer, days):
    course_for_tests()
    client.force_login(trainer)
    before = TrainingSession.objects.count()
    response = client.post(
        reverse("training:session_create"),
        {
            "title": "Session hors calendrier",
            "capacity": 12,
            "status": "draft",
            "place_name": "Salle A",
            "day_1": days[0],
            "day_2": days[1],
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code in (200, 400)
    assert RANGE_ERROR in response.content.decode()
    assert TrainingSession.objects.count() == before


def test_the_date_inputs_tell_the_browser_the_range(admin_client):
    page = admin_client.get(reverse("training:audit_list")).content.decode()
    assert 'min="2000-01-01"' in page and 'max="2100-12-31"' in page


def test_the_admin_refuses_a_slot_date_out_of_range():
    from django.core.exceptions import ValidationError

    session = SessionFactory()
    slot = session.slots.first()
    slot.date = datetime.date(9999, 12, 31)
    with pytest.raises(ValidationError) as caught:
        slot.full_clean()
    assert RANGE_ERROR in str(caught.value)


def test_the_export_command_refuses_a_date_out_of_range(tmp_path):
    with pytest.raises(CommandError, match="between 2000-01-01 and 2100-12-31"):
        call_command(
            "export_attendance",
            "--format",
            "csv",
            "--since",
            "0001-01-01",
            "--out",
            str(tmp_path / "x"),
        )


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_the_calendar_of_a_session_stored_with_any_date_works(client, year):
    """Dates written before the range existed (or around it, in the database) still export."""
    trainee = UserFactory(role="Stagiaire")
    session = SessionFactory()
    day = datetime.date(year, 6, 1) if year != 9999 else datetime.date(9999, 12, 31)
    first = session.slots.order_by("date", "period").first()
    Slot.objects.filter(session=session).exclude(pk=first.pk).delete()
    Slot.objects.filter(pk=first.pk).update(date=day)
    TrainingSession.objects.filter(pk=session.pk).update(start_date=day, end_date=day)
    client.force_login(trainee)
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(session=session, trainee=trainee)
    response = client.get(reverse("training:session_ics", args=[session.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"BEGIN:VCALENDAR" in body and b"BEGIN:VEVENT" in body
    stamp = day.isoformat().replace("-", "")
    assert f"DTSTART;TZID=Europe/Paris:{stamp}".encode() in body.replace(b"\r\n ", b"")
