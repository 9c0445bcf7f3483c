"""What a figure counts, from the parse: the counted noun, a hyphenated or glued unit, a verb.

``unit_of`` finds the unit and the thing measured ("eight-hour talks", "40 million cubic metres
of water", "Thousands have been killed", "a magnitude 6.1 earthquake", "died at 91");
``parse_skip`` gives the reasons that need the parse for which a number is not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from synoptic.analyze.quantities.parsed import DocIndex
from synoptic.analyze.quantities.scan import Candidate
from synoptic.analyze.quantities.vocab import (
    DEAD_WORDS,
    DISPLACE_VERBS,
    INJURE_VERBS,
    INJURED_WORDS,
    KILL_VERBS,
    MEASURES,
    NAME_ENTS,
    PERSON_NOUNS,
    SCORE_NOUNS,
    TIME_UNITS,
    UNITS,
)
from synoptic.lang import words


def normalise_unit(word: str | None) -> str | None:
    if not word or not any(ch.isalpha() for ch in word):
        return None
    w = word.lower()
    if w in UNITS:
        return UNITS[w]
    if w.endswith("s") and w[:-1] in UNITS:
        return UNITS[w[:-1]]
    return w


def _verb_unit(tok: Token) -> str | None:
    """The unit a verb gives to a bare or people-counting number ("were killed" -> dead)."""
    verb = tok
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        if verb.head is verb:
            break
        verb = verb.head
    lemma = verb.lemma_.lower()
    if lemma in KILL_VERBS:
        return "dead"
    if lemma in INJURE_VERBS:
        return "injured"
    if lemma in DISPLACE_VERBS:
        return "people"
    if lemma == "lose" and any(c.lemma_.lower() == "life" for c in verb.children):
        return "dead"
    if lemma == "treat" and any(
        c.lemma_.lower() in ("injury", "wound") for c in verb.subtree if c.dep_ == "pobj"
    ):
        return "injured"
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() == "toll":
            mods = {m.lemma_.lower() for m in c.children}
            return "injured" if mods & {"injury", "casualty"} - {"death"} else "dead"
    return None


def counted_noun(index: DocIndex, cand: Candidate) -> tuple[Token | None, Token | None]:
    """Return ``(counted noun, last number token)`` for a candidate, from the parse."""
    doc = index.doc
    span = doc.char_span(cand.core_start, cand.core_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    last = span[-1]
    inside = {t.i for t in span}
    text = index.text
    # "tens of thousands of troops", "millions of dollars", "hundreds of people"
    if re.match(r"\s+of\s+", text[cand.core_end : cand.core_end + 6]):
        j = last.i + 1
        if j < len(doc) and doc[j].lower_ == "of":
            pobj = [c for c in doc[j].children if c.dep_ == "pobj"]
            if pobj and pobj[0].pos_ in ("NOUN", "PROPN"):
                return pobj[0], last
            for k in range(j + 1, min(j + 5, len(doc))):
                if doc[k].pos_ == "NOUN":
                    return doc[k], last
                if doc[k].pos_ not in ("DET", "ADJ", "PROPN", "NUM", "ADV"):
                    break
        return None, last
    t = last
    for _ in range(4):
        if t.head.i in inside and t.head is not t:
            t = t.head
        else:
            break
    h = t.head
    if (
        h is not t
        and h.i > last.i
        and h.pos_ in ("NOUN", "PROPN")
        and t.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "dep", "det")
        and h.i - last.i <= 4
        and all(_modifier(doc[k]) for k in range(last.i + 1, h.i))
    ):
        return _compound_head(h), last
    # Fallback: the first noun after the number, past adjectives and nationalities.
    for k in range(last.i + 1, min(last.i + 4, len(doc))):
        tok = doc[k]
        if tok.pos_ == "NOUN":
            return _compound_head(tok), last
        if (
            tok.pos_ == "ADJ"
            or tok.ent_type_ == "NORP"
            or (tok.pos_ == "ADV" and tok.lower_ in ("more", "extra"))
        ):
            continue
        break
    return None, last


def _compound_head(noun: Token) -> Token:
    """The noun a compound modifier belongs to: "three bank workers" counts workers."""
    for _ in range(3):
        h = noun.head
        if (
            noun.dep_ == "compound"
            and h.i > noun.i
            and h.i - noun.i <= 2
            and h.pos_ in ("NOUN", "PROPN")
            and h.tag_ in ("NNS", "NNPS")
        ):
            noun = h
        else:
            break
    return noun


def _modifier(tok: Token) -> bool:
    """Whether ``tok`` may stand between a number and its noun ("100,000 Russian troops")."""
    if tok.pos_ in ("ADJ", "NOUN", "PROPN") or tok.ent_type_ == "NORP":
        return True
    return tok.pos_ in ("PUNCT", "SYM") and tok.text in ("-", "–")


def _about(noun: Token | None, hyphen_tok: Token | None) -> Token | None:
    """The thing a measure describes: "eight-hour talks", "hours of talks", "talks lasted"."""
    if hyphen_tok is not None:
        h = hyphen_tok.head
        return h if h is not hyphen_tok and h.pos_ in ("NOUN", "PROPN") else None
    if noun is None:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"):
                    return p
    # "the talks lasted eight hours", "talks end after eight hours"
    t = noun
    for _ in range(3):
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            # A common noun only: "the Orioles offered seven years" names who, not what.
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].pos_ == "NOUN":
                return subj[0]
            return None
        if t.head is t:
            break
    if noun.head.pos_ in ("NOUN",) and noun.dep_ in ("compound", "npadvmod", "nmod"):
        return noun.head
    return None


def parse_skip(index: DocIndex, span: Span, cand: Candidate, noun: Token | None) -> str | None:
    """Skip rules that need the parse: names, scores, years."""
    doc = index.doc
    bare = not (cand.currency or cand.text_unit or noun is not None)
    if bare and any(t.ent_type_ in NAME_ENTS for t in span):
        return "part of a name"
    prev = doc[span[0].i - 1] if span[0].i > 0 else None
    if (
        bare
        and prev is not None
        and prev.pos_ == "PROPN"
        and prev.is_title
        and not prev.is_sent_start
        and cand.start == cand.core_start
    ):
        return "part of a name"  # "Boeing 737", "Article 5"
    core = index.text[cand.core_start : cand.core_end]
    if noun is not None and noun.lemma_.lower() in SCORE_NOUNS and re.search(r"[-–]", core):
        return "score or vote result"
    if cand.year_like and (
        noun is None or noun.tag_ != "NNS" or normalise_unit(noun.lemma_) in TIME_UNITS
    ):
        return "year"  # "in 2014", "the 2014 invasion"; but "2000 troops" is a count
    return None


def token_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def next_noun(doc: Doc, after: int, limit: int = 4) -> Token | None:
    for k in range(after + 1, min(after + 1 + limit, len(doc))):
        if doc[k].pos_ in ("NOUN", "PROPN"):
            return doc[k]
    return None


@dataclass(slots=True)
class FoundUnit:
    unit: str | None = None
    head: str | None = None
    about: Token | None = None
    end: int = 0


def hyphen_token(doc: Doc, cand: Candidate) -> Token | None:
    if not (cand.hyphen_unit and cand.text_unit and cand.text_unit_end is not None):
        return None
    hs = doc.char_span(
        cand.text_unit_end - len(cand.text_unit), cand.text_unit_end, alignment_mode="expand"
    )
    return hs[-1] if hs is not None and len(hs) else None


def unit_of(
    index: DocIndex, span: Span, cand: Candidate, noun: Token | None, last: Token
) -> FoundUnit:
    """Find what a number counts: text unit, hyphenated unit, counted noun, or a verb."""
    magnitude = _magnitude(index, cand, noun, last)
    if magnitude is not None:
        return magnitude
    if cand.hyphen_unit and cand.text_unit:
        return _hyphen_unit(index.doc, cand)
    if cand.text_unit:
        return _glued_unit(index, cand, noun, last)
    if noun is not None:
        return _noun_unit(index, cand, noun)
    return _bare_unit(index, span, cand, last)


def _hyphen_unit(doc: Doc, cand: Candidate) -> FoundUnit:
    """The unit inside a hyphenated adjective: "eight-hour talks", "a 72-year-old man"."""
    out = FoundUnit(end=cand.end)
    tok = hyphen_token(doc, cand)
    lemma = tok.lemma_.lower() if tok is not None else ""
    out.head = lemma if lemma.isalpha() else cand.text_unit  # "foot-2" is one token
    out.unit = normalise_unit(out.head)
    if out.unit == "pound" and not _SCALE.search(doc.text[cand.core_start : cand.end]):
        out.unit = "lb"  # "the 40,000-pound module"; money is "a 5 million-pound deal"
    if cand.hyphen_adj == "old" and out.unit == "year":
        # "a 72-year-old man": the age of the person named next.
        out.unit = "age"
        adj = doc.char_span(cand.core_start, cand.end, alignment_mode="expand")
        out.about = next_noun(doc, adj[-1].i, 3) if adj is not None and len(adj) else None
        return out
    out.about = _about(None, tok) if tok is not None else None
    if out.about is not None and tok is not None and out.about.i - tok.i <= 3:
        out.end = max(out.end, token_end(out.about))
    return out


def _glued_unit(index: DocIndex, cand: Candidate, noun: Token | None, last: Token) -> FoundUnit:
    """A unit written with the figure: "$3bn", "4%", "5km", "40 million cubic metres of water"."""
    doc, text = index.doc, index.text
    out = FoundUnit(end=cand.end)
    out.unit = normalise_unit(cand.text_unit)
    out.head = None if cand.currency else out.unit
    if noun is not None and not cand.currency and normalise_unit(noun.lemma_) == out.unit:
        out.head = noun.lemma_.lower()
        out.end = max(out.end, token_end(noun))
    of = re.match(r"\s+of\s", text[cand.end : cand.end + 6])
    if of:
        at = cand.end + of.group().index("of")
        ofs = doc.char_span(at, at + 2, alignment_mode="expand")
        if ofs is not None and len(ofs):
            out.about = next_noun(doc, ofs[-1].i)
    elif cand.currency:
        # "a $90 million deal", "puts the damage at €240 million", "the deal cost $334m"
        out.about = _money_about(doc, noun, last)
    elif noun is not None and out.unit != "percent":
        out.about = _about(noun, None)
    elif out.unit in TIME_UNITS:
        out.about = _about(last, None)  # "the talks lasted an hour and a half"
    return out


def _noun_unit(index: DocIndex, cand: Candidate, noun: Token) -> FoundUnit:
    """The counted noun as unit, corrected by the words and verb around it."""
    doc, text = index.doc, index.text
    out = FoundUnit(end=cand.end)
    out.head = noun.lemma_.lower()
    out.unit = normalise_unit(out.head)
    if out.head == "force":
        out.unit = "troops"
    if out.unit == "pound" and not _money_words(text, cand, noun):
        out.unit = "lb"  # "weighing 130 pounds"; money is "£130" or "5 million pounds"
    if out.unit == "people" or out.head in PERSON_NOUNS:
        # "12 people were killed", "45 people dead", "four people have lost their lives"
        nxt = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in DEAD_WORDS:
            out.unit = "dead"
        elif nxt is not None and nxt.lower_ in INJURED_WORDS:
            out.unit = "injured"
        elif noun.dep_ in ("nsubj", "nsubjpass", "dobj", "conj"):
            out.unit = _verb_unit(noun) or out.unit
    out.end = max(out.end, token_end(noun))
    if out.unit in MEASURES:
        out.about = _about(noun, None)
    return out


def _bare_unit(index: DocIndex, span: Span, cand: Candidate, last: Token) -> FoundUnit:
    """A bare number: "45 dead", "17 injured", "Thousands have been killed", "died at 91"."""
    doc, text = index.doc, index.text
    out = FoundUnit(end=cand.end)
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    before = text[max(0, cand.start - 30) : cand.start]
    if nxt is not None and nxt.lower_ in DEAD_WORDS:
        out.unit, out.end = "dead", max(out.end, token_end(nxt))
    elif nxt is not None and nxt.lower_ in INJURED_WORDS:
        out.unit, out.end = "injured", max(out.end, token_end(nxt))
    elif _AGE_BEFORE.search(before) or (
        re.search(r"\bat\s+$", before) and governing_verb(last, "die") is not None
    ):
        # "died at 91", "at age 61", "aged 36": an age, of the one who died.
        out.unit = "age"
        verb = governing_verb(last)
        subj = subject_token(verb) if verb is not None else None
        out.about = subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else None
    elif (
        nxt is not None
        and nxt.tag_ == "VBN"
        and nxt.lemma_.lower() not in KILL_VERBS | INJURE_VERBS
        and nxt.dep_ not in ("aux", "auxpass")
    ):
        # "18 injured and 12 arrested": the participle says what the number counts.
        out.unit, out.end = nxt.lower_, max(out.end, token_end(nxt))
    else:
        inside = {t.i for t in span}
        top = last
        for _ in range(4):
            if top.head.i in inside and top.head is not top:
                top = top.head
        if top.dep_ == "conj" and top.head.pos_ in ("NUM", "NOUN"):
            top = top.head
        out.unit = _verb_unit(top)
    return out


_AGE_BEFORE = re.compile(r"\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+)$", re.I)


_MAGNITUDE_BEFORE = re.compile(r"\bmagnitude(?:\s+of)?\s*-?\s*$", re.I)


_MAGNITUDE_AFTER = re.compile(r"\s*-?\s*magnitude\b|\s+on\s+the\s+richter\b|\s+richter\b", re.I)


_QUAKE_WORDS = words("quake_words")


def _magnitude(
    index: DocIndex, cand: Candidate, noun: Token | None, last: Token
) -> FoundUnit | None:
    """A quake's magnitude: "magnitude 6.1", "5.9 magnitude", "6.4 on the Richter scale"."""
    text = index.text
    before = text[max(0, cand.start - 30) : cand.start]
    quake_noun = noun is not None and noun.lemma_.lower() in _QUAKE_WORDS
    if not (
        _MAGNITUDE_BEFORE.search(before)
        or _MAGNITUDE_AFTER.match(text, cand.core_end)
        or (quake_noun and not float(cand.value).is_integer())
    ):
        return None
    out = FoundUnit(unit="magnitude", head="magnitude", end=cand.end)
    if quake_noun and noun is not None:
        out.about, out.end = noun, max(out.end, token_end(noun))
    else:
        # The nearest quake word of the sentence: "an earthquake with a magnitude of 5.9".
        near = [t for t in index.sent(last) if t.lemma_.lower() in _QUAKE_WORDS]
        out.about = min(near, key=lambda t: abs(t.i - last.i)) if near else None
        after = _MAGNITUDE_AFTER.match(text, cand.core_end)
        if after and "magnitude" in after.group().lower():
            out.end = max(out.end, after.end())
    return out


