"""Error reporting to Sentry (or a compatible service), only when ``SENTRY_DSN`` is set.

Personal data stays home as far as an error report allows: no user, address or cookie
(``send_default_pii=False``), no request body, no local variables of the failing code (they
would hold trainees' names, emails and answers).
"""


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Start the Sentry client for this process with the platform's privacy options."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
    )
