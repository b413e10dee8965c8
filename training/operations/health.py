"""The health checks behind ``/sante/``, the load balancer's probe.

A check is a function without arguments that returns when all is well and raises otherwise
(``HealthProblem`` or any exception). ``settings.HEALTH_CHECKS`` lists them by dotted path,
in order; adding a check is one line there. The reason a check failed goes to the log,
never into the public answer.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string

from training.background.health import queue_health

logger = logging.getLogger(__name__)

HealthCheck = Callable[[], None]


class HealthProblem(Exception):
    """A check found the service unable to serve; the message is for the log."""


def database_reachable() -> None:
    """Raise unless the default database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def migrations_applied() -> None:
    """Raise when the code has migrations the database has not run (a deploy half done)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise HealthProblem(f"{len(plan)} migration(s) not applied: {names}")


def media_writable() -> None:
    """Raise unless a file can be written to, read from and deleted in the media storage."""
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f".health/{content.decode()}.txt", ContentFile(content))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != content:
                raise HealthProblem(f"media storage returned other bytes for {name}")
    finally:
        default_storage.delete(name)


def queue_moves() -> None:
    """Raise when the task queue does not move (tasks wait, no worker beats): see
    ``training.background.health.queue_health``."""
    health = queue_health()
    if not health.ok:
        raise HealthProblem(health.problem)


@dataclass(frozen=True)
class HealthResult:
    name: str
    healthy: bool
    milliseconds: float


def health_checks() -> list[tuple[str, HealthCheck]]:
    """Return the configured checks as (name, function), in the order of the setting."""
    return [(path.rsplit(".", 1)[-1], import_string(path)) for path in settings.HEALTH_CHECKS]


def health_report() -> list[HealthResult]:
    """Run every check; a check that raises is unhealthy and logged, the others still run."""
    results = []
    for name, check in health_checks():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.warning("Health check %s failed", name, exc_info=True)
            healthy = False
        else:
            healthy = True
        results.append(HealthResult(name, healthy, (time.perf_counter() - started) * 1000))
    return results
