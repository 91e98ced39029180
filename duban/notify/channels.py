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
import http.client
import ipaddress
import json
import smtplib
import socket
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
    """A message that did not go. ``unreachable``: the server never answered (refused, timed
    out, unknown): the run tries nothing else through it. ``permanent``: retrying cannot help
    (an address duban refuses to reach)."""

    def __init__(self, message: str, *, unreachable: bool = False, permanent: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
        self.permanent = permanent


# --- Where a webhook may point ----------------------------------------------------------------
# A webhook address is typed in by an administrator: pointing it at the server itself, the
# cloud's metadata address (169.254.169.254) or the office's intranet would make duban a tool
# for reaching what the administrator cannot (SSRF). Robots live on the Internet, so addresses
# that are not global are refused unless DUBAN_NOTIFY_ALLOW_PRIVATE or listed in
# DUBAN_NOTIFY_ALLOWED_NETWORKS: when the channel is saved, and again when a message is sent,
# on the addresses the name resolves to then, connecting only to an address so checked.


class UnsafeAddress(SendError):
    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"refused: {host} is a private address ({address})", permanent=True)
        self.host = host
        self.address = address


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if settings.NOTIFY_ALLOW_PRIVATE:
        return True
    if any(address in ipaddress.ip_network(net) for net in settings.NOTIFY_ALLOWED_NETWORKS):
        return True
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[tuple[Any, ...]]:
    """The addresses ``host`` resolves to (getaddrinfo), every one of them checked: a name that
    resolves to one public and one private address is refused (DNS rebinding)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        infos: list[tuple[socket.AddressFamily, str]] = [(family, str(literal))]
    else:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        infos = [(family, str(sockaddr[0])) for family, _, _, _, sockaddr in found]
    checked = []
    for family, text in infos:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not _allowed(address):
            raise UnsafeAddress(host, str(address))
        checked.append((family, text))
    return checked


def check_webhook(url: str) -> None:
    """UnsafeAddress when the address's host is (or resolves to) a refused address; a name
    that does not resolve now passes (it is checked again when a message is sent)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return
    try:
        resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError):
        return


def _vetted_connection(
    address: tuple[str, int], timeout: Any = None, source_address: Any = None
) -> socket.socket:
    """``socket.create_connection`` to a checked address of the host, never another."""
    host, port = address
    error: OSError | None = None
    for family, text in resolve(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect((text, port))
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"no address for {host}")


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection  # TLS still checks the host's name


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Robots answer, they do not redirect: a redirect could lead past the address check."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# Direct connections only: no HTTP(S)_PROXY from the environment, no redirects.
_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _HTTPHandler(), _HTTPSHandler(), _NoRedirect()
)


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
        with _OPENER.open(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code} {exc.reason}") from None
    except UnsafeAddress:
        raise
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, UnsafeAddress):
            raise reason from None
        raise SendError(f"connection failed: {reason}", unreachable=True) from None
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
        # The server never answered (refused, timed out, hung up): not this message's fault.
        answered = isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
        unreachable = isinstance(exc, OSError) and not answered
        raise SendError(f"{type(exc).__name__}: {exc}", unreachable=unreachable) from None
    if not sent:
        raise SendError("the mail server accepted nothing")
