"""Quotes merged across outlets: one ``Quote`` per utterance, speakers unified by person.

Mentions (``synoptic.analyze.quotes``) join when their wordings match (equal after normalising,
or close by rapidfuzz ratio, partial ratio for an excerpt, token-set ratio for reordering) unless
their names, numbers or polarity disagree or two different named people say them; a shared named
speaker lowers the bar enough for translated wordings. Speakers are unified across outlets by
surname and similar first name (Sergei/Sergey, Yuri/Yury, Evgeny/Yevgeny).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from synoptic import lang
from synoptic.analyze.quotes.names import first_compatible, name_parts
from synoptic.analyze.quotes.records import QuoteMention
from synoptic.analyze.quotes.wording import WORD, normalize_quote
from synoptic.deadline import checked
from synoptic.lang import fold
from synoptic.model import Article, Cited, Quote, Sentence, Span


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two speaker strings name the same speaker.

    Person names match when they share a surname and their first names are alike (Sergei and
    Sergey, Yuri and Yury; middle initials ignored); a surname alone matches a full name ending in
    it; anything else must be equal ignoring case.
    """
    if a is None or b is None:
        return a is b
    if fold(a) == fold(b):
        return True
    pa, pb = name_parts(a), name_parts(b)
    if pa and pb:
        return pa[1] == pb[1] and first_compatible(pa[0], pb[0])
    if pa and not pb and len(b.split()) == 1:
        return pa[1] == fold(b)
    if pb and not pa and len(a.split()) == 1:
        return pb[1] == fold(a)
    return False


def _speaker_keys(name: str) -> tuple[str, ...]:
    """Keys two names ``same_speaker`` accepts always share one of: folded name, surname."""
    parts = name_parts(name)
    if parts:
        return ("=" + fold(name), "~" + parts[1])
    if len(name.split()) == 1:
        return ("=" + fold(name), "~" + fold(name))
    return ("=" + fold(name),)


# A key (a word for wordings, a surname for speakers) shared by more entries than this is not
# read whole: a wording meets only the ``NEAR_ENTRIES`` entries either side of it in the
# word's list, a name only the first groups of its surname. A story's quotes never come
# near (examples, seeds, ECB+: the longest list is a few dozen); a hostile story of 2,000
# distinct quotes made of the same common words, or of 2,000 people sharing a surname, made
# merging quadratic (issue 17).
MAX_POSTING = 128
NEAR_ENTRIES = 32


def _canonical_speakers(names: Sequence[str]) -> dict[str, str]:
    """Map every speaker string to one form per person: the most used, then the longest."""
    counts = Counter(names)
    groups: list[list[str]] = []
    # Groups by the keys ``same_speaker`` needs one of in common (the folded name, a surname):
    # a name is compared with the groups sharing a key only, in the order they were made.
    keyed: dict[str, list[int]] = defaultdict(list)
    for name in checked(sorted(counts, key=lambda n: (-len(n.split()), -counts[n], n)), "quotes"):
        keys = _speaker_keys(name)
        near = sorted({x for k in keys for x in keyed.get(k, ())[:MAX_POSTING]})
        g_id = next((x for x in near if same_speaker(groups[x][0], name)), None)
        if g_id is not None:
            groups[g_id].append(name)
            continue
        for k in keys:
            keyed[k].append(len(groups))
        groups.append([name])
    out = {}
    for g in groups:
        persons = [n for n in g if name_parts(n)] or g
        best = max(persons, key=lambda n: (counts[n], len(n.split()), len(n)))
        for n in g:
            out[n] = best
    return out


_NEGATIONS = lang.words("negations")


