"""Apply the retention periods: delete expired session evidence, anonymise idle accounts.

Meant to run daily (cron or systemd timer); ``--dry-run`` only reports what it would do.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from training.privacy.retention import purge_expired


class Command(BaseCommand):
    help = "Delete evidence past its retention period and anonymise inactive accounts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report without changing.")

    def handle(self, *args, dry_run=False, **options):
        counts = purge_expired(dry_run=dry_run)
        self.stdout.write(
            f"Retention: evidence {settings.RETENTION_EVIDENCE_YEARS} years after the session, "
            f"inactive accounts {settings.RETENTION_INACTIVE_ACCOUNT_MONTHS} months, "
            f"login records {settings.RETENTION_LOGIN_RECORDS_MONTHS} months."
        )
        verb = "would be purged" if dry_run else "purged"
        for kind, count in counts.items():
            self.stdout.write(f"  {kind}: {count} {verb}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS("Done."))
