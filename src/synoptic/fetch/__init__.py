"""Fetching from the network, safely: the one way Synoptic reads a URL.

``Fetcher(settings).fetch(url)`` returns a ``Fetched`` answer or raises a coded
``FetchError``; ``AddressPolicy`` says which addresses are reachable; ``normalise_url`` makes
one spelling of an article's link.
"""

from synoptic.fetch.addresses import ALLOW_ENV, AddressPolicy
from synoptic.fetch.fetcher import DEFAULT_TYPES, Fetched, Fetcher, FetchSettings
from synoptic.fetch.resolver import Resolver, system_resolver
from synoptic.fetch.urls import normalise_url

__all__ = [
    "ALLOW_ENV",
    "DEFAULT_TYPES",
    "AddressPolicy",
    "FetchSettings",
    "Fetched",
    "Fetcher",
    "Resolver",
    "normalise_url",
    "system_resolver",
]
