"""The worker's scheduler: periodic work and recovery, without cron.

``manage.py tasks_worker`` starts this loop in a process of its own next to the worker (so the
worker stays single-threaded and may fork its PDF printers). Every ``TASKS_TICK_SECONDS`` it

1. writes the worker's heartbeat (read by ``queue_health``);
2. runs the recovery functions of ``settings.TASKS_RECOVERY`` (work whose worker died:
   bundles without progress are queued again, interrupted sends are marked failed, emails
   whose task was lost are handed over again);
3. enqueues each job of ``settings.TASKS_PERIODIC`` once per period (quarter of an hour,
   hour, or day from a given hour, Europe/Paris). The period is claimed by inserting a ``PeriodicRun`` row, unique
   on (job, period): with several workers on several hosts, exactly one enqueues it, and a
   worker that was down catches up on its next tick.

Jobs are named by dotted path in the settings (the site's layer), so this shared package
imports no feature.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from training.background.services import heartbeat_record, periodic_claim, periodic_runs_prune

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a task (core.tasks.task)
    every: str  # "quarter" (of an hour), "hour" or "day"
    at_hour: int = 0  # daily jobs: from this local hour on

    def period(self, now: datetime.datetime) -> str | None:
        """The key of the period ``now`` falls in, or None when the job is not due yet."""
        local = timezone.localtime(now)
        if self.every == "quarter":
            return local.strftime("%Y-%m-%dT%H:") + f"{local.minute // 15 * 15:02d}"
        if self.every == "hour":
            return local.strftime("%Y-%m-%dT%H")
        if self.every == "day":
            return local.strftime("%Y-%m-%d") if local.hour >= self.at_hour else None
        raise ValueError(f"Unknown period {self.every!r} for {self.name}")


def periodic_jobs() -> list[Periodic]:
    return [Periodic(**job) for job in settings.TASKS_PERIODIC]


def worker_name(pid: int | None = None) -> str:
    return f"{socket.gethostname()}:{pid or os.getpid()}"


def scheduler_tick(
    *, worker: str, started_at: datetime.datetime, now: datetime.datetime | None = None
) -> list[str]:
    """One pass of the scheduler; returns the names of the periodic jobs it enqueued."""
    now = now or timezone.now()
    heartbeat_record(name=worker, backend=settings.TASKS_BACKEND, started_at=started_at, now=now)
    for path in settings.TASKS_RECOVERY:
        try:
            count = import_string(path)(now=now)
        except Exception:  # a failing recovery must not stop the others nor the schedule
            logger.exception("Recovery %s failed", path)
        else:
            if count:
                logger.warning("Recovery %s: %s item(s)", path, count)
    enqueued = []
    for job in periodic_jobs():
        period = job.period(now)
        if period is None or not periodic_claim(name=job.name, period=period, worker=worker):
            continue
        try:
            import_string(job.task).enqueue()
        except Exception:
            logger.exception("Could not enqueue the periodic job %s", job.name)
        else:
            enqueued.append(job.name)
    if periodic_claim(name="scheduler.prune", period=timezone.localdate(now).isoformat()):
        periodic_runs_prune()
    return enqueued


def scheduler_loop(
    *, worker: str, keep_going: Callable[[], bool], tick_seconds: float | None = None
) -> None:
    """Tick until ``keep_going()`` turns false (the worker it belongs to has stopped)."""
    started_at = timezone.now()
    tick_seconds = tick_seconds or settings.TASKS_TICK_SECONDS
    while keep_going():
        close_old_connections()
        try:
            scheduler_tick(worker=worker, started_at=started_at)
        except Exception:  # the database may be restarting: try again next tick
            logger.exception("Scheduler tick failed")
        close_old_connections()
        deadline = time.monotonic() + tick_seconds
        while keep_going() and time.monotonic() < deadline:
            time.sleep(min(0.5, tick_seconds))
