"""Tense of the clause a date phrase dates, from the verbs of its parse (see the package docstring).

Word lists come from the lexicon (``synoptic.lang``): future and past auxiliaries, present forms
of "be", predicates that announce a scheduled event, and the verbs whose "to" infinitive looks
forward or reports what happened.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span, Token

from synoptic.lang import words

Tense = Literal["past", "future", "present"]

_FUTURE_AUX = words("future_auxiliaries")
_FUTURE_PREDICATES = words("future_predicates")
_PAST_AUX = words("past_auxiliaries")
_BE_PRESENT = words("be_present")


_INFINITIVE = "infinitive"
# Verbs whose infinitive complement looks forward ("agreed to meet on Friday") or reports what
# happened ("refused to leave on Monday").
_PROSPECTIVE = words("prospective_verbs")
_IMPLICATIVE = words("implicative_verbs")


def _clause_tense(verb: Token) -> Tense | str | None:
    """The tense of the clause headed by ``verb``.

    Returns ``None`` for a non-finite form (a participle: the verb above decides) and
    ``_INFINITIVE`` for a "to" infinitive (its governing verb decides).
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {c.lower_ for c in auxes}
    if aux_words & _FUTURE_AUX or (verb.tag_ == "MD" and verb.lower_ in _FUTURE_AUX):
        return "future"
    if "to" in aux_words:
        return _INFINITIVE
    if (
        verb.lemma_.lower() in _FUTURE_PREDICATES
        and (
            aux_words & (_BE_PRESENT | {"be"})
            or (verb.tag_ in ("VBN", "JJ") and verb.dep_ != "amod")
        )
        and not aux_words & {"was", "were", "had"}
    ):
        return "future"  # "are planned for Wednesday", "is due on Friday", "is expected on ..."
    if verb.lemma_ == "go" and verb.tag_ == "VBG" and any(c.lower_ == "to" for c in verb.children):
        return "future"
    if verb.tag_ == "VBG" and aux_words & _BE_PRESENT:
        return "future"  # present progressive with a date: an arrangement ("is meeting on ...")
    if aux_words & _PAST_AUX or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or aux_words & _BE_PRESENT or aux_words & {"do", "does", "can"}:
        return "present"
    if verb.tag_ == "MD":
        return "present"
    return None


def _infinitive_tense(verb: Token) -> Tense | None:
    """The tense of a "to" infinitive's date, from the verb that governs the infinitive.

    "are to inspect", "is due to sign", "agreed to meet" look forward (future); "refused to
    leave", "tried to reach" report what happened (the governing verb's tense); any other
    governor gives no reading (``None``: the nearest day is taken).
    """
    head = verb.head
    if head is verb:
        return None
    lemma = head.lemma_.lower()
    head_tense = _clause_tense(head) if head.tag_.startswith("VB") or head.tag_ == "MD" else None
    if head_tense == "future":
        return "future"
    if lemma in _PROSPECTIVE or lemma in _FUTURE_PREDICATES:
        return "future"
    if lemma in _IMPLICATIVE and head_tense in ("past", "present"):
        return head_tense  # type: ignore[return-value]
    return None


def _sentence_tense(sent: Span) -> Tense | None:
    """The sentence-level fallback: any future marker, else any past verb, else present."""
    tags = [t for t in sent if t.tag_ == "MD" or t.tag_.startswith("VB")]
    if not tags:
        return None
    for t in tags:
        if t.tag_ == "MD" and t.lower_ in _FUTURE_AUX:
            return "future"
        if t.lemma_.lower() in _FUTURE_PREDICATES and any(
            c.lower_ == "to" or c.dep_ == "prep" for c in t.children
        ):
            return "future"
    if any(t.tag_ in ("VBD",) for t in tags):
        return "past"
    return "present"


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or token.tag_ == "MD"


def tense_of(span: Span) -> Tense | None:
    """Return the tense of the clause a date phrase ``span`` dates.

    A verb written right before the phrase ("said on Monday", "ended Monday") dates it: the
    small parser often hangs such a phrase on a later clause ("said on Monday it would ...");
    so does a past participle modifying a noun ("plans announced in January": past; "talks
    scheduled for Monday": future).
    Otherwise the walk goes from the phrase up the dependency tree to the first verb whose
    tense can be read (participles defer to the verb above them, infinitives to their governing
    verb); with no such verb, the sentence's verbs decide.
    """
    doc = span.doc
    if span.start > 0:
        before = doc[span.start - 1]
        if _is_verb(before) and before.tag_ in ("VBD", "VBZ", "VBP"):
            tense = _clause_tense(before)
            if tense in ("past", "present", "future"):
                return tense  # type: ignore[return-value]
        if before.tag_ == "VBN" and before.dep_ in ("acl", "relcl", "amod"):
            # A reduced relative: "plans announced in January" happened; "talks scheduled
            # for Monday" are due.
            return "future" if before.lemma_.lower() in _FUTURE_PREDICATES else "past"
    node = span.root
    seen = 0
    while node.head is not node and seen < 50:
        node = node.head
        seen += 1
        if _is_verb(node):
            tense = _clause_tense(node)
            if tense == _INFINITIVE:
                return _infinitive_tense(node)
            if tense is not None:
                return tense  # type: ignore[return-value]
        elif node.lemma_.lower() in _FUTURE_PREDICATES and any(
            c.lemma_ == "be" for c in node.children
        ):
            return "future"  # "The compact is due on Friday": an adjective predicate
    return _sentence_tense(span.sent)
