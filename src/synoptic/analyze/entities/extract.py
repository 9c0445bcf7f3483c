"""Reading entity mentions from one article: cleaning spans, roles, label repairs, pronouns.

See ``synoptic.analyze.entities`` for what a mention holds and what is dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from synoptic.analyze.entities.pronouns import Coref, in_ranges, quoted_chars
from synoptic.analyze.entities.vocab import (
    HONORIFICS,
    KEEP_TYPES,
    ORG_HEADED_PLACES,
    ORG_HEADS,
    ORG_WORDS,
    PLACE_NOUNS,
    PLACE_PREPS,
    POSSESSIVE,
    PRONOUN_GENDER,
    ROLE_JOINERS,
    ROLE_OPENERS,
    STOP_ENT_LABELS,
    bare,
    is_role_head,
    is_role_word,
)
from synoptic.lang import fold, words
from synoptic.model import Article, Record

# The name callers filter on (the module before it became a package).
log = logging.getLogger("synoptic.analyze.entities")


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """One naming of an entity in one article.

    Attributes:
        article: The article id.
        start: Start of the cleaned name in ``Article.text``.
        end: End of the cleaned name; ``text == article.text[start:end]``.
        text: The cleaned name ("Wendy Sherman", "NATO", "State Department").
        type: The spaCy label (``PERSON``, ``ORG``, ``GPE``, ``LOC``, ``NORP``, ``FAC``, ...).
        role: The title or function given here ("US Deputy Secretary of State"), if any.
        pronouns: Gendered pronouns this article uses for the person, resolved to this
            mention (``he``, ``his``, ``she``, ``her`` ...), in text order.
        honorific: The honorific written before the name ("Ms", "Mr", "Dr"), if any.
    """

    article: str
    start: int
    end: int
    text: str
    type: str
    role: str | None
    pronouns: tuple[str, ...] = ()
    honorific: str | None = None


@dataclass(slots=True)
class _Draft:
    """A kept entity span while the article is read (token range after cleaning).

    ``cut_period``: the span ends on a word whose period ends the sentence ("Hun Sen." before
    "Events"), left out of the name's characters.
    """

    start: int
    end: int
    label: str
    honorific: str | None = None
    role: str | None = None
    role_start: int | None = None
    cut_period: bool = False


_NAME_SUFFIXES = words("name_suffixes")


def _sentence_period(token: Token) -> bool:
    """Whether a word written with a period ("Sen.", "Jong.") ends a sentence inside a name.

    The tokenizer keeps the period of a word it knows as an abbreviation ("Sen." for
    senator), so "Prime Minister Hun Sen. Events turned ..." reads as one sentence and one
    name. A word of three or more letters with its period, not a name suffix ("Jr."), followed
    by a capitalised word, is the end of the sentence.
    """
    word = token.text[:-1]
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        token.text.endswith(".")
        and len(word) >= 2
        and word.isalpha()
        and word[:1].isupper()
        and word.lower() not in _NAME_SUFFIXES
        and nxt is not None
        and nxt.text[:1].isupper()
    )


def _clean(ent: SpacySpan) -> _Draft | None:
    """Trim an entity span to the name itself, or return ``None`` when nothing is left.

    A leading "the", trailing possessive and punctuation go for every type; for people also a
    leading honorific (kept as evidence) and leading title words (which the role reader picks
    up from the words before the name).
    """
    doc = ent.doc
    start, end = ent.start, ent.end
    while start < end and (doc[start].is_space or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].is_space or doc[end - 1].is_punct or doc[end - 1].text in POSSESSIVE
    ):
        end -= 1
    while start < end - 1 and doc[start].lower_ == "the":
        start += 1
    # "Thompson in": a lowercase function word the tagger ran into the name.
    while end > start + 1 and doc[end - 1].is_lower and doc[end - 1].is_stop:
        end -= 1
    honorific = None
    if ent.label_ == "PERSON":
        # "Without Felt": a capitalised function word glued to a name by the tagger
        while start < end - 1 and doc[start].is_title and _glued_word(doc[start]):
            start += 1
        while start < end - 1 and (bare(doc[start]) in HONORIFICS or is_role_word(doc[start])):
            if bare(doc[start]) in HONORIFICS:
                honorific = doc[start].text.rstrip(".")
            start += 1
    if start >= end:
        return None
    cut = next((i for i in range(start, end - 1) if _sentence_period(doc[i])), None)
    if cut is not None:
        return _Draft(start, cut + 1, ent.label_, honorific, cut_period=True)
    if ent.label_ == "PERSON" and end < len(doc) and _sentence_period(doc[end]):
        # "met Hun Sen. Anwar Ibrahim ...": the name's last word came with the period.
        return _Draft(start, end + 1, ent.label_, honorific, cut_period=True)
    return _Draft(start, end, ent.label_, honorific)


def _glued_word(token: Token) -> bool:
    """A function word or an "-ly" adverb opening a sentence ("Purportedly Simpson became
    angry"), which the tagger took into the name after it."""
    return token.is_stop or (token.pos_ == "ADV" and token.lower_.endswith("ly"))


def _reject(doc: Doc, draft: _Draft) -> str | None:
    """Return why a cleaned span is not an entity name, or ``None`` when it is one."""
    span = doc[draft.start : draft.end]
    text = span.text
    if not any(c.isalpha() for c in text):
        return "no letters (a number or date mis-tagged as a name)"
    if any(t.is_space or "\n" in t.whitespace_ for t in span[:-1]) or "\n" in text:
        return "crosses a line break (page residue glued to the text)"
    if "/" in text or "@" in text or "http" in text.lower():
        return "a credit, handle or address, not a name"
    if len(span) == 1 and text.islower():
        return "a single lowercase word"
    if draft.label == "PERSON" and any(c.isdigit() for c in text):
        return "a person's name with digits"
    if all((t.is_stop and not t.is_upper) or t.is_punct for t in span):  # "US" is not "us"
        return "only function words"
    if draft.label == "PERSON" and all(is_role_word(t) for t in span):
        return "a title without a name"
    return None


def _attached(a: Token, b: Token) -> bool:
    """True when ``a`` and ``b`` are written without a space ("Vice" "-" "minister")."""
    return a.i + 1 == b.i and not a.whitespace_


def _premodifier_role(doc: Doc, start: int, blocked: set[int]) -> tuple[int, str] | None:
    """Read a title written right before a name ("Russian Deputy Foreign Minister Ryabkov").

    Walks left from the name over capitalised words, title words and joiners, without crossing
    punctuation, a sentence start, another name or a number, then keeps the longest stretch
    next to the name that reads as a title: it holds a title noun, does not start or end on a
    joiner, and any other lowercase word sits after an "of"/"for" ("governor of the region").
    """
    sent_start = doc[start].sent.start
    i = start - 1
    picked: list[Token] = []
    while i >= sent_start:
        t = doc[i]
        if t.i in blocked:
            break
        if t.is_punct:
            # A hyphen inside a word ("Vice-minister") is part of it; other punctuation ends.
            if t.text == "-" and i - 1 >= sent_start and _attached(doc[i - 1], t):
                picked.append(t)
                i -= 1
                continue
            break
        if t.text in POSSESSIVE or t.is_space or t.like_num:
            break
        low = bare(t)
        if t.ent_type_ in STOP_ENT_LABELS:
            break
        if low in ROLE_JOINERS:
            if low == "the" and not (i - 1 >= sent_start and doc[i - 1].lower_ in ROLE_OPENERS):
                break
            if low == "and" and picked and is_role_word(picked[-1]):
                break  # "Minister X and Regional Governor Y": two people's titles
            picked.append(t)
        elif is_role_word(t) or (t.is_upper and len(t.text) > 1) or (t.is_title and not t.is_stop):
            picked.append(t)
        elif t.is_lower and t.pos_ in ("NOUN", "ADJ", "PROPN") and not t.is_stop:
            picked.append(t)  # checked below: only allowed after "of"/"for"
        else:
            break
        if t.is_sent_start:
            break
        i -= 1
    picked.reverse()
    for k in range(len(picked)):
        cand = picked[k:]
        if not _valid_role(cand):
            continue
        # the longest stretch wins: "Russian Deputy Foreign Minister" over "Minister"
        return cand[0].i, doc[cand[0].i : cand[-1].i + 1].text
    return None


def _valid_role(tokens: list[Token]) -> bool:
    if not tokens or bare(tokens[0]) in ROLE_JOINERS or bare(tokens[-1]) in ROLE_JOINERS:
        return False
    if tokens[0].pos_ == "ADP" and tokens[0].is_lower:
        return False  # "under President X" is a time, not a title
    if tokens[0].text == "-" or tokens[-1].text == "-":
        return False
    if not any(is_role_head(t) for t in tokens):
        return False
    opened = False
    for t in tokens:
        low = bare(t)
        if low in ROLE_OPENERS:
            opened = True
        elif (
            t.is_lower and low not in ROLE_JOINERS and not is_role_word(t) and not t.is_punct
        ) and not opened:
            return False
    return True


def _np_role(head: Token, max_tokens: int, need_head: bool) -> str | None:
    """The noun phrase of ``head`` as a role: modifiers, the noun and an "of"/"for" phrase.

    Determiners and possessives in front are dropped ("the chief engineer of the firm" ->
    "chief engineer of the firm"); relative clauses and anything after a comma are not part
    of a title.
    """
    if need_head and not is_role_head(head):
        return None
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "poss", "punct", "predet", "case") or child.is_punct:
            continue
        left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ROLE_OPENERS:
            right = max(right, child.right_edge.i)
        break  # only the phrase right after the noun
    doc = head.doc
    while left < head.i and (doc[left].dep_ in ("det", "poss") or doc[left].is_punct):
        left += 1
    span = doc[left : right + 1]
    if len(span) > max_tokens or any(t.is_punct and t.text != "-" for t in span):
        return None
    if any(t.ent_type_ == "PERSON" for t in span):
        return None
    return span.text


