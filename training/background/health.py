"""Is the task queue moving? ``queue_health()`` answers for the health endpoint
(``training/operations/``) and the administrators' page of failed tasks.

The queue « does not move » when its oldest task ready to run has waited more than
``TASKS_STUCK_MINUTES`` (no worker, or every worker stuck). The answer also says when no
worker gave a heartbeat recently, which explains the first case.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils import timezone

from training.background.models import TaskFailure, WorkerHeartbeat

# A worker's scheduler writes its heartbeat every TASKS_TICK_SECONDS; missing three is « gone ».
HEARTBEAT_MISSED = 3


@dataclass
class QueueHealth:
    ok: bool
    backend: str
    ready: int  # tasks ready to run now
    oldest_ready_seconds: float | None  # how long the oldest of them has waited
    workers: list[str] = field(default_factory=list)  # names with a recent heartbeat
    last_heartbeat_seconds: float | None = None
    failures_24h: int = 0
    problem: str = ""  # empty when ok

    @property
    def oldest_ready_minutes(self) -> int:
        return round((self.oldest_ready_seconds or 0) / 60)

    def as_dict(self) -> dict:
        return asdict(self)


def _ready_database(now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().filter(backend_name="default")
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    if oldest is None:
        return 0, None
    enqueued_at, run_after = oldest
    # A deferred task (run_after) is waiting since it became due, not since it was queued.
    since = max(enqueued_at, run_after) if run_after and run_after.year < 9999 else enqueued_at
    return ready.count(), since


def _ready_rq(now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    import django_rq
    from rq.registry import ScheduledJobRegistry

    queue = django_rq.get_queue("default")
    count = queue.count
    oldest = None
    first = queue.get_job_ids(0, 1)
    if first:
        job = queue.fetch_job(first[0])
        if job is not None and job.enqueued_at is not None:
            oldest = job.enqueued_at.replace(tzinfo=datetime.UTC)
    # Deferred jobs that are due but were not moved to the queue (no scheduler running).
    registry = ScheduledJobRegistry(queue=queue)
    due = registry.get_jobs_to_schedule(int(now.timestamp()))
    for job_id in due[:1]:
        scheduled = registry.get_scheduled_time(job_id)
        if scheduled is not None:
            scheduled = scheduled.replace(tzinfo=scheduled.tzinfo or datetime.UTC)
            oldest = scheduled if oldest is None else min(oldest, scheduled)
    return count + len(due), oldest


def queue_health(*, now: datetime.datetime | None = None) -> QueueHealth:
    """Report whether the queue moves; never raises for a queue that cannot be reached."""
    now = now or timezone.now()
    stuck_after = datetime.timedelta(minutes=settings.TASKS_STUCK_MINUTES)
    backend = settings.TASKS_BACKEND
    try:
        ready, since = (_ready_rq if backend == "rq" else _ready_database)(now)
    except Exception as exc:  # noqa: BLE001 - the health check reports, it does not crash
        return QueueHealth(
            ok=False,
            backend=backend,
            ready=0,
            oldest_ready_seconds=None,
            problem=f"queue unreachable: {type(exc).__name__}: {exc}",
        )
    recent = now - datetime.timedelta(seconds=settings.TASKS_TICK_SECONDS * HEARTBEAT_MISSED)
    beats = list(WorkerHeartbeat.objects.order_by("-seen_at").values_list("name", "seen_at"))
    workers = [name for name, seen_at in beats if seen_at >= recent]
    last = (now - beats[0][1]).total_seconds() if beats else None
    waited = (now - since).total_seconds() if since is not None else None
    problem = ""
    if waited is not None and waited > stuck_after.total_seconds():
        problem = f"the oldest ready task has waited {round(waited / 60)} min" + (
            "" if workers else "; no worker heartbeat"
        )
    return QueueHealth(
        ok=not problem,
        backend=backend,
        ready=ready,
        oldest_ready_seconds=round(waited, 1) if waited is not None else None,
        workers=workers,
        last_heartbeat_seconds=round(last, 1) if last is not None else None,
        failures_24h=TaskFailure.objects.filter(
            failed_at__gte=now - datetime.timedelta(hours=24)
        ).count(),
        problem=problem,
    )
