"""Gender-blind pronoun resolution for entity mentions, inside one article, tuned for precision.

See ``Coref``: the pronoun's gender never chooses its antecedent, so that a machine translation
calling a woman "he" shows up in the merged entities instead of being resolved away.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from synoptic.analyze.entities.vocab import (
    OBJECT_DEPS,
    PRONOUN_GENDER,
    QUOTE_OPEN,
    SPEECH_VERBS,
    SUBJECT_DEPS,
    is_role_head,
)
from synoptic.lang import fold


def quoted_chars(text: str) -> list[tuple[int, int]]:
    """Return the character ranges inside quotation marks, paragraph by paragraph.

    An opening mark left unclosed runs to the end of its paragraph (news prose reopens a long
    quote on each paragraph instead of closing it).
    """
    ranges: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        i, n = 0, len(para)
        while i < n:
            closers = QUOTE_OPEN.get(para[i])
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


def in_ranges(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in ranges)


def _in_conjunct(pron: Token, subject: Token) -> bool:
    """True when ``pron`` sits in a conjunct of ``subject`` ("Sherman and his entourage")."""
    node = pron
    while node.i != subject.i and node.head.i != node.i:
        if node.dep_ == "conj":
            return True
        node = node.head
    return False


class Coref:
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
        if is_role_head(t):  # "The chief engineer of the firm, Evgeny Marek, told"
            for c in t.children:
                if c.dep_ in ("appos", "compound") and c.i in self.tok2m:
                    return self.tok2m[c.i]
        return None

    def resolve(self, pron: Token) -> int | None:
        kind = (
            "poss"
            if pron.dep_ == "poss" or pron.lower_ in ("his", "hers")
            else "subj"
            if pron.dep_ in SUBJECT_DEPS
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
                (c for c in node.children if c.dep_ in SUBJECT_DEPS and c.i != pron.i), None
            )
            if subject is None:
                continue
            inside = subject.left_edge.i <= pron.i <= subject.right_edge.i
            if (inside and not _in_conjunct(pron, subject)) or in_ranges(subject.idx, self.quoted):
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
        args = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
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
            if in_ranges(t.idx, self.quoted):
                continue
            m = self.tok2m.get(i, self.pron2m.get(i))
            if m is None:
                if t.lower_ in PRONOUN_GENDER:
                    unresolved += 1
                continue
            people.append(m)
            if t.dep_ in SUBJECT_DEPS or (t.head.i in self.tok2m and t.head.dep_ in SUBJECT_DEPS):
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
