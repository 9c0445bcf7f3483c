"""Per-sentence features that cross-outlet alignment reads: names, numbers, content lemmas.

They are read from the sentence's spaCy parse once, at analysis time (``features_doc``), and kept
in the article's ``AnalyzedArticle``; ``features_text`` approximates them from the raw words when
no parse exists. ``synthesize.align`` explains how they weigh in a pair's evidence score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from synoptic.analyze.docindex import index_of
from synoptic.lang import fold, words
from synoptic.model import Record, Sentence

if TYPE_CHECKING:  # spaCy is slow to import; only its type is needed here
    from spacy.tokens import Doc

# scikit-learn's English stop words, as a data file (no scikit-learn import for them).
_STOP_WORDS = words("stop_words_sklearn")

# Sentences shorter than this carry no statement (alignment leaves them out).
MIN_WORDS = 4

_ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
WORD = re.compile(r"\w+(?:[’'.,-]\w+)*")
_NUM = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$|^\d+(?:[.,]\d+)?$")
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen"
_TEENS = "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
_NUMBER_WORDS = {w: i for i, w in enumerate(f"{_UNITS} {_TEENS}".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12})


@dataclass(frozen=True, slots=True)
class SentenceFeatures(Record):
    """What alignment compares between two sentences, besides their embeddings.

    Attributes:
        entities: Normalised named entities (a person's surname is added beside the full name),
            sorted.
        numbers: Normalised numbers the sentence states, sorted.
        content: Content lemmas (nouns, proper nouns, verbs, adjectives, numbers), sorted.
        has_verb: Whether it has a verb (a statement rather than a label or a fragment).
    """

    entities: tuple[str, ...]
    numbers: tuple[str, ...]
    content: tuple[str, ...]
    has_verb: bool


def number_key(text: str) -> str | None:
    """Return a canonical form of a number token, or ``None``."""
    t = text.strip().lower()
    if t in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[t])
    if not _NUM.match(t):
        return None
    if re.match(r"^\d{1,3}(?:[.,]\d{3})+$", t):
        # "11,000" and "11.000" (continental separator) are the same number.
        return str(int(re.sub(r"[.,]", "", t)))
    value = float(t.replace(",", "."))
    return str(int(value)) if value.is_integer() else str(value)


def _entity_keys(text: str, label: str) -> set[str]:
    name = fold(text).strip()
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"['’]s$", "", name).strip()
    if not name:
        return set()
    keys = {name}
    if label == "PERSON" and " " in name:
        # "Irena Vasko" and a later "Vasko" (or "Ms Vasko") name one person.
        keys.add(name.rsplit(" ", 1)[1])
    return keys


def _make(ents: set[str], numbers: set[str], content: set[str], verb: bool) -> SentenceFeatures:
    return SentenceFeatures(
        tuple(sorted(ents)), tuple(sorted(numbers)), tuple(sorted(content)), verb
    )


def features_doc(s: Sentence, doc: Doc) -> SentenceFeatures:
    """Return the features of ``s`` read from its article's parse."""
    span = doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:  # the doc was parsed from other text: fall back to the words
        return features_text(s.text)
    ents: set[str] = set()
    for ent in index_of(doc).ents(span):  # span.ents walks every entity before it
        if ent.label_ in _ENTITY_LABELS:
            ents |= _entity_keys(ent.text, ent.label_)
    numbers = {n for t in span if t.like_num and (n := number_key(t.text)) is not None}
    content = {
        fold(t.lemma_)
        for t in span
        if t.pos_ in _CONTENT_POS and not t.is_stop and t.lemma_.strip() and not t.is_punct
    }
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
    return _make(ents, numbers, content, has_verb)


def features_text(text: str) -> SentenceFeatures:
    """Approximate the features from the raw words, without a parse."""
    words = WORD.findall(text)
    ents = {fold(w) for i, w in enumerate(words) if i > 0 and w[:1].isupper() and len(w) > 1}
    numbers = {n for w in words if (n := number_key(w)) is not None}
    content = {
        fold(w).rstrip("s")
        for w in words
        if fold(w) not in _STOP_WORDS and len(w) > 2 and not w.isdigit()
    }
    return _make(ents, numbers, content, len(words) >= MIN_WORDS)


__all__ = ["MIN_WORDS", "WORD", "SentenceFeatures", "features_doc", "features_text", "number_key"]
