"""Claims: the main-clause statements of a sentence, read from its parse.

This is the per-article half of claim contradiction (``synthesize.claims`` matches claims across
outlets). It reads each sentence's spaCy parse once, at analysis time, and keeps what matching
needs as small frozen ``Claim`` records, so synthesis never needs the parse.

A sentence yields **claims** only from its main clause: the root, a verb conjoined to it that
shares its subject, and the clause reported by a reporting verb ("X said *that ...*"); never from
a conditional, relative, adverbial or question clause. A claim is not kept when its wording does
not commit the writer to the opposite of another side:

* hedges and modals other than "will" ("may", "could not", "would not");
* negation that does not flip the claim: "not only", "not just", "no longer" (a change, not a
  denial), "not yet", "not immediately", "never before", "not ... until";
* withheld information rather than a negative statement: a negated reporting or disclosure verb
  ("did not say whether", "would not comment", "has not released the name", "did not confirm"),
  which a later report filling the gap does not contradict; "did not say what ..." (a question
  left open) is no claim either;
* a subject that names no one thing ("two passengers", "a man") or a pronoun;
* a bare copula or possession.

Negation is a ``neg`` dependent or "never" on the predicate (or on its complement: "pleaded not
guilty"), or "no" on its subject or object ("police found no weapons").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from synoptic import lang
from synoptic.analyze.docindex import index_of
from synoptic.lang import fold
from synoptic.model import Record, Sentence, Span

if TYPE_CHECKING:  # spaCy is slow to import; only its types are needed here
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


@dataclass(frozen=True, slots=True)
class Prep(Record):
    """A preposition on a predicate with keys of its object ("nominated *for an Oscar*")."""

    word: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim(Record):
    """One main-clause statement of a sentence, reduced to what contradiction needs.

    Attributes:
        sentence: The index of its sentence in the article (``Sentence.index``).
        predicate: The predicate lemma ("confirm"; "be:guilty" for a copula or a verdict).
        negated: Whether the sentence denies it.
        subject: Keys naming the subject (entity names, a person's surname, or a noun with its
            compounds), sorted.
        obj: What the predicate applies to: keys of its object, or for a reported clause its
            verb, polarity and object; empty when it has none.
        voice: ``"active"`` or ``"passive"``.
        tense: ``"past"``, ``"earlier"`` (past perfect in a main clause: "had pleaded not
            guilty" tells an earlier moment than "pleaded guilty"), ``"so far"`` (a negated
            present perfect: "has not been lifted"), ``"present"`` or ``"future"``.
        preps: Each preposition on the predicate with keys of its object; a preposition both
            sides use must have the same object.
        subject_text: The subject as written (for the topic).
        phrase: The predicate as written, auxiliaries and negation included ("did not confirm").
        anchor: The predicate's character span in the article.
        vague_obj: Whether the object names no one thing ("arrested *two men*"): two outlets
            can then report opposite outcomes of different men, so no antonym is read.
    """

    sentence: int
    predicate: str
    negated: bool
    subject: tuple[str, ...]
    obj: tuple[str, ...]
    voice: str
    tense: str
    preps: tuple[Prep, ...]
    subject_text: str
    phrase: str
    anchor: Span
    vague_obj: bool = False


# Word lists are language data (``synoptic.lang``, ``lang/en/<concept>.txt``).
_DISCLOSURE = lang.words("disclosure_verbs")
_REPORTING = lang.words("reported_clause_verbs")
_FIRM_MODALS = lang.words("firm_modals")
_HEDGE_WORDS = lang.words("hedge_adverbs")
_NEG_BLOCKERS = lang.words("negation_blockers")
_CONDITIONAL_MARKS = lang.words("conditional_marks")
_WH = lang.words("wh_words")
_NEG_PRONOUNS = lang.words("negative_pronouns")
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_VAGUE_WORDS = lang.words("vague_determiners")
_OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd")


def _fold(text: str) -> str:
    return fold(text).strip()


def _keys(token: Token, *, numbers: bool = False) -> frozenset[str]:
    """Keys naming the thing ``token`` heads; empty for pronouns (and numbers, unless asked)."""
    if numbers and token.like_num:
        return frozenset({token.lower_})  # "in 2019" against "in 2023"
    if token.pos_ in ("PRON", "NUM", "DET") or token.lower_ in _NEG_PRONOUNS:
        return frozenset()
    # doc.ents builds every entity of the document: looked up in the shared index instead
    if (
        token.ent_type_ in _ENTITY_LABELS
        and (ent := index_of(token.doc).ent_at(token.i)) is not None
    ):
        name = re.sub(r"^the\s+|['’]s$", "", _fold(ent.text)).strip()
        keys = {name} if name else set()
        if ent.label_ == "PERSON" and " " in name:
            keys.add(name.rsplit(" ", 1)[1])  # "Irena Vasko" and "Ms Vasko"
        return frozenset(keys)
    words = [_fold(c.lemma_) for c in token.children if c.dep_ in ("compound", "amod")]
    words = [w for w in words if w.isalpha()]
    return frozenset({" ".join([*words, _fold(token.lemma_)])})


def _vague(token: Token) -> bool:
    """Whether ``token`` names no one thing: "two passengers", "a man", "several houses".

    "Two passengers survived" and "two passengers died" may be four passengers; only a definite
    or named referent can be said to have done both.
    """
    return any(
        c.dep_ == "nummod" or (c.dep_ in ("det", "amod") and c.lower_ in _VAGUE_WORDS)
        for c in token.children
    )


def _subject(head: Token) -> Token | None:
    for c in head.children:
        if c.dep_ in _SUBJECT_DEPS:
            return c
    if head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX"):
        return _subject(head.head)  # "was arrested and released": one subject
    return None


def _auxes(head: Token) -> list[Token]:
    own = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if not own and head.dep_ == "conj":
        return [c for c in head.head.children if c.dep_ in ("aux", "auxpass")]
    return own


def _tense(head: Token, auxes: Sequence[Token]) -> str:
    if any(a.lower_ in _FIRM_MODALS for a in auxes):
        return "future"
    if head.dep_ != "ccomp" and any(a.lower_ == "had" for a in auxes) and head.tag_ == "VBN":
        return "earlier"  # reported speech backshifts ("confirmed it had ..."): only main clauses
    if head.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxes):
        return "past"
    if head.dep_ == "conj" and not auxes and head.head.tag_ == "VBD":
        return "past"
    return "present"


def _negation(head: Token, obj: Token | None) -> bool | None:
    """Whether the clause headed by ``head`` is negated; ``None`` when its negation is unsafe."""
    negs = [c for c in head.children if c.dep_ == "neg" or c.lower_ == "never"]
    if obj is not None and obj.dep_ in ("acomp", "oprd", "attr"):
        negs += [c for c in obj.children if c.dep_ == "neg"]  # "pleaded not guilty"
    for n in negs:
        after = n.doc[n.i + 1] if n.i + 1 < len(n.doc) else None
        if after is not None and after.lower_ in _NEG_BLOCKERS:
            return None
        if n.lower_ == "never" and after is not None and after.lower_ == "before":
            return None
        if n.lower_ == "no" and after is not None and after.lower_ == "longer":
            return None
    if any(c.lower_ in ("longer", "yet") and c.dep_ == "advmod" for c in head.children):
        return None  # "is no longer closed", "has not yet decided"
    if negs and any(
        c.lower_ in ("until", "till") and c.dep_ in ("prep", "mark")
        for d in head.children
        for c in (d, *d.children)
    ):
        return None  # "will not reopen until Monday", "did not lead until he intercepted"
    negated = bool(negs)
    for arg in [c for c in head.children if c.dep_ in (*_SUBJECT_DEPS, "dobj")]:
        if arg.lower_ in _NEG_PRONOUNS:
            return None  # "nobody was hurt": the subject itself is the negation
        if any(d.dep_ == "det" and d.lower_ == "no" for d in arg.children):
            negated = not negated  # "found no weapons"
    return negated


def _object(head: Token) -> Token | None:
    for c in head.children:
        if c.dep_ in _OBJECT_DEPS:
            return c
    return None


def _clause_obj(head: Token) -> tuple[str, ...] | None:
    """The signature of what ``head`` applies to; ``None`` when it cannot be compared safely."""
    obj = _object(head)
    ccomp = next((c for c in head.children if c.dep_ == "ccomp"), None)
    if ccomp is not None:
        if any(c.lower_ in _WH for c in ccomp.subtree if c.i <= ccomp.i):
            return None  # "did not say what caused it": not a claim about the cause
        inner = _object(ccomp) or next(
            (c for c in ccomp.children if c.dep_ in _SUBJECT_DEPS and c.pos_ != "PRON"), None
        )
        neg = _negation(ccomp, _object(ccomp))
        if neg is None:
            return None
        return ("clause", _fold(ccomp.lemma_), "neg" if neg else "pos", *sorted(_inner(inner)))
    if obj is None:
        return ()
    return ("obj", *sorted(_keys(obj)))


def _inner(token: Token | None) -> frozenset[str]:
    return _keys(token) if token is not None else frozenset()


def _predicate(head: Token, obj: Token | None) -> str:
    lemma = _fold(head.lemma_)
    if (
        obj is not None
        and obj.dep_ in ("acomp", "oprd", "attr")
        and obj.pos_ in ("ADJ", "NOUN", "VERB")
    ):
        return f"{lemma}:{_fold(obj.lemma_)}"  # "be:guilty", "plead:guilty", "be:safe"
    return lemma


def _phrase(head: Token, auxes: Sequence[Token], obj: Token | None) -> str:
    """The predicate as written, with its negation and object ("found no weapons")."""
    words = [*auxes, *(c for c in head.children if c.dep_ == "neg"), head]
    if obj is not None:  # the object's words up to its head, articles dropped but not "no"
        words += [
            t
            for t in obj.subtree
            if t.i <= obj.i and (t.dep_ not in ("det", "poss") or t.lower_ == "no")
        ]
    words.sort(key=lambda t: t.i)
    text = " ".join(t.text for t in words)
    subj = _subject(head)
    if subj is not None and any(d.dep_ == "det" and d.lower_ == "no" for d in subj.children):
        text = f"none {text}"  # "no charges were filed": the subject carries the negation
    return text


def _heads(span: SpacySpan) -> list[Token]:
    """Main-clause predicates: the root, verbs conjoined to it, clauses it reports."""
    root = span.root
    if root.pos_ not in ("VERB", "AUX"):
        return []
    heads = [root]
    heads += [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if _fold(root.lemma_) in _REPORTING:
        heads += [c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    return heads


def _unsafe(head: Token, span: SpacySpan) -> bool:
    """Whether the clause is conditional, hedged or a question (never a firm claim)."""
    if span.text.rstrip().rstrip("\"'”’").endswith("?"):
        return True
    for c in head.children:
        if c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS:
            return True
        if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children
        ):
            return True
        if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" and c.lower_ not in _FIRM_MODALS:
            return True
        if c.dep_ == "advmod" and c.lower_ in _HEDGE_WORDS:
            return True
    if head.dep_ == "ccomp":
        reporter = head.head
        if _negation(reporter, None) is not False:  # "did not say that ...": no claim made
            return True
        if any(
            c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" and c.lower_ not in _FIRM_MODALS
            for c in reporter.children
        ):
            return True
    return False


def claims_of(s: Sentence, doc: Doc) -> list[Claim]:
    """Return the claims of one sentence (see the module docstring for which).

    Args:
        s: The sentence.
        doc: The spaCy parse of its article.
    """
    span = doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:
        return []
    out: list[Claim] = []
    for head in _heads(span):
        if _unsafe(head, span):
            continue
        subj = _subject(head)
        if subj is None or _vague(subj):
            continue
        subject = _keys(subj)
        obj_tok = _object(head)
        negated = _negation(head, obj_tok)
        obj = _clause_obj(head)
        predicate = _predicate(head, obj_tok)
        preps = _preps(head)
        passive = False
        if head.lemma_ == "be" and obj_tok is not None and obj_tok.tag_ == "VBN":
            # "was not armed" parses as a copula with a participle, "was armed" as a passive:
            # read both as the passive of the participle's verb.
            predicate, passive, preps = _fold(obj_tok.lemma_), True, preps + _preps(obj_tok)
            obj = _clause_obj(obj_tok)
        if not subject or negated is None or obj is None:
            continue
        if predicate == "be" or predicate.startswith("have"):
            continue  # a bare copula or possession says too little to contradict
        if negated and predicate.split(":")[0] in _DISCLOSURE:
            continue
        auxes = _auxes(head)
        voice = "passive" if passive or any(a.dep_ == "auxpass" for a in auxes) else "active"
        tense = _tense(head, auxes)
        if negated and any(a.lower_ in ("has", "have", "'ve", "'s") for a in auxes):
            # "has not been lifted", "no charges have been filed": true so far, and undone by
            # the next report, so it never contradicts one that says it happened.
            tense = "so far"
        subj_span = doc[subj.left_edge.i : subj.i + 1]
        out.append(
            Claim(
                sentence=s.index,
                predicate=predicate,
                negated=negated,
                subject=tuple(sorted(subject)),
                obj=obj,
                voice=voice,
                tense=tense,
                preps=preps,
                subject_text=subj_span.text,
                phrase=_phrase(head, auxes, obj_tok),
                anchor=Span(s.article, head.idx, head.idx + len(head.text)),
                vague_obj=obj_tok is not None and obj_tok.dep_ == "dobj" and _vague(obj_tok),
            )
        )
    return out


def _preps(head: Token) -> tuple[Prep, ...]:
    out = []
    for c in head.children:
        if c.dep_ in ("prep", "agent"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                out.append(Prep(c.lower_, tuple(sorted(_keys(pobj, numbers=True)))))
    return tuple(out)


def extract_claims(sentences: Sequence[Sentence], doc: Doc) -> tuple[Claim, ...]:
    """Return the claims of every sentence of one article, in sentence order.

    Args:
        sentences: The article's sentences (``analyze.nlp.sentences``).
        doc: The spaCy parse of the article.
    """
    return tuple(c for s in sentences for c in claims_of(s, doc))


__all__ = ["Claim", "Prep", "claims_of", "extract_claims"]
