"""Where a request comes from: the client's address, directly or behind a reverse proxy.

Without a proxy (``DUBAN_BEHIND_PROXY`` off, the default) the client is ``REMOTE_ADDR`` and any
``X-Forwarded-For`` header is ignored: a browser could write anything there.

Behind a proxy (nginx in docs/deploy.md) ``REMOTE_ADDR`` is the proxy's. The proxy appends the
address it saw to ``X-Forwarded-For``, so the header is read from the right: the right-most hop
that is not one of ``DUBAN_TRUSTED_PROXIES`` (a second proxy or load balancer in front of nginx)
is the client. What lies to its left was written by the client itself and is never believed.

The audit trail (``duban.audit.context``), the sign-in lockout and the log lines all ask
``client_address``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # django.http loads the ORM: the log filter (duban.core.logs) stays light
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(hop: str) -> Address | None:
    hop = hop.strip().strip('"')
    if hop.startswith("[") and "]" in hop:  # [2001:db8::1]:443
        hop = hop[1 : hop.index("]")]
    elif hop.count(":") == 1:  # 203.0.113.7:51234
        hop = hop.split(":", 1)[0]
    try:
        return ipaddress.ip_address(hop)
    except ValueError:
        return None


def forwarded_client(forwarded_for: str, trusted: Iterable[Network] = ()) -> str | None:
    """The client in an ``X-Forwarded-For`` value: the right-most hop outside ``trusted``.
    A hop that is not an address ends the walk (whatever lies further left is the client's
    own writing): the last trusted hop seen is then the best answer, if any."""
    networks = tuple(trusted)
    last_trusted: str | None = None
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return last_trusted
        if not any(address in network for network in networks):
            return str(address)
        last_trusted = str(address)
    return last_trusted


def client_address(request: HttpRequest) -> str | None:
    """The address of the person's machine (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded.strip():
        return remote
    return forwarded_client(forwarded, trusted_networks()) or remote
