"""The data model every stage takes and returns.

Small frozen dataclasses, one per value in the flow (see ``DESIGN.md``)::

    RawDocument -> Article -> Story -> Brief (summary, facts, conflicts, quotes, ...)

Every value converts to plain JSON-ready dictionaries with ``to_dict`` and back with
``from_dict``; ``Brief.to_dict`` produces one story object of Brief JSON v1. Citations are kept
as ``Span`` objects (article id, character span in the article's cleaned ``text``) so that every
claim can be shown in its source; the JSON ``sources`` lists are derived from them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from urllib.parse import urlsplit

SCHEMA_VERSION = "1"

T = TypeVar("T", bound="Record")

DocKind = Literal["text", "html", "sgml"]


def _encode(value: Any) -> Any:
    """Turn a model value into JSON-ready data (tuples become lists, records dicts)."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(tp: Any, value: Any) -> Any:
    """Build a value of annotated type ``tp`` from JSON-ready data."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(args[0], value) if len(args) == 1 else value
    if origin is tuple:
        (item_tp, *_rest) = typing.get_args(tp)
        return tuple(_decode(item_tp, v) for v in value)
    if origin in (dict, Mapping, typing.Mapping) or tp in (dict, Mapping):
        return dict(value)
    if origin is Literal:
        return value
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_dict(value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


class Record:
    """Mixin giving frozen dataclasses a lossless ``to_dict``/``from_dict`` pair."""

    __slots__ = ()
    _hints: ClassVar[dict[type, dict[str, Any]]] = {}

    def to_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready data."""
        assert dataclasses.is_dataclass(self)
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build the record from ``to_dict`` output; unknown keys are ignored."""
        hints = Record._hints.get(cls)
        if hints is None:
            hints = typing.get_type_hints(cls)
            Record._hints[cls] = hints
        kwargs: dict[str, Any] = {}
        assert dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls):
            if f.name in data:
                kwargs[f.name] = _decode(hints[f.name], data[f.name])
        return cls(**kwargs)


def stable_id(prefix: str, *parts: str | None, length: int = 16) -> str:
    """Return a short id derived from content, stable across runs and machines."""
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8"))
        h.update(b"\x1f")
    return prefix + h.hexdigest()[:length]


def published_timestamp(value: str | None) -> float | None:
    """Return an ISO 8601 ``published`` value as UTC epoch seconds, or ``None`` if unreadable.

    A bare year, year-month or date counts as its first midnight UTC; a time without an offset
    as UTC.
    """
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 4 and value.isdigit():
            parsed = datetime(int(value), 1, 1, tzinfo=UTC)
        elif len(value) == 7 and value[4] == "-":
            parsed = datetime(int(value[:4]), int(value[5:7]), 1, tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def content_hash(text: str) -> str:
    """Return the hash analysis caches are keyed by (the cleaned text alone)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


OriginKind = Literal["file", "stdin", "upload", "request", "bytes", "url", "feed", "warc"]