_SCALE = re.compile(r"(?i)\b(?:thousand|million|billion|trillion)\b|\d\s?(?:bn|m|mn)\b")


def _money_words(text: str, cand: Candidate, noun: Token) -> bool:
    """Whether "pounds" is money here: a scale word ("5 million pounds") or "sterling"."""
    phrase = text[cand.core_start : cand.core_end]
    return bool(
        _SCALE.search(phrase)
        or re.match(r"\s+sterling\b", text[token_end(noun) : token_end(noun) + 10], re.I)
    )


def governing_verb(tok: Token, lemma: str | None = None) -> Token | None:
    """The verb whose clause holds ``tok`` (within four steps up), optionally of one lemma."""
    t = tok
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            return t if lemma is None or t.lemma_.lower() == lemma else None
        if t.head is t:
            return None
        t = t.head
    return None


def subject_token(verb: Token) -> Token | None:
    """The subject of ``verb``; a relative pronoun's antecedent ("Garrard, who completed")."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        # "rushed for 404 yards and caught 52 passes": the first verb's subject.
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        subj = verb.head
    return subj


def _money_about(doc: Doc, noun: Token | None, last: Token) -> Token | None:
    """What a sum is the amount of: the noun it modifies, or its verb's object or subject."""
    if noun is not None and noun.i > last.i and noun.i - last.i <= 3 and noun.pos_ == "NOUN":
        return noun
    verb = governing_verb(last)
    if verb is None:
        return None
    # "puts the damage at €240 million": the object; "the deal cost $334 million": the subject.
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < last.i), None)
    if obj is not None and obj.pos_ == "NOUN":
        return obj
    subj = subject_token(verb)
    return subj if subj is not None and subj.pos_ == "NOUN" else None
