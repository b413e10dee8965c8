"""Send the questionnaire invitations and reminders that are due (« à chaud », « à froid »,
trainers', employers'), each exactly once.

Run it every few minutes (cron or a systemd timer) until the task worker's periodic tick
calls ``training.surveys.services.survey_sends_run`` itself. Safe to run from several
places at once: each message is claimed in the database before it goes.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from training.surveys import selectors, services


class Command(BaseCommand):
    help = "Send the survey invitations and reminders due now (each once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due, send nothing."
        )
        parser.add_argument(
            "--at",
            help="Act as if it were this date and time (ISO 8601, e.g. 2026-03-12T09:00), "
            "to check a schedule.",
        )

    def handle(self, *args, dry_run=False, at=None, **options):
        now = timezone.now()
        if at:
            try:
                now = datetime.datetime.fromisoformat(at)
            except ValueError as exc:
                raise CommandError(f"--at: not an ISO date and time: {at!r}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        if dry_run:
            invitations = selectors.survey_invitations_due(now=now)
            reminders = selectors.survey_reminders_due(now=now)
            for due in invitations:
                who = due.recipient.email if due.recipient else due.invitation.email
                self.stdout.write(f"invitation {due.questionnaire.slug} {due.session.code} {who}")
            for due in reminders:
                self.stdout.write(
                    f"reminder {due.number} {due.invitation.questionnaire.slug} "
                    f"{due.invitation.session.code} {due.invitation.address}"
                )
            self.stdout.write(
                f"Dry run: {len(invitations)} invitations and {len(reminders)} reminders due."
            )
            return
        report = services.survey_sends_run(now=now)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.invitations} invitations and {report.reminders} reminders sent, "
                f"{report.failed} failed, {report.skipped} skipped."
            )
        )
        if report.failed:
            raise CommandError(f"{report.failed} emails could not be sent (see the log).")
