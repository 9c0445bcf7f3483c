"""Which network addresses the fetcher may connect to.

Everything that is not plainly a public Internet address is refused: loopback, private,
link-local, carrier-grade NAT, multicast, reserved, unspecified and documentation ranges,
the cloud metadata endpoints, and IPv6 forms that carry such an IPv4 address inside them
(IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``, Teredo). A user
may open exactly the networks they name (``--allow-network CIDR``) for an intranet feed;
nothing read from an input can widen that list, and the metadata endpoints stay closed.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass

from synoptic.errors import UsageError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The environment variable holding comma-separated networks to allow.
ALLOW_ENV = "SYNOPTIC_ALLOW_NETWORKS"

# Instance-metadata services of the big clouds: a fetch that reaches one can leak the machine's
# credentials, so they are refused even inside an allowed network.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """The networks a fetch may reach besides the public Internet.

    Attributes:
        allowed: Networks the user opened, exactly as given.
    """

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_strings(cls, cidrs: Iterable[str]) -> AddressPolicy:
        """Build the policy from CIDR strings (``10.1.0.0/16``, ``127.0.0.1``).

        Raises:
            UsageError: ``E102``-style ``E420`` for a value that is not a network, or one with
                host bits set (``10.0.0.5/8`` would silently mean ``10.0.0.0/8``).
        """
        nets: list[IPNetwork] = []
        for raw in cidrs:
            text = raw.strip()
            if not text:
                continue
            try:
                nets.append(ipaddress.ip_network(text, strict=True))
            except ValueError as exc:
                raise UsageError("E420", value=text, reason=str(exc)) from exc
        return cls(tuple(nets))

    @classmethod
    def from_env(cls, extra: Iterable[str] = ()) -> AddressPolicy:
        """The policy of ``extra`` networks plus those in ``SYNOPTIC_ALLOW_NETWORKS``."""
        env = os.environ.get(ALLOW_ENV, "")
        return cls.from_strings([*extra, *env.split(",")])

    def refusal(self, address: IPAddress) -> str | None:
        """Say why ``address`` may not be reached (``"loopback"``...), or ``None`` if it may."""
        for candidate in _forms(address):
            if candidate in _METADATA:
                return "cloud metadata"
        if any(_inside(form, net) for form in _forms(address) for net in self.allowed):
            return None
        for candidate in _forms(address):
            kind = _kind(candidate)
            if kind:
                return kind
        return None


def _inside(address: IPAddress, net: IPNetwork) -> bool:
    return address.version == net.version and address in net


def _forms(address: IPAddress) -> list[IPAddress]:
    """The address and every IPv4 address an IPv6 form of it carries."""
    forms: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            forms.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            forms.append(address.sixtofour)
        if address.teredo is not None:
            forms.extend(address.teredo)
        if address in _NAT64:
            forms.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return forms


def _kind(address: IPAddress) -> str | None:
    """Name the non-public range ``address`` is in, or ``None`` for a public address."""
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("carrier-grade NAT", address.version == 4 and address in _CGNAT),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
    )
    for name, hit in checks:
        if hit:
            return name
    # Benchmarking, documentation and other special-purpose blocks are not global either.
    return None if address.is_global else "non-public"
