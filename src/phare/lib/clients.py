"""Who is asking: the client's address, believing ``X-Forwarded-For`` only from our own proxies.

Behind a reverse proxy every request comes from the proxy's address; the proxy adds the real
client at the right end of ``X-Forwarded-For``. Anyone can send that header, so it is read only
when the request comes from an address of ``PHARE_TRUSTED_PROXIES``, and only its right-most
address that is not itself one of them is taken (those further left were written by the client).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

UNKNOWN = "unknown"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request comes straight from one of ``PHARE_TRUSTED_PROXIES``."""
    networks = _networks(tuple(settings.PHARE_TRUSTED_PROXIES))
    return _trusted(_address(request.META.get("REMOTE_ADDR") or ""), networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or behind a trusted proxy the right-most
    ``X-Forwarded-For`` address that is not a trusted proxy. Never raises; ``"unknown"`` when
    there is no usable address."""
    networks = _networks(tuple(settings.PHARE_TRUSTED_PROXIES))
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return UNKNOWN
    if not _trusted(peer, networks):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for item in reversed(forwarded.split(",")):
        address = _address(item)
        if address is None:
            # Garbage the proxy passed on: what lies further left cannot be believed either.
            break
        if not _trusted(address, networks):
            return str(address)
    return str(peer)


def client_ip(request: HttpRequest) -> str | None:
    """:func:`client_address` for what stores an IP address (django-axes' records): ``None``
    rather than ``"unknown"``, which PostgreSQL's ``inet`` refuses."""
    address = client_address(request)
    return None if address == UNKNOWN else address


class ForwardedProtoMiddleware:
    """Drops ``X-Forwarded-Proto`` unless a trusted proxy sent it, so that
    ``SECURE_PROXY_SSL_HEADER`` cannot be forged by a client reaching Phare directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_X_FORWARDED_PROTO" in request.META and not trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
