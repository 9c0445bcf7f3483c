"""Ingest over HTTP: a request body or uploaded files through the CLI's own stages.

Each input goes exactly where ``synoptic ingest`` sends a file: ``read_inputs`` (size limit,
gzip, format by suffix or by content, JSON records mapped to documents) -> ``extract_all``
(the same extractors and error policy) -> ``Ingestor.add`` (the store's deduplication and
story placement, one transaction per article). The only change is the names: a JSON body is
read as standard input and its items are named ``request``, ``request#0``, ...; an upload is
named ``upload:<file name>``. Every item is reported on its own line: ``accepted``,
``duplicate`` (a copy of a stored article, or already stored) or ``rejected`` with the CLI's
code, message and stderr line.

A request is never half-stored behind an error: a body sent as JSON must be a JSON object or
list (``check_json``, else 400 before anything is read); the whole body is read before the
first article is stored (a reader that fails refuses the request, 400, nothing stored); and
an item that fails while it is extracted or stored is rolled back alone and reported
``rejected`` (``E013``, ``E050``) while the others go on.

One request at a time: the store already serialises placements (one article, one
transaction), and a lock here keeps the items of one request together, in order, so that two
concurrent requests never interleave their articles (placement depends on ingest order).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, Literal

from synoptic.errors import Errors, Problem
from synoptic.ingest import read_inputs
from synoptic.model import OriginKind, RawDocument
from synoptic.pipeline import extract_all
from synoptic.serve.errors import ApiError
from synoptic.serve.queries import get_article, original_of
from synoptic.store import Ingestor, IngestResult, Placement, Store

BODY_SOURCE = "request"
UPLOAD_PREFIX = "upload:"
GROUP = "api"
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)

ItemStatus = Literal["accepted", "duplicate", "rejected"]

# Held by every write of the server (ingest, delete): their effects never interleave.
WRITER = threading.Lock()
log = logging.getLogger("synoptic.serve")
_KINDS = {str: "a string", bool: "a boolean", int: "a number", float: "a number"}


@dataclass(frozen=True, slots=True)
class ItemReport:
    """What happened to one input item.

    Attributes:
        index: The item's place in the request (from 0).
        source: Its name (``request#2``, ``upload:report.html``).
        status: ``accepted``, ``duplicate`` or ``rejected``.
        message: One line for a human.
        code: The error code of a rejected item (``E008``, ...), else ``None``.
        line: The line ``synoptic ingest`` prints on stderr for a rejected item.
        article_id: The stored article (accepted and duplicate items).
        story_id: Its story.
        duplicate_of: The stored original it copies, if it is a copy.
    """

    index: int
    source: str
    status: ItemStatus
    message: str
    code: str | None = None
    line: str | None = None
    article_id: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the item as JSON-ready data."""
        return {
            "index": self.index,
            "source": self.source,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "article_id": self.article_id,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(slots=True)
class IngestReport:
    """The items of one request, in order, and the stories they touched."""

    items: list[ItemReport] = field(default_factory=list)
    result: IngestResult = field(default_factory=IngestResult)

    def count(self, status: ItemStatus) -> int:
        """Return how many items ended with ``status``."""
        return sum(1 for item in self.items if item.status == status)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "accepted": self.count("accepted"),
            "duplicates": self.count("duplicate"),
            "rejected": self.count("rejected"),
            "touched": list(self.result.touched),
            "items": [item.to_dict() for item in self.items],
        }


def _rename(
    item: RawDocument | Problem, old: str, new: str, kind: OriginKind
) -> RawDocument | Problem:
    source = new + item.source[len(old) :] if item.source.startswith(old) else item.source
    if isinstance(item, Problem):
        return Problem(source, item.code, item.message)
    # The origin names the request or the upload, not the stream or temporary copy read.
    origin = replace(item.origin, kind=kind, name=new) if item.origin else None
    return replace(item, source=source, group=GROUP, origin=origin)


def _not_a_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def check_json(body: bytes) -> None:
    """Refuse a body sent as JSON unless it is a JSON object or a list.

    The CLI's reader sniffs standard input and would read ``42`` or plain prose as a text
    article; a client that declared JSON meant JSON, so anything else is refused here.

    Raises:
        ApiError: 400 ``malformed_json`` (empty, not UTF-8/16/32, not JSON, or holding
            ``NaN``/``Infinity``, which JSON does not have); 400 ``invalid_body`` for JSON
            that is neither an object nor a list.
    """
    if not body.strip():
        raise ApiError(400, "malformed_json", Errors.E007.format(reason="the body is empty"))
    try:
        value = json.loads(body, parse_constant=_not_a_constant)
    except RecursionError:
        raise ApiError(
            400, "malformed_json", Errors.E007.format(reason="nested too deeply")
        ) from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        where = (
            f" at line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise ApiError(400, "malformed_json", Errors.E007.format(reason=reason + where)) from None
    if not isinstance(value, dict | list):
        kind = _KINDS.get(type(value), "null")
        raise ApiError(
            400,
            "invalid_body",
            f"the body must be a JSON object or a list of objects, not {kind}",
        )
    if isinstance(value, list) and value and not isinstance(value[0], dict):
        # The reader sniffs a list by its first item: ``[1]`` would be read (and stored) as a
        # text article. Later odd items are rejected one by one, as the CLI does.
        kind = _KINDS.get(type(value[0]), "an array" if isinstance(value[0], list) else "null")
        raise ApiError(
            400,
            "invalid_body",
            f"the body must be a list of JSON objects; its first item is {kind}",
        )


def read_all(items: Iterable[RawDocument | Problem]) -> list[RawDocument | Problem]:
    """Read every item of a request before any is stored.

    Raises:
        ApiError: 400 ``unreadable_body`` when the reader itself fails: nothing is stored.
    """
    try:
        return list(items)
    except Exception as exc:
        log.warning("a request body could not be read", exc_info=exc)
        raise ApiError(
            400, "unreadable_body", f"the body could not be read ({type(exc).__name__})"
        ) from None


def read_body(body: bytes, *, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Read a request body as ``synoptic ingest -`` reads standard input.

    A JSON object is one article, a JSON list (or JSON lines) several; the fields are those of
    the CLI's JSON input (``text`` or ``html``, ``title``, ``url``, ``outlet``, ``published``,
    ``byline``, ``language``; any other field is kept in the article's ``meta``).
    """
    for item in read_inputs(["-"], max_bytes=max_bytes, stdin=io.BytesIO(body)):
        yield _rename(item, "-", BODY_SOURCE, "request")


def safe_name(filename: str | None, index: int) -> str:
    """Return an upload's file name reduced to a safe base name (its suffix kept).

    Only the last path component survives (``../../x.html`` -> ``x.html``), characters outside
    letters, digits, ``. - _`` and space are dropped, and a leading dot is removed so the
    file is never hidden; an empty result becomes ``upload-<index>``.
    """
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("", base).strip().lstrip(".")
    return base[:120] or f"upload-{index}"


def read_uploads(
    files: Sequence[tuple[str | None, BinaryIO]], *, max_bytes: int
) -> Iterator[RawDocument | Problem]:
    """Read uploaded files as ``synoptic ingest FILE ...`` reads files named on the command line.

    Each upload is copied to a private temporary folder under its safe name, so that the CLI's
    reader decides its format by suffix (and gzip by magic bytes) exactly as for a file; the
    copy stops one byte past ``max_bytes`` and the reader then refuses it (``E006``).
    """
    with tempfile.TemporaryDirectory(prefix="synoptic-upload-") as tmp:
        for index, (filename, stream) in enumerate(files):
            name = safe_name(filename, index)
            folder = os.path.join(tmp, str(index))
            os.mkdir(folder)
            path = os.path.join(folder, name)
            with open(path, "wb") as out:
                remaining = max_bytes + 1
                while remaining > 0:
                    chunk = stream.read(min(remaining, 1 << 16))
                    if not chunk:
                        break
                    out.write(chunk)
                    remaining -= len(chunk)
            for item in read_inputs([path], max_bytes=max_bytes):
                yield _rename(item, path, UPLOAD_PREFIX + name, "upload")


def _reject(index: int, problem: Problem) -> ItemReport:
    return ItemReport(
        index, problem.source, "rejected", problem.message, code=problem.code, line=problem.line()
    )


def _reason(exc: BaseException) -> str:
    """One short, printable line about an exception (never the SQL or the article text)."""
    inner = getattr(exc, "orig", None) or exc
    first = (str(inner).splitlines() or [""])[0][:200] or type(inner).__name__
    return first.encode("utf-8", "backslashreplace").decode("utf-8")


def _one(
    store: Store, ingestor: Ingestor, index: int, item: RawDocument | Problem
) -> tuple[ItemReport, Placement | None]:
    """Extract and store one item; any failure is this item's ``rejected`` line."""
    if isinstance(item, Problem):
        return _reject(index, item), None
    problems: list[Problem] = []
    try:
        articles = extract_all([item], problems=problems)
    except Exception as exc:
        log.warning("extracting %s failed", item.source, exc_info=exc)
        return _reject(
            index, Problem(item.source, "E013", Errors.E013.format(reason=_reason(exc)))
        ), None
    if not articles:
        problem = problems[0] if problems else Problem(item.source, "E011", Errors.E011)
        return _reject(index, problem), None
    try:
        # One transaction: a failure here rolls back this article and nothing else.
        placement = ingestor.add(articles[0])
    except Exception as exc:
        log.warning("storing %s failed", item.source, exc_info=exc)
        return _reject(
            index, Problem(item.source, "E050", Errors.E050.format(reason=_reason(exc)))
        ), None
    return _placed(store, index, item.source, placement), placement


def ingest_items(store: Store, items: Iterable[RawDocument | Problem]) -> IngestReport:
    """Extract and store every item in order, one transaction per article.

    An item that fails (extraction ``E013``, storage ``E050``) is reported ``rejected`` and
    rolled back alone; the items before and after it are stored as usual.

    Args:
        store: The open store.
        items: Documents and reading problems (``read_body`` / ``read_uploads``, read in
            full by ``read_all``).

    Returns:
        One report line per item and the stories touched.
    """
    report = IngestReport()
    with WRITER:
        ingestor = Ingestor(store)
        for index, item in enumerate(items):
            line, placement = _one(store, ingestor, index, item)
            if placement is not None:
                report.result.record(placement)
            report.items.append(line)
    return report


def _placed(store: Store, index: int, source: str, placement: Placement) -> ItemReport:
    article_id = placement.article_id
    if placement.status == "existing":
        found = get_article(store, article_id)
        return ItemReport(
            index,
            source,
            "duplicate",
            "already stored (same article id); nothing changed",
            article_id=article_id,
            story_id=found.story_id if found else None,
        )
    if placement.status == "duplicate":
        original = original_of(store, article_id)
        message = (
            f"stored as a copy of {original} in story {placement.story_id}"
            if original
            else f"stored in story {placement.story_id} as the original of copies already stored"
        )
        return ItemReport(
            index,
            source,
            "duplicate",
            message,
            article_id=article_id,
            story_id=placement.story_id,
            duplicate_of=original,
        )
    return ItemReport(
        index,
        source,
        "accepted",
        f"stored in story {placement.story_id}",
        article_id=article_id,
        story_id=placement.story_id,
    )
