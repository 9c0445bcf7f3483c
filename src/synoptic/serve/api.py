"""The REST API, version 1, under ``/api/v1``: stories, briefs, articles, ingest and health.

Reads go through the store (``queries`` for pages, ``briefs.story_brief`` for briefs, cached
when current); writes through the CLI's ingest stages (``serve.ingest``), and only with the
API token. Every error is answered as ``{"error": {"code", "message"}}`` (see ``errors``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BeforeValidator
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import UploadFile

from synoptic import __version__
from synoptic.schema import load_schema
from synoptic.serve import briefs as brief_reader
from synoptic.serve.errors import ApiError, log
from synoptic.serve.ingest import (
    WRITER,
    check_json,
    ingest_items,
    read_all,
    read_body,
    read_uploads,
)
from synoptic.serve.layout import source_name
from synoptic.serve.limits import within
from synoptic.serve.queries import (
    MAX_QUERY_CHARS,
    BadCursor,
    StoryFilter,
    clean_query,
    counts,
    get_article,
    is_id,
    resolve_id,
    stories_page,
    story_summary,
)
from synoptic.serve.schemas import (
    ARTICLE_RECORD_SCHEMA,
    ArticleOut,
    BriefDocumentOut,
    ChangesOut,
    DeleteOut,
    ErrorOut,
    FeedOut,
    HealthOut,
    IngestOut,
    StoryOut,
    StoryPageOut,
)
from synoptic.store import Store, StorySummary
from synoptic.store.removal import Removal, remove_article, remove_story

PREFIX = "/api/v1"
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
MAX_UPLOADS = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_JSON_LINES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
_JSON_TYPES = ("application/json", *_JSON_LINES)

router = APIRouter(prefix=PREFIX, tags=["api"])

# Declares the bearer scheme in the OpenAPI document (checking is ``authorize_write``'s job,
# so that every refusal keeps the API's own error shape).
BEARER = HTTPBearer(
    scheme_name="bearerAuth",
    description="The API token the server was started with (`SYNOPTIC_TOKEN`).",
    auto_error=False,
)
WRITES = [Depends(BEARER)]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut} for status in statuses}


def store_of(request: Request) -> Store:
    """Return the store the app was created with."""
    store: Store = request.app.state.store
    return store


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", re.S)


# The outlet kinds of the registry (``outlets.KINDS``), as the API declares them (a test
# holds the two lists equal).
OutletKind = Literal["wire", "public", "state", "private", "aggregator"]


def _iso_only(value: Any) -> Any:
    # Pydantic would also read a bare number as a Unix time; the spec promises ISO 8601 only.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("use YYYY-MM-DD or an ISO 8601 time")
    return value


def since_seconds(value: datetime | date | None) -> float | None:
    """Return ``since`` as epoch seconds: a date is midnight UTC, a time without offset UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
    # Subtracting (rather than .timestamp()) works for every year datetime can hold.
    return (moment - _EPOCH).total_seconds()


def _as_of_seconds(value: datetime | date, raw: str) -> float:
    """Return ``as_of`` as epoch seconds: a bare date (``raw`` YYYY-MM-DD, which the query
    parser may read as midnight) is the end of that day (UTC)."""
    seconds = since_seconds(value) or 0.0  # never None: a value was given
    return seconds + 86400.0 if len(raw.strip()) == len("YYYY-MM-DD") else seconds


def story_out(summary: StorySummary) -> dict[str, Any]:
    """Return a listing line with the links to its brief and page."""
    data = summary.to_dict()
    data["links"] = {
        "brief": f"{PREFIX}/stories/{summary.id}/brief",
        "page": f"/stories/{summary.id}",
    }
    return data


def authorize_write(request: Request) -> None:
    """Let a write through only with the API token and within the token's write rate.

    Raises:
        ApiError: 403/401 from the token check; 429 ``rate_limited`` with ``Retry-After``.
    """
    authorization = request.headers.get("authorization")
    request.app.state.guard.check(authorization)
    request.app.state.limiter.check((authorization or "").strip().partition(" ")[2].strip())


MOVED: dict[int | str, dict[str, Any]] = {
    308: {"description": "The story was merged into another: its URL (Location)."}
}


