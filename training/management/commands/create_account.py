"""Create an account for a named person in one role, from the server's command line.

This is how an operator creates the first administrator of a new installation (and, if they
like, trainers): the person receives the invitation email and chooses a password from its
link; the link is also printed here, for a first start before the mail server is set up.
Trainees are normally enrolled by their trainer, which creates their account.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from training.access.roles import ADMINISTRATOR, TRAINEE, TRAINER
from training.accounts.services import account_create, account_invitation_url
from training.sessions.emails import invitations_queue

ROLES = {"administrator": ADMINISTRATOR, "trainer": TRAINER, "trainee": TRAINEE}


class Command(BaseCommand):
    help = "Create an account in a role and send its invitation (a link to choose a password)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args, email, role, first_name, last_name, **options):
        try:
            with transaction.atomic():
                user = account_create(
                    email=email, role=ROLES[role], first_name=first_name, last_name=last_name
                )
                invitations_queue(user_ids=[user.pk])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        url = account_invitation_url(user=user, site_url=settings.SITE_URL)
        self.stdout.write(
            self.style.SUCCESS(f"Account created: {user.email} ({ROLES[role]}).")
            + "\nInvitation email queued: the task worker sends it."
        )
        self.stdout.write(f"Link to choose the password: {url}")
