"""Account writes that are not a trainee's enrolment (that one is in training.sessions):
creating an account with its role, and the password-reset throttle."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.throttle import throttle_take
from training.access.roles import ADMINISTRATOR, ROLE_PERMISSIONS
from training.accounts.models import User

logger = logging.getLogger(__name__)

THROTTLE_CACHE = "throttle"
HOUR = 60 * 60


@transaction.atomic
def account_create(*, email: str, role: str, first_name: str, last_name: str) -> User:
    """Create an account in one role, without a password: the person chooses it from the
    invitation link. An administrator also gets staff status, to reach /admin/."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("« %(value)s » is not a valid email address.") % {"value": email}}
        ) from exc
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": _("Unknown role « %(role)s ».") % {"role": role}})
    if not (first_name.strip() and last_name.strip()):
        raise ValidationError({"first_name": _("Give the person's first and last names.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with the address %(email)s already exists.") % {"email": email}}
        )
    user = User.objects.create_user(
        email,
        password=None,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_staff=role == ADMINISTRATOR,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def account_invitation_url(*, user: User, site_url: str) -> str:
    """Return the link where ``user`` chooses a password (valid PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


def password_reset_allowed(*, email: str, ip_address: str | None) -> bool:
    """Count a password-reset request; return whether its email may be sent.

    At most ``PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR`` requests from one client address
    and ``PASSWORD_RESET_EMAILS_PER_HOUR`` emails to one address, each over the last hour.
    The caller answers the same page either way, so the throttle tells nobody whether the
    account exists.
    """
    address_ok = throttle_take(
        scope="password-reset-address",
        key=ip_address or "",
        limit=settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR,
        window=HOUR,
        cache=THROTTLE_CACHE,
    )
    if not address_ok:
        logger.warning("Password reset throttled for the client address %s", ip_address)
        return False
    email_ok = throttle_take(
        scope="password-reset-email",
        key=email.strip().lower(),
        limit=settings.PASSWORD_RESET_EMAILS_PER_HOUR,
        window=HOUR,
        cache=THROTTLE_CACHE,
    )
    if not email_ok:
        logger.warning("Password reset throttled for one email address (from %s)", ip_address)
    return email_ok
