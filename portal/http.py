"""Who is asking: the client's address, for rate limits and view counts. (The site's own
public address, for links that leave it, is `portal.addresses`.)

`X-Forwarded-For` is believed only when the request comes from one of `settings.TRUSTED_PROXIES`
(addresses or networks; none by default). Anyone can send the header, so from any other peer it
is ignored. From a trusted proxy, the entries are read from the right (each proxy appends the
address it saw) and the first one that is not itself a trusted proxy is the client."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in configured)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket's peer, or behind trusted proxies the address the
    nearest untrusted hop was seen at. An entry that is not an address ends the walk (nothing
    left of it can be vouched for), and the nearest proxy's address stands in."""
    remote = request.META.get("REMOTE_ADDR", "").strip()
    peer = _parse(remote)
    networks = trusted_networks()
    if peer is None or not _is_trusted(peer, networks):
        return str(peer) if peer else remote
    nearest = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _parse(entry)
        if hop is None:
            break
        if not _is_trusted(hop, networks):
            return str(hop)
        nearest = hop
    return str(nearest)
