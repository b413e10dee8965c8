import socket

import pytest


class Sink:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        import email
        import email.policy

        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
        ]


class SmtpServer:
    """A real SMTP server on a port of its own, started and stopped by the test: until
    ``start()``, nothing listens there (the mail server is « down »)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sink = Sink()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a local port where no server listens yet."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
