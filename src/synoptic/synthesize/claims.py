"""Claim contradictions: two outlets state opposite things about the same subject.

Output is one ``Conflict(kind="claim")`` per contradiction, each side the verbatim sentences (and
spans) of the outlets that state it, e.g. "Oska Hydro confirmed that it had postponed repairs"
(one outlet) against "Oska Hydro has denied that it postponed repairs" (another).

A false contradiction shown to a journalist costs far more than a missed one, so every step errs
towards saying nothing. Two kinds are detected, and nothing else:

1. **Polarity.** The same predicate (lemma), subject and object, stated by one outlet and
   negated by another ("the evacuation order was lifted on Tuesday" / "the evacuation order was
   not lifted on Tuesday"). Negation is a ``neg`` dependent or "never" on the predicate (or on
   its complement: "pleaded not guilty"), or "no" on its subject or object ("police found no
   weapons").
2. **Antonymous outcomes.** A curated pair of opposite predicates (``ANTONYMS``: confirmed and
   denied, won and lost, acquitted and convicted, ...) with the same subject and object, neither
   negated.

A sentence yields **claims** only from its main clause: the root, a verb conjoined to it that
shares its subject, and the clause reported by a reporting verb ("X said *that ...*"); never
from a conditional, relative, adverbial or question clause. A claim is not used at all when its
wording does not commit the writer to the opposite of the other side (claims are read from the
parse at analysis time, ``analyze.claims``; this module only matches them across outlets):

* hedges and modals other than "will" ("may", "could not", "would not");
* negation that does not flip the claim: "not only", "not just", "no longer" (a change, not a
  denial), "not yet", "not immediately", "never before", "not ... until";
* withheld information rather than a negative statement: a negated reporting or disclosure verb
  ("did not say whether", "would not comment", "has not released the name", "did not confirm"),
  which a later report filling the gap does not contradict (on ECB+, "results have not been
  released" / "results were released Wednesday" is an update); "did not say what ..." (a
  question left open) is no claim either;
* "be" without the same complement on both sides.

Two claims **contradict** when they come from different independent outlets (a wire copy and its
original are one outlet), have the same subject (the same named entity, a person's surname
counting, or the same noun with its compounds; pronouns never match, and a subject that names
no one thing, "two passengers" or "a man", gives no claim: "two passengers survived" and "two
passengers died" may be four people; for an antonym pair the object must name one thing too),
the same object (both
absent, or the same head; for a reported clause, the same verb, polarity and object), the same
object for every preposition both use ("nominated for an Oscar" is not "nominated for a Golden
Globe"; "in 2019" is not "in 2023"), the same voice and tense (past, present, future, and the
past perfect of a main clause apart: "had pleaded not guilty" tells an earlier moment than
"pleaded guilty"; a negated present perfect, "no charges have been filed", is true only so far
and contradicts nothing), and their sentences report the same thing: they sit
in one alignment group (``synthesize.align``) or their MiniLM cosine is at least ``COSINE``, and
they share at least ``MIN_DICE`` of their content lemmas.

Finally a contradiction is dropped when any one outlet states both sides of it, whatever the
object (it tells a sequence or two different things: "won the final this year ... lost the cup
in 2019"), or, for an antonym pair, when either sentence marks a sequence in time ("later",
"initially", "again", ...: arrested then released, survived then died).

On the 86 ECB+ stories this flags nothing; each of these safety rules, switched off, lets
through a false contradiction there (``bench/gold/ecbplus_claims.json``), and the naive rule
(aligned sentences, exactly one negated) flags about a thousand, none real in a judged sample.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from synoptic import lang
from synoptic.analyze.claims import Claim
from synoptic.model import Cited, Conflict, ConflictValue, Span, Story
from synoptic.synthesize.align import Group, Member

# Cosine that makes two sentences "the same report" when alignment did not group them.
COSINE = 0.75
# Least Dice overlap of the two sentences' content lemmas (besides the predicate words).
MIN_DICE = 0.35

# Opposite outcomes, as lemma pairs (``lang/en/antonym_outcomes.tsv``). Each is a claim about the
# same subject and object whose two sides cannot both hold at one time.
ANTONYMS: tuple[tuple[str, str], ...] = tuple(lang.mapping("antonym_outcomes").items())

_ANTONYM_OF: dict[str, frozenset[str]] = defaultdict(frozenset)
for _a, _b in ANTONYMS:
    _ANTONYM_OF[_a] |= {_b}
    _ANTONYM_OF[_b] |= {_a}

# Pairs that happen in sequence as often as they contradict: a sentence marking time order makes
# them a story of two moments, not two accounts of one.
_SEQUENCE_WORDS = lang.words("sequence_words")


@dataclass(frozen=True, slots=True)
class AlignedClaim:
    """A sentence's claim (``analyze.claims.Claim``) bound to the sentence as alignment saw it.

    Attributes:
        member: The sentence (with its outlet and embedding) as alignment saw it.
        predicate: The predicate lemma ("confirm"; "be:guilty" for a copula or a verdict).
        negated: Whether the sentence denies it.
        subject: Keys naming the subject.
        obj: What the predicate applies to (see ``analyze.claims.Claim``).
        voice: ``"active"`` or ``"passive"``.
        tense: ``"past"``, ``"earlier"``, ``"so far"``, ``"present"`` or ``"future"``.
        preps: Each preposition on the predicate with keys of its object.
        subject_text: The subject as written (for the topic).
        phrase: The predicate as written, auxiliaries and negation included.
        anchor: The predicate's character span in the article.
        vague_obj: Whether the object names no one thing.
    """

    member: Member
    predicate: str
    negated: bool
    subject: frozenset[str]
    obj: tuple[str, ...]
    voice: str
    tense: str
    preps: tuple[tuple[str, frozenset[str]], ...]
    subject_text: str
    phrase: str
    anchor: Span
    vague_obj: bool = False

    @classmethod
    def of(cls, member: Member, claim: Claim) -> AlignedClaim:
        """Bind ``claim`` (read from ``member``'s sentence at analysis time) to ``member``."""
        return cls(
            member=member,
            predicate=claim.predicate,
            negated=claim.negated,
            subject=frozenset(claim.subject),
            obj=claim.obj,
            voice=claim.voice,
            tense=claim.tense,
            preps=tuple((p.word, frozenset(p.keys)) for p in claim.preps),
            subject_text=claim.subject_text,
            phrase=claim.phrase,
            anchor=claim.anchor,
            vague_obj=claim.vague_obj,
        )

    @property
    def outlet(self) -> str:
        """The independent outlet stating it."""
        return self.member.outlet


def _same_preps(a: AlignedClaim, b: AlignedClaim) -> bool:
    """Whether every preposition both claims use has overlapping objects ("for an Oscar")."""
    theirs: dict[str, set[str]] = defaultdict(set)
    for prep, keys in b.preps:
        theirs[prep] |= keys
    for prep, keys in a.preps:
        if prep in theirs and keys and theirs[prep] and not keys & theirs[prep]:
            return False
    return True


def _same_obj(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return a == b
    if a[0] != b[0]:
        return False
    if a[0] == "clause":  # same reported verb and polarity; objects overlap when both named
        return a[1:3] == b[1:3] and (not a[3:] or not b[3:] or bool(set(a[3:]) & set(b[3:])))
    return bool(set(a[1:]) & set(b[1:]))


def _opposed(a: AlignedClaim, b: AlignedClaim) -> str | None:
    """``"polarity"`` or ``"antonym"`` when the two claims state opposite things, else ``None``."""
    if a.outlet == b.outlet or a.voice != b.voice or a.tense != b.tense:
        return None
    if not (a.subject & b.subject) or not _same_obj(a.obj, b.obj) or not _same_preps(a, b):
        return None
    if a.predicate == b.predicate and a.negated != b.negated:
        return "polarity"
    base_a, base_b = a.predicate.split(":")[0], b.predicate.split(":")[0]
    same_complement = a.predicate.partition(":")[2] == b.predicate.partition(":")[2]
    vague = a.vague_obj or b.vague_obj
    if not (a.negated or b.negated or vague) and base_b in _ANTONYM_OF[base_a] and same_complement:
        return "antonym"
    return None


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _side_key(c: AlignedClaim, kind: str) -> tuple[str, bool]:
    return (c.predicate, c.negated) if kind == "polarity" else (c.predicate, False)


def find_claim_conflicts(
    story: Story,
    groups: Sequence[Group],
    claims_by_article: Mapping[str, Sequence[Claim]],
    *,
    cosine: float = COSINE,
    min_dice: float = MIN_DICE,
) -> tuple[Conflict, ...]:
    """Return the claim contradictions between the story's outlets (high precision, low recall).

    Args:
        story: The story (its article order orders the sides' sources).
        groups: Its alignment groups (``synthesize.align.align``), which carry every alignable
            sentence with its outlet and embedding.
        claims_by_article: Each article's claims (``analyze.claims.extract_claims``, kept in
            its ``AnalyzedArticle``), by article id.
        cosine: Sentence cosine that counts as "the same report" outside one alignment group.
        min_dice: Least content-lemma overlap of the two sentences.

    Returns:
        One ``Conflict(kind="claim")`` per contradiction, each value one side: the first
        sentence stating it as ``text`` and every stating sentence as ``spans``.
    """
    by_sentence: dict[tuple[str, int], list[Claim]] = defaultdict(list)
    for art_id, article_claims in claims_by_article.items():
        for claim in article_claims:
            by_sentence[(art_id, claim.sentence)].append(claim)
    group_of: dict[tuple[str, int], int] = {}
    claims: list[AlignedClaim] = []
    for gi, g in enumerate(groups):
        for m in g.members:
            key = (m.sentence.article, m.sentence.index)
            group_of[key] = gi
            claims.extend(AlignedClaim.of(m, claim) for claim in by_sentence.get(key, ()))
    by_pred: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_pred[c.predicate.split(":")[0]].append(i)

    found: list[_Found] = []
    for i, a in enumerate(claims):
        base = a.predicate.split(":")[0]
        partners = by_pred[base] + [j for o in _ANTONYM_OF[base] for j in by_pred[o]]
        for j in partners:
            if j <= i:
                continue
            b = claims[j]
            kind = _opposed(a, b)
            if kind is None or not _similar(a, b, group_of, cosine, min_dice):
                continue
            if kind == "antonym" and (
                _words(a.member.sentence.text) & _SEQUENCE_WORDS
                or _words(b.member.sentence.text) & _SEQUENCE_WORDS
            ):
                continue
            first, second = sorted((a, b), key=lambda c: _side_key(c, kind))
            sides = (_side_key(first, kind), _side_key(second, kind))
            entry = next((f for f in found if f.takes(kind, sides, first, second)), None)
            if entry is None:
                entry = _Found(kind, sides)
                found.append(entry)
            entry.left.append(first)
            entry.right.append(second)

    order = {art.id: n for n, art in enumerate(story.articles)}
    out: list[Conflict] = []
    for f in found:
        left, right = f.left, f.right
        if _outlet_states_both(left[0], right[0], claims, f.kind):
            continue
        values = sorted(
            [(_side(left, order), left[0]), (_side(right, order), right[0])],
            key=lambda vc: order.get(vc[0].spans[0].article, 0),
        )
        topic = _topic(values[0][1], values[1][1])
        out.append(Conflict(topic=topic, kind="claim", values=tuple(v for v, _ in values)))
    out.sort(key=lambda c: (order.get(c.values[0].spans[0].article, 0), c.values[0].spans[0].start))
    return tuple(out)


@dataclass(slots=True)
class _Found:
    """Pairs of opposed claims gathered into one conflict (one side each)."""

    kind: str
    sides: tuple[tuple[str, bool], tuple[str, bool]]
    left: list[AlignedClaim] = field(default_factory=list)
    right: list[AlignedClaim] = field(default_factory=list)

    def takes(
        self, kind: str, sides: tuple[tuple[str, bool], ...], a: AlignedClaim, b: AlignedClaim
    ) -> bool:
        """Whether the pair ``a``/``b`` opposes the same claims (the subject named either way)."""
        if kind != self.kind or sides != self.sides:
            return False
        named = frozenset().union(*(c.subject for c in self.left + self.right))
        return bool((a.subject | b.subject) & named) and _same_obj(a.obj, self.left[0].obj)


def _similar(
    a: AlignedClaim,
    b: AlignedClaim,
    group_of: Mapping[tuple[str, int], int],
    cosine: float,
    min_dice: float,
) -> bool:
    """Whether two sentences report the same thing (one group, or near in meaning and words)."""
    sa, sb = a.member.sentence, b.member.sentence
    same_group = group_of.get((sa.article, sa.index)) == group_of.get((sb.article, sb.index))
    cos = float(np.dot(a.member.vector, b.member.vector))
    if not same_group and cos < cosine:
        return False
    drop = {a.predicate.split(":")[0], b.predicate.split(":")[0]}
    ca, cb = a.member.content - drop, b.member.content - drop
    return _dice(ca, cb) >= min_dice


def _outlet_states_both(
    a: AlignedClaim, b: AlignedClaim, claims: Iterable[AlignedClaim], kind: str
) -> bool:
    """Whether one outlet states both sides (a sequence or two things, not a contradiction).

    Objects are not compared: an outlet saying the subject both won and lost something is
    enough to doubt that the two reports tell one event ("won the final this year ... lost the
    cup in 2019"), and a parse may name one object two ways.
    """
    sides: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    want = {_side_key(a, kind), _side_key(b, kind)}
    for c in claims:
        if c.subject & (a.subject | b.subject) and _side_key(c, kind) in want:
            sides[c.outlet].add(_side_key(c, kind))
    return any(len(s) == 2 for s in sides.values())


def _side(claims: Sequence[AlignedClaim], order: Mapping[str, int]) -> ConflictValue:
    seen: dict[str, Span] = {}
    for c in sorted(claims, key=lambda c: (order.get(c.member.sentence.article, 0), c.anchor)):
        s = c.member.sentence
        seen.setdefault(s.article, s.span)
    first = next(iter(seen.values()))
    text = next(c.member.sentence.text for c in claims if c.member.sentence.span == first)
    return ConflictValue(text=text, spans=tuple(seen.values()))


def _topic(a: AlignedClaim, b: AlignedClaim) -> str:
    """A short topic: the subject and the two predicates as written ("X: confirmed / denied")."""
    subject = a.subject_text if len(a.subject_text) <= len(b.subject_text) else b.subject_text
    subject = re.sub(r"^(?:The|the)\s+", "the ", subject)
    subject = re.sub(r"^(?:No|no)\s+", "", subject)
    return f"{subject}: {a.phrase} / {b.phrase}"


def uncontradicted(items: Iterable[Cited], conflicts: Iterable[Conflict]) -> tuple[Cited, ...]:
    """Return ``items`` without the citations that contradict them.

    Alignment groups the two sides of a claim contradiction (they share nearly every word), so a
    fact or summary sentence built from such a group would cite the outlet that says the
    opposite. Each item that cites both sides of a claim conflict keeps the side of its own
    wording (its first span) and loses the other side's spans.
    """
    sides = [[set(v.spans) for v in c.values] for c in conflicts if c.kind == "claim"]
    out: list[Cited] = []
    for item in items:
        spans = list(item.spans)
        for conflict in sides:
            hit = [side for side in conflict if side & set(spans)]
            own = next((side for side in conflict if spans and spans[0] in side), None)
            if len(hit) >= 2 and own is not None:
                spans = [s for s in spans if s in own or not any(s in o for o in conflict)]
        out.append(item if len(spans) == len(item.spans) else Cited(item.text, tuple(spans)))
    return tuple(out)


__all__ = [
    "ANTONYMS",
    "COSINE",
    "MIN_DICE",
    "AlignedClaim",
    "find_claim_conflicts",
    "uncontradicted",
]
