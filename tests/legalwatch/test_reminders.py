"""The scheduled reminder: administrators get an e-mail when references become due for
verification, once per reference and due date (recorded), whatever the number of runs."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory
from training.legalwatch import selectors, services
from training.legalwatch.models import LegalReference, ReferenceReminder

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=PARIS)


@pytest.fixture
def admins(db):
    return [
        UserFactory(role="Administrateur", email="direction@exemple.fr"),
        UserFactory(role="Administrateur", email="qualite@exemple.fr"),
    ]


def test_every_reference_never_verified_is_announced_once(course_loaded, admins):
    UserFactory(role="Formateur", email="formatrice@exemple.fr")
    total = LegalReference.objects.active().count()
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=1)), tick=False):
        sent = services.legal_watch_reminders_send(now=timezone.now())
        assert sent == total
        assert sorted(m.to[0] for m in mail.outbox) == [
            "direction@exemple.fr",
            "qualite@exemple.fr",
        ]
        body = mail.outbox[0].body
        assert "art. 226-14 C. pén." in body and "jamais vérifié" in body
        assert "/administration/veille-juridique/" in body
        assert mail.outbox[0].subject == f"Veille juridique : {total} références à vérifier"
        # The tick runs again (the same day, the next day): nothing new to say.
        assert services.legal_watch_reminders_send(now=timezone.now()) == 0
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=30)), tick=False):
        assert services.legal_watch_reminders_send(now=timezone.now()) == 0
    assert len(mail.outbox) == 2
    assert ReferenceReminder.objects.count() == total


def test_a_verified_reference_is_announced_again_when_its_period_runs_out(
    course_loaded, admins, settings
):
    settings.LEGAL_WATCH_MONTHS = 6
    today = timezone.localdate()
    with time_machine.travel(at(today + datetime.timedelta(days=1)), tick=False):
        services.legal_watch_reminders_send(now=timezone.now())
    reference = LegalReference.objects.get(key="c-pen-226-14")
    checked = today + datetime.timedelta(days=2)
    with time_machine.travel(at(checked), tick=False):
        services.verification_record(
            reference=reference,
            checked_on=checked,
            checked_by=admins[0],
            source_consulted="Légifrance",
            outcome="unchanged",
        )
    mail.outbox.clear()
    due = selectors.months_after(checked, 6)
    with time_machine.travel(at(due - datetime.timedelta(days=1)), tick=False):
        assert services.legal_watch_reminders_send(now=timezone.now()) == 0
    with time_machine.travel(at(due), tick=False):
        assert services.legal_watch_reminders_send(now=timezone.now()) == 1
        assert services.legal_watch_reminders_send(now=timezone.now()) == 0
    assert len(mail.outbox) == 2  # one per administrator, for that one reference
    assert "art. 226-14 C. pén." in mail.outbox[0].body
    assert ReferenceReminder.objects.get(reference=reference, due_on=due)


def test_the_period_follows_the_setting(course_loaded, admins, settings):
    settings.LEGAL_WATCH_MONTHS = 1
    checked = timezone.localdate()
    reference = LegalReference.objects.get(key="c-civ-9")
    services.verification_record(
        reference=reference,
        checked_on=checked,
        checked_by=admins[0],
        source_consulted="Légifrance",
        outcome="unchanged",
    )
    row = next(r for r in selectors.reference_rows() if r.reference == reference)
    assert row.due_on == selectors.months_after(checked, 1) and not row.is_overdue


def test_without_an_administrator_nothing_is_recorded(course_loaded):
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=1)), tick=False):
        assert services.legal_watch_reminders_send(now=timezone.now()) == 0
    assert not ReferenceReminder.objects.exists()
    assert mail.outbox == []


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server refused")


def test_a_refused_mail_records_nothing_so_the_next_run_tries_again(
    course_loaded, admins, settings
):
    settings.EMAIL_BACKEND = "tests.legalwatch.test_reminders.RefusingBackend"
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=1)), tick=False):
        with pytest.raises(OSError):
            services.legal_watch_reminders_send(now=timezone.now())
        assert not ReferenceReminder.objects.exists()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert services.legal_watch_reminders_send(now=timezone.now()) > 0


def test_the_command_sends_the_reminders(course_loaded, admins):
    out = io.StringIO()
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=1)), tick=False):
        call_command("legal_watch_remind", stdout=out)
    total = LegalReference.objects.active().count()
    assert f"{total} reference(s) announced" in out.getvalue()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 3, 15), 6, datetime.date(2026, 9, 15)),
        (datetime.date(2026, 9, 30), 6, datetime.date(2027, 3, 30)),
    ],
)
def test_months_after_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert selectors.months_after(day, months) == expected


def test_the_worker_s_scheduler_sends_the_reminders_once_a_day(course_loaded, admins, run_tasks):
    """No cron: the daily job of the task worker's scheduler enqueues the reminder."""
    from training.background.scheduler import scheduler_tick

    morning = at(timezone.localdate() + datetime.timedelta(days=1)).replace(hour=9)
    with time_machine.travel(morning, tick=False):
        assert "legalwatch.remind" in scheduler_tick(worker="test", started_at=timezone.now())
        run_tasks()
        assert len(mail.outbox) == 2
        later = timezone.now() + datetime.timedelta(hours=2)
        assert "legalwatch.remind" not in scheduler_tick(worker="test", started_at=later, now=later)