def _moved(request: Request, store: Store, story_id: str) -> RedirectResponse | None:
    """A permanent redirect to the story ``story_id`` was merged into, if it was."""
    if not is_id(story_id) or story_summary(store, story_id) is not None:
        return None
    target = store.redirect(story_id)
    if target is None:
        return None
    path = request.url.path.replace(f"/stories/{story_id}", f"/stories/{target}", 1)
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(path + query, status_code=308)


def _story_or_404(store: Store, story_id: str) -> StorySummary:
    story_id = resolve_id(store, "story", story_id)
    summary = story_summary(store, story_id)
    if summary is None:
        raise ApiError(404, "not_found", f"no story has the id {story_id[:80]!r}")
    return summary


@router.get(
    "/health",
    response_model=HealthOut,
    responses=_errors(503),
    summary="Server and store status",
)
def health(request: Request) -> dict[str, Any]:
    """The version, the store's article and story counts and its database kind."""
    store = store_of(request)
    try:
        articles, stories = counts(store)
    except SQLAlchemyError:
        log.exception("health check: the database does not answer")
        raise ApiError(503, "unavailable", "the database does not answer") from None
    return {
        "status": "ok",
        "version": __version__,
        "articles": articles,
        "stories": stories,
        "database": store.dialect,
        "ingest": request.app.state.guard.enabled,
    }


@router.get(
    "/stories",
    response_model=StoryPageOut,
    responses=_errors(422),
    summary="List stories, latest first (undated ones last)",
)
def list_stories(
    request: Request,
    since: Annotated[
        Annotated[datetime | date, BeforeValidator(_iso_only)] | None,
        Query(
            description="Only stories last seen on or after this date (YYYY-MM-DD, midnight "
            "UTC) or ISO 8601 time (UTC when it has no offset)."
        ),
    ] = None,
    query: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY_CHARS,
            description="Only stories whose headline or a member's title contains this text.",
        ),
    ] = None,
    min_outlets: Annotated[
        int, Query(ge=0, le=1_000_000, description="Only stories with this many outlets or more.")
    ] = 0,
    until: Annotated[
        Annotated[datetime | date, BeforeValidator(_iso_only)] | None,
        Query(
            description="Only stories first seen before this time (ISO 8601), or on or before "
            "this date (YYYY-MM-DD: the whole day, UTC)."
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY_CHARS,
            description="Only stories with a report from an outlet whose name or URL holds this.",
        ),
    ] = None,
    kind: Annotated[
        OutletKind | None,
        Query(description="Only stories with a report from an outlet of this kind (registry)."),
    ] = None,
    conflicts: Annotated[
        bool, Query(description="Only stories whose brief found outlets disagreeing.")
    ] = False,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Stories per page.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Stories to skip.")] = 0,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="`next_cursor` of the previous page (not with offset)."),
    ] = None,
) -> dict[str, Any]:
    """Stories matching the filters, one page at a time, with the total that match.

    Page by `limit`/`offset`, or by `cursor` (stable while new stories arrive).
    """
    if cursor is not None and offset:
        raise ApiError(422, "invalid_request", "give either 'cursor' or 'offset', not both")
    flt = StoryFilter(
        since=since_seconds(since),
        query=clean_query(query),
        min_outlets=min_outlets,
        until=None if until is None else _as_of_seconds(until, request.query_params["until"]),
        outlet=clean_query(outlet),
        conflicts=conflicts,
        kind=kind,
    )
    try:
        page = stories_page(store_of(request), flt, limit=limit, offset=offset, cursor=cursor)
    except BadCursor:
        raise ApiError(
            422, "invalid_request", "invalid query parameter 'cursor': not a cursor of this API"
        ) from None
    return {
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_cursor": page.next_cursor,
        "stories": [story_out(s) for s in page.stories],
    }


@router.get(
    "/stories/{story_id}",
    response_model=StoryOut,
    responses={**_errors(404, 409), **MOVED},
    summary="One story's listing line",
)
def get_story(request: Request, story_id: str) -> Any:
    """The story's headline, counts and time span, with links to its brief and page.

    A story id merged into another answers 308 with the other story's URL."""
    store = store_of(request)
    return _moved(request, store, story_id) or story_out(_story_or_404(store, story_id))


