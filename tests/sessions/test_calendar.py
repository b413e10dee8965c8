"""Calendars: the .ics of a session, the per-user feed and its secret token."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory, session_dates
from training.models import TrainingSession
from training.sessions import emails, services
from training.sessions.calendar import sessions_calendar

pytestmark = pytest.mark.django_db


def _events(content: bytes):
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_session_calendar_is_valid_rfc5545_with_europe_paris_times(trainer):
    # A summer date (UTC+2) and a winter date (UTC+1) both keep 09:00 local time.
    session = SessionFactory(
        trainers=[trainer], dates=[datetime.date(2030, 3, 29), datetime.date(2030, 4, 1)]
    )
    session = TrainingSession.objects.prefetch_related("slots__modules", "trainers").get(
        pk=session.pk
    )
    content = sessions_calendar(sessions=[session], name="Test", base_url="https://x.example")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = sorted(_events(content), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == 4
    winter, summer = events[0].decoded("DTSTART"), events[2].decoded("DTSTART")
    assert (winter.hour, summer.hour) == (9, 9)
    assert winter.utcoffset() == datetime.timedelta(hours=1)
    assert summer.utcoffset() == datetime.timedelta(hours=2)
    assert b"DTSTART;TZID=Europe/Paris:20300329T090000" in content
    assert len({str(e["UID"]) for e in events}) == 4
    assert all(str(e["UID"]).endswith("@x.example") for e in events)
    assert trainer.get_full_name() in str(events[0]["DESCRIPTION"])
    assert f"https://x.example/sessions/{session.pk}/" in str(events[0]["DESCRIPTION"])


def test_a_cancelled_session_appears_as_cancelled_events():
    session = SessionFactory()
    services.session_cancel(session=session)
    content = emails.session_ics(session=session)
    assert {str(e["STATUS"]) for e in _events(content)} == {"CANCELLED"}


def test_trainer_downloads_the_session_ics(client, trainer):
    session = SessionFactory(trainers=[trainer], dates=session_dates(count=3))
    client.force_login(trainer)
    response = client.get(reverse("training:session_ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert len(_events(response.content)) == 6


def test_enrolled_trainee_downloads_the_ics_but_another_trainee_gets_404(client):
    enrolment = EnrolmentFactory()
    url = reverse("training:session_ics", args=[enrolment.session.pk])
    client.force_login(enrolment.trainee)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role="Stagiaire"))
    assert client.get(url).status_code == 404


# --- Feed --------------------------------------------------------------------------------------


def test_feed_page_shows_a_secret_url_that_serves_the_users_sessions(client):
    enrolment = EnrolmentFactory()
    SessionFactory()  # not enrolled: not in the feed
    client.force_login(enrolment.trainee)
    response = client.get(reverse("training:calendar_feed"))
    token = enrolment.trainee.calendar_token.token
    feed_url = reverse("training:calendar_feed_ics", args=[token])
    assert feed_url in response.content.decode()
    client.logout()
    feed = client.get(feed_url)  # calendar applications do not log in
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    events = _events(feed.content)
    assert len(events) == 4
    assert {str(e["UID"]).split("-slot-")[0] for e in events} == {f"session-{enrolment.session.pk}"}


def test_trainer_feed_lists_the_sessions_they_run(client, trainer):
    SessionFactory(trainers=[trainer])
    SessionFactory(trainers=[trainer], dates=session_dates(days_ahead=60))
    SessionFactory()
    token = services.calendar_token_ensure(user=trainer).token
    feed = client.get(reverse("training:calendar_feed_ics", args=[token]))
    assert len(_events(feed.content)) == 8


def test_regenerating_the_token_kills_the_old_url(client, trainee):
    old = services.calendar_token_ensure(user=trainee).token
    client.force_login(trainee)
    response = client.post(reverse("training:calendar_token_regenerate"))
    assert response.status_code == 302
    trainee.calendar_token.refresh_from_db()
    new = trainee.calendar_token.token
    assert new != old
    client.logout()
    assert client.get(reverse("training:calendar_feed_ics", args=[old])).status_code == 404
    assert client.get(reverse("training:calendar_feed_ics", args=[new])).status_code == 200


def test_unknown_token_and_inactive_user_get_404(client, trainee):
    assert client.get(reverse("training:calendar_feed_ics", args=["nope"])).status_code == 404
    token = services.calendar_token_ensure(user=trainee).token
    trainee.is_active = False
    trainee.save()
    assert client.get(reverse("training:calendar_feed_ics", args=[token])).status_code == 404


def test_regenerating_by_get_is_not_allowed(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("training:calendar_token_regenerate")).status_code == 405


def test_tokens_are_long_and_unique(trainee, trainer):
    first = services.calendar_token_ensure(user=trainee).token
    second = services.calendar_token_ensure(user=trainer).token
    assert first != second and len(first) >= 40
    assert services.calendar_token_ensure(user=trainee).token == first
