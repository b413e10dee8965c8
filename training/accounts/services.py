"""Writes for accounts: the password-reset throttle (the rest is Django's own views)."""

from __future__ import annotations

import logging

from django.conf import settings

from core.throttle import throttle_take

logger = logging.getLogger(__name__)

THROTTLE_CACHE = "throttle"
HOUR = 60 * 60


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
