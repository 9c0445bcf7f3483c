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

A sentence yields **claims** (``Claim``) only from its main clause: the root, a verb conjoined to
it that shares its subject, and the clause reported by a reporting verb ("X said *that ...*");
never from a conditional, relative, adverbial or question clause. A claim is not used at all when
its wording does not commit the writer to the opposite of the other side:

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
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from synoptic.model import Cited, Conflict, ConflictValue, Span, Story
from synoptic.synthesize.align import Group, Member

if TYPE_CHECKING:  # spaCy is slow to import; only its types are needed here
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# Cosine that makes two sentences "the same report" when alignment did not group them.
COSINE = 0.75
# Least Dice overlap of the two sentences' content lemmas (besides the predicate words).
MIN_DICE = 0.35

# Opposite outcomes, as lemma pairs. Each is a claim about the same subject and object whose two
# sides cannot both hold at one time.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("confirm", "deny"),
    ("admit", "deny"),
    ("acknowledge", "deny"),
    ("accept", "reject"),
    ("approve", "reject"),
    ("win", "lose"),
    ("rise", "fall"),
    ("increase", "decrease"),
    ("survive", "die"),
    ("arrest", "release"),
    ("open", "close"),
    ("acquit", "convict"),
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ANTONYM_OF: dict[str, frozenset[str]] = defaultdict(frozenset)
for _a, _b in ANTONYMS:
    _ANTONYM_OF[_a] |= {_b}
    _ANTONYM_OF[_b] |= {_a}

# Pairs that happen in sequence as often as they contradict: a sentence marking time order makes
# them a story of two moments, not two accounts of one.
_SEQUENCE_WORDS = _set(
    "later then subsequently afterwards afterward again initially originally first earlier "
    "previously eventually finally since before after until now briefly temporarily"
)

# Negated, these verbs say that something was not disclosed, which a later report that discloses
# it does not contradict ("police did not release the name" / "police released the name").
_DISCLOSURE = _set(
    "say tell comment speak disclose reveal specify elaborate respond return identify name "
    "discuss explain answer reach release give provide know mention report announce indicate "
    "detail describe publish issue confirm offer share add state clarify make"
)
# Verbs whose clausal complement is the reported claim ("X said that ...").
_REPORTING = _set(
    "say tell report state add announce claim insist confirm admit acknowledge deny explain "
    "note stress write testify allege maintain argue assert believe think"
)
# Modals that keep a claim: "will" and "shall" state a plan; the others hedge it.
_FIRM_MODALS = frozenset({"will", "shall", "'ll"})
_HEDGE_WORDS = _set(
    "reportedly allegedly apparently possibly probably perhaps maybe likely unlikely"
)
# Words right after a negation that stop it from flipping the claim.
_NEG_BLOCKERS = frozenset({"only", "just", "merely", "yet", "immediately", "necessarily", "all"})
_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "until", "lest"})
_WH = frozenset({"what", "why", "how", "who", "whom", "whose", "which", "when", "where", "whether"})
_NEG_PRONOUNS = frozenset({"nobody", "nothing", "none", "noone"})
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_VAGUE_WORDS = _set(
    "a an some several many few both all each every any another other more most numerous"
)
_OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd")


