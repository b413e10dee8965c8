"""Deployment checks (``manage.py check --deploy``): settings that run but hurt in production.

Registered by TrainingConfig.ready(); docs/operations.md runs ``check --deploy --fail-level
WARNING`` before every start, so each warning here stops a deployment that would send
emails with dead links, lock out a whole office, or lose its errors.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """SITE_URL makes every link of an email or calendar: https and the real host name."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.hostname:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: emailed links (invitations, password "
                "resets, convocations) and calendars need the site's public https address.",
                hint="Set SITE_URL=https://formation.example.org (the name users type).",
                id="operations.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def error_reporting_check(app_configs, **kwargs):
    """A server error must reach someone: ADMINS by email, or Sentry."""
    if not settings.ADMINS and not settings.SENTRY_DSN:
        return [
            Warning(
                "Nobody is told about server errors: neither DJANGO_ADMINS nor SENTRY_DSN is set.",
                hint='Set DJANGO_ADMINS="Nom <exploitation@example.org>" (and EMAIL_HOST), '
                "or SENTRY_DSN.",
                id="operations.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def proxy_count_check(app_configs, **kwargs):
    """Behind the reverse proxy every request comes from it: the lockout needs the count."""
    if settings.AXES_IPWARE_PROXY_COUNT < 1:
        return [
            Warning(
                "AXES_PROXY_COUNT is 0: behind nginx every login comes from the proxy's "
                "address, so five wrong passwords would lock that account for everyone.",
                hint="Set AXES_PROXY_COUNT=1 behind one reverse proxy (deploy/nginx), 2 behind "
                "a load balancer and nginx.",
                id="operations.W003",
            )
        ]
    return []
