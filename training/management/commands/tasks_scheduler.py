"""The scheduler of a task worker (started by ``tasks_worker``; rarely run by hand).

Periodic work (closing half-days left open, purging expired data) and the recovery of work
left by a dead worker, without cron: see training/background/scheduler.py.
"""

import os
import signal

from django.core.management.base import BaseCommand

from training.background.scheduler import scheduler_loop, worker_name
from training.background.services import heartbeat_remove


class Command(BaseCommand):
    help = "Run the periodic jobs and recovery of a task worker (started by tasks_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="", help="The worker's name (host:pid).")
        parser.add_argument("--parent", type=int, default=0, help="Stop when this process is gone.")

    def handle(self, *args, name="", parent=0, **options):
        name = name or worker_name()
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stopping.append(True))

        def keep_going() -> bool:
            if stopping:
                return False
            return not parent or os.getppid() == parent

        try:
            scheduler_loop(worker=name, keep_going=keep_going)
        finally:
            heartbeat_remove(name=name)
