"""Create the demo accounts (and demo sessions) so a newcomer can log in at once.

Refuses to run with DEBUG off unless --force: demo passwords are public.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.demo.services import EXTRA_PASSWORD, EXTRA_TRAINEES, demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo accounts with known passwords (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with known passwords while DEBUG is off. "
                "Use --force if you really mean it."
            )
        accounts = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo accounts (email / password):"))
        for account in accounts:
            self.stdout.write(f"  {account.role:<15} {account.email:<28} {account.password}")
        self.stdout.write(
            f"  + {len(EXTRA_TRAINEES)} more trainees (…@demo.example) / {EXTRA_PASSWORD}"
        )