def _appositive_role(doc: Doc, draft: _Draft) -> str | None:
    """Read a title from an apposition: "Marek, the chief engineer," or "the chief engineer,
    Marek". People need a title noun; places and organisations need a determiner, so that a
    list ("Dravik, Tarsk and Hollin") is never read as one.
    """
    root = doc[draft.start : draft.end].root
    person = draft.label == "PERSON"
    # An apposition is set off by commas; without one the parse is more often wrong than not.
    candidates: list[Token] = []
    if draft.end < len(doc) and doc[draft.end].text == ",":
        candidates += [
            c for c in root.children if c.dep_ == "appos" and c.i > draft.end and c.pos_ == "NOUN"
        ]
    if (
        root.dep_ == "appos"
        and root.head.i < draft.start
        and root.head.pos_ == "NOUN"
        and draft.start > 0
        and doc[draft.start - 1].text == ","
    ):
        candidates.append(root.head)
    for head in candidates:
        after = head.right_edge.i + 1
        if head.i > draft.end and after < len(doc) and not doc[after].is_punct:
            continue  # "In Kellen, the municipal hall on Station Road is ...": not apposed
        has_det = any(c.lower_ in ("the", "a", "an") for c in head.lefts)
        if not person and not has_det:
            continue
        role = _np_role(head, 10 if person else 4, need_head=person)
        if role:
            return role
    return None


