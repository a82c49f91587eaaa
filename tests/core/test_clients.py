"""The client's address: REMOTE_ADDR, or X-Forwarded-For only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from phare.lib.clients import ForwardedProtoMiddleware, client_address

PROXIES = ["127.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"]


def request(remote: str | None = "192.0.2.10", forwarded: str | None = None, **meta):
    req = RequestFactory().get("/", **meta)
    if remote is None:
        del req.META["REMOTE_ADDR"]
    else:
        req.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        req.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return req


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.PHARE_TRUSTED_PROXIES = PROXIES


def test_it_ignores_x_forwarded_for_from_an_untrusted_peer():
    assert client_address(request("192.0.2.10", "203.0.113.5")) == "192.0.2.10"


def test_it_takes_the_right_most_untrusted_address_behind_trusted_proxies():
    # The client wrote "198.51.100.1" itself; our proxies added 203.0.113.5 then 10.1.2.3.
    req = request("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.2.3")
    assert client_address(req) == "203.0.113.5"
    assert client_address(request("10.0.0.2", "2001:db8:1::5, 2a00:1450::1")) == "2a00:1450::1"
    assert client_address(request("2001:db8::1", "203.0.113.9")) == "203.0.113.9"


def test_it_reads_addresses_with_ports_and_mapped_ipv4():
    assert client_address(request("127.0.0.1", "203.0.113.5:51234")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "[2a00:1450::1]:443")) == "2a00:1450::1"
    assert client_address(request("::ffff:127.0.0.1", "203.0.113.5")) == "203.0.113.5"


def test_it_falls_back_to_the_proxy_when_the_header_is_missing_or_all_proxies():
    assert client_address(request("127.0.0.1")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "10.0.0.1, 10.0.0.2")) == "127.0.0.1"


@pytest.mark.parametrize("header", [
    "", ",", "unknown", "not an address, 203.0.113.5x", "203.0.113.5, <script>", " , , ",
    "999.1.1.1", "[::1", "a" * 10_000, "\x00\xff", "203.0.113.5;for=x",
])
def test_it_never_raises_on_malformed_headers(header):
    assert client_address(request("127.0.0.1", header)) == "127.0.0.1"


def test_it_stops_at_garbage_rather_than_believe_what_lies_left_of_it():
    assert client_address(request("127.0.0.1", "203.0.113.5, garbage")) == "127.0.0.1"


def test_it_answers_unknown_without_a_usable_peer_address():
    assert client_address(request(None)) == "unknown"
    assert client_address(request("")) == "unknown"
    assert client_address(request("not-an-ip", "203.0.113.5")) == "unknown"


def test_it_trusts_nothing_without_proxies(settings):
    settings.PHARE_TRUSTED_PROXIES = []
    assert client_address(request("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_x_forwarded_proto_is_dropped_unless_a_trusted_proxy_sent_it():
    seen = []
    middleware = ForwardedProtoMiddleware(
        lambda req: seen.append(req.META.get("HTTP_X_FORWARDED_PROTO")) or HttpResponse())
    middleware(request("192.0.2.10", HTTP_X_FORWARDED_PROTO="https"))
    middleware(request("10.9.9.9", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == [None, "https"]


def test_what_stores_an_address_gets_none_rather_than_unknown(rf):
    from phare.lib.clients import client_ip

    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) is None
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.4")) == "192.0.2.4"
