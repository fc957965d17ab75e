"""The client's address, for the login lockout: behind a trusted proxy, from X-Forwarded-For.

Behind a TLS proxy every request comes from the proxy's address, so keying the lockout on
REMOTE_ADDR would lock everyone out together. X-Forwarded-For is believed only when the
request came from a proxy in TRUSTED_PROXIES: then the client is the right-most address in
the header that is not itself a trusted proxy (each proxy appends what it saw; anything to
the left of that could have been written by the client).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _trusted(remote):
        return remote
    for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header: fall back to who connected
    return remote