def _relabel(doc: Doc, drafts: list[_Draft]) -> None:
    """Correct the small model's commonest label errors from evidence in the sentence.

    * a "person" whose last word names an organisation ("Oska Hydro", "Ledger") is an ORG;
    * a lone-word "person" without an honorific, governed by a place preposition or noun ("in
      Kellen", "the villages of Hollin", "the regional capital, Kellen") or coordinated with a
      place ("Tarsk and Hollin"), is a place (GPE), and so is such an "organisation" except
      after a bare preposition ("at Oska Hydro" is an organisation);
    * a lone word tagged otherwise but written with an honorific or right after a title
      ("Mr Stanek", "Governor Stanek"), or equal to the surname of a person named in the same
      article ("Stanek" after "Aurel Stanek"), is a PERSON; so is one equal to the given name of
      a plainly written full name there ("Anwar" after "Anwar Ibrahim", as Malay and many
      other names are shortened) unless the sentence makes it a place. Names the tagger ran
      into a title or a team ("Colts Quarterback ...", "Texas Gov ...") give no given name.
    """
    # People's names only: not "Oska Hydro", a "person" about to become an organisation.
    full = [
        d
        for d in drafts
        if d.label == "PERSON"
        and d.end - d.start > 1
        and not (bare(doc[d.end - 1]) in ORG_WORDS or _org_headed(doc[d.start : d.end]))
    ]
    surnames = {fold(doc[d.end - 1].text) for d in full}
    # Given names of plainly written full names ("Anwar" of "Anwar Ibrahim"): not of a name
    # the tagger ran into a title or a team ("Colts Quarterback ...", "Texas Gov ...").
    given = {fold(doc[d.start].text) for d in full if _plain_name(doc[d.start : d.end])}
    places = {i for d in drafts if d.label in ("GPE", "LOC") for i in range(d.start, d.end)}
    for d in drafts:
        span = doc[d.start : d.end]
        single = len(span) == 1
        if d.label != "ORG" and _org_headed(span):
            d.label = "ORG"
        elif _DATELINE.match(doc.text, span.end_char) and _line_start(doc.text, span.start_char):
            d.label = "GPE"
        elif d.label == "PERSON":
            if bare(span[-1]) in ORG_WORDS and span[-1].is_title:
                d.label = "ORG"
            elif (
                single
                and d.honorific is None
                and fold(span.text) not in surnames
                and (_governed_by_place(span[0]) or _coordinated_with(span[0], places))
            ):
                d.label = "GPE"
        elif single and d.label in ("ORG", "GPE", "LOC", "NORP", "FAC"):
            before = doc[d.start - 1] if d.start > 0 else None
            titled = before is not None and before.is_title and is_role_head(before)
            if d.honorific or titled or fold(span.text) in surnames:
                d.label = "PERSON"
            elif fold(span.text) in given and not (
                _governed_by_place(span[0]) or _coordinated_with(span[0], places)
            ):
                d.label = "PERSON"  # "Anwar" after "Anwar Ibrahim", tagged ORG every time
            elif d.label == "ORG" and (
                _governed_by_place(span[0], nouns_only=True) or _coordinated_with(span[0], places)
            ):
                d.label = "GPE"


