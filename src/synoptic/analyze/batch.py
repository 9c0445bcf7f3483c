"""Analysis: articles to ``AnalyzedArticle`` records, in batches, cached by content hash.

One spaCy ``pipe`` parses every article not yet analysed, each per-article extractor reads its
parse once, and one embedding call encodes every new sentence; the parse is then dropped. The
records are cached (``analysis.sqlite``, table ``analyses``) by analysis version, model
signature and content hash, so a text is analysed once, ever, and a story that gains an article
costs one article's analysis: pass the analyses already known (``known``) and only the others
are looked up or computed.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from synoptic.analyze.claims import extract_claims
from synoptic.analyze.dates import date_evidence
from synoptic.analyze.embed import MODEL_SHA256, Embedder
from synoptic.analyze.entities import extract_mentions
from synoptic.analyze.features import features_doc
from synoptic.analyze.nlp import (
    MAX_CHARS,
    PASS_VERSION,
    load_nlp,
    parse_texts,
    parse_view,
    sentences,
)
from synoptic.analyze.quantities import extract_quantities
from synoptic.analyze.quotes import extract_quotes
from synoptic.analyze.record import ANALYSIS_VERSION, AnalyzedArticle
from synoptic.cache import BlobCache
from synoptic.deadline import DeadlineExceeded, budget, check, checked
from synoptic.model import Article, Sentence

if TYPE_CHECKING:  # spaCy is slow to import; only its types are needed here
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

BATCH_SIZE = 16


class AnalysisCache(BlobCache):
    """Analysis records on disk (``analysis.sqlite``), as compressed ``to_dict`` JSON."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path, table="analyses", default_name="analysis.sqlite")


def signature(nlp: Language) -> str:
    """Return what a cached record depends on besides the text: versions of every model."""
    model = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-p{PASS_VERSION}"
    return f"a{ANALYSIS_VERSION}:{model}:{MODEL_SHA256[:16]}"


def _encode(record: AnalyzedArticle) -> bytes:
    return zlib.compress(json.dumps(record.to_dict(), separators=(",", ":")).encode(), 3)


def _decode(blob: bytes) -> AnalyzedArticle:
    return AnalyzedArticle.from_dict(json.loads(zlib.decompress(blob)))


def _record(
    article: Article, doc: Doc, sents: tuple[Sentence, ...], vectors: np.ndarray
) -> AnalyzedArticle:
    """Run every per-article extractor over one parse, checking the input's budget between
    them (``synoptic.deadline``)."""
    features = tuple(features_doc(s, doc) for s in checked(sents, "features"))
    check("claims")
    claims = extract_claims(sents, doc)
    check("quotes")
    quotes = extract_quotes(article, doc)
    check("quantities")
    quantities = extract_quantities(article, doc)
    check("dates")
    dates = date_evidence(article, doc)
    check("entities")
    mentions = extract_mentions(article, doc)
    check("entities")
    return AnalyzedArticle(
        article=article.id,
        content_hash=article.content_hash,
        version=ANALYSIS_VERSION,
        sentences=sents,
        features=features,
        claims=claims,
        quotes=quotes,
        quantities=quantities,
        dates=dates,
        mentions=mentions,
        vector_data=np.ascontiguousarray(vectors, dtype=np.float32).tobytes(),
    )


def analyze_all(
    articles: Sequence[Article],
    *,
    embedder: Embedder,
    nlp: Language | None = None,
    cache: AnalysisCache | None = None,
    known: Mapping[str, AnalyzedArticle] | None = None,
    batch_size: int = BATCH_SIZE,
    max_chars: int = MAX_CHARS,
    seconds: float | None = None,
    overtime: list[tuple[Article, DeadlineExceeded]] | None = None,
) -> dict[str, AnalyzedArticle]:
    """Return the analysis of every article, by id, computing only what is not known.

    Args:
        articles: The articles (a text repeated under several ids is analysed once).
        embedder: Encodes the new sentences (one call for the whole batch).
        nlp: The spaCy pipeline; ``analyze.nlp.load_nlp()`` (loaded once per process) when
            omitted.
        cache: Where records are kept by content hash; ``None`` keeps nothing on disk.
        known: Analyses already at hand (say, stored with a story), by article id; one whose
            content hash and version match its article is used as is.
        batch_size: Texts per ``nlp.pipe`` batch.
        max_chars: Characters of each article analysed (``Settings.max_analysis_chars``);
            a longer article's analysis covers its first ``max_chars`` only.
        seconds: Each article's budget for its own stages after the parse
            (``Settings.input_seconds``; ``None`` or 0: none).
        overtime: Where an article over its budget is put, with the exception; it is then
            left out of the result (and not cached). Without this list the exception is
            raised.

    Returns:
        One ``AnalyzedArticle`` per article id (all of them unless ``overtime`` is given).
    """
    out: dict[str, AnalyzedArticle] = {}
    by_hash: dict[str, AnalyzedArticle] = {}
    for a in articles:
        rec = (known or {}).get(a.id)
        if (
            rec is not None
            and rec.version == ANALYSIS_VERSION
            and rec.content_hash == a.content_hash
        ):
            out[a.id] = rec
            by_hash.setdefault(a.content_hash, rec)
    rest = [a for a in articles if a.id not in out]
    if not rest:
        return out
    nlp = nlp if nlp is not None else load_nlp()
    sig = signature(nlp)
    if max_chars != MAX_CHARS:  # a record of a cut text is kept apart from the full one
        sig = f"{sig}:c{max_chars}"
    missing = sorted({a.content_hash for a in rest} - by_hash.keys())
    if cache is not None and missing:
        by_hash.update(_cached(cache, sig, missing))
    todo: dict[str, Article] = {}
    for a in rest:
        if a.content_hash not in by_hash:
            todo.setdefault(a.content_hash, a)
    if todo:
        over: list[tuple[Article, DeadlineExceeded]] = []
        fresh = _analyze_new(
            list(todo.values()), nlp, embedder, batch_size, max_chars, seconds, over
        )
        by_hash.update((r.content_hash, r) for r in fresh)
        if cache is not None:
            cache.put_many((f"{sig}:{r.content_hash}", _encode(r)) for r in fresh)
        if over and overtime is None:
            raise over[0][1]
        late = {a.content_hash: exc for a, exc in over}
        if overtime is not None:  # every article of a text over its budget is named
            overtime.extend((a, late[a.content_hash]) for a in rest if a.content_hash in late)
    for a in rest:
        if a.content_hash in by_hash:
            out[a.id] = by_hash[a.content_hash].for_article(a.id)
    return out


