"""`duban remind` with a dead SMTP server or robot: one short timeout per server and run, the
other messages left queued for the retry; it never runs for minutes."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from duban.notify.models import Channel, ChannelKind, Delivery, DeliveryState
from duban.notify.services import deliver_pending

MESSAGES = 6


@pytest.fixture
def silent() -> Iterator[tuple[str, int]]:
    """A server that accepts connections (the kernel completes them) and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield server.getsockname()
    finally:
        server.close()


@pytest.fixture
def refusing() -> tuple[str, int]:
    """An address where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()


def _queue(kind: str, url: str = "") -> list[Delivery]:
    channel = Channel.objects.create(kind=kind, name="通道", url=url)
    users = get_user_model().objects
    deliveries = []
    for number in range(MESSAGES):
        user = users.create_user(f"收件人{number}", email=f"r{number}@example.gov.cn")
        deliveries.append(
            Delivery.objects.create(
                channel=channel,
                key=f"u{user.pk}:test",
                recipient=user,
                title="报送即将截止",
                items=[{"title": "报送即将截止", "body": "", "link": "/notifications/"}],
                next_attempt_at=timezone.now(),
            )
        )
    return deliveries


def _smtp(settings: Any, address: tuple[str, int]) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = address
    settings.EMAIL_USE_TLS = False
    settings.NOTIFY_TIMEOUT_SECONDS = 1


def _states() -> list[tuple[str, int]]:
    return [(d.state, d.attempts) for d in Delivery.objects.order_by("pk")]


@pytest.mark.django_db
def test_remind_with_a_silent_smtp_server_takes_one_timeout(
    settings: Any, silent: tuple[str, int]
) -> None:
    _smtp(settings, silent)
    _queue(ChannelKind.EMAIL)
    out = io.StringIO()

    started = time.monotonic()
    call_command("remind", "--date", "2023-03-28", stdout=out)
    spent = time.monotonic() - started

    assert spent < 5, f"{spent:.1f} s for {MESSAGES} messages"  # one 1-second timeout, not six
    # The first message was tried and waits for its retry; the rest were not tried at all and
    # wait too, their attempts untouched; nothing is lost or marked failed.
    assert _states() == [("pending", 1)] + [("pending", 0)] * (MESSAGES - 1)
    first, *rest = Delivery.objects.order_by("pk")
    assert "timed out" in first.last_error or "Disconnected" in first.last_error
    assert all(d.next_attempt_at > timezone.now() for d in rest)
    assert f"已发送 0 条，待重试 {MESSAGES} 条，失败 0 条" in out.getvalue()


@pytest.mark.django_db
def test_a_refused_smtp_connection_fails_fast_and_keeps_the_rest_queued(
    settings: Any, refusing: tuple[str, int]
) -> None:
    _smtp(settings, refusing)
    _queue(ChannelKind.EMAIL)

    started = time.monotonic()
    deliver_pending()

    assert time.monotonic() - started < 2
    assert _states() == [("pending", 1)] + [("pending", 0)] * (MESSAGES - 1)
    assert "Connection refused" in Delivery.objects.order_by("pk")[0].last_error


@pytest.mark.django_db
def test_the_retry_after_the_server_is_back_sends_everything(
    settings: Any, refusing: tuple[str, int], smtp: Any
) -> None:
    """Left queued means sent later: once the server answers, every message goes."""
    working = (settings.EMAIL_HOST, settings.EMAIL_PORT)
    _smtp(settings, refusing)
    _queue(ChannelKind.EMAIL)
    deliver_pending()

    _smtp(settings, working)
    deliver_pending(now=timezone.now() + timezone.timedelta(minutes=10))

    assert {state for state, _ in _states()} == {DeliveryState.SENT}
    assert len(smtp.messages) == MESSAGES


@pytest.mark.django_db
def test_a_silent_robot_costs_one_timeout_too(settings: Any, silent: tuple[str, int]) -> None:
    settings.NOTIFY_TIMEOUT_SECONDS = 1
    host, port = silent
    _queue(ChannelKind.WECOM, url=f"http://{host}:{port}/cgi-bin/webhook/send?key=k")

    started = time.monotonic()
    deliver_pending()

    assert time.monotonic() - started < 4
    assert _states() == [("pending", 1)] + [("pending", 0)] * (MESSAGES - 1)
