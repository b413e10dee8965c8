"""Send the convocations (and invitations) that large CSV imports left to a scheduled task.

An import of more than ``IMPORT_EMAILS_INLINE_MAX`` trainees does not send its emails in the
request (thousands of emails would outlast any request timeout). Run this every few minutes
(cron or systemd timer); it sends only what was never sent, for sessions not yet over.
"""

from django.core.management.base import BaseCommand

from training.sessions.emails import convocations_send_pending


class Command(BaseCommand):
    help = "Send the convocations never sent (and the invitations of unused new accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=100, help="Emails marked sent after each batch."
        )

    def handle(self, *args, batch_size=100, **options):
        convocations, invitations = convocations_send_pending(batch_size=max(batch_size, 1))
        self.stdout.write(
            self.style.SUCCESS(f"{convocations} convocation(s), {invitations} invitation(s) sent.")
        )
