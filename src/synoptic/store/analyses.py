"""Stored analyses: each article's analysis record, saved once and read back by version.

A stored story's brief needs every member's analysis; a story that grows by one article must
not analyse the others again. The records live in the ``analyses`` table keyed by article id
and analysis version, as zlib-compressed JSON (a record with sentence vectors is a few hundred
kilobytes of JSON, a third of that compressed). The table knows nothing of the record's type:
callers pass and get JSON-ready dictionaries (``AnalyzedArticle.to_dict`` / ``from_dict``).

A row is only used for the text it was made from: ``load`` drops rows whose content hash is not
the one asked for (article ids already derive from the text, so this guards against a record
saved under a wrong id rather than against edits). Saving is idempotent: a key already stored
is kept (two writers racing on one article write the same record).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from synoptic.model import Article
from synoptic.store.schema import AnalysisRow

if TYPE_CHECKING:  # the analysis stack loads only when a brief is built
    from synoptic.analyze.record import AnalyzedArticle

log = logging.getLogger(__name__)

# Rows read per query when loading many members.
CHUNK = 500


class Sessions(Protocol):
    """What the convenience functions need of a ``Store``: its transactions."""

    def session(self, *, readonly: bool = False) -> AbstractContextManager[Session]: ...


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """One analysis record as the store keeps it.

    Attributes:
        article_id: The article analysed.
        content_hash: Hash of the text analysed (``Article.content_hash``).
        record: The record as JSON-ready data.
    """

    article_id: str
    content_hash: str
    record: Mapping[str, Any]


def encode(record: Mapping[str, Any]) -> bytes:
    """Return a record as the compressed JSON the table stores."""
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 6)


def decode(blob: bytes) -> dict[str, Any]:
    """Return the record ``encode`` stored."""
    out: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
    return out


def write(session: Session, version: str, items: Iterable[StoredAnalysis], now: datetime) -> int:
    """Save records at ``version``, keeping any already stored; return how many were given."""
    rows = [
        {
            "article_id": item.article_id,
            "version": version,
            "content_hash": item.content_hash,
            "record": encode(item.record),
            "created_at": now,
        }
        for item in items
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    # The dialects' insert constructs are imported here: reading the store needs neither.
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "postgresql":
        stmt: Any = postgresql.insert(AnalysisRow).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(AnalysisRow).on_conflict_do_nothing()
    session.execute(stmt, rows)
    return len(rows)


def read(
    session: Session,
    version: str,
    article_ids: Sequence[str],
    content_hashes: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Return the stored records of ``article_ids`` at ``version`` (missing ids left out).

    Args:
        session: An open session.
        version: The analysis version.
        article_ids: The articles wanted.
        content_hashes: When given, a row is returned only if its content hash is the one
            given for its article.
    """
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(article_ids), CHUNK):
        chunk = list(article_ids[start : start + CHUNK])
        stmt = select(AnalysisRow.article_id, AnalysisRow.content_hash, AnalysisRow.record).where(
            AnalysisRow.version == version, AnalysisRow.article_id.in_(chunk)
        )
        for r in session.execute(stmt):
            if content_hashes is not None and content_hashes.get(r.article_id) != r.content_hash:
                continue
            out[r.article_id] = decode(r.record)
    return out


def save_analyses(
    store: Sessions, version: str, items: Iterable[StoredAnalysis], now: datetime | None = None
) -> int:
    """Save records in one transaction of their own (see ``write``)."""
    with store.session() as s:
        return write(s, version, items, now or datetime.now(UTC))


def load_analyses(
    store: Sessions,
    version: str,
    article_ids: Sequence[str],
    content_hashes: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Read records in a read-only transaction (see ``read``)."""
    with store.session(readonly=True) as s:
        return read(s, version, article_ids, content_hashes)


def known_analyses(session: Session, articles: Sequence[Article]) -> dict[str, AnalyzedArticle]:
    """Return the stored analyses of ``articles`` at this ``ANALYSIS_VERSION``, by article id.

    A stored record that no longer reads (written by an incompatible build) is skipped: the
    article is analysed again and the brief still builds.
    """
    from synoptic.analyze.record import ANALYSIS_VERSION, AnalyzedArticle

    stored = read(
        session,
        ANALYSIS_VERSION,
        [a.id for a in articles],
        {a.id: a.content_hash for a in articles},
    )
    out: dict[str, AnalyzedArticle] = {}
    for article_id, data in stored.items():
        try:
            out[article_id] = AnalyzedArticle.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("ignoring unreadable stored analysis of %s: %s", article_id, exc)
    return out


def keep_new(
    session: Session,
    analyses: Mapping[str, AnalyzedArticle],
    known: Mapping[str, AnalyzedArticle],
    now: datetime,
) -> int:
    """Store the analyses not already stored (those absent from ``known``); return how many."""
    fresh = [
        StoredAnalysis(article_id, rec.content_hash, rec.to_dict())
        for article_id, rec in analyses.items()
        if article_id not in known
    ]
    by_version: dict[str, list[StoredAnalysis]] = {}
    for item, rec in zip(fresh, (analyses[f.article_id] for f in fresh), strict=True):
        by_version.setdefault(rec.version, []).append(item)
    return sum(write(session, v, items, now) for v, items in by_version.items())


__all__ = [
    "StoredAnalysis",
    "decode",
    "encode",
    "keep_new",
    "known_analyses",
    "load_analyses",
    "read",
    "save_analyses",
    "write",
]
