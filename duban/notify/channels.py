"""Sending one message through one channel: email, DingTalk or WeCom group robot.

A message lists what one person or one unit was told in one run (``Line``: title, body and
link of each item). Robots get markdown, cut to what the robot accepts (WeCom: 4096 bytes,
DingTalk: 20000) with "…and N more" and the link to the notifications; email gets plain text,
every line. Each sender raises ``SendError`` with a readable reason when the message did not go;
the caller (services.attempt) records it and retries later. Nothing here touches the database.
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
from django.utils.translation import gettext as _

# What a robot accepts in one markdown message, in UTF-8 bytes, with a margin for the JSON.
WECOM_LIMIT = 4000
DINGTALK_LIMIT = 19000


class SendError(Exception):
    pass


@dataclass(frozen=True)
class Line:
    """One item of a message."""

    title: str
    body: str = ""
    link: str = ""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str = ""  # an absolute address when DUBAN_SITE_URL is set, else a path
    items: tuple[Line, ...] = ()


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


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _markdown_line(number: int, line: Line) -> str:
    title = f"[{line.title}]({line.link})" if line.link else f"**{line.title}**"
    return f"{number}. {title}" + (f"：{line.body}" if line.body else "")


def _markdown(message: Message, limit: int) -> str:
    """The title, the body, the numbered items that fit in ``limit`` bytes, then how many more
    there are and the link to all of them."""
    head = [f"### {message.title}"] + (["", message.body] if message.body else [])
    tail = [f"[{_('All notifications')}]({message.link})"] if message.link else []
    shown: list[str] = []
    for number, line in enumerate(message.items, 1):
        text = _markdown_line(number, line)
        rest = len(message.items) - number
        more = [_("…and %(count)s more.") % {"count": rest}] if rest else []
        if _size("\n".join([*head, "", *shown, text, *more, "", *tail])) > limit:
            break
        shown.append(text)
    if len(shown) < len(message.items):
        shown.append(_("…and %(count)s more.") % {"count": len(message.items) - len(shown)})
    text = "\n".join([*head, "", *shown, "", *tail]) if shown else "\n".join([*head, "", *tail])
    return text.strip()


def plain_text(message: Message) -> str:
    """An email's text: every item with its link, then the link to all notifications."""
    parts = [message.body] if message.body else []
    for number, line in enumerate(message.items, 1):
        lines = [f"{number}. {line.title}"]
        lines += [f"   {line.body}"] if line.body else []
        lines += [f"   {line.link}"] if line.link else []
        parts.append("\n".join(lines))
    if message.link:
        parts.append(f"{_('All notifications')}: {message.link}")
    return "\n\n".join(parts)


def dingtalk_payload(message: Message) -> dict[str, Any]:
    text = _markdown(message, DINGTALK_LIMIT)
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}


def wecom_payload(message: Message) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": _markdown(message, WECOM_LIMIT)}}


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
    body = plain_text(message)
    try:
        connection = get_connection(timeout=settings.NOTIFY_TIMEOUT_SECONDS)
        sent = EmailMessage(
            subject=message.title, body=body, to=[address], connection=connection
        ).send()
    except (OSError, Exception) as exc:  # smtplib errors are OSError subclasses or not
        raise SendError(f"{type(exc).__name__}: {exc}") from None
    if not sent:
        raise SendError("the mail server accepted nothing")
