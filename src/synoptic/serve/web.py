"""The web pages: the story list, a story's page, the article reader, the feeds, the exports.

Server-rendered (Jinja2, autoescaped) and complete without JavaScript; ``static/synoptic.js``
only enhances (smooth scrolling to a cited passage, highlighting it, ``/`` to search). The
exports are the renderers' own output: ``.json`` (Brief JSON v1), ``.md`` and ``/print`` (the
standalone HTML page, served with a policy allowing its inline CSS and nothing else).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from synoptic.model import Brief
from synoptic.outlets.registry import KINDS
from synoptic.render import render
from synoptic.serve import briefs as brief_reader
from synoptic.serve.apidocs import operations
from synoptic.serve.errors import ApiError
from synoptic.serve.pages import render_page
from synoptic.serve.queries import (
    MAX_QUERY_CHARS,
    StoryFilter,
    card_details,
    clean_query,
    get_article,
    is_id,
    resolve_id,
    search_snippets,
    stories_page,
)
from synoptic.serve.security import PRINT_CSP
from synoptic.serve.views import StoryView, article_view, format_time, story_item
from synoptic.store import Store
from synoptic.store.listing import outlet_kind, time_bound
from synoptic.web.subscriptions import FeedState, list_feeds

PAGE_SIZE = 25
MAX_PAGE_OFFSET = 1_000_000_000

router = APIRouter(include_in_schema=False)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _int(value: str | None, default: int, low: int, high: int) -> int:
    """Read a number from a form field leniently: a blank or bad value means the default."""
    if value is None or not value.strip().isdigit():
        return default
    return max(low, min(high, int(value.strip())))


def _full_id(request: Request, kind: str, value: str) -> str:
    """Return the id ``value`` names (whole or a unique prefix, as ``synoptic show`` reads)."""
    if not is_id(value):
        raise ApiError(404, "not_found", f"no {kind} has this id")
    return resolve_id(_store(request), kind, value)


def _canonical(request: Request, value: str, full: str) -> RedirectResponse | None:
    """Redirect a prefix URL to the full id's URL (links and anchors then use one address)."""
    if value == full:
        return None
    path = request.url.path
    cut = path.rindex(value)
    return RedirectResponse(path[:cut] + full + path[cut + len(value) :], status_code=307)


def _brief(request: Request, story_id: str) -> Brief:
    if not is_id(story_id):
        raise ApiError(404, "not_found", "no story has this id")
    try:
        return brief_reader.story_brief(_store(request), story_id)
    except KeyError:
        raise ApiError(404, "not_found", f"no story has the id {story_id!r}") from None


def list_filter(
    q: str | None,
    since: str | None,
    until: str | None,
    outlet: str | None,
    conflicts: str | None,
    min_outlets: str | None,
    kind: str | None = None,
) -> tuple[StoryFilter, list[str]]:
    """Read the list page's form leniently: a bad field is ignored and said, never an error.

    "To" a date includes that whole day (UTC). ``kind`` is an outlet kind of the registry
    (``outlets.KINDS``).
    """
    problems = []
    try:
        kind = outlet_kind(kind)
    except ValueError:
        problems.append(f"“{(kind or '').strip()[:40]}” is not an outlet kind; showing every kind.")
        kind = None
    times: dict[str, float | None] = {}
    for name, value in (("since", since), ("until", until)):
        try:
            times[name] = (
                None if "\x00" in (value or "") else time_bound(value, whole_day=name == "until")
            )
        except ValueError:
            times[name] = None
            problems.append(f"“{(value or '')[:40]}” is not a date; showing all dates.")
    flt = StoryFilter(
        since=times["since"],
        query=clean_query(q),
        min_outlets=_int(min_outlets, 0, 0, 1_000_000),
        until=times["until"],
        outlet=clean_query(outlet),
        conflicts=(conflicts or "").strip() in ("1", "on", "yes", "true"),
        kind=kind,
    )
    return flt, problems


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
    since: Annotated[str | None, Query(max_length=64)] = None,
    until: Annotated[str | None, Query(max_length=64)] = None,
    outlet: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
    conflicts: Annotated[str | None, Query(max_length=8)] = None,
    min_outlets: Annotated[str | None, Query(max_length=12)] = None,
    offset: Annotated[str | None, Query(max_length=12)] = None,
    kind: Annotated[str | None, Query(max_length=16)] = None,
) -> HTMLResponse:
    """The stories, latest first (undated ones last), with full-text search and filters."""
    flt, problems = list_filter(q, since, until, outlet, conflicts, min_outlets, kind)
    start = _int(offset, 0, 0, MAX_PAGE_OFFSET)
    query, outlet_q, outlets, only_conflicts = flt.query, flt.outlet, flt.min_outlets, flt.conflicts
    until_ts = flt.until
    store = _store(request)
    page = stories_page(store, flt, limit=PAGE_SIZE, offset=start)
    form = {
        "q": query or "",
        "outlet": outlet_q or "",
        "since": (since or "").strip(),
        "until": (until or "").strip(),
        "conflicts": "1" if only_conflicts else "",
        "min_outlets": outlets or "",
        "kind": flt.kind or "",
    }

    def link(new_offset: int) -> str:
        params = {k: v for k, v in form.items() if v}
        if new_offset:
            params["offset"] = new_offset
        return "/?" + urlencode(params) if params else "/"

    nav: dict[str, Any] = {
        "prev": link(max(0, start - PAGE_SIZE)) if start > 0 else None,
        "next": link(start + PAGE_SIZE) if start + PAGE_SIZE < page.total else None,
        "first": start + 1 if page.stories else 0,
        "last": start + len(page.stories),
    }
    ids = [s.id for s in page.stories]
    cards = card_details(store, ids)
    found = search_snippets(store, ids, query) if query else {}
    now = datetime.now(UTC).timestamp()
    return render_page(
        request,
        "stories.html.j2",
        title="Stories",
        stories=[story_item(s, cards.get(s.id), found.get(s.id), now) for s in page.stories],
        total=page.total,
        form=form,
        more_filters=bool(outlet_q or since or until or only_conflicts or outlets or flt.kind),
        kinds=KINDS,
        filtered=bool(
            query
            or flt.since is not None
            or until_ts is not None
            or outlets
            or outlet_q
            or only_conflicts
            or flt.kind
        ),
        problem=" ".join(problems) or None,
        nav=nav,
        now=now,
    )


