"""E-mail the administrators the legal references that became due for verification.

Each overdue reference is announced once per due date, so this can run as often as wanted
(the task worker's periodic tick, or cron, e.g. every morning). See docs/operations.md.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from training.legalwatch.services import legal_watch_reminders_send


class Command(BaseCommand):
    help = "E-mail administrators the legal references due for verification (once each)."

    def handle(self, *args, **options):
        count = legal_watch_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reference(s) announced to the administrators.")