@dataclass(frozen=True, slots=True)
class Origin(Record):
    """Where a document came from, in parts (``RawDocument.source`` is its printed name).

    Attributes:
        kind: How it reached us: ``file``, ``stdin``, ``upload``, ``request`` (an HTTP body),
            ``bytes`` (handed to ``read_bytes``), ``url``, ``feed`` or ``warc``.
        name: The input's name: a path (undecodable bytes escaped), ``-``, an upload's file
            name, a URL.
        line: For a JSON line, its line number in the input.
        index: For an element of a JSON list, its position.
        docno: For a TREC ``<DOC>`` element, its document number.
        url: The URL the document was fetched from, when it was.
        fetched_at: When it was fetched (ISO 8601), when known.
        feed: The feed that listed it.
        record_id: Its record id in a web archive (``WARC-Record-ID``).
    """

    kind: OriginKind = "file"
    name: str = ""
    line: int | None = None
    index: int | None = None
    docno: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    feed: str | None = None
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument(Record):
    """One input as read, before extraction.

    Attributes:
        source: The name printed for it: the path or URL it was read from (``-`` for standard
            input; ``path:line`` for a JSON line, ``path#INDEX`` for an element of a JSON list,
            ``path#DOCNO`` for one of several TREC documents). ``origin`` holds these parts.
        content: The decoded text or HTML.
        kind: ``"html"``, ``"text"`` or ``"sgml"`` (one ``<DOC>`` element of a TREC/DUC
            newswire file).
        meta: Metadata supplied with the input (title, url, outlet, published, byline,
            language, and any other field of a JSON record).
        group: The folder the input came from, used by ``--stories per-dir``.
        origin: Where it came from, in parts (``None`` when built by hand).
    """

    source: str
    content: str
    kind: DocKind = "text"
    meta: Mapping[str, Any] = field(default_factory=dict)
    group: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Article(Record):
    """A cleaned report: body text plus the metadata read from it or supplied with it.

    ``text`` is the cleaned body; every ``Span`` in a brief indexes into it. ``published`` is an
    ISO 8601 string at the precision known (a date, or a date and time with its offset).
    """

    id: str
    source: str
    text: str
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    group: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def make_id(text: str, outlet: str | None, url: str | None, title: str | None) -> str:
        """Derive an article id from its content, so re-reading an input gives the same id.

        Outlet, URL and title take part so that one wire text carried by two outlets gives two
        articles (one later marked as the other's duplicate) rather than one.
        """
        return stable_id("a", text, outlet, url, title)

    @property
    def content_hash(self) -> str:
        """The hash of the cleaned text, which analysis caches are keyed by."""
        return content_hash(self.text)

    @property
    def label(self) -> str:
        """A short human name for the article: its outlet, else its URL's host, else its
        source's file name."""
        if self.outlet:
            return self.outlet
        try:
            host = urlsplit(self.url).hostname if self.url else None
        except ValueError:  # a malformed URL names no host
            host = None
        if host:
            return host.removeprefix("www.")
        tail = self.source.rstrip("/").rsplit("/", 1)[-1]
        return tail or self.id

    def contract_dict(self) -> dict[str, Any]:
        """Return the article object of Brief JSON v1 (with ``meta`` as an added field)."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "url": self.url,
            "title": self.title,
            "byline": self.byline,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "meta": _encode(self.meta),
        }


@dataclass(frozen=True, slots=True)
class Span(Record):
    """A citation: characters ``[start, end)`` of one article's cleaned text."""

    article: str
    start: int
    end: int

    def of(self, article: Article) -> str:
        """Return the cited text from ``article`` (which must be the cited one)."""
        return article.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    """A sentence of an article, with its place in the article's text."""

    article: str
    index: int
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        """The sentence as a citation."""
        return Span(self.article, self.start, self.end)


def sources_of(spans: Iterable[Span]) -> tuple[str, ...]:
    """Return the distinct article ids of ``spans`` in first-seen order."""
    return tuple(dict.fromkeys(s.article for s in spans))