# The export routes come before ``/stories/{story_id}``, which would also match "x.json".
@router.get("/stories/{story_id}.json")
def story_json(request: Request, story_id: str) -> JSONResponse:
    """The story's brief as a Brief JSON v1 document."""
    brief = _brief(request, story_id)
    return JSONResponse(
        brief_reader.brief_document(brief),
        headers={"Content-Disposition": f'inline; filename="{brief.story.id}.json"'},
    )


@router.get("/stories/{story_id}.md")
def story_markdown(request: Request, story_id: str) -> Response:
    """The story's brief as Markdown."""
    brief = _brief(request, story_id)
    return Response(
        render([brief], "md"),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{brief.story.id}.md"'},
    )


@router.get("/stories/{story_id}/print", response_class=HTMLResponse)
def story_print(request: Request, story_id: str) -> HTMLResponse:
    """The printable page: the html renderer's standalone document (inline CSS, no script)."""
    brief = _brief(request, story_id)
    return HTMLResponse(render([brief], "html"), headers={"Content-Security-Policy": PRINT_CSP})


@router.get("/stories/{story_id}", response_class=HTMLResponse, response_model=None)
def story_page(request: Request, story_id: str) -> Response:
    """A story: summary with citations, disagreements, quotes, facts, timeline, sources."""
    store = _store(request)
    merged = store.redirect(story_id) if is_id(story_id) else None
    if merged is not None:  # the story was merged into another: its address moved for good
        return RedirectResponse(f"/stories/{merged}", status_code=308)
    moved = _canonical(request, story_id, _full_id(request, "story", story_id))
    if moved is not None:
        return moved
    brief = _brief(request, story_id)
    story = StoryView(brief).build()
    return render_page(
        request,
        "story.html.j2",
        title=story["headline"],
        story=story,
        changes=store.changes(brief.story.id),
        story_id=brief.story.id,
        now=datetime.now(UTC).timestamp(),
        exports={
            "json": f"/stories/{brief.story.id}.json",
            "md": f"/stories/{brief.story.id}.md",
            "print": f"/stories/{brief.story.id}/print",
            "api": f"/api/v1/stories/{brief.story.id}/brief",
        },
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse, response_model=None)
def article_page(request: Request, article_id: str) -> Response:
    """One article's cleaned text with its quotes, figures and entities marked."""
    store = _store(request)
    moved = _canonical(request, article_id, _full_id(request, "article", article_id))
    if moved is not None:
        return moved
    found = get_article(store, article_id)
    if found is None:
        raise ApiError(404, "not_found", f"no article has the id {article_id[:80]!r}")
    brief = None
    if found.story_id is not None:
        try:
            brief = brief_reader.story_brief(store, found.story_id)
        except KeyError:
            brief = None
    view = article_view(found.article, found.story_id, brief)
    return render_page(request, "article.html.j2", title=view["title"], article=view)


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


def _interval(seconds: float) -> str:
    """Say a poll interval in the largest whole unit: ``30 min``, ``2 h``, ``45 s``."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{seconds:g} s"


def feed_item(state: FeedState) -> dict[str, Any]:
    """What the feeds page shows of a subscription; the URL is a link only if http(s)."""
    times = {
        key: {"datetime": _iso(ts), "text": format_time(_iso(ts))}
        for key, ts in (
            ("last_success", state.last_success_ts),
            ("last_error", state.last_error_ts),
            ("next", state.next_ts),
        )
    }
    return {
        "url": state.url,
        "href": state.url if urlsplit(state.url).scheme.lower() in ("http", "https") else None,
        "title": state.title,
        "interval": _interval(state.interval_s),
        "error_code": state.last_error_code,
        "error": state.last_error,
        "failures": state.failures,
        "entries_seen": state.entries_seen,
        **times,
    }


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request) -> HTMLResponse:
    """The feed subscriptions and their state, as ``synoptic feeds list`` and the API show it."""
    feeds = [feed_item(state) for state in list_feeds(_store(request))]
    return render_page(request, "feeds.html.j2", title="Feeds", feeds=feeds)


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The interactive API reference, from the app's OpenAPI document (no CDN)."""
    document = request.app.openapi()
    return render_page(
        request,
        "api_docs.html.j2",
        title="API reference",
        ops=operations(document),
        api_version=document.get("info", {}).get("version", ""),
        openapi_url=request.app.openapi_url,
    )
