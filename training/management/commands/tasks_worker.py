"""Run a task worker: the backend's worker and its scheduler, stopped together.

One command whatever the backend: ``db_worker`` (django-tasks-db) by default, the RQ worker
(django-rq, with RQ's own scheduler for ``run_after``) when ``TASKS_BACKEND=rq``. Next to it, a
child process runs ``tasks_scheduler`` (periodic work, recovery, heartbeat). ``make run``
starts one next to the development server; production runs it as the systemd unit
``deploy/partage-worker.service``. Several may run, on several hosts.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from training.background.scheduler import worker_name


class Command(BaseCommand):
    help = "Run a task worker (database or RQ backend) with its scheduler."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Run the worker alone (tests)."
        )
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Run the tasks ready now, then stop (no scheduler).",
        )

    def handle(self, *args, no_scheduler=False, burst=False, **options):
        import os

        name = worker_name()
        scheduler = None
        if not (no_scheduler or burst):
            manage = Path(settings.BASE_DIR) / "manage.py"
            scheduler = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [sys.executable, str(manage), "tasks_scheduler", "--name", name]
                + ["--parent", str(os.getpid())]
            )
        self.stdout.write(f"Task worker {name} ({settings.TASKS_BACKEND} backend).")
        try:
            if settings.TASKS_BACKEND == "rq":
                rq_args = ["default", "--job-class", "django_tasks_rq.backend.Job"]
                rq_args += ["--burst"] if burst else ["--with-scheduler", "--name", name]
                call_command("rqworker", *rq_args)
            else:
                db_args = ["--no-reload", "--interval", "1", "--worker-id", name[:64]]
                if burst:
                    db_args.append("--batch")
                call_command("db_worker", *db_args)
        finally:
            if scheduler is not None:
                scheduler.terminate()
                try:
                    scheduler.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    scheduler.kill()