@dataclass(frozen=True, slots=True)
class _Wording:
    """What ``merge_quotes`` compares: the normalised text and the words that must agree."""

    norm: str
    n_words: int
    vocab: frozenset[str]
    names: frozenset[str]  # capitalised words not opening a sentence (places, people, bodies)
    numbers: frozenset[str]
    negated: bool

    @staticmethod
    def of(text: str) -> _Wording:
        norm = normalize_quote(text)
        words = norm.split()
        names = set()
        opening = True
        for w in WORD.findall(text):
            if w[0].isupper() and not opening and w != "I":
                names.add(fold(w))
            opening = False
        for m in re.finditer(r"[.!?:]\s+(\w+)", text):
            names.discard(fold(m.group(1)))
        numbers = {re.sub(r"\D", "", n) for n in re.findall(r"\d[\d.,]*", text)}
        return _Wording(
            norm,
            len(words),
            frozenset(words),
            frozenset(names),
            frozenset(numbers),
            any(w in _NEGATIONS for w in words) or "no one" in norm,
        )


def _agree(short: _Wording, long_: _Wording) -> bool:
    """Vetoes: parallel sentences that differ in a name, a number or polarity are different
    utterances however alike their strings ("...Ukraine without Ukraine" / "...Europe without
    Europe"; "no progress" / "some progress")."""
    if not short.numbers <= long_.numbers:
        return False
    for name in short.names:
        if name not in long_.names and not any(fuzz.ratio(name, o) >= 75 for o in long_.names):
            return False
    return not (short.negated and not long_.negated) and not (
        long_.negated and not short.negated and short.n_words >= 0.6 * long_.n_words
    )


def _similar(a: _Wording, b: _Wording, same_person: bool) -> bool:
    """Whether two wordings are one utterance, or one an excerpt of the other.

    Equal normalised texts always are. Short wordings (under four words) must be equal. Else the
    names, numbers and polarity must agree (``_agree``) and the strings must be close: a near
    match (rapidfuzz ratio), an excerpt (partial ratio, contiguous) or the same words in another
    order (token-set ratio, between wordings of comparable length). When both carry the same
    named speaker, looser bars admit translated wordings ("Nobody will be left to pay for this
    alone" / "Nobody will remain to pay this alone").
    """
    if a.norm == b.norm:
        return True
    short, long_ = (a, b) if a.n_words <= b.n_words else (b, a)
    if short.n_words < 4 or len(short.vocab & long_.vocab) < 0.3 * len(short.vocab):
        return False  # too short to tell, or too few words in common to be worth scoring
    if not _agree(short, long_):
        return False
    comparable = short.n_words >= 0.6 * long_.n_words
    near, excerpt, token_set = (85, 90, 88) if not same_person else (80, 85, 80)
    if fuzz.ratio(a.norm, b.norm) >= near:
        return True
    if short.n_words >= 5 and fuzz.partial_ratio(short.norm, long_.norm) >= excerpt:
        return True
    return comparable and fuzz.token_set_ratio(a.norm, b.norm) >= token_set


# A quote of fewer words than this inside a sentence that says more is a fragment of reported
# speech ("called the delay “far too late”"): listed alone it says nothing.
FRAGMENT_WORDS = 4


def keep_with_sentences(
    quotes: Sequence[Quote], sentences: Mapping[str, Sequence[Sentence]]
) -> tuple[Quote, ...]:
    """Give each fragment the sentence that carries it (``Quote.sentence``).

    A quote of fewer than ``FRAGMENT_WORDS`` words whose sentence holds at least as many words
    outside it keeps that sentence, verbatim, from the first article citing it. The quote and
    its spans stay as they are, so the quote scanner's figures and the merge across outlets
    do not change; a reader (and a renderer) reads the fragment within its sentence.
    """
    out = []
    for q in quotes:
        if not q.spans or len(WORD.findall(q.text)) >= FRAGMENT_WORDS:
            out.append(q)
            continue
        span = q.spans[0]
        holder = next(
            (
                s
                for s in sentences.get(span.article, ())
                if s.start <= span.start and span.end <= s.end
            ),
            None,
        )
        outside = len(WORD.findall(holder.text)) - len(WORD.findall(q.text)) if holder else 0
        keep = holder is not None and outside >= FRAGMENT_WORDS
        out.append(replace(q, sentence=holder.text) if keep and holder else q)
    return tuple(out)


