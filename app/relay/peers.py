"""The caller's address: the TCP peer, or `X-Forwarded-For` only when a trusted proxy sent it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientAddresses:
    """Finds the address limits are counted against.

    With no trusted proxies (the default) `X-Forwarded-For` is ignored: anyone can write it.
    From a trusted peer, the header is read from the right, skipping trusted hops, and the
    first untrusted address is the client (what Caddy and nginx append is the last entry).
    """

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self._trusted: tuple[Network, ...] = tuple(parse_network(t) for t in trusted)

    def of(self, peer: str | None, forwarded_for: list[str]) -> str:
        if peer is None:
            return "unknown"
        if not self._is_trusted(peer):
            return peer
        hops = [hop.strip() for line in forwarded_for for hop in line.split(",") if hop.strip()]
        for hop in reversed(hops):
            if _address(hop) is None:
                return peer  # a garbled chain: count the proxy itself, never a made-up name
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else peer

    def _is_trusted(self, address: str) -> bool:
        ip = _address(address)
        return ip is not None and any(ip in net for net in self._trusted)


def parse_network(value: str) -> Network:
    """`10.0.0.5`, `10.0.0.0/8` or `::1`; ValueError for anything else."""
    return ipaddress.ip_network(value.strip(), strict=False)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None
