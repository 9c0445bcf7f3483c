"""Outlets: the registry of who publishes (``registry``) and which outlet an article counts
for (``detect``)."""

from synoptic.outlets.detect import (
    Attribution,
    attribute,
    attribute_all,
    host_of,
    independent_outlets,
    registrable_domain,
)
from synoptic.outlets.registry import Outlet, Registry, builtin, current, load_registry, using

__all__ = [
    "Attribution",
    "Outlet",
    "Registry",
    "attribute",
    "attribute_all",
    "builtin",
    "current",
    "host_of",
    "independent_outlets",
    "load_registry",
    "registrable_domain",
    "using",
]