def merge_quotes(
    mentions: Sequence[QuoteMention], articles: Sequence[Article]
) -> tuple[Quote, ...]:
    """Merge quote mentions from many articles into one ``Quote`` per utterance.

    Mentions merge when their normalised wordings are equal, nearly equal (rapidfuzz ratio or
    token-set ratio, for a changed word or two or a reordered translation) or one is an excerpt
    of the other (partial ratio), unless both carry different named speakers or they overlap in
    one article (a quote and the quote inside it). Within a group, wordings equal after
    normalisation are one wording.

    Args:
        mentions: Mentions from ``extract_quotes`` over the articles of one story.
        articles: Those articles (their order breaks ties and orders the result).

    Returns:
        Quotes ordered by how many articles carry them, then by first appearance. Each quote's
        ``text`` is its most common wording (ties: a full-sentence wording before a partial one,
        then the most complete), ``spans`` cite only the articles that printed that wording,
        ``variants`` hold the other wordings with their own spans (so no outlet is credited
        with words it did not print), and ``speaker`` is one canonical form across outlets
        (``same_speaker``: the most used form, then the longest).
    """
    order = {a.id: i for i, a in enumerate(articles)}
    ms = sorted(mentions, key=lambda m: (order.get(m.article, len(order)), m.start))
    speakers = _canonical_speakers([m.speaker for m in ms if m.speaker])
    wordings_of = [_Wording.of(m.text) for m in ms]
    norm = [w.norm for w in wordings_of]
    quotes: list[tuple[tuple[int, int], Quote]] = []
    for members in _clusters(ms, wordings_of, speakers):
        quote = _quote_of(ms, norm, members, speakers, order)
        first = min(members)
        n_sources = len({ms[i].article for i in members})
        quotes.append(((-n_sources, first), quote))
    quotes.sort(key=lambda x: x[0])
    return tuple(q for _, q in quotes)


