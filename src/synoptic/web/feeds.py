"""Feeds: recognise one by its content and read its entries (RSS 0.9x/1.0/2.0, Atom, JSON Feed).

XML feeds are parsed by feedparser, always from bytes already fetched by the safe fetcher (given
a URL string, feedparser would fetch it itself). JSON Feed (``jsonfeed.org`` versions 1 and
1.1), which feedparser does not read, is read here. Each entry keeps what an article needs:
its link (normalised), title, author, date, and its own content for when the page cannot be
had; the feed gives the outlet (its title) and the site (its domain).
"""

from __future__ import annotations

import calendar
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser

from synoptic.errors import FetchError
from synoptic.fetch.urls import normalise_url
from synoptic.model import Record

_XML_FEED = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss\b|feed\b|rdf:RDF\b|RDF\b)",
    re.S | re.I,
)
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.I)
# feedparser flags these as bozo although the entries are fine.
_HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")


@dataclass(frozen=True, slots=True)
class FeedEntry(Record):
    """One entry of a feed.

    Attributes:
        link: The article's link, normalised (``None`` when the entry has none).
        title: Its title.
        author: Its author(s), as written.
        published: Its date (ISO 8601, UTC), published or else updated.
        content: Its own body (full content, else summary), HTML or text.
        content_kind: ``html`` or ``text``.
        entry_id: Its id (``guid``/``id``), if any.
    """

    link: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    content: str | None = None
    content_kind: str = "html"
    entry_id: str | None = None


@dataclass(frozen=True, slots=True)
class Feed(Record):
    """A parsed feed.

    Attributes:
        url: Where it was fetched from.
        title: Its title (the outlet of its articles).
        site: The domain of the site it belongs to (``www.`` dropped).
        entries: Its entries, in the feed's order.
        warning: Why feedparser found it malformed, when it still had entries.
    """

    url: str
    title: str | None
    site: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None


def is_feed(data: bytes, content_type: str = "") -> bool:
    """Whether ``data`` is a feed, judged by its content (the Content-Type lies too often)."""
    head = data[:4096]
    if _XML_FEED.match(head):
        return True
    stripped = head.lstrip()
    return stripped.startswith(b"{") and bool(_JSON_FEED.search(head))


def parse_feed(data: bytes, url: str) -> Feed:
    """Parse feed bytes fetched from ``url``.

    Raises:
        FetchError: ``E412`` for a feed with no readable entry and a parse error, or
            JSON that is not a JSON Feed.
    """
    if data.lstrip().startswith(b"{"):
        return _parse_json(data, url)
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        name = type(exc).__name__
        if name not in _HARMLESS:
            warning = _first_line(exc) or name
            if not parsed.entries:
                raise FetchError("E412", url, reason=warning)
    info = parsed.feed
    entries = tuple(_xml_entry(entry) for entry in parsed.entries)
    site_link = info.get("link") or url
    return Feed(url, _text(info.get("title")), _site(site_link), entries, warning)


def _xml_entry(entry: Any) -> FeedEntry:
    content, kind = None, "html"
    for block in entry.get("content") or ():
        if block.get("value"):
            content, kind = block["value"], _kind(block.get("type"))
            break
    if content is None and entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        content, kind = entry["summary"], _kind(detail.get("type"))
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    link = entry.get("link")
    return FeedEntry(
        link=normalise_url(link) if link else None,
        title=_text(entry.get("title")),
        author=_text(entry.get("author")),
        published=_iso(stamp),
        content=content,
        content_kind=kind,
        entry_id=_text(entry.get("id")),
    )


def _parse_json(data: bytes, url: str) -> Feed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FetchError("E412", url, reason=f"invalid JSON ({_first_line(exc)})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FetchError("E412", url, reason="JSON without a JSON Feed 'items' list")
    entries = tuple(_json_entry(item) for item in doc["items"] if isinstance(item, dict))
    home = doc["home_page_url"] if isinstance(doc.get("home_page_url"), str) else url
    return Feed(url, _text(doc.get("title")), _site(home), entries)


def _json_entry(item: dict[str, Any]) -> FeedEntry:
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    if item.get("content_html"):
        content, kind = item["content_html"], "html"
    elif item.get("content_text"):
        content, kind = item["content_text"], "text"
    else:
        content, kind = item.get("summary"), "text"
    link = item.get("url") or item.get("external_url")
    return FeedEntry(
        link=normalise_url(link) if isinstance(link, str) else None,
        title=_text(item.get("title")),
        author=", ".join(str(n) for n in names) or None,
        published=_text(item.get("date_published") or item.get("date_modified")),
        content=content if isinstance(content, str) else None,
        content_kind=kind,
        entry_id=_text(item.get("id")),
    )


def _kind(mime: str | None) -> str:
    return "text" if mime == "text/plain" else "html"


def _iso(stamp: time.struct_time | None) -> str | None:
    if not stamp:
        return None
    seconds = calendar.timegm(stamp)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _site(link: str) -> str | None:
    host = (urlsplit(link).hostname or "").lower()
    return host.removeprefix("www.") or None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _first_line(exc: object) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]