class Sourced:
    """A record citing ``spans``, whose ``sources`` are the cited articles."""

    __slots__ = ()
    spans: tuple[Span, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct article ids of ``spans``, in first-seen order."""
        return sources_of(self.spans)


@dataclass(frozen=True, slots=True)
class Cited(Sourced, Record):
    """A verbatim text with the spans that support it (summary sentences, facts, variants)."""

    text: str
    spans: tuple[Span, ...] = ()

    def contract_dict(self) -> dict[str, Any]:
        """Return ``{"text", "sources"}`` plus the spans as an added field."""
        return {"text": self.text, "sources": list(self.sources), "spans": _encode(self.spans)}


@dataclass(frozen=True, slots=True)
class Quote(Sourced, Record):
    """A direct quote, merged across the outlets that carry it.

    ``sentence`` (an added field) is the whole sentence, verbatim, that carries a fragment: a
    few words quoted inside the reporter's own sentence ("called the delay “far too late”")
    say nothing on their own, so the brief keeps them with it; ``None`` for a quote that
    stands alone.
    """

    text: str
    speaker: str | None = None
    spans: tuple[Span, ...] = ()
    variants: tuple[Cited, ...] = ()
    relayed_by: str | None = None
    sentence: str | None = None

    def contract_dict(self) -> dict[str, Any]:
        """Return the quote object of Brief JSON v1."""
        return {
            "speaker": self.speaker,
            "text": self.text,
            "sources": list(self.sources),
            "variants": [v.contract_dict() for v in self.variants],
            "relayed_by": self.relayed_by,
            "spans": _encode(self.spans),
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Entity(Record):
    """A person, organisation or place, with aliases and roles merged across outlets."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class ConflictValue(Sourced, Record):
    """One side of a conflict: a value, its unit and the verbatim wording that gives it.

    ``value`` and ``unit`` are as written ("90" "minute"), ``low``..``high`` the interval the
    wording admits ("at least 300" is 300..``None``: no upper bound) and ``approx`` how it is
    stated (exact, about, over, under, range); all three are ``None`` for a claim.
    """

    text: str
    value: float | None = None
    unit: str | None = None
    spans: tuple[Span, ...] = ()
    low: float | None = None
    high: float | None = None
    approx: str | None = None

    def contract_dict(self) -> dict[str, Any]:
        """Return the conflict value object of Brief JSON v1."""
        return {
            "value": self.value,
            "unit": self.unit,
            "text": self.text,
            "sources": list(self.sources),
            "spans": _encode(self.spans),
            "low": self.low,
            "high": self.high,
            "approx": self.approx,
        }


@dataclass(frozen=True, slots=True)
class Conflict(Record):
    """Outlets that give incompatible values for the same thing."""

    topic: str
    kind: Literal["number", "claim"]
    values: tuple[ConflictValue, ...] = ()

    def contract_dict(self) -> dict[str, Any]:
        """Return the conflict object of Brief JSON v1."""
        return {
            "topic": self.topic,
            "kind": self.kind,
            "values": [v.contract_dict() for v in self.values],
        }


@dataclass(frozen=True, slots=True)
class TimelineEvent(Sourced, Record):
    """A dated event: ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    ``kind`` is ``"event"`` for what the reports say happened (or is happening) on that date,
    ``"planned"`` for what they say is due, scheduled, expected or aimed at then (a meeting
    set for Wednesday, a forecast for 2001): told apart so a reader never takes a plan for a
    fact.
    """

    date: str
    text: str
    spans: tuple[Span, ...] = ()
    kind: Literal["event", "planned"] = "event"

    def contract_dict(self) -> dict[str, Any]:
        """Return the timeline object of Brief JSON v1 (``kind`` is an added field)."""
        return {
            "date": self.date,
            "text": self.text,
            "sources": list(self.sources),
            "spans": _encode(self.spans),
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Unique(Record):
    """What one article alone reports."""

    article: str
    text: str
    span: Span | None = None

    def contract_dict(self) -> dict[str, Any]:
        """Return the unique object of Brief JSON v1."""
        return {"article": self.article, "text": self.text, "span": _encode(self.span)}


@dataclass(frozen=True, slots=True)
class Flag(Record):
    """Something a reader should check, such as a person given conflicting pronouns."""

    kind: str
    text: str
    sources: tuple[str, ...] = ()

    def contract_dict(self) -> dict[str, Any]:
        """Return the flag object of Brief JSON v1."""
        return {"kind": self.kind, "text": self.text, "sources": list(self.sources)}


#: What ``Copy.differs`` says of a copy whose sentences and headline are the original's.
IDENTICAL = "identical text"


@dataclass(frozen=True, slots=True)
class Copy(Record):
    """A report that copies another of the story, counted once as a source, with what its
    sentences changed.

    ``kind``: ``duplicate`` for a copy marked ``duplicate_of`` (byte-identical or contained
    wire copy, ``dedup``), ``near-copy`` for one found by ``dedup.near_copies`` (the same
    wire story republished with edits). ``edited``: its sentences near one of the original's
    but not the same; ``added``: with none near them; ``dropped``: the original's sentences
    with none near them in the copy; ``retitled``: it carries a headline of its own.
    """

    article: str
    copy_of: str
    kind: str = "near-copy"
    edited: int = 0
    added: int = 0
    dropped: int = 0
    retitled: bool = False

    @property
    def differs(self) -> str:
        """What differs, in words ("new headline, 2 sentences edited, 1 dropped")."""
        counts = [(self.edited, "edited"), (self.added, "added"), (self.dropped, "dropped")]
        parts = [(n, word) for n, word in counts if n]
        title = ["new headline"] if self.retitled else []
        if not parts:
            return ", ".join(title or [IDENTICAL])
        (n, word), rest = parts[0], parts[1:]
        head = f"{n} sentence{'' if n == 1 else 's'} {word}"
        return ", ".join([*title, head, *(f"{k} {w}" for k, w in rest)])

    def contract_dict(self) -> dict[str, Any]:
        """Return the copy object of Brief JSON v1's optional ``copies``."""
        return {**self.to_dict(), "differs": self.differs}


@dataclass(frozen=True, slots=True)
class Story(Record):
    """Articles grouped as reports of one story."""

    id: str
    headline: str
    articles: tuple[Article, ...] = ()

    @staticmethod
    def make_id(article_ids: Iterable[str]) -> str:
        """Derive a story id from its members, independent of their order."""
        return stable_id("s", *sorted(article_ids))

    def article(self, article_id: str) -> Article:
        """Return the member article with id ``article_id``."""
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


@dataclass(frozen=True, slots=True)
class Brief(Record):
    """The synthesis of one story: every list cites the articles that support it."""

    story: Story
    summary: tuple[Cited, ...] = ()
    facts: tuple[Cited, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    unique: tuple[Unique, ...] = ()
    flags: tuple[Flag, ...] = ()
    outlets: tuple[Mapping[str, Any], ...] = ()
    copies: tuple[Copy, ...] = ()

    def contract_dict(self) -> dict[str, Any]:
        """Return the story object of Brief JSON v1.

        Added fields: each article's ``outlet_kind`` and ``counts_for`` (the outlet it counts
        for: an agency for a republished wire story), the story's ``outlets`` (one entry per
        article: ``outlets.Attribution``) and ``independent_outlets`` (agencies, outlets and
        parents counted once), and ``copies`` when copies are in the story (each with the
        report it copies, whether it is marked ``duplicate_of`` or a near-copy, and what
        differs).
        """
        by_article = {str(o.get("article")): o for o in self.outlets}
        articles = []
        for a in self.story.articles:
            row = a.contract_dict()
            if (found := by_article.get(a.id)) is not None:
                row["outlet_kind"] = found.get("kind")
                row["counts_for"] = found.get("name")
            articles.append(row)
        extra: dict[str, Any] = {}
        if self.outlets:
            extra["outlets"] = [_encode(o) for o in self.outlets]
            extra["independent_outlets"] = len({o.get("key") for o in self.outlets})
        if self.copies:
            extra["copies"] = [c.contract_dict() for c in self.copies]
        return {
            "id": self.story.id,
            "headline": self.story.headline,
            "articles": articles,
            "summary": [c.contract_dict() for c in self.summary],
            "facts": [c.contract_dict() for c in self.facts],
            "conflicts": [c.contract_dict() for c in self.conflicts],
            "quotes": [q.contract_dict() for q in self.quotes],
            "entities": [e.to_dict() for e in self.entities],
            "timeline": [t.contract_dict() for t in self.timeline],
            "unique": [u.contract_dict() for u in self.unique],
            "flags": [f.contract_dict() for f in self.flags],
            **extra,
        }


def briefs_document(briefs: Iterable[Brief]) -> dict[str, Any]:
    """Return the top-level Brief JSON v1 document for ``briefs``."""
    return {"schema_version": SCHEMA_VERSION, "stories": [b.contract_dict() for b in briefs]}
