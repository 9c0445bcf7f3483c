"""Host names to addresses, once per request, through a resolver the caller may replace.

The fetcher resolves a host once, checks every address it gets and connects to one of those
checked addresses itself, so a name that answers differently the second time (DNS rebinding)
can never steer the connection. Tests pass their own resolver so that any name can point
anywhere without a DNS server.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

from synoptic.fetch.addresses import IPAddress

#: A resolver: ``(host, port) -> addresses`` (raises ``OSError`` when the name is unknown).
Resolver = Callable[[str, int], Sequence[IPAddress]]


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host`` with the system's resolver (``getaddrinfo``), in its order."""
    found: list[IPAddress] = []
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal (``127.0.0.1``, ``[::1]``) names."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