# What follows the place of a dateline: "KUALA DRAVIK, Sept. 3 _ ", "Tarsk (Reuters) - ".
# What follows a dateline's place: capitalised words or a date after a comma, or an agency in
# brackets, then a dash. A place and a dash alone ("Gazeta Oska – English service") may be an
# outlet's name, and "Cheeks, 48, a four - time" is an apposition.
_DATELINE = re.compile(
    r"(?:,\s*(?:[A-Z][\w.]*\s*){1,3}(?:\d{1,2}\s*)?(?:\([A-Za-z. ]{2,30}\))?"
    r"|\s*\([A-Za-z. ]{2,30}\))\s*(?:_|-|–|—)\s"
)


def _plain_name(span: SpacySpan) -> bool:
    """Two or three capitalised words (or all capitals), none a title or organisation word."""
    return 2 <= len(span) <= 3 and all(
        t.is_alpha
        and (t.is_title or t.is_upper)
        and not is_role_word(t)
        and bare(t) not in ORG_WORDS | ORG_HEADS
        for t in span
    )


def _line_start(text: str, at: int) -> bool:
    """True when only spaces stand between the text's or a line's start and ``at``."""
    return not text[text.rfind("\n", 0, at) + 1 : at].strip()


def _org_headed(span: SpacySpan) -> bool:
    """True for a name of two or more capitalised words headed by an organisation noun: its
    last word ("United Reform Party", "Supreme Court") or its first before "of" ("Ministry of
    Home Affairs", "Bank of Dravik"); places so written ("West Bank") are listed apart."""
    if len(span) < 2 or fold(span.text) in ORG_HEADED_PLACES:
        return False
    last, first = span[-1], span[0]
    if last.is_title and bare(last) in ORG_HEADS:
        return True
    return first.is_title and bare(first) in ORG_HEADS and span[1].lower_ == "of"


def _coordinated_with(token: Token, places: set[int]) -> bool:
    """True when ``token`` is coordinated with a place ("Tarsk and Hollin")."""
    if token.dep_ == "conj" and token.head.i in places:
        return True
    return any(c.dep_ == "conj" and c.i in places for c in token.children)


