"""Which outlet an article counts for, and which articles count as one independent outlet.

Evidence, strongest first (the first that names a registry outlet wins):

1. A wire credit: a republished agency story counts for its agency, whoever printed it. Read
   from the byline ("By Jana Ruml, Associated Press", "Reuters"), the agency the text cleaner
   found (``meta["agency"]``), and a dateline credit at the head of the text or in
   ``meta["dateline"]`` ("WASHINGTON (AP) —", "(Reuters) -"). Only wire outlets of the
   registry are taken from credits, so a photo credit or a quoted broadcaster is no author.
2. The article's URL host (``edition.cnn.com`` is CNN).
3. The feed it came from (``meta["feed"]``), when it names a host of the registry.
4. The site name (``Article.outlet``), by name or alias.

An outlet the registry does not know is fine: its registrable domain stands in (from the URL,
else the feed), else the site name as printed; never a file name or a line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from synoptic import lang
from synoptic.lang import fold
from synoptic.model import Article, Record, Story
from synoptic.outlets.registry import Outlet, Registry, current

# "KELLEN (MPA) –", "(Reuters) -", "WASHINGTON, Jan 10 (AP) —": a credit in brackets ending a
# dateline, followed by a dash or colon.
_DATELINE_CREDIT = re.compile(r"\((?P<credit>[^()\n]{2,40})\)\s*[-—–:]")
# A dateline credit is read from the first LEAD_CHARS characters of the text.
LEAD_CHARS = 160
# "By Jana Ruml, Meridian Press Agency", "Jana Ruml | Reuters": a byline's segments, each then
# cut at conjunctions ("Le Figaro et AFP"); a segment is tried whole first ("Press Trust of
# India", "Associated Press of Pakistan").
_SEGMENTS = re.compile(r"\s*[,|/;]\s*")
_CONJUNCTIONS = re.compile(r"\s+(?:and|for|of|et|und|y|e|en|og|och)\s+", re.IGNORECASE)
_BY = re.compile(r"^\s*(?:by|written by|reported by:?|von|par|por|di)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution(Record):
    """The outlet an article counts for.

    Attributes:
        article: The article's id.
        name: The outlet's name (registry name, else the domain, else the site name).
        key: Its independence key: articles with one key count once (an agency's stories,
            outlets of one parent).
        via: The evidence used: ``credit``, ``url``, ``feed``, ``site_name``, ``domain`` or
            ``none``.
        outlet: The registry id, when the registry knows the outlet.
        kind: Its main kind (``wire``, ``public``, ``state``, ``private``, ``aggregator``),
            ``None`` when unknown.
        kinds: Every kind the registry gives it.
        country: ISO country code, when known.
        publisher: For a wire credit, the outlet that printed the copy (its name or domain).
    """

    article: str
    name: str | None
    key: str
    via: str = "none"
    outlet: str | None = None
    kind: str | None = None
    kinds: tuple[str, ...] = ()
    country: str | None = None
    publisher: str | None = None


def host_of(url: str | None) -> str | None:
    """Return the lower-case host of ``url`` without ``www.``, or ``None``."""
    if not url or not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


@lru_cache(maxsize=4096)
def registrable_domain(host: str | None) -> str | None:
    """Return the registrable domain of ``host`` (``news.bbc.co.uk`` -> ``bbc.co.uk``).

    Uses the Public Suffix List bundled with ``tld`` (a dependency of trafilatura's URL
    library); a host it cannot place stands as it is.
    """
    if not host:
        return None
    from tld import get_fld

    try:
        return str(get_fld(host, fix_protocol=True, fail_silently=True) or host)
    except Exception:  # an unknown suffix or odd host: the host itself stands in
        return host


def credits(article: Article) -> list[str]:
    """Return the wire credits an article carries, strongest first (as printed)."""
    out: list[str] = []
    meta: Mapping[str, Any] = article.meta or {}
    agency = meta.get("agency")
    if isinstance(agency, str) and agency:
        out.append(agency)
    if article.byline:
        line = _BY.sub("", article.byline).strip()
        for segment in _SEGMENTS.split(line):
            out.extend(p for p in (segment, *_CONJUNCTIONS.split(segment)) if p)
    for text in (meta.get("dateline"), article.text[:LEAD_CHARS]):
        if isinstance(text, str) and (m := _DATELINE_CREDIT.search(text)):
            out.append(m.group("credit"))
    return out


def _credit_outlet(article: Article, registry: Registry) -> Outlet | None:
    role_words = lang.words("job_title_words")
    for credit in credits(article):
        words = credit.split()
        candidates = [credit]
        # "AP Diplomatic Writer", "Reuters Staff": the agency leads a job title (a name such
        # as "Petra Lind" never reads as an agency: every other word must be a job word).
        if len(words) > 1 and all(w.casefold() in role_words for w in words[1:]):
            candidates.append(words[0])
        for candidate in candidates:
            found = registry.by_name(candidate, wire_only=True)
            if len(found) == 1:
                return found[0]
    return None


def _pick(found: list[Outlet]) -> Outlet | None:
    """The outlet a name stands for, when it stands for one only (a shared name says none)."""
    return found[0] if len(found) == 1 else None


def publisher_of(article: Article, registry: Registry | None = None) -> Outlet | None:
    """Return the registry outlet that printed ``article`` (URL, feed, then site name), if any:
    the printer, not the agency a wire credit names."""
    reg = registry or current()
    feed = (article.meta or {}).get("feed")
    printed = article.outlet.strip() if article.outlet else None
    return (
        reg.by_host(host_of(article.url))
        or reg.by_host(host_of(feed) if isinstance(feed, str) else None)
        or _pick(reg.by_name(printed))
    )


def attribute(article: Article, registry: Registry | None = None) -> Attribution:
    """Return the outlet ``article`` counts for (see the module docstring for the order)."""
    reg = registry or current()
    host = host_of(article.url)
    feed = (article.meta or {}).get("feed")
    feed_host = host_of(feed) if isinstance(feed, str) else None
    printed = article.outlet.strip() if article.outlet else None
    publisher = publisher_of(article, reg)
    credit = _credit_outlet(article, reg)
    if credit is not None:
        printer = publisher.name if publisher else (registrable_domain(host) or printed)
        same = publisher is not None and publisher.id == credit.id
        return _known(article, credit, "credit", None if same else printer)
    for outlet, via in (
        (reg.by_host(host), "url"),
        (reg.by_host(feed_host), "feed"),
        (_pick(reg.by_name(printed)), "site_name"),
    ):
        if outlet is not None:
            return _known(article, outlet, via, None)
    domain = registrable_domain(host) or registrable_domain(feed_host)
    if domain:
        return Attribution(article.id, printed or domain, "domain:" + domain, "domain")
    if printed:
        return Attribution(
            article.id, printed, "name:" + " ".join(fold(printed).split()), "site_name"
        )
    return Attribution(article.id, None, "article:" + article.id)


def _known(article: Article, outlet: Outlet, via: str, publisher: str | None) -> Attribution:
    return Attribution(
        article=article.id,
        name=outlet.name,
        key=outlet.group,
        via=via,
        outlet=outlet.id,
        kind=outlet.kind,
        kinds=outlet.kinds,
        country=outlet.country,
        publisher=publisher,
    )


def attribute_all(
    articles: Iterable[Article], registry: Registry | None = None
) -> dict[str, Attribution]:
    """Return each article's attribution, by article id."""
    reg = registry or current()
    return {a.id: attribute(a, reg) for a in articles}


def independent_outlets(story: Story, registry: Registry | None = None) -> dict[str, str]:
    """Map each article of ``story`` to the article standing for its independent outlet.

    A wire copy marked ``duplicate_of`` an article of the story counts with it; articles of one
    agency (by credit), one outlet or one parent count once, stood for by the first of them in
    story order that is no copy. An article nothing is known of (no URL, no outlet, no credit)
    stands for itself, as before outlets were known.
    """
    reg = registry or current()
    ids = {a.id for a in story.articles}
    attributions = attribute_all(story.articles, reg)
    first: dict[str, str] = {}
    for a in story.articles:
        if a.duplicate_of is None or a.duplicate_of not in ids:
            first.setdefault(attributions[a.id].key, a.id)
    out: dict[str, str] = {}
    for a in story.articles:
        own = a.duplicate_of if a.duplicate_of is not None and a.duplicate_of in ids else a.id
        out[a.id] = first.get(attributions[own].key, own)
    return out


__all__ = [
    "LEAD_CHARS",
    "Attribution",
    "attribute",
    "attribute_all",
    "credits",
    "host_of",
    "independent_outlets",
    "publisher_of",
    "registrable_domain",
]
