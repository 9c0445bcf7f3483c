"""The options of commands that read URLs: opened networks and the contact in the User-Agent.

``--allow-network CIDR`` (repeatable) and ``SYNOPTIC_ALLOW_NETWORKS`` (comma-separated) open
exactly the networks named for intranet feeds; ``--contact`` or ``SYNOPTIC_CONTACT`` names who
runs this Synoptic, sent to the sites it reads. The fetch package (httpx) is imported only when
a command runs, so ``synoptic --help`` stays light.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from synoptic.fetch import FetchSettings

CONTACT_ENV = "SYNOPTIC_CONTACT"

AllowNetworkOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-network",
        metavar="CIDR",
        help="Let URLs reach this private network (repeatable; also $SYNOPTIC_ALLOW_NETWORKS).",
    ),
]
ContactOption = Annotated[
    str | None,
    typer.Option(
        "--contact",
        metavar="URL",
        help="Who runs this Synoptic, sent in the User-Agent (also $SYNOPTIC_CONTACT).",
    ),
]


def fetch_settings(allow: list[str] | None, contact: str | None) -> FetchSettings:
    """Return the fetch settings of a command from its options and the environment.

    Raises:
        UsageError: ``E420`` for a network that is not one.
    """
    from synoptic.fetch import AddressPolicy, FetchSettings

    policy = AddressPolicy.from_env(allow or [])
    contact = contact or os.environ.get(CONTACT_ENV) or None
    return FetchSettings(policy=policy, contact=contact)