@router.get(
    "/stories/{story_id}/changes",
    response_model=ChangesOut,
    responses={**_errors(404, 409), **MOVED},
    summary="What changed in a story's brief, revision by revision",
)
def get_changes(
    request: Request,
    story_id: str,
    since: Annotated[datetime | date | None, BeforeValidator(_iso_only), Query()] = None,
) -> Any:
    """The story's revisions (oldest first), those after `since` when given: each with the
    articles that joined and the new outlets, facts, conflicts (new or with updated figures),
    quotes, speakers, timeline events and flags, computed from the brief records."""
    store = store_of(request)
    if (moved := _moved(request, store, story_id)) is not None:
        return moved
    story_id = _story_or_404(store, story_id).id
    return {"story": story_id, "revisions": store.changes(story_id, since_seconds(since))}


@router.get(
    "/stories/{story_id}/brief",
    response_model=BriefDocumentOut,
    responses={**_errors(404, 409, 500), **MOVED},
    summary="One story's brief (Brief JSON v1)",
)
def get_brief(
    request: Request,
    story_id: str,
    as_of: Annotated[datetime | date | None, BeforeValidator(_iso_only), Query()] = None,
) -> Response:
    """A Brief JSON v1 document holding this one story.

    The cached brief is served when the story has not changed since it was built; otherwise
    it is rebuilt first (this can take seconds). A story whose brief cannot be built answers
    500 `brief_failed`; other stories are not affected. With `as_of` (a date: the end of that
    day, UTC; or an ISO 8601 time), the brief as it stood then, from the kept revisions
    (404 `no_past_brief` when none was kept by then).
    """
    store = store_of(request)
    if (moved := _moved(request, store, story_id)) is not None:
        return moved
    story_id = _story_or_404(store, story_id).id
    if as_of is not None:
        raw = request.query_params.get("as_of", "")
        past = store.brief_as_of(story_id, _as_of_seconds(as_of, raw))
        if past is None:
            raise ApiError(404, "no_past_brief", f"story {story_id} kept no brief by {as_of}")
        return JSONResponse(brief_reader.brief_document(past))
    try:
        brief = brief_reader.story_brief(store, story_id)
    except KeyError:  # removed (merged away) between the two reads
        raise ApiError(404, "not_found", f"no story has the id {story_id!r}") from None
    return JSONResponse(brief_reader.brief_document(brief))


@router.get(
    "/articles/{article_id}",
    response_model=ArticleOut,
    responses=_errors(404, 409),
    summary="One stored article",
)
def read_article(request: Request, article_id: str) -> dict[str, Any]:
    """The article's cleaned text and metadata, and the story it belongs to."""
    store = store_of(request)
    found = get_article(store, resolve_id(store, "article", article_id))
    if found is None:  # removed between the two reads
        raise ApiError(404, "not_found", f"no article has the id {article_id[:80]!r}")
    data = found.article.contract_dict()
    data["source"] = source_name(found.article.source)
    data["story_id"] = found.story_id
    return data


@router.get("/feeds", response_model=list[FeedOut], summary="Feed subscriptions and their state")
def read_feeds(request: Request) -> list[dict[str, Any]]:
    """Each subscribed feed: last success, last error with its code, entries seen, next poll
    (times in UTC epoch seconds); ``synoptic feeds add`` subscribes, ``synoptic watch`` polls."""
    from synoptic.web.subscriptions import list_feeds

    return [state.to_dict() for state in list_feeds(store_of(request))]


