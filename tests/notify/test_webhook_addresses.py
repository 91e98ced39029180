"""Webhook addresses on the server itself or a private network are refused (SSRF): when the
channel is saved, and again when it sends, on the addresses the name resolves to then."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.utils import timezone, translation

from duban.notify.channels import check_webhook
from duban.notify.forms import ChannelForm
from duban.notify.models import Channel, ChannelKind, Delivery, DeliveryState
from duban.notify.services import deliver_pending
from tests.support.receivers import Hook

REFUSED = [
    "http://127.0.0.1:8000/robot",
    "http://localhost/robot",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.1.2.3/cgi-bin/webhook/send?key=k",
    "https://192.168.1.20/robot/send?access_token=t",
    "https://[::1]/robot",
    "https://[::ffff:127.0.0.1]/robot",
    "http://0.0.0.0/robot",
    "https://100.64.0.1/robot",
]


@pytest.fixture(autouse=True)
def strict(settings: Any) -> None:
    settings.NOTIFY_ALLOW_PRIVATE = False
    settings.NOTIFY_ALLOWED_NETWORKS = []


def _form(url: str) -> ChannelForm:
    return ChannelForm(
        {"kind": ChannelKind.WECOM, "name": "企业微信群", "url": url, "enabled": "on"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", REFUSED)
def test_a_private_address_is_refused_when_the_channel_is_saved(url: str) -> None:
    with translation.override("zh-hans"):
        form = _form(url)
        assert not form.is_valid()
        [message] = form.errors["url"]
    assert "内网" in message and "DUBAN_NOTIFY_ALLOW_PRIVATE" in message
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_other_schemes_are_refused() -> None:
    with translation.override("zh-hans"):
        form = _form("ftp://8.8.8.8/robot")
        assert not form.is_valid()
    assert "https://" in form.errors["url"][0]


@pytest.mark.django_db
def test_a_public_address_is_saved() -> None:
    form = _form("https://8.8.8.8/cgi-bin/webhook/send?key=k")
    assert form.is_valid(), form.errors
    assert form.save().url.startswith("https://8.8.8.8/")


@pytest.mark.django_db
def test_the_operator_may_allow_a_network_or_every_private_address(settings: Any) -> None:
    settings.NOTIFY_ALLOWED_NETWORKS = ["10.1.2.0/24"]
    assert _form("https://10.1.2.3/robot").is_valid()
    assert not _form("https://10.1.3.3/robot").is_valid()
    settings.NOTIFY_ALLOW_PRIVATE = True
    assert _form("http://127.0.0.1:9/robot").is_valid()


def _resolving_to(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 80)))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.django_db
def test_a_name_that_resolves_to_a_private_address_later_is_refused_when_sending(
    monkeypatch: pytest.MonkeyPatch, webhook: Hook
) -> None:
    """DNS rebinding: public when saved, the server itself when the message goes."""
    port = int(webhook.url.rsplit(":", 1)[1])
    _resolving_to(monkeypatch, "93.184.216.34")
    form = _form(f"http://robot.example.com:{port}/cgi-bin/webhook/send?key=k")
    assert form.is_valid(), form.errors
    channel = form.save()
    delivery = Delivery.objects.create(
        channel=channel, key="unit1:x", title="报送即将截止", next_attempt_at=timezone.now()
    )
    _resolving_to(monkeypatch, "127.0.0.1")

    deliver_pending()

    delivery.refresh_from_db()
    assert webhook.requests == []  # nothing reached the address
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1  # not retried
    assert "refused" in delivery.last_error and "127.0.0.1" in delivery.last_error


@pytest.mark.django_db
def test_an_old_channel_on_a_private_address_sends_nothing(webhook: Hook) -> None:
    """Saved before the rule (or by another way in): refused when it sends."""
    channel = Channel.objects.create(kind=ChannelKind.WECOM, name="旧群", url=f"{webhook.url}/s")
    Delivery.objects.create(
        channel=channel, key="unit1:y", title="报送即将截止", next_attempt_at=timezone.now()
    )

    [delivery] = deliver_pending()

    assert webhook.requests == [] and delivery.state == DeliveryState.FAILED


def test_a_name_that_does_not_resolve_passes_the_save_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unknown(*args: Any, **kwargs: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    check_webhook("https://oapi.dingtalk.com/robot/send?access_token=t")  # no error
