"""Stories out as feeds: ``GET /feed.atom`` (Atom, RFC 4287) and ``GET /feed.json`` (JSON Feed
1.1), taking the story list's filters (``query``, ``since``, ``min_outlets``, ``limit``).

Each entry is one story: a stable id (``urn:synoptic:story:<id>``, which never changes while
the story lives), a link to its page and to its brief as JSON (``/api/v1/stories/<id>/brief``),
``updated`` = the time it was last seen, and a readable body: the headline, the count of
outlets and reports, the cited summary (each sentence with the outlets it comes from) and the
conflicts (each value with its outlets). The body comes from the story's stored brief, as last
built (a feed never builds briefs: that would make one request cost minutes); a story whose
brief was never built shows its counts alone. Article text is untrusted: the Atom document is
built with ElementTree (XML-escaped) and its HTML content is escaped before that; the JSON
feed's ``content_html`` is escaped HTML too.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator

from synoptic import __version__
from synoptic.serve.api import DEFAULT_LIMIT, MAX_LIMIT, _iso_only, since_seconds, store_of
from synoptic.serve.queries import MAX_QUERY_CHARS, StoryFilter, clean_query, stories_page
from synoptic.store import Store, StorySummary
from synoptic.store.schema import StoryRow

# Feeds are documents for feed readers, outside the JSON API (its OpenAPI schema), as pages are.
router = APIRouter(tags=["feeds"], include_in_schema=False)

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
TITLE = "Synoptic stories"


def entry_id(story_id: str) -> str:
    """The stable id of a story's feed entry (an IRI, as RFC 4287 asks)."""
    return f"urn:synoptic:story:{story_id}"


