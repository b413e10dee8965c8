"""Background work of attendance: closing the half-days left open after their day (hourly,
enqueued by the worker's scheduler; see settings.TASKS_PERIODIC)."""

from core.tasks import task


@task()
def slots_close_overdue() -> int:
    from training.attendance.services import slots_close_overdue as close

    return close()
