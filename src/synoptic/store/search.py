"""Full-text search of the stories: which stories' articles hold the words of a query.

The words are matched in each article's title, outlet, byline and body (so a person named only
in the body, or a quote, is found), by the index migration 0009 made: SQLite FTS5, PostgreSQL
``to_tsvector('simple', ...)``. Every word must occur, each also as the start of a longer word
("muse" finds "museum"), case and accents aside. A query with no word characters ("%") has no
full-text form; the listing then matches it literally against headlines and titles instead.

Snippets mark the matches with two private-use characters (``MARK_START``/``MARK_END``), never
with markup: article text is untrusted, so a page escapes the snippet and only then turns the
two characters into ``<mark>`` elements.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, exists, text
from sqlalchemy.orm import Session

from synoptic.store.schema import ArticleRow, StoryRow

MARK_START = "\ue000"
MARK_END = "\ue001"
# At most this many words of a query are searched (a pasted paragraph stays one cheap query).
MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
# Keep in step with migrations/versions/v0009_search.py.
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(articles.title, '') || ' ' || "
    "coalesce(articles.outlet, '') || ' ' || coalesce(articles.byline, '') || ' ' || "
    "articles.text)"
)


def words(query: str) -> list[str]:
    """Return the words of a query, lower-cased, at most ``MAX_WORDS``."""
    return [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]


def fts5_query(query: str) -> str | None:
    """Return the FTS5 query of ``query``: each word a quoted prefix term (``"muse"*``)."""
    terms = words(query)
    return " ".join(f'"{t}"*' for t in terms) if terms else None


def pg_query(query: str) -> str | None:
    """Return the PostgreSQL ``to_tsquery`` text of ``query``: ``dam:* & velmar:*``."""
    terms = words(query)
    return " & ".join(f"{t}:*" for t in terms) if terms else None


def story_match(dialect: str, query: str) -> Any | None:
    """Return the condition "a current article of the story holds every word", or ``None``.

    Args:
        dialect: The database's SQLAlchemy dialect name.
        query: The search text.
    """
    current = [ArticleRow.story_id == StoryRow.id, ArticleRow.superseded_by.is_(None)]
    if dialect == "postgresql":
        q = pg_query(query)
        if q is None:
            return None
        match = text(f"{PG_DOCUMENT} @@ to_tsquery('simple', :search_q)").bindparams(
            bindparam("search_q", q)
        )
        return exists().where(*current, match)
    q = fts5_query(query)
    if q is None:
        return None
    hits = text("SELECT rowid FROM article_search WHERE article_search MATCH :search_q").bindparams(
        bindparam("search_q", q)
    )
    return exists().where(*current, ArticleRow.seq.in_(hits))


def snippets(s: Session, story_ids: list[str], query: str, tokens: int = 16) -> dict[str, str]:
    """Return, per story, a passage of one matching article with the matches marked.

    Args:
        s: A session.
        story_ids: The stories of the page shown.
        query: The search text.
        tokens: About how many words a passage holds.
    """
    if not story_ids:
        return {}
    dialect = s.get_bind().dialect.name
    out: dict[str, str] = {}
    if dialect == "postgresql":
        q = pg_query(query)
        if q is None:
            return {}
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={tokens}, MinWords=5"
        stmt = text(
            "SELECT DISTINCT ON (articles.story_id) articles.story_id, ts_headline('simple', "
            "articles.text, to_tsquery('simple', :q), :opts) FROM articles "
            "WHERE articles.story_id IN :ids AND articles.superseded_by IS NULL "
            f"AND {PG_DOCUMENT} @@ to_tsquery('simple', :q) "
            "ORDER BY articles.story_id, articles.seq"
        ).bindparams(bindparam("ids", expanding=True))
        rows = s.execute(stmt, {"q": q, "opts": options, "ids": story_ids})
    else:
        q = fts5_query(query)
        if q is None:
            return {}
        stmt = text(
            "SELECT articles.story_id, snippet(article_search, -1, :a, :b, '…', :n) "
            "FROM article_search JOIN articles ON articles.seq = article_search.rowid "
            "WHERE article_search MATCH :q AND articles.story_id IN :ids "
            "AND articles.superseded_by IS NULL ORDER BY article_search.rank"
        ).bindparams(bindparam("ids", expanding=True))
        rows = s.execute(
            stmt, {"a": MARK_START, "b": MARK_END, "n": tokens, "q": q, "ids": story_ids}
        )
    for story_id, passage in rows:
        if story_id not in out and passage and MARK_START in passage:
            out[story_id] = passage
    return out


__all__ = [
    "MARK_END",
    "MARK_START",
    "fts5_query",
    "pg_query",
    "snippets",
    "story_match",
    "words",
]
