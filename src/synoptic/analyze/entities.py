"""Entity mentions of one article: who and what it names, with titles and pronouns.

Reads the article's cached spaCy parse and returns one ``Mention`` per person, organisation or
place it names, cleaned for merging across outlets (``synoptic.synthesize.entities``):

* the text loses a leading "the", a possessive "'s" and, for people, an honorific ("Ms",
  "Dr"), which is kept on the mention as evidence of the form used;
* ``role`` is the title the article gives the person, read from the words before the name
  ("US Deputy Secretary of State Wendy Sherman") or from an apposition ("Evgeny Marek, the
  chief engineer of the firm," / "the chief engineer of the firm, Evgeny Marek");
* ``pronouns`` are the gendered pronouns the article uses for the person, found by a
  gender-blind rule (the pronoun's gender never chooses its antecedent, so that a machine
  translation calling a woman "he" shows up instead of being resolved away).

Junk is dropped, and logged at debug level with the reason ``_reject`` gives: numbers and
dates mis-tagged as names, single lowercase words, photo credits ("Name/Agency") and page
residue glued across lines. The small model's commonest label errors are corrected from the
sentence (``_relabel``): "in Kellen" is a place, "Oska Hydro" an organisation.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from synoptic.model import Article

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Vocabulary. The parse and the NER decide structure; these lists only say what a word means.
# --------------------------------------------------------------------------------------------


def _words(spec: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spec.split())


#: Entity labels kept: people, organisations, places, groups, facilities, events, laws.
KEEP_TYPES = _words("PERSON ORG GPE LOC NORP FAC EVENT LAW")

#: Honorifics stripped from a person's name, with the gender they state (``None``: neutral).
HONORIFICS: dict[str, str | None] = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "madam": "f",
    "madame": "f",
    "mx": None,
    "dr": None,
    "prof": None,
    "rev": None,
}

#: Nouns that make a phrase a title or function ("minister", "spokeswoman", "engineer").
ROLE_HEADS = _words(
    "minister secretary president premier chancellor governor mayor senator congressman "
    "congresswoman representative ambassador envoy consul diplomat negotiator spokesman "
    "spokeswoman spokesperson director chairman chairwoman chair chairperson ceo executive "
    "founder commissioner commander general admiral colonel captain lieutenant sergeant "
    "officer chief head leader judge justice prosecutor attorney inspector superintendent "
    "sheriff constable detective engineer architect curator professor dean rector editor "
    "correspondent reporter analyst economist scientist researcher mp mep councillor "
    "councilor councilman councilwoman lawmaker legislator king queen prince princess pope "
    "cardinal bishop archbishop imam rabbi emir sultan sheikh coach manager treasurer adviser "
    "advisor aide official pastor priest marshal warden ombudsman administrator coordinator "
    "undersecretary secretary-general president-elect minister-president vice-minister "
    "vice-president deputy-minister"
)

#: Words that qualify a title without being one ("deputy", "foreign", "regional").
ROLE_MODIFIERS = _words(
    "deputy vice acting interim former ex assistant associate senior junior chief executive "
    "general foreign defence defense interior finance economy health justice prime first "
    "second top lead principal permanent special regional national federal state provincial "
    "municipal city county district managing joint co press public local outgoing "
    "incoming"
)

#: Words that join the parts of a title ("Secretary of State", "Minister for Water").
_ROLE_JOINERS = _words("of for and the on")
#: A lowercase word that is neither title nor modifier may follow one of these inside a title
#: ("governor of the region", "vice-minister for water resources").
_ROLE_OPENERS = _words("of for")

#: Last words of organisation names that the small model often tags as people ("Oska Hydro").
ORG_WORDS = _words(
    "hydro energy power oil gas group holdings bank corp corporation inc ltd llc plc gmbh ag sa "
    "company airlines airways motors systems technologies partners capital media news press "
    "agency ministry department council committee commission university college institute "
    "foundation association union party federation league club museum hospital court police "
    "army navy gazette times post herald ledger tribune courier journal daily weekly "
    "broadcasting tv radio network"
)

#: Prepositions after which a lone name is a place ("talks in Kellen"), not a person.
_PLACE_PREPS = _words(
    "in at near outside inside across around towards toward into within throughout"
)

#: Nouns naming a kind of place ("the villages of ...", "the regional capital, ...").
PLACE_NOUNS = _words(
    "city town village hamlet region province county district capital country state port "
    "island municipality suburb area valley commune parish borough"
)

#: Gendered pronouns and the gender they state.
PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}

#: Lemmas of verbs that report speech: "..., he said" points back past the reported words.
SPEECH_VERBS = _words(
    "say tell add warn insist state note stress explain urge declare write ask reply answer "
    "claim argue announce comment confirm deny admit acknowledge recall remark suggest "
    "conclude observe report tweet post demand promise pledge vow predict caution complain "
    "concede emphasise emphasize reiterate repeat assert maintain contend"
)

_STOP_ENT_LABELS = _words("DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY PERSON")
_SUBJECT_DEPS = _words("nsubj nsubjpass")
_OBJECT_DEPS = _words("dobj dative iobj attr oprd")
_QUOTE_OPEN = {"“": "”", "„": "“”", "«": "»", '"': '"'}
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@dataclass(frozen=True, slots=True)
class Mention:
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


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Return ``text`` lowercased without diacritics ("Vaško" -> "vasko"), for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _bare(token: Token) -> str:
    """The token lowercased without a trailing full stop ("Mr." -> "mr")."""
    return token.lower_.rstrip(".")


def _is_role_word(token: Token) -> bool:
    low = _bare(token)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def _is_role_head(token: Token) -> bool:
    low = _bare(token)
    return low in ROLE_HEADS or (token.pos_ == "NOUN" and token.lemma_.lower() in ROLE_HEADS)


def _quoted_chars(text: str) -> list[tuple[int, int]]:
    """Return the character ranges inside quotation marks, paragraph by paragraph.

    An opening mark left unclosed runs to the end of its paragraph (news prose reopens a long
    quote on each paragraph instead of closing it).
    """
    ranges: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        i, n = 0, len(para)
        while i < n:
            closers = _QUOTE_OPEN.get(para[i])
            if closers is None:
                i += 1
                continue
            j = i + 1
            while j < n and para[j] not in closers:
                j += 1
            ranges.append((pos + i, pos + j + 1))
            i = j + 1
        pos += len(para) + 1
    return ranges


def _in_ranges(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in ranges)


# --------------------------------------------------------------------------------------------
# Cleaning an entity span
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A kept entity span while the article is read (token range after cleaning)."""

    start: int
    end: int
    label: str
    honorific: str | None = None
    role: str | None = None
    role_start: int | None = None


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
        doc[end - 1].is_space or doc[end - 1].is_punct or doc[end - 1].text in _POSSESSIVE
    ):
        end -= 1
    while start < end - 1 and doc[start].lower_ == "the":
        start += 1
    honorific = None
    if ent.label_ == "PERSON":
        # "Without Felt": a capitalised function word glued to a name by the tagger
        while start < end - 1 and doc[start].is_stop and doc[start].is_title:
            start += 1
        while start < end - 1 and (_bare(doc[start]) in HONORIFICS or _is_role_word(doc[start])):
            if _bare(doc[start]) in HONORIFICS:
                honorific = doc[start].text.rstrip(".")
            start += 1
    if start >= end:
        return None
    return _Draft(start, end, ent.label_, honorific)


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
    if draft.label == "PERSON" and all(_is_role_word(t) for t in span):
        return "a title without a name"
    return None


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


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
        if t.text in _POSSESSIVE or t.is_space or t.like_num:
            break
        low = _bare(t)
        if t.ent_type_ in _STOP_ENT_LABELS:
            break
        if low in _ROLE_JOINERS:
            if low == "the" and not (i - 1 >= sent_start and doc[i - 1].lower_ in _ROLE_OPENERS):
                break
            if low == "and" and picked and _is_role_word(picked[-1]):
                break  # "Minister X and Regional Governor Y": two people's titles
            picked.append(t)
        elif _is_role_word(t) or (t.is_upper and len(t.text) > 1) or (t.is_title and not t.is_stop):
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
    if not tokens or _bare(tokens[0]) in _ROLE_JOINERS or _bare(tokens[-1]) in _ROLE_JOINERS:
        return False
    if tokens[0].pos_ == "ADP" and tokens[0].is_lower:
        return False  # "under President X" is a time, not a title
    if tokens[0].text == "-" or tokens[-1].text == "-":
        return False
    if not any(_is_role_head(t) for t in tokens):
        return False
    opened = False
    for t in tokens:
        low = _bare(t)
        if low in _ROLE_OPENERS:
            opened = True
        elif (
            t.is_lower and low not in _ROLE_JOINERS and not _is_role_word(t) and not t.is_punct
        ) and not opened:
            return False
    return True


