"""Stage 4 of quote finding: the people of one article, and resolving a subject to a speaker.

Names (full names, surnames, ``Ms``/``Mr`` forms, names a title governs), titles and nationalities
around them, gender evidence (honorifics, ``X said she ...``), then a walk through the article
resolving he/she, they/it and definite descriptions ("the US diplomat") to people.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Token

from synoptic.analyze.quotes.attribution import is_cue
from synoptic.analyze.quotes.context import (
    Attribution,
    Context,
    ent_of,
    is_subject,
    is_subjectish,
    np_span,
    np_text,
)
from synoptic.analyze.quotes.names import INITIAL, first_compatible
from synoptic.analyze.quotes.vocab import (
    AFFILIATION_ALIASES,
    FIRST_PERSON,
    HONORIFIC_GENDER,
    NAME_PARTICLES,
    PERSON_NOUNS,
    PRONOUN_GENDER,
    ROLE_CLASSES,
    ROLE_TITLES,
    TITLE_WORDS,
)
from synoptic.deadline import checked
from synoptic.lang import fold


def _affiliation(text: str) -> str:
    """Return a comparable key for a country, demonym or short name ("U.S." -> united states)."""
    s = fold(text).replace(".", "").strip()
    if s.startswith("the "):
        s = s[4:]
    s = re.sub(r"['’]s$", "", s)
    return AFFILIATION_ALIASES.get(s, s)


def _same_affiliation(a: str, b: str) -> bool:
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


def _is_name_token(t: Token) -> bool:
    txt = t.text
    if not txt or not txt[0].isupper():
        return False
    if fold(txt).rstrip(".") in TITLE_WORDS:
        return False
    if INITIAL.fullmatch(txt):
        return True  # an initial: "R.", "A.J."
    return bool(re.fullmatch(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*\.?", txt))


@dataclass(slots=True)
class _Person:
    pid: int
    surname: str
    forms: Counter[str] = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)
    affiliations: set[str] = field(default_factory=set)
    gender_votes: Counter[str] = field(default_factory=Counter)
    first_pos: int = 10**9

    @property
    def canonical(self) -> str:
        """The longest full-name form (most words, then most characters, then most seen)."""
        return max(self.forms, key=lambda f: (len(f.split()), len(f), self.forms[f]))

    @property
    def first(self) -> str | None:
        parts = [p for p in self.canonical.split() if not INITIAL.fullmatch(p)]
        return parts[0] if len(parts) > 1 else None

    @property
    def gender(self) -> str | None:
        if not self.gender_votes:
            return None
        (g, n), *rest = self.gender_votes.most_common()
        if rest and rest[0][1] * 2 > n:
            return None  # conflicting evidence
        return g

    def title_text(self) -> str:
        return " ".join(self.titles)


@dataclass(slots=True)
class _Mention:
    """A person mentioned at a token (by name, or resolved pronoun or description)."""

    head: int  # token index
    pid: int
    subject: bool
    sent: int
    quoted: int | None  # outermost quote containing it, or None in narration


class People:
    """The people of one article and a running record of who was mentioned where."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.persons: list[_Person] = []
        self.by_token: dict[int, int] = {}  # name token index -> person id
        self.name_spans: dict[int, tuple[int, int]] = {}  # head token -> (first, last+1) tokens
        self.mentions: list[_Mention] = []  # in token order (``walk`` appends them so)
        # The token of each mention, of each person, and of each one outside quotes, in order:
        # the resolvers look up "the last mention of X before here" for every pronoun and
        # description, which a scan of all mentions made quadratic in the article.
        self._heads: list[int] = []
        self._heads_of: dict[int, list[int]] = defaultdict(list)
        self._narrated_of: dict[int, list[int]] = defaultdict(list)
        self.resolved: dict[int, int] = {}  # pronoun/description token -> person id
        self.group_text: dict[int, str] = {}  # "they"/"it" token -> antecedent text
        self.last: Attribution | None = None  # the last top-level quote's attribution
        self._build()
        self._names = sorted(self.name_spans)
        self._names_of: dict[int, list[int]] = defaultdict(list)
        for k in sorted(self.by_token):
            self._names_of[self.by_token[k]].append(k)

    # -- building ----------------------------------------------------------------------------

    def _name_runs(self) -> list[tuple[int, int, int | None]]:
        """Return ``(first, end, honorific_token)`` token ranges of person names."""
        doc = self.ctx.doc
        runs: dict[int, tuple[int, int, int | None]] = {}
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            toks = [t for t in ent if not (t.is_punct or t.lower_ in ("'s", "’s"))]
            end = toks[-1].i + 1 if toks else ent.start
            k = end - 1
            while k >= ent.start and (
                _is_name_token(doc[k])
                or (doc[k].lower_ in NAME_PARTICLES and k > ent.start and k < end - 1)
            ):
                k -= 1
            first = k + 1
            while first < end and doc[first].lower_ in NAME_PARTICLES:
                first += 1
            if first >= end:
                continue
            hon = first - 1 if first - 1 >= 0 else None
            runs[end - 1] = (first, end, hon)
        # "Mr Ryabkov", "Ms Sherman" even when the tagger called them something else.
        for t in doc:
            if fold(t.text).rstrip(".") in HONORIFIC_GENDER and t.i + 1 < len(doc):
                k = t.i + 1
                while k < len(doc) and _is_name_token(doc[k]) and doc[k].pos_ == "PROPN":
                    k += 1
                if k > t.i + 1 and (k - 1) not in runs:
                    runs[k - 1] = (t.i + 1, k, t.i)
        # Names the tagger missed but a title governs: "Governor Stanek", "Deputy Minister of
        # Water Resources Irena Vaško" (foreign names are often tagged ORG or not at all). The
        # name is the head and at most one given name before it.
        covered = {k for first, end, _h in runs.values() for k in range(first, end)}
        for t in doc:
            if (
                t.i in covered
                or t.pos_ != "PROPN"
                or t.dep_ == "compound"
                or not _is_name_token(t)
                or (t.ent_type_ and t.ent_type_ != "ORG")
                or (t.ent_type_ == "ORG" and len(ent_of(t) or ()) > 1)
            ):
                continue
            first = t.i
            prev = doc[t.i - 1] if t.i else None
            if (
                prev is not None
                and prev.head.i == t.i
                and prev.dep_ == "compound"
                and _is_name_token(prev)
                and not prev.ent_type_
            ):
                first = prev.i
            before = doc[first - 1] if first else None
            titled = before is not None and fold(before.text).rstrip(".") in ROLE_TITLES
            of_title = (
                t.dep_ == "pobj" and t.head.lower_ == "of" and fold(t.head.head.text) in ROLE_TITLES
            )
            if titled or of_title:
                runs[t.i] = (first, t.i + 1, first - 1 if first else None)
        return sorted(runs.values())

    def _build(self) -> None:
        doc = self.ctx.doc
        runs = self._name_runs()
        surnames: dict[str, list[int]] = defaultdict(list)

        def add_form(first: int, end: int, hon: int | None) -> None:
            words = [doc[k].text for k in range(first, end)]
            surname = fold(words[-1]).rstrip(".")
            pid = None
            if len(words) > 1:
                for cand in surnames.get(surname, []):
                    p = self.persons[cand]
                    if p.first is None or first_compatible(p.first, words[0]):
                        pid = cand
                        break
            else:
                cands = surnames.get(surname, [])
                if cands:
                    # the nearest person of that surname mentioned before, else the first
                    before = [c for c in cands if self.persons[c].first_pos <= doc[first].idx]
                    pid = (before or cands)[-1 if before else 0]
            if pid is None:
                pid = len(self.persons)
                self.persons.append(_Person(pid, surname))
                surnames[surname].append(pid)
            p = self.persons[pid]
            p.forms[" ".join(words)] += 1
            p.first_pos = min(p.first_pos, doc[first].idx)
            for k in range(first, end):
                self.by_token[k] = pid
            self.name_spans[end - 1] = (first, end)
            if hon is not None:
                g = HONORIFIC_GENDER.get(fold(doc[hon].text).rstrip("."))
                if g:
                    p.gender_votes[g] += 3
            self._collect_titles(p, first, end)

        # Full names first, so that surname-only mentions can find them wherever they are.
        for first, end, hon in sorted(runs, key=lambda r: (r[0] == r[1] - 1, r[0])):
            add_form(first, end, hon)
        # Surnames the tagger labelled as something else ("Sherman" as ORG).
        for t in doc:
            if t.i in self.by_token or t.pos_ != "PROPN" or not _is_name_token(t):
                continue
            key = fold(t.text).rstrip(".")
            ent = ent_of(t)
            if key in surnames and (ent is None or len(ent) == 1):
                add_form(t.i, t.i + 1, t.i - 1 if t.i else None)
        self._gender_from_clauses()

    def _collect_titles(self, p: _Person, first: int, end: int) -> None:
        """Record the title words and nationality written around a name mention."""
        doc = self.ctx.doc
        head = doc[end - 1]
        words: list[Token] = []
        k = first - 1
        # Left modifiers of the name: "US Deputy Secretary of State", "Russia’s".
        left_edge = head.left_edge.i
        while k >= left_edge:
            words.insert(0, doc[k])
            k -= 1
        # Apposition either way: "his Russian counterpart, Deputy Foreign Minister X",
        # "X, the deputy secretary of state,".
        if head.dep_ == "appos":
            h = head.head
            words = [*list(doc[h.left_edge.i : h.i + 1]), *words]
        elif (
            head.dep_ == "pobj"
            and head.head.lower_ == "of"
            and fold(head.head.head.text) in TITLE_WORDS
        ):
            # "Deputy Minister of Water Resources Irena Vasko" parsed as the minister of her
            h = head.head.head
            words = [*list(doc[h.left_edge.i : h.i + 1]), *words]
        for c in head.children:
            if c.dep_ == "appos":
                words.extend(doc[c.left_edge.i : c.right_edge.i + 1])
        words = [
            w
            for w in words
            if not w.is_punct and w.pos_ not in ("DET", "PRON") and w.i not in self.by_token
        ]
        if not words:
            return
        title = " ".join(w.lower_ for w in words if w.ent_type_ not in ("GPE", "NORP"))
        if title.strip():
            p.titles.append(title)
        for w in words:
            if (
                w.ent_type_ in ("GPE", "NORP")
                or _affiliation(w.text) in AFFILIATION_ALIASES.values()
            ):
                ent = ent_of(w)
                p.affiliations.add(_affiliation(ent.text if ent is not None else w.text))

    def _gender_from_clauses(self) -> None:
        """Vote a person's gender from ``Sherman said she ...``: a he/she subject of a clause
        under a verb whose subject is the person, with no other person in between."""
        doc = self.ctx.doc
        for head_i in self.name_spans:
            t = doc[head_i]
            if t.dep_ not in ("nsubj", "nsubjpass"):
                continue
            verb = t.head
            for d in verb.subtree:
                if d.i <= head_i or d.lower_ not in ("he", "she") or d.dep_ != "nsubj":
                    continue
                between = [k for k in range(head_i + 1, d.i) if k in self.by_token]
                if between:
                    continue
                depth, h = 0, d.head
                while h.i != verb.i and depth < 3:
                    h = h.head
                    depth += 1
                if h.i == verb.i:
                    self.persons[self.by_token[head_i]].gender_votes[PRONOUN_GENDER[d.lower_]] += 1
                    break

    # -- running resolution ------------------------------------------------------------------

    def walk(self) -> None:
        """Go through the article once, in order, resolving narration pronouns and descriptions
        so that later pronouns can find people named only by a pronoun or a title."""
        ctx = self.ctx
        doc = ctx.doc
        for t in checked(doc, "quotes"):
            k = t.i
            quoted = ctx.outermost(k)
            if k in self.name_spans and k in self.by_token:
                self._mention(
                    _Mention(k, self.by_token[k], is_subjectish(t), ctx.sent_of[k], quoted)
                )
                continue
            if quoted is not None or not is_subject(t):
                continue
            pid = self.resolve_token(t)
            if pid is not None:
                self.resolved[k] = pid
                self._mention(_Mention(k, pid, True, ctx.sent_of[k], None))

    def _mention(self, m: _Mention) -> None:
        self.mentions.append(m)
        self._heads.append(m.head)
        self._heads_of[m.pid].append(m.head)
        if m.quoted is None:
            self._narrated_of[m.pid].append(m.head)

    def _named_in_phrase(self, t: Token) -> int | None:
        """The person a title phrase names: ``the chief engineer, Yevgeny Marek`` (apposition),
        ``Deputy Minister of Water Resources Irena Vasko`` (a title's of-phrase)."""
        for c in t.children:
            if c.dep_ == "appos" and c.i in self.by_token:
                return self.by_token[c.i]
        if fold(t.text) in TITLE_WORDS:
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for g in prep.children:
                        if g.dep_ == "pobj" and g.i in self.by_token:
                            return self.by_token[g.i]
        return None

    def resolve_token(self, t: Token) -> int | None:
        """Resolve a pronoun or definite description at token ``t`` to a person id."""
        low = t.lower_
        if low in ("he", "she") or (low in ("him", "her") and t.dep_ in ("pobj", "dobj")):
            return self._pronoun(t, PRONOUN_GENDER[low])
        if low in ("they", "it"):
            text = self._group(t)
            if text:
                self.group_text[t.i] = text
            return None
        if _is_description(t):
            return self._description(t)
        return None

    def _pronoun(self, t: Token, gender: str) -> int | None:
        ctx = self.ctx
        quoted = ctx.outermost(t.i)
        sent = ctx.sent_of[t.i]
        # The mentions before ``t`` in its sentence and the eight before (in token order).
        lo = bisect.bisect_left(self.mentions, sent - 8, key=lambda m: m.sent)
        hi = bisect.bisect_left(self._heads, t.i)
        history = [m for m in self.mentions[lo:hi] if m.quoted is None or m.quoted == quoted]
        for s in range(sent, sent - 9, -1):
            in_sent = [m for m in history if m.sent == s]
            if not in_sent:
                continue
            ok = [m for m in in_sent if self.persons[m.pid].gender in (None, gender)]
            if not ok:
                continue
            subjects = [m for m in ok if m.subject]
            if s == sent:
                pick = subjects[-1] if subjects else ok[-1]
            else:
                pick = subjects[0] if subjects else ok[-1]
            return pick.pid
        return None

    def _group(self, t: Token) -> str | None:
        """ "they"/"it": the nearest earlier plural or organisation subject, as text."""
        ctx = self.ctx
        sent = ctx.sent_of[t.i]
        want_plural = t.lower_ == "they"
        for k in range(t.i - 1, max(-1, t.i - 120), -1):
            if sent - ctx.sent_of[k] > 2:
                break
            c = ctx.doc[k]
            conj = any(d.dep_ == "conj" for d in c.children)
            if ctx.tok_quote[k] is not None or not is_subject(c):
                continue
            if c.i in self.by_token and not (want_plural and conj):
                continue
            plural = c.tag_ in ("NNS", "NNPS") or c.ent_type_ in ("NORP",) or conj
            org = c.ent_type_ in ("ORG", "GPE", "NORP")
            if (want_plural and (plural or org)) or (not want_plural and org):
                return np_text(ctx, c)
        return None

    def _description(self, t: Token) -> int | None:
        """Match "the US diplomat" / "the minister" to the person whose title, role class and
        nationality fit, preferring the most recent one named before it, else the next one."""
        head = t.lemma_.lower()
        mods = [c for c in t.children if c.i < t.i]
        affs = {
            _affiliation((ent_of(c) or c).text)
            for m in mods
            for c in m.subtree
            if c.ent_type_ in ("GPE", "NORP")
            or _affiliation(c.text) in AFFILIATION_ALIASES.values()
        }
        words = {c.lower_ for m in mods for c in m.subtree}
        best: tuple[tuple[int, int, int], int] | None = None
        for p in self.persons:
            title = p.title_text()
            title_words = set(title.split())
            if head in title_words:
                score = 3
            elif head in ROLE_CLASSES:
                cls = ROLE_CLASSES[head]
                if cls is None:
                    score = 1 if title else 0
                else:
                    score = 2 if any(_has_phrase(title, ph) for ph in cls) else 0
            else:
                score = 0
            if not score:
                continue
            if affs:
                if p.affiliations and not any(
                    _same_affiliation(a, b) for a in affs for b in p.affiliations
                ):
                    continue
                if p.affiliations:
                    score += 2
            score += len(words & title_words)
            before = _last_before(self._heads_of.get(p.pid, []), t.i)
            if before is not None:
                rank = (score, 1, before)
            else:
                names = self._names_of.get(p.pid, [])
                i = bisect.bisect_right(names, t.i)
                rank = (score, 0, -names[i] if i < len(names) else -(10**9))
            if best is None or rank > best[0]:
                best = (rank, p.pid)
        if best is not None:
            return best[1]
        return self._named_next(t, head)

    def _named_next(self, t: Token, head: str) -> int | None:
        """News often gives a quote to a title and names the person just after ("the agency
        spokeswoman said. ... Lena Hoff, who speaks for the agency, said"): take the next named
        person if they speak within the next paragraph and no title of theirs contradicts."""
        ctx = self.ctx
        para = ctx.para_of(t.idx)
        for j in range(bisect.bisect_right(self._names, t.i), len(self._names)):
            k = self._names[j]
            if ctx.tok_quote[k] is not None:
                continue
            if ctx.para_of(ctx.doc[k].idx) > para + 1:
                return None
            name = ctx.doc[k]
            clause = name.head if is_subject(name) else None
            if clause is None and is_subjectish(name):
                clause = name.head.head if name.dep_ == "appos" else name.head.head.head
            if clause is None or not is_cue(clause):
                return None
            p = self.persons[self.by_token[k]]
            title = p.title_text()
            if title and head not in title.split():
                cls = ROLE_CLASSES.get(head)
                if cls is not None and not any(_has_phrase(title, ph) for ph in cls):
                    return None
            return p.pid
        return None

    # -- speaker of an attribution -----------------------------------------------------------

    def speaker_of(self, att: Attribution, narration: bool = True) -> None:
        """Fill in ``speaker``, ``speaker_span``, ``pid`` and ``first_person`` for ``att``.

        ``narration`` marks attributions of top-level quotes, read in text order: the last one
        is remembered, so that ``“...,” said an officer. “...,” he added`` gives the second quote
        to the officer rather than to a person named further back.
        """
        ctx = self.ctx
        if att.subject is None:
            return
        t = ctx.doc[att.subject]
        # Conjoined subjects and compounds: resolve the head, cite the whole noun phrase.
        span = np_span(ctx, t)
        att.speaker_span = span
        low = t.lower_
        if low in FIRST_PERSON:
            att.first_person = True
            att.speaker = t.text
            return
        pid = self.by_token.get(t.i)
        if pid is None:
            pid = self.resolved.get(t.i)
        if pid is None:
            pid = self._named_in_phrase(t)
        if pid is None and (low in PRONOUN_GENDER or _is_description(t)):
            pid = self.resolve_token(t)
        last = self.last if narration else None
        if low in ("he", "she") and last is not None and self._unnamed_is_nearer(t, pid, last):
            att.speaker = last.speaker
            return  # the unnamed speaker stays the last one
        if narration:
            self.last = att
        if pid is not None:
            att.pid = pid
            att.speaker = self.persons[pid].canonical
            return
        if low in ("they", "it"):
            att.speaker = self.group_text.get(t.i) or self._group(t) or t.text
            return
        att.speaker = ctx.text[span[0] : span[1]]

    def _unnamed_is_nearer(self, t: Token, pid: int | None, last: Attribution) -> bool:
        """Whether the previous speaker, an unnamed person ("a senior officer"), was mentioned
        after the person a pronoun at ``t`` would otherwise resolve to, within three sentences."""
        if last.pid is not None or last.subject is None or last.speaker is None:
            return False
        prev = self.ctx.doc[last.subject]
        lemma = prev.lemma_.lower()
        if prev.pos_ != "NOUN" or lemma not in PERSON_NOUNS | TITLE_WORDS:
            return False
        if prev.i >= t.i or self.ctx.sent_of[t.i] - self.ctx.sent_of[prev.i] > 3:
            return False
        named_at = _last_before(self._narrated_of.get(pid, []), t.i) if pid is not None else None
        return prev.i > (-1 if named_at is None else named_at)


def _last_before(heads: list[int], k: int) -> int | None:
    """The last of sorted token indices ``heads`` before token ``k``."""
    i = bisect.bisect_left(heads, k)
    return heads[i - 1] if i else None


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _is_description(t: Token) -> bool:
    """A definite description of a person: ``the minister``, ``the no. 2 US diplomat``."""
    # A singular common noun; the tagger sometimes calls a lower-case role word a proper noun.
    if not (t.tag_ == "NN" or (t.tag_ == "NNP" and t.text.islower())):
        return False
    lemma = t.lemma_.lower()
    if lemma not in PERSON_NOUNS and lemma not in TITLE_WORDS and lemma not in ROLE_CLASSES:
        return False
    dets = [c for c in t.children if c.dep_ in ("det", "poss") and c.i < t.i]
    return any(d.lower_ in ("the", "this", "that") or d.dep_ == "poss" for d in dets)
