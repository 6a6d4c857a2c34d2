"""Local stand-ins for the channels: an SMTP server (aiosmtpd) and the robots' HTTP
endpoints (pytest-httpserver's `httpserver`), with the settings that point at them."""

import socket

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the stand-in SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


@pytest.fixture
def robot_hosts(settings):
    """The stand-in robot server (localhost) is an allowed webhook host."""
    settings.DANGJIAN_WEBHOOK_HOSTS = ["localhost", "127.0.0.1"]
    settings.DANGJIAN_SITE_URL = "https://dj.example.cn"
