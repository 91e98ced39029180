"""The client's address behind a reverse proxy: the right-most hop of X-Forwarded-For that is
not a trusted proxy; never the header when duban is not behind one (等保 安全审计: the audit
trail records where each action came from, and no client can write that for itself)."""

from __future__ import annotations

import ipaddress

from django.test import RequestFactory, override_settings

from duban.core.network import client_address, forwarded_client

LB = [ipaddress.ip_network("10.0.0.0/8")]


def test_the_right_most_untrusted_hop_is_the_client() -> None:
    # nginx appended 203.0.113.9, the address it saw; the rest the client wrote itself.
    assert forwarded_client("1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert forwarded_client("203.0.113.9") == "203.0.113.9"
    # A load balancer (trusted) in front of nginx: one more hop from the right.
    assert forwarded_client("1.2.3.4, 203.0.113.9, 10.1.2.3", LB) == "203.0.113.9"
    assert forwarded_client("2001:db8::7, 10.1.2.3", LB) == "2001:db8::7"
    assert forwarded_client("[2001:db8::7]:443, 203.0.113.9:5123") == "203.0.113.9"
    # Garbage where an address should be: whatever lies left of it is not believed.
    assert forwarded_client("203.0.113.9, evil, 10.1.2.3", LB) == "10.1.2.3"
    assert forwarded_client("unknown") is None
    assert forwarded_client("10.1.2.3, 10.9.9.9", LB) == "10.1.2.3"


def test_the_header_counts_only_behind_a_proxy() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    with override_settings(BEHIND_PROXY=False):
        assert client_address(request) == "127.0.0.1"
    with override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=[]):
        assert client_address(request) == "203.0.113.9"
    with override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=["203.0.113.0/24"]):
        assert client_address(request) == "6.6.6.6"
    plain = RequestFactory().get("/", REMOTE_ADDR="192.0.2.5")
    with override_settings(BEHIND_PROXY=True):
        assert client_address(plain) == "192.0.2.5"