def _np_role(head: Token, max_tokens: int, need_head: bool) -> str | None:
    """The noun phrase of ``head`` as a role: modifiers, the noun and an "of"/"for" phrase.

    Determiners and possessives in front are dropped ("the chief engineer of the firm" ->
    "chief engineer of the firm"); relative clauses and anything after a comma are not part
    of a title.
    """
    if need_head and not _is_role_head(head):
        return None
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "poss", "punct", "predet", "case") or child.is_punct:
            continue
        left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in _ROLE_OPENERS:
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


# --------------------------------------------------------------------------------------------
# Pronouns
# --------------------------------------------------------------------------------------------


def _in_conjunct(pron: Token, subject: Token) -> bool:
    """True when ``pron`` sits in a conjunct of ``subject`` ("Sherman and his entourage")."""
    node = pron
    while node.i != subject.i and node.head.i != node.i:
        if node.dep_ == "conj":
            return True
        node = node.head
    return False


class _Coref:
    """Gender-blind pronoun resolution inside one article, tuned for precision.

    The pronoun's gender never chooses its antecedent (a machine translation calling a woman
    "he" must stay visible), so every rule asks for one unambiguous candidate instead:

    1. the subject of the nearest clause above the pronoun that has one ("Sherman said he
       told his counterpart": both to Sherman; "For his part, Ryabkov said"); when that
       subject is not a named person ("the prosecutor", "who"), the pronoun stays unresolved;
    2. else the one person named before it in its sentence, as a subject, with no other
       person or unresolved pronoun before it;
    3. else, when its sentence names nobody before it, the one person of the previous
       sentence, named (or resolved) there as a subject.

    Rule 1 gives up when the clause also has a person as an object ("struck her as she
    walked") or when its subject is a pronoun of the other gender ("he did not say what she
    ..."): two people are in play. "..., he said" after reported words that name nobody, and
    an object pronoun in a sentence that names nobody before it, take rule 3 only.
    """

    def __init__(
        self,
        doc: Doc,
        tok2m: dict[int, int],
        names: list[str],
        quoted: list[tuple[int, int]],
    ) -> None:
        self.doc = doc
        self.tok2m = tok2m
        self.names = names
        self.quoted = quoted
        self.pron2m: dict[int, int] = {}

    def person_of(self, t: Token) -> int | None:
        """The person mention a subject token stands for, if it stands for exactly one."""
        if any(c.dep_ == "conj" for c in t.children):
            return None  # "Sherman and Ryabkov said": not one person
        if t.i in self.tok2m:
            return self.tok2m[t.i]
        if t.i in self.pron2m:
            return self.pron2m[t.i]
        if _is_role_head(t):  # "The chief engineer of the firm, Evgeny Marek, told"
            for c in t.children:
                if c.dep_ in ("appos", "compound") and c.i in self.tok2m:
                    return self.tok2m[c.i]
        return None

    def resolve(self, pron: Token) -> int | None:
        kind = (
            "poss"
            if pron.dep_ == "poss" or pron.lower_ in ("his", "hers")
            else "subj"
            if pron.dep_ in _SUBJECT_DEPS
            else "obj"
        )
        if kind == "obj" and not pron.lower_.endswith("self"):
            return self.by_position(pron, kind, reporting=False)
        verb = pron.head
        reporting = (
            kind == "subj"
            and verb.lemma_ in SPEECH_VERBS
            and (
                verb.dep_ == "parataxis"
                or any(c.i < pron.i for c in verb.children if c.dep_ == "ccomp")
            )
        )
        if reporting:
            return self.by_position(pron, kind, reporting=True)
        node = pron
        while node.head.i != node.i:
            node = node.head
            if node.pos_ not in ("VERB", "AUX") and node.dep_ != "ROOT":
                continue
            own = node.i == pron.head.i and kind == "subj"  # its own clause's objects are others
            if not own and self._other_person_argument(node, pron):
                return None  # "LaSalle struck her as she walked": two candidates
            subject = next(
                (c for c in node.children if c.dep_ in _SUBJECT_DEPS and c.i != pron.i), None
            )
            if subject is None:
                continue
            inside = subject.left_edge.i <= pron.i <= subject.right_edge.i
            if (inside and not _in_conjunct(pron, subject)) or _in_ranges(subject.idx, self.quoted):
                return None  # "His counterpart Ryabkov said": "his" is someone else
            if subject.lower_ in PRONOUN_GENDER and (
                PRONOUN_GENDER[subject.lower_] != PRONOUN_GENDER[pron.lower_]
            ):
                return None  # "He did not say what she ...": a chain of two pronouns
            return self.person_of(subject)
        return self.by_position(pron, kind, reporting=False)

    def _other_person_argument(self, verb: Token, pron: Token) -> bool:
        """True when the clause of ``verb`` has a person other than its subject among its
        objects ("struck her", "handed it to Art Ortiz"), who could be the pronoun's referent."""
        args = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
        args += [
            g
            for c in verb.children
            if c.dep_ in ("prep", "agent")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        for a in args:
            if a.i == pron.i or a.left_edge.i <= pron.i <= a.right_edge.i:
                continue
            if a.lower_ in PRONOUN_GENDER or a.i in self.tok2m:
                return True
            if any(c.dep_ == "poss" and c.lower_ in PRONOUN_GENDER for c in a.children):
                return True  # "assault on his sister": a relative is a person too
            if any(c.dep_ in ("appos", "compound") and c.i in self.tok2m for c in a.children):
                return True
        return False

    def _people(self, lo: int, hi: int) -> tuple[list[int], list[int], int]:
        """In tokens ``[lo, hi)`` outside quotes: the persons named or resolved, those of them
        that are subjects, and the number of gendered pronouns left unresolved."""
        people: list[int] = []
        subjects: list[int] = []
        unresolved = 0
        for i in range(lo, hi):
            t = self.doc[i]
            if _in_ranges(t.idx, self.quoted):
                continue
            m = self.tok2m.get(i, self.pron2m.get(i))
            if m is None:
                if t.lower_ in PRONOUN_GENDER:
                    unresolved += 1
                continue
            people.append(m)
            if t.dep_ in _SUBJECT_DEPS or (t.head.i in self.tok2m and t.head.dep_ in _SUBJECT_DEPS):
                subjects.append(m)
        return people, subjects, unresolved

    def _distinct(self, people: list[int]) -> int:
        """How many different people ``people`` holds: a surname is one person unless two
        full names with it differ ("Scott Peterson", "Laci Peterson")."""
        firsts: dict[str, set[str]] = {}
        for m in people:
            parts = fold(self.names[m]).split()
            firsts.setdefault(parts[-1], set())
            if len(parts) > 1:
                firsts[parts[-1]].add(parts[0])
        return sum(max(1, len(f)) for f in firsts.values())

    def _sole_subject(self, lo: int, hi: int) -> int | None:
        people, subjects, unresolved = self._people(lo, hi)
        if unresolved or not subjects or self._distinct(people) != 1:
            return None
        return subjects[-1]

    def by_position(self, pron: Token, kind: str, reporting: bool) -> int | None:
        sent = pron.sent
        people, _, unresolved = self._people(sent.start, pron.i)
        if people or unresolved:
            if reporting or kind == "obj":
                # "His daughter Joan Felt said ..., she told": who is the speaker is unclear;
                # an object pronoun is not its own clause's subject ("X told her")
                return None
            return self._sole_subject(sent.start, pron.i)
        if sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        return self._sole_subject(prev.start, prev.end)


# --------------------------------------------------------------------------------------------
# The pass
# --------------------------------------------------------------------------------------------


def _relabel(doc: Doc, drafts: list[_Draft]) -> None:
    """Correct the small model's commonest label errors from evidence in the sentence.

    * a "person" whose last word names an organisation ("Oska Hydro", "Ledger") is an ORG;
    * a lone-word "person" without an honorific, governed by a place preposition or noun ("in
      Kellen", "the villages of Hollin", "the regional capital, Kellen") or coordinated with a
      place ("Tarsk and Hollin"), is a place (GPE), and so is such an "organisation" except
      after a bare preposition ("at Oska Hydro" is an organisation);
    * a lone word tagged otherwise but written with an honorific or right after a title
      ("Mr Stanek", "Governor Stanek"), or equal to the surname of a person named in the same
      article ("Stanek" after "Aurel Stanek"), is a PERSON.
    """
    surnames = {
        fold(doc[d.end - 1].text) for d in drafts if d.label == "PERSON" and d.end - d.start > 1
    }
    places = {i for d in drafts if d.label in ("GPE", "LOC") for i in range(d.start, d.end)}
    for d in drafts:
        span = doc[d.start : d.end]
        single = len(span) == 1
        if d.label == "PERSON":
            if _bare(span[-1]) in ORG_WORDS and span[-1].is_title:
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
            titled = before is not None and before.is_title and _is_role_head(before)
            if d.honorific or titled or fold(span.text) in surnames:
                d.label = "PERSON"
            elif d.label == "ORG" and (
                _governed_by_place(span[0], nouns_only=True) or _coordinated_with(span[0], places)
            ):
                d.label = "GPE"


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
    if node.dep_ == "pobj" and head.lower_ in _PLACE_PREPS and not nouns_only:
        return True
    if node.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    elif node.dep_ != "appos":
        return False
    return head.pos_ == "NOUN" and head.lemma_.lower() in PLACE_NOUNS


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
        if (
            draft.honorific is None
            and draft.start > 0
            and _bare(doc[draft.start - 1]) in HONORIFICS
        ):
            draft.honorific = doc[draft.start - 1].text.rstrip(".")
        drafts.append(draft)
    _relabel(doc, drafts)
    person_tokens = {i for d in drafts if d.label == "PERSON" for i in range(d.start, d.end)}
    for d in drafts:
        if d.label == "PERSON":
            first = d.start
            while first > 0 and _bare(doc[first - 1]) in HONORIFICS:
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
        if inside and d.start > 0 and doc[d.start - 1].lower_ in _ROLE_OPENERS:
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
        quoted = _quoted_chars(article.text)
        coref = _Coref(doc, tok2m, names, quoted)
        for t in doc:
            low = t.lower_
            if low not in PRONOUN_GENDER or _in_ranges(t.idx, quoted):
                continue
            m = coref.resolve(t)
            if m is not None:
                coref.pron2m[t.i] = m
                pronouns.setdefault(m, []).append(low)
    out: list[Mention] = []
    for n, d in enumerate(drafts):
        span = doc[d.start : d.end]
        start, end = span.start_char, span.end_char
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


__all__ = [
    "HONORIFICS",
    "KEEP_TYPES",
    "PRONOUN_GENDER",
    "ROLE_HEADS",
    "ROLE_MODIFIERS",
    "Mention",
    "extract_mentions",
    "fold",
    "mentions_by_article",
]
