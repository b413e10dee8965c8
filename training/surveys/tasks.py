"""Background work of the questionnaires: sending the invitations and reminders that are due
(every quarter of an hour, enqueued by the worker's scheduler, settings.TASKS_PERIODIC; also
right after an employer is invited). ``manage.py send_survey_emails`` runs the same function by
hand."""

from django.utils import timezone

from core.tasks import task


@task()
def survey_sends() -> dict:
    from training.surveys.services import survey_sends_run

    report = survey_sends_run(now=timezone.now())
    return {"invitations": report.invitations, "reminders": report.reminders}
