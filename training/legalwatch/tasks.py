"""Background work of the legal watch: the daily reminder to administrators of the references
due for verification (enqueued by the worker's scheduler, settings.TASKS_PERIODIC;
``manage.py legal_watch_remind`` runs the same function by hand)."""

from django.utils import timezone

from core.tasks import task


@task()
def legal_watch_remind() -> int:
    from training.legalwatch.services import legal_watch_reminders_send

    return legal_watch_reminders_send(now=timezone.now())