@router.get("/schema/brief-v1.json", summary="The JSON Schema of Brief JSON v1")
def brief_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) the brief documents follow."""
    return load_schema()


_INGEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        ARTICLE_RECORD_SCHEMA,
                        {"type": "array", "items": ARTICLE_RECORD_SCHEMA},
                    ]
                }
            },
            "application/x-ndjson": {
                "schema": {"type": "string", "description": "One article object per line."}
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Files as the CLI reads them: .txt, .html, .json, "
                            ".jsonl (optionally .gz).",
                        }
                    },
                }
            },
        },
    }
}


@router.post(
    "/ingest",
    response_model=IngestOut,
    responses=_errors(400, 401, 403, 408, 413, 415, 422, 429),
    openapi_extra=_INGEST_BODY,
    dependencies=WRITES,
    summary="Add articles (needs the API token)",
)
async def ingest(
    request: Request,
    background: BackgroundTasks,
    briefs: Annotated[
        bool, Query(description="Rebuild the touched stories' briefs after answering.")
    ] = True,
) -> dict[str, Any]:
    """Add articles through the same stages as `synoptic ingest`, reporting every item.

    Send a JSON object or list of objects (fields of the CLI's JSON input: `text` or `html`,
    `title`, `url`, `outlet`, `published`, `byline`, `language`), JSON lines, or files as
    `multipart/form-data`. Each item is `accepted`, `duplicate` or `rejected` (with the CLI's
    code and message); a rejected item is rolled back alone. A body sent as JSON that is not
    a JSON object or list is refused (400, nothing stored). Needs
    `Authorization: Bearer <token>`.
    """
    authorize_write(request)
    store = store_of(request)
    max_bytes: int = request.app.state.max_item_bytes
    seconds: float = request.app.state.body_seconds
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype in _JSON_TYPES or ctype.endswith("+json"):
        body = await within(seconds, request.body())
        if ctype not in _JSON_LINES:
            check_json(body)
        items = await run_in_threadpool(lambda: read_all(read_body(body, max_bytes=max_bytes)))
        report = await run_in_threadpool(ingest_items, store, items)
    elif ctype == "multipart/form-data":
        form = await within(seconds, request.form(max_files=MAX_UPLOADS, max_fields=MAX_UPLOADS))
        try:
            files = [
                (v.filename, v.file) for _, v in form.multi_items() if isinstance(v, UploadFile)
            ]
            if not files:
                raise ApiError(422, "invalid_request", "the form holds no file")
            items = await run_in_threadpool(
                lambda: read_all(read_uploads(files, max_bytes=max_bytes))
            )
            report = await run_in_threadpool(ingest_items, store, items)
        finally:
            await form.close()
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send application/json, application/x-ndjson or multipart/form-data, "
            f"not {ctype[:60] or 'no content type'!r}",
        )
    touched = list(report.result.touched)
    scheduled = bool(briefs and touched)
    if scheduled:
        background.add_task(brief_reader.refresh, store, touched)
    return {**report.to_dict(), "briefs": "scheduled" if scheduled else "skipped"}


def _removed(
    request: Request, background: BackgroundTasks, removal: Removal, briefs: bool
) -> dict[str, Any]:
    scheduled = bool(briefs and removal.new_story_id)
    if scheduled and removal.new_story_id:
        background.add_task(brief_reader.refresh, store_of(request), [removal.new_story_id])
    return {"deleted": removal.to_dict(), "briefs": "scheduled" if scheduled else "skipped"}


_REBUILD = Query(description="Rebuild the changed story's brief after answering.")


@router.delete(
    "/articles/{article_id}",
    response_model=DeleteOut,
    responses=_errors(401, 403, 404, 409, 429),
    dependencies=WRITES,
    summary="Delete an article (needs the API token)",
)
async def delete_article(
    request: Request,
    background: BackgroundTasks,
    article_id: str,
    briefs: Annotated[bool, _REBUILD] = True,
) -> dict[str, Any]:
    """Delete one article; its story is recomputed from the members left.

    Its copies get a new original; its story is renamed when the article was its first
    member, removed when it was the last. Needs `Authorization: Bearer <token>`.
    """
    authorize_write(request)
    store = store_of(request)
    article_id = resolve_id(store, "article", article_id)

    def run() -> Removal:
        with WRITER:
            return remove_article(store, article_id)

    try:
        removal = await run_in_threadpool(run) if is_id(article_id) else None
    except KeyError:
        removal = None
    if removal is None:
        raise ApiError(404, "not_found", f"no article has the id {article_id[:80]!r}")
    return _removed(request, background, removal, briefs)


@router.delete(
    "/stories/{story_id}",
    response_model=DeleteOut,
    responses=_errors(401, 403, 404, 409, 429),
    dependencies=WRITES,
    summary="Delete a story and its articles (needs the API token)",
)
async def delete_story(request: Request, story_id: str) -> dict[str, Any]:
    """Delete a story with every article in it. Needs `Authorization: Bearer <token>`."""
    authorize_write(request)
    store = store_of(request)
    story_id = resolve_id(store, "story", story_id)

    def run() -> Removal:
        with WRITER:
            return remove_story(store, story_id)

    try:
        removal = await run_in_threadpool(run) if is_id(story_id) else None
    except KeyError:
        removal = None
    if removal is None:
        raise ApiError(404, "not_found", f"no story has the id {story_id[:80]!r}")
    return {"deleted": removal.to_dict(), "briefs": "skipped"}