def _cached(cache: AnalysisCache, sig: str, hashes: list[str]) -> dict[str, AnalyzedArticle]:
    """Return the cached records of these content hashes (a corrupt entry is skipped)."""
    found: dict[str, AnalyzedArticle] = {}
    for key, blob in cache.get_many([f"{sig}:{h}" for h in hashes]).items():
        try:
            rec = _decode(blob)
        except (ValueError, KeyError, TypeError, zlib.error) as exc:
            log.warning("ignoring corrupt analysis cache entry %s: %s", key, exc)
            continue
        found[rec.content_hash] = rec
    return found


def _analyze_new(
    articles: Sequence[Article],
    nlp: Language,
    embedder: Embedder,
    batch_size: int,
    max_chars: int = MAX_CHARS,
    seconds: float | None = None,
    overtime: list[tuple[Article, DeadlineExceeded]] | None = None,
) -> list[AnalyzedArticle]:
    """Parse, extract and embed articles none of whose text has an analysis yet."""
    docs = parse_texts(nlp, (parse_view(a.text, max_chars) for a in articles), batch_size)
    parsed = dict(zip((a.id for a in articles), docs, strict=True))
    found = analyze_docs(articles, parsed, embedder=embedder, seconds=seconds, overtime=overtime)
    return list(found.values())


def analyze_docs(
    articles: Sequence[Article],
    docs: Mapping[str, Doc],
    *,
    embedder: Embedder,
    seconds: float | None = None,
    overtime: list[tuple[Article, DeadlineExceeded]] | None = None,
) -> dict[str, AnalyzedArticle]:
    """Return the analysis of articles already parsed (``docs`` by article id), uncached.

    For callers that hold parses anyway (benches, tests); ``analyze_all`` parses by itself.
    Each article's own stages (its sentences, then its extractors) share a budget of
    ``seconds``; an article over it goes to ``overtime`` (raised without that list).
    """
    sents: dict[str, tuple[Sentence, ...]] = {}
    spent: dict[str, float] = {}
    for a in articles:
        start = time.thread_time()
        try:
            with budget(seconds):
                sents[a.id] = sentences(a, docs[a.id])
        except DeadlineExceeded as exc:
            if overtime is None:
                raise
            overtime.append((a, exc))
        spent[a.id] = time.thread_time() - start
    kept = [a for a in articles if a.id in sents]
    vectors = embedder.encode([s.text for a in kept for s in sents[a.id]])
    out: dict[str, AnalyzedArticle] = {}
    at = 0
    for a in kept:
        n = len(sents[a.id])
        left = seconds - spent[a.id] if seconds else None
        try:  # the budget left after its sentences (a spent budget fails the first check)
            with budget(max(left, 1e-9) if left is not None else None, of=seconds):
                out[a.id] = _record(a, docs[a.id], sents[a.id], vectors[at : at + n])
        except DeadlineExceeded as exc:
            if overtime is None:
                raise
            overtime.append((a, exc))
        at += n
    return out


def analyze(
    article: Article,
    *,
    embedder: Embedder,
    nlp: Language | None = None,
    cache: AnalysisCache | None = None,
) -> AnalyzedArticle:
    """Return the analysis of one article (see ``analyze_all``)."""
    return analyze_all([article], embedder=embedder, nlp=nlp, cache=cache)[article.id]


__all__ = ["AnalysisCache", "analyze", "analyze_all", "analyze_docs", "signature"]
