"""Background work of personal data: applying the retention periods (daily, enqueued by the
worker's scheduler; see settings.TASKS_PERIODIC). ``manage.py purge_expired`` runs the same
function by hand, with ``--dry-run`` to preview."""

from core.tasks import task


@task()
def purge_expired() -> dict:
    from training.privacy.retention import purge_expired as purge

    return purge(dry_run=False)
