"""An article's identity across versions: a revised page is the same article, not a wire copy.

Two reports are *versions of one article* when they were read from the same page (the same
URL, normalised) with different texts: an outlet that updates a report at its URL publishes
a new version of it, not a second report. Two reports with one wire text at different URLs
are *copies* (``synoptic.dedup``): two outlets carrying one report.

So versions are settled before copies: of the versions of a page only the newest counts (the
later published, else the later read), and the copy test runs on current versions alone. The
batch (``dedup.mark_duplicates``) keeps the newest version and drops the others; the store
keeps every version but marks the older ones ``superseded_by`` the current one, which takes
their place in their story (``synoptic.store.ingest``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from synoptic.model import Article, published_timestamp

# Query parameters that track the reader, not the page.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str) -> str | None:
    """Return the page a URL names: scheme and host lower-cased, ``www.``, the fragment,
    tracking parameters and a trailing slash dropped (``None`` for a URL without a host).

    Not ``fetch.normalise_url``, on purpose: that one keeps a link fetchable (scheme, ``www.``,
    credentials, trailing slash and query order kept); this one is an identity key, folding
    spellings that may not be one fetchable link but are one page (``http``/``https``, query
    order). Its output is also stored: the store indexes each article's page by
    ``key_of_page`` of it (migration 0005 computed the keys of stored rows), so it must not
    change, nor its tracking list (which differs from the fetcher's), without a migration
    re-keying the stored pages.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not host:
        return None
    host = host.removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def key_of_page(page: str) -> str:
    """Return the fixed-length key of a canonical URL (what the store indexes)."""
    return hashlib.sha256(page.encode("utf-8")).hexdigest()[:32]


def page_key(article: Article) -> str | None:
    """Return the key of the page an article was read from (``None`` when it has no URL)."""
    if not article.url:
        return None
    page = canonical_url(article.url)
    return None if page is None else key_of_page(page)


def is_revision(new: Article, old: Article) -> bool:
    """Whether ``new`` is another version of the article ``old``: same page, other content
    (text, title or outlet, which the article id is made of)."""
    key = page_key(new)
    return key is not None and key == page_key(old) and new.id != old.id


def newer(a: Article, b: Article) -> bool:
    """Whether version ``a`` is newer than version ``b`` by publication time.

    ``False`` when either is undated or both are equal: the caller then takes the later read.
    """
    ta, tb = published_timestamp(a.published), published_timestamp(b.published)
    return ta is not None and tb is not None and ta > tb


def current_versions(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
    """Keep the newest version of each page, in the input order.

    Args:
        articles: Articles in the order read (a later read of a page is its newer version
            unless publication times say otherwise).

    Returns:
        The current versions, and each superseded version's id mapped to its page's current
        version's id.
    """
    current: dict[str, Article] = {}
    for a in articles:
        key = page_key(a)
        if key is None:
            continue
        held = current.get(key)
        if held is None or (held.id != a.id and not newer(held, a)):
            current[key] = a
    superseded: dict[str, str] = {}
    kept = []
    for a in articles:
        key = page_key(a)
        winner = current.get(key) if key is not None else None
        if winner is not None and winner.id != a.id:
            superseded[a.id] = winner.id
        else:
            kept.append(a)
    return kept, superseded
