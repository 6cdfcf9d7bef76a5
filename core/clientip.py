"""The client's IP address, one answer for the audit trail and the login lockout (django-axes).

Behind nginx every request reaches the app from the proxy, so REMOTE_ADDR is the proxy's address. The proxy
appends the address it saw to X-Forwarded-For; everything to the left of that entry was written by the client
and may be forged. So the header is read only when the peer (REMOTE_ADDR) is a trusted proxy
(settings.PARTYLEAGUE_TRUSTED_PROXIES, addresses or networks), and from the right: entries of trusted proxies
are passed over, and the first address that no trusted proxy owns is the client's."""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_warned_untrusted_peer = False


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PARTYLEAGUE_TRUSTED_PROXIES", ()) or ()))


def parse_address(text: str) -> Address | None:
    """An address as REMOTE_ADDR or an X-Forwarded-For entry gives it, or None when it is not one. An IPv4
    address mapped into IPv6 (::ffff:10.0.0.1) counts as the IPv4 address, so both forms match one proxy."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent `request` (None without a usable peer address)."""
    global _warned_untrusted_peer
    if request is None:
        return None
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not _is_trusted(peer, networks):
        if forwarded and peer.is_loopback and not _warned_untrusted_peer:
            # Most likely a proxy on this host that nobody declared: every client would share its address.
            _warned_untrusted_peer = True
            logger.warning("X-Forwarded-For from %s ignored: that peer is not in PARTYLEAGUE_TRUSTED_PROXIES.", peer)
        return str(peer)
    client = peer
    for entry in reversed(forwarded.split(",")):
        address = parse_address(entry)
        if address is None:
            break  # a malformed entry: nothing left of it was vouched for by a trusted proxy
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