@dataclass(frozen=True, slots=True)
class Claim:
    """One main-clause statement of a sentence, reduced to what contradiction needs.

    Attributes:
        member: The sentence (with its outlet and embedding) as alignment saw it.
        predicate: The predicate lemma ("confirm"; "be:guilty" for a copula or a verdict).
        negated: Whether the sentence denies it.
        subject: Keys naming the subject (entity names, a person's surname, or a noun with its
            compounds).
        obj: What the predicate applies to: keys of its object, or for a reported clause its
            verb, polarity and object; empty when it has none.
        voice: ``"active"`` or ``"passive"``.
        tense: ``"past"``, ``"earlier"`` (past perfect in a main clause: "had pleaded not
            guilty" tells an earlier moment than "pleaded guilty"), ``"so far"`` (a negated
            present perfect: "has not been lifted"), ``"present"`` or ``"future"``.
        preps: Each preposition on the predicate with keys of its object ("nominated *for an
            Oscar*"); a preposition both sides use must have the same object.
        subject_text: The subject as written (for the topic).
        phrase: The predicate as written, auxiliaries and negation included ("did not confirm").
        anchor: The predicate's character span in the article.
        vague_obj: Whether the object names no one thing ("arrested *two men*"): two outlets
            can then report opposite outcomes of different men, so no antonym is read.
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

    @property
    def outlet(self) -> str:
        """The independent outlet stating it."""
        return self.member.outlet


def _fold(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).lower().strip()


def _keys(token: Token, *, numbers: bool = False) -> frozenset[str]:
    """Keys naming the thing ``token`` heads; empty for pronouns (and numbers, unless asked)."""
    if numbers and token.like_num:
        return frozenset({token.lower_})  # "in 2019" against "in 2023"
    if token.pos_ in ("PRON", "NUM", "DET") or token.lower_ in _NEG_PRONOUNS:
        return frozenset()
    if token.ent_type_ in _ENTITY_LABELS:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
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


def claims_of(member: Member, doc: Doc) -> list[Claim]:
    """Return the claims of one aligned sentence (see the module docstring for which).

    Args:
        member: The sentence as alignment saw it.
        doc: The spaCy parse of its article.
    """
    s = member.sentence
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
                member=member,
                predicate=predicate,
                negated=negated,
                subject=subject,
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


def _preps(head: Token) -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for c in head.children:
        if c.dep_ in ("prep", "agent"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                out.append((c.lower_, _keys(pobj, numbers=True)))
    return tuple(out)


def _same_preps(a: Claim, b: Claim) -> bool:
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


def _opposed(a: Claim, b: Claim) -> str | None:
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


def _side_key(c: Claim, kind: str) -> tuple[str, bool]:
    return (c.predicate, c.negated) if kind == "polarity" else (c.predicate, False)


def find_claim_conflicts(
    story: Story,
    groups: Sequence[Group],
    docs: Mapping[str, Doc],
    *,
    cosine: float = COSINE,
    min_dice: float = MIN_DICE,
) -> tuple[Conflict, ...]:
    """Return the claim contradictions between the story's outlets (high precision, low recall).

    Args:
        story: The story (its article order orders the sides' sources).
        groups: Its alignment groups (``synthesize.align.align``), which carry every alignable
            sentence with its outlet and embedding.
        docs: The spaCy parse of every member, by article id.
        cosine: Sentence cosine that counts as "the same report" outside one alignment group.
        min_dice: Least content-lemma overlap of the two sentences.

    Returns:
        One ``Conflict(kind="claim")`` per contradiction, each value one side: the first
        sentence stating it as ``text`` and every stating sentence as ``spans``.
    """
    group_of: dict[tuple[str, int], int] = {}
    claims: list[Claim] = []
    for gi, g in enumerate(groups):
        for m in g.members:
            group_of[(m.sentence.article, m.sentence.index)] = gi
            doc = docs.get(m.sentence.article)
            if doc is not None:
                claims.extend(claims_of(m, doc))
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
    left: list[Claim] = field(default_factory=list)
    right: list[Claim] = field(default_factory=list)

    def takes(self, kind: str, sides: tuple[tuple[str, bool], ...], a: Claim, b: Claim) -> bool:
        """Whether the pair ``a``/``b`` opposes the same claims (the subject named either way)."""
        if kind != self.kind or sides != self.sides:
            return False
        named = frozenset().union(*(c.subject for c in self.left + self.right))
        return bool((a.subject | b.subject) & named) and _same_obj(a.obj, self.left[0].obj)


def _similar(
    a: Claim, b: Claim, group_of: Mapping[tuple[str, int], int], cosine: float, min_dice: float
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


def _outlet_states_both(a: Claim, b: Claim, claims: Iterable[Claim], kind: str) -> bool:
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


def _side(claims: Sequence[Claim], order: Mapping[str, int]) -> ConflictValue:
    seen: dict[str, Span] = {}
    for c in sorted(claims, key=lambda c: (order.get(c.member.sentence.article, 0), c.anchor)):
        s = c.member.sentence
        seen.setdefault(s.article, s.span)
    first = next(iter(seen.values()))
    text = next(c.member.sentence.text for c in claims if c.member.sentence.span == first)
    return ConflictValue(text=text, spans=tuple(seen.values()))


def _topic(a: Claim, b: Claim) -> str:
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
    "Claim",
    "claims_of",
    "find_claim_conflicts",
    "uncontradicted",
]
