"""The shapes of the API's answers, as Pydantic models or record dataclasses (they become the
OpenAPI schemas).

Field names follow the CLI's JSON output (``synoptic stories --format json``) and Brief JSON
v1, so a client reads the same fields from the command line and from the server.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from synoptic.web.subscriptions import FeedState


class ErrorDetail(BaseModel):
    """One invalid parameter."""

    loc: list[str | int]
    message: str
    type: str


class ErrorInfo(BaseModel):
    """What went wrong: a stable code and one line for a human."""

    code: str = Field(examples=["not_found"])
    message: str
    details: list[ErrorDetail] | None = None


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    error: ErrorInfo


class HealthOut(BaseModel):
    """The server and its store."""

    status: Literal["ok"]
    version: str
    articles: int = Field(ge=0)
    stories: int = Field(ge=0)
    database: str = Field(description="The store's database kind: sqlite or postgresql.")
    ingest: bool = Field(description="Whether ingest is enabled (an API token is configured).")


class StoryLinks(BaseModel):
    """Where a story's brief and page are."""

    brief: str
    page: str


class StoryOut(BaseModel):
    """One story of the listing (the fields of ``synoptic stories --format json``)."""

    id: str
    headline: str
    outlets: int = Field(ge=0, description="Distinct outlets (or sources, for unnamed ones).")
    articles: int = Field(ge=0)
    first_seen: str = Field(description="ISO 8601: first publication (else ingest) time.")
    last_seen: str = Field(description="ISO 8601: last publication (else ingest) time.")
    conflicts: int | None = Field(description="Conflicts in the brief; null until it is built.")
    closed: bool
    dated: bool = Field(
        default=True,
        description="False when no report carries a publication time: first_seen and "
        "last_seen are then the times the reports were added, not published.",
    )
    links: StoryLinks


class StoryPageOut(BaseModel):
    """One page of stories, latest first (undated ones last)."""

    total: int = Field(ge=0, description="Stories matching the filters in all.")
    limit: int
    offset: int | None = Field(description="Where this page starts; null when paged by cursor.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    stories: list[StoryOut]


class BriefDocumentOut(BaseModel):
    """A Brief JSON v1 document holding one story (schema: /api/v1/schema/brief-v1.json)."""

    schema_version: Literal["1"]
    stories: list[dict[str, Any]]


class RevisionOut(BaseModel):
    """One change of a story's brief (``store.revisions``): when, and what it added."""

    story: str
    at: str
    ts: float
    articles: list[dict[str, Any]]
    outlets: list[str]
    facts: list[dict[str, Any]]
    new_conflicts: list[dict[str, Any]]
    updated_conflicts: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    speakers: list[str]
    timeline: list[dict[str, Any]]
    flags: list[dict[str, Any]]


class ChangesOut(BaseModel):
    """A story's revisions, oldest first."""

    story: str
    revisions: list[RevisionOut]


class ArticleOut(BaseModel):
    """One stored article: the article object of Brief JSON v1 plus its story."""

    id: str
    source: str
    outlet: str | None
    url: str | None
    title: str | None
    byline: str | None
    published: str | None
    language: str | None
    text: str
    duplicate_of: str | None
    meta: dict[str, Any]
    story_id: str | None


class FeedOut(FeedState):
    """One feed subscription and its polling state (as ``synoptic feeds list`` shows it)."""

    # The fields are FeedState's (the API answers its to_dict); pydantic reads a dataclass.
    __slots__ = ()


class IngestItemOut(BaseModel):
    """What happened to one input item."""

    index: int
    source: str
    status: Literal["accepted", "duplicate", "rejected"]
    code: str | None = Field(description="The CLI's error code of a rejected item (E0xx).")
    message: str
    line: str | None = Field(description="The line `synoptic ingest` prints for a rejected item.")
    article_id: str | None
    story_id: str | None
    duplicate_of: str | None


class IngestOut(BaseModel):
    """The result of an ingest request, one line per item in input order."""

    accepted: int
    duplicates: int
    rejected: int
    touched: list[str]
    items: list[IngestItemOut]
    briefs: Literal["scheduled", "skipped"]


class RemovalOut(BaseModel):
    """What a removal did."""

    articles: list[str] = Field(description="The ids of the articles deleted.")
    story_id: str | None = Field(description="The story they were in.")
    story: Literal["kept", "renamed", "removed"] = Field(
        description="The story recomputed from the members left, renamed (its first member "
        "went: a story's id is `s` + its first member's id), or removed (no member left)."
    )
    new_story_id: str | None = Field(description="The story's id now (null when removed).")


class DeleteOut(BaseModel):
    """The answer to a DELETE."""

    deleted: RemovalOut
    briefs: Literal["scheduled", "skipped"] = Field(
        description="Whether the changed story's brief is being rebuilt."
    )


ARTICLE_RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One article, as in the CLI's JSON input: `text` or `html` is required.",
    "properties": {
        "text": {"type": "string"},
        "html": {"type": "string"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "outlet": {"type": "string"},
        "published": {"type": "string", "description": "ISO 8601 date or time."},
        "byline": {"type": "string"},
        "language": {"type": "string"},
    },
    "additionalProperties": True,
}