def _similar_pairs(keys: Sequence[_Wording]) -> dict[int, list[int]]:
    """The distinct wordings each wording may be ``_similar`` to (by index into ``keys``).

    Wordings of one normalised text always are. Others must share at least ``0.3`` of the
    shorter one's words (``_similar``), so one of them shares a word among the first
    ``n - t + 1`` of its words taken rarest first (``t`` the words it must share): only pairs
    found so are scored, with the looser bars of a shared speaker (the merge checks the right
    ones again), in either order.
    """
    frequency: Counter[str] = Counter(w for k in keys if k.n_words >= 4 for w in k.vocab)
    posting: dict[str, list[int]] = defaultdict(list)
    for a, k in enumerate(keys):
        if k.n_words >= 4:
            for w in k.vocab:
                posting[w].append(a)
    out: dict[int, list[int]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    same_norm: dict[str, list[int]] = defaultdict(list)
    for a, k in enumerate(keys):
        same_norm[k.norm].append(a)
    for group in same_norm.values():  # equal texts but for case or marks: always similar
        for x, a in enumerate(group):
            for b in group[x + 1 :]:
                seen.add((a, b))
                out[a].append(b)
                out[b].append(a)
    for a, k in checked(enumerate(keys), "quotes", 64):
        if k.n_words < 4:
            continue
        need = next(t for t in range(len(k.vocab) + 1) if not t < 0.3 * len(k.vocab))
        rare = sorted(k.vocab, key=lambda w: (frequency[w], w))[: len(k.vocab) - need + 1]
        for b in {b for w in rare for b in _postings_near(posting[w], a) if b != a}:
            pair = (min(a, b), max(a, b))
            if pair in seen:
                continue
            seen.add(pair)
            if _similar(keys[a], keys[b], True) or _similar(keys[b], keys[a], True):
                out[a].append(b)
                out[b].append(a)
    return out


def _postings_near(entries: list[int], a: int) -> list[int]:
    """A word's wordings (``entries``, in index order) that wording ``a`` is compared with:
    all of them, or past ``MAX_POSTING`` the ``NEAR_ENTRIES`` either side of ``a`` (alike
    wordings then still join through their neighbours, in a chain)."""
    if len(entries) <= MAX_POSTING:
        return entries
    at = bisect_left(entries, a)
    return entries[max(0, at - NEAR_ENTRIES) : at + NEAR_ENTRIES + 1]


def _clusters(
    ms: Sequence[QuoteMention], wordings_of: Sequence[_Wording], speakers: dict[str, str]
) -> list[list[int]]:
    """Group the mentions (indices into ``ms``) into utterances, by union-find over pairs.

    The pairs are taken in the order ``i < j`` (a group's speaker depends on it), but only
    pairs that can merge: equal wordings, or wordings ``_similar_pairs`` finds. A wording
    whose every mention is already in ``i``'s group is skipped whole, so a flood of one
    wording costs its mentions once, not their pairs (issue 17).
    """
    parent = list(range(len(ms)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # A group holds at most one named person: groups join only if one has none or both the same.
    groups_speaker: dict[int, set[str]] = {
        i: {speakers[m.speaker]} if m.speaker and name_parts(speakers[m.speaker]) else set()
        for i, m in enumerate(ms)
    }
    key_ids: dict[_Wording, int] = {}
    key_of = [key_ids.setdefault(w, len(key_ids)) for w in wordings_of]
    members: list[list[int]] = [[] for _ in key_ids]
    for i, k in enumerate(key_of):
        members[k].append(i)
    near = _similar_pairs(list(key_ids))
    # Per group root: how many mentions of each wording it holds.
    held: dict[int, dict[int, int]] = {i: {k: 1} for i, k in enumerate(key_of)}
    for i in checked(range(len(ms)), "quotes"):
        ri = find(i)
        runs = []
        for k in (key_of[i], *near.get(key_of[i], ())):
            if held[ri].get(k, 0) < len(members[k]):
                runs.append(members[k][bisect_right(members[k], i) :])
        for j in heapq.merge(*runs):
            a, b = ms[i], ms[j]
            if a.article == b.article and a.start < b.end and b.start < a.end:
                continue
            rj = find(j)
            if ri == rj:
                continue
            si, sj = groups_speaker[ri], groups_speaker[rj]
            if si and sj and not (si & sj):
                continue  # the same words from two different people
            if not _similar(wordings_of[i], wordings_of[j], bool(si & sj)):
                continue
            parent[rj] = ri
            groups_speaker[ri] = si | sj
            small, large = sorted((held.pop(rj), held[ri]), key=len)
            for k, n in small.items():
                large[k] = large.get(k, 0) + n
            held[ri] = large

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ms)):
        clusters[find(i)].append(i)
    return list(clusters.values())


def _quote_of(
    ms: Sequence[QuoteMention],
    norm: Sequence[str],
    members: list[int],
    speakers: dict[str, str],
    order: dict[str, int],
) -> Quote:
    """The ``Quote`` of one group of mentions: its main wording, variants, spans and speakers."""
    wordings: dict[str, list[int]] = defaultdict(list)
    for i in members:
        wordings[norm[i]].append(i)

    def rank(key: str) -> tuple[int, bool, int, int]:
        idx = wordings[key]
        full = any(not ms[i].partial for i in idx)
        return (len({ms[i].article for i in idx}), full, len(key), -idx[0])

    ordered = sorted(wordings, key=rank, reverse=True)

    def cited(key: str) -> Cited:
        idx = wordings[key]
        text = Counter(ms[i].text for i in idx).most_common(1)[0][0]
        return Cited(text, tuple(Span(ms[i].article, ms[i].start, ms[i].end) for i in idx))

    main = cited(ordered[0])
    # The main wording cites only the outlets that printed it; an outlet that printed other
    # words is cited under its own variant, never credited with words it did not print.
    spans = tuple(sorted(main.spans, key=lambda s: (order.get(s.article, 0), s.start)))
    named = [speakers[s] for i in members if (s := ms[i].speaker)]
    persons = [n for n in named if name_parts(n)]
    speaker = Counter(persons or named).most_common(1)[0][0] if named else None
    relays = [r for i in members if (r := ms[i].relayed_by)]
    relayed = Counter(speakers.get(r, r) for r in relays).most_common(1)[0][0] if relays else None
    return Quote(
        text=main.text,
        speaker=speaker,
        spans=spans,
        variants=tuple(cited(k) for k in ordered[1:]),
        relayed_by=relayed,
    )


__all__ = ["merge_quotes", "normalize_quote", "same_speaker"]
