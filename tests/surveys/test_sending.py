"""Invitations and reminders go out on their days, once each, only to those who have not
answered (frozen time; SQLite and PostgreSQL)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import UserFactory
from tests.surveys.helpers import at, full_answers, session_on
from training.sessions.models import Enrolment, TrainingSession
from training.surveys import selectors, services
from training.surveys.models import SurveyInvitation, SurveyMessage

pytestmark = pytest.mark.django_db


def run(time_machine, when):
    """Move the clock to ``when`` and run the sender; return the addresses mailed."""
    time_machine.move_to(when, tick=False)
    mail.outbox.clear()
    services.survey_sends_run(now=when)
    return sorted(address for message in mail.outbox for address in message.to)


def emails(people):
    return sorted(p.email for p in people)


def answer(person, session, kind="chaud", when=None):
    invitation = SurveyInvitation.objects.get(
        recipient=person, session=session, questionnaire__kind=kind
    )
    services.response_submit(
        invitation=invitation, answers=full_answers(invitation.questionnaire), now=when
    )


def test_hot_and_trainer_questionnaires_go_at_the_end_of_the_last_half_day_once(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, trainer, people = session_on()
    assert run(time_machine, at("2026-03-10", 16, 59)) == []
    sent = run(time_machine, at("2026-03-10", 17, 0))
    assert sent == emails([*people, trainer])
    assert run(time_machine, at("2026-03-10", 17, 5)) == []  # never twice
    assert run(time_machine, at("2026-03-11", 9, 0)) == []
    hot = SurveyInvitation.objects.filter(session=session, questionnaire__kind="chaud")
    assert hot.count() == 3
    assert all(i.expires_at == at("2026-03-10", 17) + datetime.timedelta(days=45) for i in hot)


def test_reminders_go_on_day_3_and_day_7_only_to_those_who_have_not_answered(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, trainer, (first, second, third) = session_on()
    run(time_machine, at("2026-03-10", 17, 0))
    answer(first, session, when=at("2026-03-10", 17, 30))
    answer(trainer, session, kind="formateur", when=at("2026-03-11", 10))

    assert run(time_machine, at("2026-03-13", 8, 59)) == []
    assert run(time_machine, at("2026-03-13", 9, 0)) == emails([second, third])  # J+3
    assert run(time_machine, at("2026-03-13", 15, 0)) == []
    answer(second, session, when=at("2026-03-14", 11))
    assert run(time_machine, at("2026-03-16", 9, 0)) == []
    assert run(time_machine, at("2026-03-17", 9, 0)) == emails([third])  # J+7
    assert run(time_machine, at("2026-03-17", 12, 0)) == []
    assert run(time_machine, at("2026-03-24", 9, 0)) == []  # no third reminder

    numbers = SurveyMessage.objects.filter(invitation__recipient=third).values_list(
        "number", flat=True
    )
    assert sorted(numbers) == [0, 1, 2]
    assert SurveyMessage.objects.filter(invitation__recipient=first).count() == 1


def test_a_reminder_says_it_is_one_and_carries_the_personal_link(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, _trainer, (person, *_others) = session_on(trainees=1)
    run(time_machine, at("2026-03-10", 17, 0))
    first_link = [line for line in mail.outbox[0].body.splitlines() if "/questionnaire/" in line]
    run(time_machine, at("2026-03-13", 9, 0))
    reminder = next(m for m in mail.outbox if person.email in m.to)
    assert reminder.subject.startswith("Rappel")
    assert first_link and first_link[0] in reminder.body  # the same link still works
    assert "n'a aucune incidence sur votre certificat ou votre attestation" in reminder.body


def test_the_cold_questionnaire_goes_60_days_after_the_last_day_or_the_sessions_own_delay(
    time_machine,
):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, _trainer, people = session_on()
    other, _t2, others = session_on(
        [datetime.date(2026, 3, 16), datetime.date(2026, 3, 17)], trainees=2
    )
    services.session_survey_settings_update(session=other, cold_delay_days=30)
    run(time_machine, at("2026-03-17", 17, 0))  # the hot ones of both sessions

    assert run(time_machine, at("2026-04-16", 8, 59)) == []
    assert run(time_machine, at("2026-04-16", 9, 0)) == emails(others)  # 17 March + 30 days
    assert all("Deux mois après la formation" in m.body for m in mail.outbox)
    assert run(time_machine, at("2026-05-09", 8, 59)) == []
    assert run(time_machine, at("2026-05-09", 9, 0)) == emails(people)  # 10 March + 60 days
    cold_invitations = SurveyInvitation.objects.filter(questionnaire__kind="froid")
    assert cold_invitations.count() == 5


def test_an_employer_is_mailed_once_invited_then_reminded(time_machine):
    time_machine.move_to(at("2026-03-11", 10), tick=False)
    session, trainer, _people = session_on(trainees=0)
    services.sponsor_invite(
        session=session, name="Anne Lambert", email="Anne.Lambert@exemple.fr", by=trainer
    )

    def sponsor(when):  # the trainer's own questionnaire goes too: leave it aside
        return [a for a in run(time_machine, when) if a != trainer.email]

    assert sponsor(at("2026-03-11", 10, 5)) == ["anne.lambert@exemple.fr"]
    assert sponsor(at("2026-03-11", 10, 10)) == []
    assert sponsor(at("2026-03-14", 8, 59)) == []
    assert sponsor(at("2026-03-14", 9, 0)) == ["anne.lambert@exemple.fr"]  # J+3
    invitation = SurveyInvitation.objects.get(email="anne.lambert@exemple.fr")
    assert invitation.recipient is None and invitation.created_by == trainer
    services.response_submit(invitation=invitation, answers=full_answers(invitation.questionnaire))
    assert sponsor(at("2026-03-18", 9, 0)) == []  # answered: no J+7 reminder


def test_nobody_is_mailed_about_sessions_older_than_the_window_or_cancelled(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    old, _t, _p = session_on()
    cancelled, _t2, _p2 = session_on(
        [datetime.date(2026, 3, 23), datetime.date(2026, 3, 24)], trainees=2
    )
    TrainingSession.objects.filter(pk=cancelled.pk).update(status=TrainingSession.Status.CANCELLED)
    # The sender starts running 20 days after the first session ended (window: 14 days).
    assert run(time_machine, at("2026-03-30", 9, 0)) == []
    assert SurveyInvitation.objects.count() == 0


def test_a_trainee_removed_or_erased_gets_no_reminder(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, trainer, (kept, removed, erased) = session_on()
    run(time_machine, at("2026-03-10", 17, 0))
    Enrolment.objects.filter(session=session, trainee=removed).update(
        status=Enrolment.Status.CANCELLED
    )
    from training.privacy.services import user_anonymise

    user_anonymise(user=erased, by=None)
    assert run(time_machine, at("2026-03-13", 9, 0)) == emails([kept, trainer])


def test_due_selectors_are_pure_and_the_run_agrees_with_them(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session, trainer, people = session_on(trainees=2)
    when = at("2026-03-10", 17, 0)
    due = selectors.survey_invitations_due(now=when)
    assert {(d.questionnaire.kind, d.recipient) for d in due} == {
        ("chaud", people[0]),
        ("chaud", people[1]),
        ("formateur", trainer),
    }
    assert SurveyInvitation.objects.count() == 0  # reading changes nothing
    report = services.survey_sends_run(now=when)
    assert (report.invitations, report.reminders, report.failed) == (3, 0, 0)
    assert selectors.survey_invitations_due(now=when) == []
    assert selectors.survey_reminders_due(now=at("2026-03-13", 9)) != []
    assert selectors.survey_reminders_due(now=at("2026-03-13", 8, 59)) == []


def test_a_trainee_who_answered_from_the_dashboard_before_the_end_gets_no_email(time_machine):
    time_machine.move_to(at("2026-03-10", 14), tick=False)
    session, _trainer, (early, late) = session_on(trainees=2)
    pending = selectors.pending_for_user(user=early, now=at("2026-03-10", 14))
    assert [(p.questionnaire.kind, p.session) for p in pending] == [("chaud", session)]
    invitation = services.invitation_open(
        user=early, questionnaire=pending[0].questionnaire, session=session
    )
    services.response_submit(invitation=invitation, answers=full_answers(invitation.questionnaire))
    sent = run(time_machine, at("2026-03-10", 17, 0))
    assert early.email not in sent and late.email in sent


def test_a_failing_mail_server_is_recorded_and_never_retried_into_a_double_send(
    time_machine, settings
):
    time_machine.move_to(at("2026-03-01"), tick=False)
    session_on(trainees=1)
    settings.EMAIL_BACKEND = "tests.surveys.failing_backend.EmailBackend"
    report = services.survey_sends_run(now=at("2026-03-10", 17))
    assert report.failed == 2 and report.invitations == 0
    assert set(SurveyMessage.objects.values_list("status", flat=True)) == {"echec"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(time_machine, at("2026-03-10", 17, 5)) == []


def test_the_command_sends_what_is_due_and_its_dry_run_sends_nothing(time_machine, capsys):
    time_machine.move_to(at("2026-03-01"), tick=False)
    _session, _trainer, people = session_on(trainees=2)
    mail.outbox.clear()
    call_command("send_survey_emails", "--dry-run", "--at", "2026-03-10T17:00")
    assert "3 invitations" in capsys.readouterr().out
    assert mail.outbox == []
    call_command("send_survey_emails", "--at", "2026-03-10T17:00")
    assert len(mail.outbox) == 3
    call_command("send_survey_emails", "--at", "2026-03-10T17:01")
    assert len(mail.outbox) == 3


def test_an_unknown_user_is_not_invited_twice_when_enrolled_in_two_sessions(time_machine):
    time_machine.move_to(at("2026-03-01"), tick=False)
    person = UserFactory(role="Stagiaire")
    first, _t, _p = session_on(trainees=0)
    second, _t2, _p2 = session_on(
        [datetime.date(2026, 3, 9), datetime.date(2026, 3, 10)], trainees=0
    )
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(session=first, trainee=person)
    EnrolmentFactory(session=second, trainee=person)
    sent = run(time_machine, at("2026-03-10", 17, 0))
    assert sent.count(person.email) == 2  # one per session, each once
    assert run(time_machine, at("2026-03-10", 17, 1)) == []


def test_the_task_worker_sends_them_every_quarter_of_an_hour_without_cron(time_machine, run_tasks):
    """The worker's scheduler enqueues the sending once per quarter of an hour."""
    from django.utils import timezone

    from training.background.scheduler import scheduler_tick

    time_machine.move_to(at("2026-03-01"), tick=False)
    session, trainer, people = session_on()
    time_machine.move_to(at("2026-03-10", 17, 2), tick=False)
    assert "surveys.send" in scheduler_tick(worker="test", started_at=timezone.now())
    run_tasks()
    assert sorted(a for m in mail.outbox for a in m.to) == emails([*people, trainer])
    # Same quarter of an hour: not again; the next quarter: enqueued again (nothing is due).
    time_machine.move_to(at("2026-03-10", 17, 10), tick=False)
    assert "surveys.send" not in scheduler_tick(worker="test", started_at=timezone.now())
    time_machine.move_to(at("2026-03-10", 17, 16), tick=False)
    assert "surveys.send" in scheduler_tick(worker="test", started_at=timezone.now())


def test_an_employer_invitation_is_sent_by_the_worker_at_once(
    time_machine, run_tasks, django_capture_on_commit_callbacks
):
    time_machine.move_to(at("2026-03-11", 10), tick=False)
    session, trainer, _people = session_on(trainees=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.sponsor_invite(
            session=session, name="Anne Lambert", email="anne.lambert@exemple.fr", by=trainer
        )
    assert mail.outbox == []  # not in the request
    run_tasks()
    assert "anne.lambert@exemple.fr" in [a for m in mail.outbox for a in m.to]
