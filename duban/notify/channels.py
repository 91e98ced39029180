"""Sending one message through one channel: email, DingTalk or WeCom group robot.

Each sender raises ``SendError`` with a readable reason when the message did not go; the
caller (services.attempt) records it and retries later. Nothing here touches the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class SendError(Exception):
    pass


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str = ""  # an absolute address when DUBAN_SITE_URL is set, else a path


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook address with ``timestamp`` and ``sign`` appended (DingTalk's 加签)."""
    if not secret:
        return url
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def _markdown(message: Message) -> str:
    lines = [f"### {message.title}", "", message.body]
    if message.link:
        lines += ["", f"[{message.link}]({message.link})"]
    return "\n".join(lines)


def dingtalk_payload(message: Message) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": _markdown(message)}}


def wecom_payload(message: Message) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": _markdown(message)}}


def post_json(url: str, payload: dict[str, Any]) -> None:
    """POST the payload; both robots answer HTTP 200 with ``errcode`` 0 when they accept it."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SendError(f"not an http(s) address: {url[:40]}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SendError(f"connection failed: {reason}") from None
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise SendError(f"unreadable answer: {raw[:100]!r}") from None
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def send_dingtalk(url: str, secret: str, message: Message) -> None:
    post_json(signed_url(url, secret), dingtalk_payload(message))


def send_wecom(url: str, message: Message) -> None:
    post_json(url, wecom_payload(message))


def send_email(address: str, message: Message) -> None:
    """One plain-text email through the SMTP server of DUBAN_SMTP_*."""
    body = message.body + (f"\n\n{message.link}" if message.link else "")
    try:
        connection = get_connection(timeout=settings.NOTIFY_TIMEOUT_SECONDS)
        sent = EmailMessage(
            subject=message.title, body=body, to=[address], connection=connection
        ).send()
    except (OSError, Exception) as exc:  # smtplib errors are OSError subclasses or not
        raise SendError(f"{type(exc).__name__}: {exc}") from None
    if not sent:
        raise SendError("the mail server accepted nothing")
