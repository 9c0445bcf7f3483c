"""The context of a figure: its sentence's words and names, its subject, hedges and anaphora.

Everything here reads the sentence a figure is in. ``DocIndex`` indexes a document's sentences
and entities once, so that finding a token's sentence or a sentence's names is a bisection: doing
it through spaCy (``Token.sent``, ``Span.ents``, ``Doc.text``) walks the whole document each
time, which made extraction quadratic in the article's length.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from synoptic.analyze.quantities.counted import governing_verb, subject_token
from synoptic.analyze.quantities.parsed import DocIndex
from synoptic.analyze.quantities.vocab import WEAK_CONTEXT
from synoptic.lang import fold, words

STOP_WORDS = words("stop_words_spacy")


def stem(word: str) -> str:
    """A crude, stable stem for context overlap: lower case, no accents ("Vaško" = "Vasko"),
    no possessive, no plural -s."""
    w = fold(word.strip("'’\""))
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def sentence_span(index: DocIndex, tok: Token) -> tuple[int, int]:
    """The ``(start, end)`` of ``tok``'s sentence in the text, surrounding spaces left out."""
    text = index.text
    sent = index.sent(tok)
    s, e = sent.start_char, sent.end_char
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def context_stems(sent: Span, start: int, end: int, exclude: Iterable[str]) -> tuple[str, ...]:
    """Stems of content words in ``sent`` outside ``[start, end)``, nearest first."""
    skip = set(exclude)
    scored: list[tuple[int, int, str]] = []
    for tok in sent:
        if start <= tok.idx < end:
            continue
        if tok.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ") or tok.like_num:
            continue
        lemma = tok.lemma_.lower()
        if lemma in STOP_WORDS or tok.lower_ in STOP_WORDS or lemma in WEAK_CONTEXT:
            continue
        if not any(ch.isalpha() for ch in lemma):
            continue
        word = stem(lemma)
        if word in skip:
            continue
        dist = start - tok.idx if tok.idx < start else tok.idx - end
        scored.append((dist, tok.idx, word))
    scored.sort()
    return tuple(dict.fromkeys(s for _, _, s in scored))


_ENTITY_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


def entity_stems(
    index: DocIndex, sent: Span, start: int, end: int, tok: Token | None = None
) -> tuple[str, ...]:
    """Stems of the names in ``sent`` outside ``[start, end)``, nearest first.

    With ``tok`` (the figure's last token), only the names of the clause giving the figure
    count: in "40 million cubic metres of water escaped before the operator, Oska Hydro, was
    able to close the gates", Oska Hydro is not what the figure is about. Names that only
    attribute the figure ("the agency said") never count.
    """
    clause = _clause_tokens(tok) if tok is not None else None
    scored: list[tuple[int, str]] = []
    for ent in index.ents(sent):
        if ent.label_ not in _ENTITY_TYPES or start <= ent.start_char < end:
            continue
        if clause is not None and ent.root.i not in clause:
            continue
        if _attribution(ent.root):
            continue
        word = stem(ent[-1].text)
        if not any(ch.isalpha() for ch in word):
            continue
        dist = start - ent.end_char if ent.end_char <= start else ent.start_char - end
        scored.append((max(dist, 0), word))
    scored.sort()
    return tuple(dict.fromkeys(w for _, w in scored))


_SUBCLAUSES = {"advcl", "relcl", "conj", "parataxis", "ccomp", "acl"}


def _clause_tokens(tok: Token) -> set[int] | None:
    """Token indices of the clause governing ``tok``: its verb's subtree without the other
    clauses hanging from it ("... when the wall gave way", "..., which ...")."""
    verb = governing_verb(tok)
    if verb is None:
        return None
    skip: set[int] = set()
    for child in verb.children:
        if child.dep_ in _SUBCLAUSES and child.pos_ in ("VERB", "AUX"):
            inner = {t.i for t in child.subtree}
            if tok.i not in inner:
                skip |= inner
    return {t.i for t in verb.subtree} - skip


def _attribution(tok: Token) -> bool:
    """Whether a name only says who reports the figure: "..., the agency said", "according to
    Reuters", "told AFP", "the Civil Protection Agency (CIPRA) said"."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("appos", "compound", "conj") and t.head is not t:
            t = t.head
        else:
            break
    head = t.head
    if t.dep_ in ("nsubj", "nsubjpass", "dobj", "dative") and head.lemma_.lower() in _REPORTING:
        return True
    if t.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _REPORTING:
        return True  # "figures released by the agency"
    # "according to Reuters", "according to figures released by the agency"
    a = t
    for _ in range(6):
        if a.lower_ == "according":
            return True
        if a.head is a or a.dep_ not in ("pobj", "prep", "acl", "agent", "appos", "compound"):
            return False
        a = a.head
    return False


_REPORTING = words("source_verbs")


_MODALS = words("hedging_modals")


_ANAPHORS = words("anaphoric_pronouns")


def is_hedged(tok: Token) -> bool:
    """Whether the clause giving the figure states a possibility, not a fact (see Quantity)."""
    verb = governing_verb(tok)
    if verb is None:
        return False
    kids = list(verb.children)
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in kids):
        return True
    marks = {c.lower_ for c in kids if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")}
    if marks & {"if", "unless"}:
        return True
    # "When one is killed, all of us lose": a generic present, not a report.
    present = verb.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in kids
    )
    return bool(marks & {"when", "whenever"}) and present


def named_subject(tok: Token, start: int, end: int) -> str | None:
    """The stem of the person or organisation the figure's clause is about (see Quantity)."""
    verb = governing_verb(tok)
    subj = subject_token(verb) if verb is not None else None
    # A person or a team, not a country ("Russia" and "Moscow" name one actor).
    if subj is None or subj.pos_ != "PROPN" or subj.ent_type_ in ("GPE", "NORP", "LOC", "FAC"):
        return None
    if start <= subj.idx < end:
        return None
    inside = any(start <= t.idx < end for t in subj.subtree)
    if inside and verb is not None and verb.dep_ != "relcl":
        return None  # the figure is part of the subject: "Manning's 17 passes"
    return stem(subj.text)


def is_anaphoric(tok: Token) -> bool:
    """Whether the figure's clause has a pronoun subject ("we are at €300 million")."""
    verb = governing_verb(tok)
    subj = subject_token(verb) if verb is not None else None
    return subj is not None and subj.pos_ == "PRON" and subj.lower_ in _ANAPHORS


def previous_sentence(index: DocIndex, tok: Token) -> Span | None:
    """The sentence before ``tok``'s, when it is in the same paragraph."""
    sent = index.sent(tok)
    if sent.start == 0:
        return None
    prev = index.sent(index.doc[sent.start - 1])
    if "\n" in index.text[prev.end_char : sent.start_char]:
        return None
    return prev


def topic_noun(sent: Span) -> Token | None:
    """The last common-noun subject of a sentence ("the damage was far greater")."""
    subjects = [
        t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN" and not t.ent_type_
    ]
    return subjects[-1] if subjects else None