def _governed_by_place(token: Token, nouns_only: bool = False) -> bool:
    """True for "in Kellen", "Tarsk and Hollin" after "in", "the villages of Hollin" and "the
    regional capital, Kellen" (``nouns_only``: not for a preposition alone, which an
    organisation takes as well: "at Oska Hydro")."""
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ == "pobj" and head.lower_ in PLACE_PREPS and not nouns_only:
        return True
    if node.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    elif node.dep_ != "appos":
        return False
    return head.pos_ == "NOUN" and head.lemma_.lower() in PLACE_NOUNS


def _unglue(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Cut words glued to a name by a missed sentence or line end.

    * "Lindsay Lohan Checks Into Rehab" (a headline in title case): a "person" that starts with
      the full name of a person the article names elsewhere, followed by words that are no
      part of an organisation's name, is that person's name;
    * "Smith's Doctor", "Simpson Guilty Of": see ``_cut_at_surname``;
    * "met Hun Sen. Events turned": a one-word "person" right after a word whose period ends
      the sentence, never part of a longer name in the article, is the next sentence's first
      word.
    """
    full = {
        tuple(t.lower_ for t in doc[d.start : d.end])
        for d in drafts
        if d.label == "PERSON" and d.end - d.start >= 2
    }
    in_names = {w for name in full for w in name}
    alone = {doc[d.start].lower_ for d in drafts if d.label == "PERSON" and d.end - d.start == 1}
    kept: list[_Draft] = []
    for d in drafts:
        words = tuple(t.lower_ for t in doc[d.start : d.end])
        if (
            d.label == "PERSON"
            and len(words) >= 3
            and not any(w.rstrip(".") in ORG_WORDS | ORG_HEADS for w in words)
        ):
            k = max((n for n in range(2, len(words)) if words[:n] in full), default=0)
            # a headline: the name's words and the rest capitalised ("U. S. Chamber of Commerce"
            # is not "U. S." and more)
            if (
                k and not all(t.is_title and t.is_alpha for t in doc[d.start : d.start + k])
            ) or not all(t.is_title or t.is_punct for t in doc[d.start + k : d.end]):
                k = 0
            if k:
                d.end, d.label, d.cut_period = d.start + k, "PERSON", False
        _cut_at_surname(doc, d, full, alone)
        if (
            d.label == "PERSON"
            and len(words) == 1
            and d.honorific is None
            and d.start > 0
            and _sentence_period(doc[d.start - 1])
            and words[0] not in in_names
        ):
            log.debug("not an entity: %r: the first word of a sentence", doc[d.start].text)
            continue
        kept.append(d)
    return kept


def _split_pairs(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Split "Lopez and Carrasquillo" (one span to the tagger, often an ORG) into two names
    when either word is a person's name (given name, surname or alone) in the article; a
    firm's "Procter and Gamble" names nobody's."""
    parts = {fold(doc[i].text) for d in drafts if d.label == "PERSON" for i in (d.start, d.end - 1)}
    out: list[_Draft] = []
    for d in drafts:
        span = doc[d.start : d.end]
        if (
            len(span) == 3
            and span[1].lower_ in ("and", "&")
            and span[0].is_title
            and span[2].is_title
            and {fold(span[0].text), fold(span[2].text)} & parts
        ):
            for i in (d.start, d.start + 2):
                label = "PERSON" if fold(doc[i].text) in parts else d.label
                out.append(_Draft(i, i + 1, label, cut_period=d.cut_period and i > d.start))
            continue
        out.append(d)
    return out


def _cut_at_surname(doc: Doc, d: _Draft, full: set[tuple[str, ...]], alone: set[str]) -> None:
    """Cut a span that opens with a person's name the article writes elsewhere (in full, its
    surname, or for a headline one word alone as a person) and goes on with a possessive
    ("Smith's Doctor") or a headline's words ("Simpson Guilty Of Fraud": capitalised, a
    function word among them) to that name, a person's."""
    span = doc[d.start : d.end]
    words = tuple(t.lower_ for t in span)
    k = max((n for n in range(2, len(words)) if words[:n] in full), default=0)
    surname = len(words) >= 2 and words[0] in {name[-1] for name in full}
    k = k or int(surname or (len(words) >= 2 and words[0] in alone))
    rest = span[k:]
    if not k or not len(rest):
        return
    headline = all(t.is_title or t.is_punct for t in rest) and any(t.is_stop for t in rest)
    # a lone word the tagger called a person ("Kellen") may be a place: "Kellen's Town Hall"
    if (rest[0].text in POSSESSIVE and (k > 1 or surname)) or headline:
        d.end, d.label, d.cut_period = d.start + k, "PERSON", False


def _drafts(doc: Doc) -> list[_Draft]:
    """Cleaned, kept entity spans in text order, roles attached, junk dropped."""
    drafts: list[_Draft] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_TYPES:
            continue
        draft = _clean(ent)
        if draft is None:
            continue
        reason = _reject(doc, draft)
        if reason is not None:
            log.debug("not an entity: %r (%s): %s", ent.text, ent.label_, reason)
            continue
        if draft.honorific is None and draft.start > 0 and bare(doc[draft.start - 1]) in HONORIFICS:
            draft.honorific = doc[draft.start - 1].text.rstrip(".")
        drafts.append(draft)
    drafts = _unglue(doc, _split_pairs(doc, drafts))
    _relabel(doc, drafts)
    person_tokens = {i for d in drafts if d.label == "PERSON" for i in range(d.start, d.end)}
    for d in drafts:
        if d.label == "PERSON":
            first = d.start
            while first > 0 and bare(doc[first - 1]) in HONORIFICS:
                first -= 1
            # the title is read before any honorific ("Foreign Minister Mr Lavrov"), and takes
            # in title words the tagger left inside the name ("Governor" in "Governor Aurel
            # Stanek", trimmed off by ``_clean``)
            pre = _premodifier_role(doc, first, person_tokens - set(range(d.start, d.end)))
            if pre is not None:
                d.role_start, d.role = pre
        if d.role is None:
            d.role = _appositive_role(doc, d)
    # Names inside a title ("State" in "Secretary of State") are part of the title.
    role_spans = [(d.role_start, d.start) for d in drafts if d.role_start is not None]
    kept: list[_Draft] = []
    for d in drafts:
        inside = any(a <= d.start and d.end <= b for a, b in role_spans if a is not None)
        if inside and d.start > 0 and doc[d.start - 1].lower_ in ROLE_OPENERS:
            continue
        kept.append(d)
    return kept


def extract_mentions(article: Article, doc: Doc) -> tuple[Mention, ...]:
    """Return the article's entity mentions in text order.

    Args:
        article: The article; spans index its ``text``.
        doc: The article's parse (``Analyzer().parse``), made from ``article.text``.

    Returns:
        One ``Mention`` per kept entity span, with role, honorific and resolved pronouns.
    """
    drafts = _drafts(doc)
    tok2m: dict[int, int] = {}
    names: list[str] = []
    for n, d in enumerate(drafts):
        names.append(doc[d.start : d.end].text)
        if d.label == "PERSON":
            for i in range(d.start, d.end):
                tok2m[i] = n
    pronouns: dict[int, list[str]] = {}
    if tok2m:
        quoted = quoted_chars(article.text)
        coref = Coref(doc, tok2m, names, quoted)
        for t in doc:
            low = t.lower_
            if low not in PRONOUN_GENDER or in_ranges(t.idx, quoted):
                continue
            m = coref.resolve(t)
            if m is not None:
                coref.pron2m[t.i] = m
                pronouns.setdefault(m, []).append(low)
    out: list[Mention] = []
    for n, d in enumerate(drafts):
        span = doc[d.start : d.end]
        start, end = span.start_char, span.end_char - (1 if d.cut_period else 0)
        out.append(
            Mention(
                article=article.id,
                start=start,
                end=end,
                text=article.text[start:end],
                type=d.label,
                role=_normalise_space(d.role) if d.role else None,
                pronouns=tuple(pronouns.get(n, ())),
                honorific=d.honorific,
            )
        )
    return tuple(out)


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


def mentions_by_article(
    articles: Iterable[Article], docs: Mapping[str, Doc]
) -> tuple[Mention, ...]:
    """Return the mentions of every article that has a parse, in article order."""
    out: list[Mention] = []
    for a in articles:
        if a.id in docs:
            out.extend(extract_mentions(a, docs[a.id]))
    return tuple(out)