def _rfc3339(value: str | None) -> str:
    """A stored ISO 8601 time as RFC 3339 (UTC when it has no offset; a date is midnight)."""
    if not value:
        return datetime.now(UTC).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = date.fromisoformat(value[:10])
        except ValueError:
            return datetime.now(UTC).isoformat(timespec="seconds")
        moment = datetime(d.year, d.month, d.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _briefs(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored briefs (``Brief.to_dict``) of ``ids``, as last built."""
    if not ids:
        return {}
    with store.session(readonly=True) as s:
        rows = s.query(StoryRow.id, StoryRow.brief).filter(StoryRow.id.in_(ids)).all()
    return {sid: brief for sid, brief in rows if brief}


def body_html(summary: StorySummary, brief: dict[str, Any] | None) -> str:
    """The entry's readable body as HTML, every piece of article text escaped."""
    esc = html.escape
    parts = [
        f"<p>{summary.outlets} outlet{'s' * (summary.outlets != 1)}, "
        f"{summary.articles} report{'s' * (summary.articles != 1)}.</p>"
    ]
    if brief is None:
        return "".join(parts)
    names = {o.get("article"): o.get("name") for o in brief.get("outlets", [])}
    for a in brief.get("story", {}).get("articles", []):
        names.setdefault(a["id"], a.get("outlet") or a["id"])

    def cited(spans: list[dict[str, Any]]) -> str:
        outlets = dict.fromkeys(str(names.get(s["article"]) or s["article"]) for s in spans)
        return " [" + "; ".join(esc(o) for o in outlets) + "]" if outlets else ""

    summary_items = brief.get("summary", [])
    if summary_items:
        parts.append("<ul>")
        parts += [f"<li>{esc(c['text'])}{cited(c.get('spans', []))}</li>" for c in summary_items]
        parts.append("</ul>")
    conflicts = brief.get("conflicts", [])
    if conflicts:
        parts.append("<p>Where they disagree:</p><ul>")
        for c in conflicts:
            values = "; ".join(
                f"{esc(v['text'])}{cited(v.get('spans', []))}" for v in c.get("values", [])
            )
            parts.append(f"<li>{esc(c['topic'])}: {values}</li>")
        parts.append("</ul>")
    return "".join(parts)


Since = Annotated[
    Annotated[datetime | date, BeforeValidator(_iso_only)] | None,
    Query(description="Only stories last seen on or after this date or ISO 8601 time."),
]
Text = Annotated[
    str | None, Query(max_length=MAX_QUERY_CHARS, description="Headline or title contains.")
]
MinOutlets = Annotated[int, Query(ge=0, le=1_000_000, description="At least this many outlets.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Entries in the feed.")]


@dataclass(frozen=True, slots=True)
class FeedPage:
    """The stories of a feed, latest first, and their stored briefs (by story id)."""

    stories: list[StorySummary]
    briefs: dict[str, dict[str, Any]]


def feed_page(
    request: Request,
    since: Since = None,
    query: Text = None,
    min_outlets: MinOutlets = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> FeedPage:
    """The query parameters both feeds take (a dependency), read into the feed's stories."""
    store = store_of(request)
    flt = StoryFilter(since=since_seconds(since), query=clean_query(query), min_outlets=min_outlets)
    page = stories_page(store, flt, limit=limit, offset=0, cursor=None)
    return FeedPage(page.stories, _briefs(store, [s.id for s in page.stories]))


Page = Annotated[FeedPage, Depends(feed_page)]


@router.get("/feed.atom", summary="Stories as an Atom feed (RFC 4287)")
def feed_atom(request: Request, page: Page) -> Response:
    """The stories matching the list's filters, latest first (undated ones last), as Atom."""
    stories, briefs = page.stories, page.briefs
    base = str(request.base_url).rstrip("/")
    feed = ET.Element("feed", xmlns=ATOM_NS)
    ET.SubElement(feed, "title").text = TITLE
    ET.SubElement(feed, "id").text = f"urn:synoptic:feed:{request.url.query or 'all'}"
    updated = max((_rfc3339(s.last_seen) for s in stories), default=_rfc3339(None))
    ET.SubElement(feed, "updated").text = updated
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = "Synoptic"
    ET.SubElement(feed, "link", rel="self", href=str(request.url))
    ET.SubElement(feed, "generator", version=__version__).text = "Synoptic"
    for s in stories:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = entry_id(s.id)
        ET.SubElement(entry, "title").text = s.headline
        ET.SubElement(entry, "updated").text = _rfc3339(s.last_seen)
        ET.SubElement(entry, "published").text = _rfc3339(s.first_seen)
        ET.SubElement(
            entry, "link", rel="alternate", type="text/html", href=f"{base}/stories/{s.id}"
        )
        ET.SubElement(
            entry,
            "link",
            rel="related",
            type="application/json",
            href=f"{base}/api/v1/stories/{s.id}/brief",
        )
        ET.SubElement(entry, "content", type="html").text = body_html(s, briefs.get(s.id))
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/feed.json", summary="Stories as a JSON Feed (version 1.1)")
def feed_json(request: Request, page: Page) -> Response:
    """The stories matching the list's filters, latest first, as JSON Feed 1.1."""
    stories, briefs = page.stories, page.briefs
    base = str(request.base_url).rstrip("/")
    doc = {
        "version": JSON_FEED_VERSION,
        "title": TITLE,
        "home_page_url": f"{base}/",
        "feed_url": str(request.url),
        "items": [
            {
                "id": entry_id(s.id),
                "url": f"{base}/stories/{s.id}",
                "external_url": f"{base}/api/v1/stories/{s.id}/brief",
                "title": s.headline,
                "content_html": body_html(s, briefs.get(s.id)),
                "date_published": _rfc3339(s.first_seen),
                "date_modified": _rfc3339(s.last_seen),
                "_synoptic": {"story": s.id, "outlets": s.outlets, "articles": s.articles},
            }
            for s in stories
        ],
    }
    return Response(json.dumps(doc, ensure_ascii=False), media_type="application/feed+json")


__all__ = ["FeedPage", "body_html", "entry_id", "feed_page", "router"]
