"""The extractive summary: the reports that cover most of what the outlets share, each citing them.

Units are the alignment groups of ``synthesize.align`` (every report, in every outlet's words),
not single sentences, so that a report three outlets carry is said once and cites all three.
Selection is concept coverage in the manner of Gillick & Favre (2009, the ICSI summarizer):

1. **candidates**: every member of every group that reads like a statement: ``MIN_WORDS`` to
   ``MAX_WORDS`` words, a capital start, terminal punctuation, not a question, not the title.
   Wire copies lend their wording only to reports their original does not carry. A wording
   that leans on context a summary does not give is a candidate only when the others cannot
   fill the budget: one that opens with a pronoun ("He said", "We appreciate"), a connective
   ("But") or a quote, has no verb, leaves a quotation open or closes one it did not open, or
   follows a cut after a title ("... Sgt." | "Hoyt Teasley ..."). A leading wire dateline
   ("PHNOM PENH, Cambodia (AP) _", "WASHINGTON --") is dropped: the candidate is then the rest
   of the sentence, a contiguous span of it that starts at a capital;
2. **concepts**: stemmed content words and word bigrams (ROUGE's tokens and Porter stems; no
   stop word alone, no bigram of two), each weighted by the number of independent outlets whose
   article contains it, a concept in one of an article's first ``LEAD_SENTENCES`` sentences
   counting ``1 + LEAD_BOOST`` for that outlet (news puts the gist first). Concepts fewer than
   ``MIN_DF_SHARE`` of the outlets carry (3 of 10, as in Gillick & Favre) are dropped, but
   never below two outlets. Gillick & Favre use bigrams alone; adding the words raised ROUGE-1
   and ROUGE-2 on both of our benchmark sets (``bench/rouge.py``);
3. **selection**: an integer linear program (``scipy.optimize.milp``, HiGHS) maximises the
   total weight of covered concepts, plus a small per-sentence term (``SENTENCE_WEIGHT`` ×
   MiniLM cosine to the story centroid, which also breaks ties), subject to the word budget,
   at most one wording per group, and no two wordings as similar as ``REDUNDANCY`` (MiniLM
   cosine). Counting each concept once makes repetition worthless, and the exact knapsack fills
   the budget as closely as the candidates allow. The program holds the ``MAX_CANDIDATES``
   densest candidates (concept weight per word) and is given ``ILP_NODES`` branch-and-bound
   nodes (a count, not a time, so that the result does not depend on the machine), which keeps
   a story of ten long articles to a fraction of a second; past the limit the best solution found
   is taken, and should there be none, a greedy pass (best gain per word among what still fits)
   takes its place;
   A sentence that opens on a person told by role alone and names nobody ("The former deputy
   prime minister ... was arrested", ``unnamed_description``), or uses a person's pronoun
   before any name ("Police say she was struck"), needs a name read before it: when the
   order below would put it before every sentence that names someone, the first such
   sentence is moved before it; when the selection names nobody, it runs again with those
   sentences held in reserve, like those opening on "He";
4. **order**: by the group's mean relative position in the articles that carry it, then by
   the earliest publication date among them. Lead-first rather than chronological: most
   inputs carry no date, while every sentence has a position, and the outlets' shared placement
   (majority ordering, as in Barzilay et al. 2002) puts what happened before background and
   reaction;
5. **citations**: every member of the group, the wording's own span first.

Words are counted as ROUGE-1.5.5 counts them for its length cut (``-l``): whitespace-separated
tokens, so "U.S.-led" is one word and a dateline's "_" is one too, and a summary joined with
spaces is never cut.

Text is never rewritten: each summary item is a span of a source article, the whole sentence
or the sentence less its dateline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import snowballstemmer
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from synoptic import lang
from synoptic.analyze.embed import Embedder
from synoptic.model import Cited, Conflict, Sentence, Span, Story
from synoptic.settings import SUMMARY_WORDS
from synoptic.synthesize.align import Group, Member, align, outlets
from synoptic.synthesize.conflicts import UPDATE_SUFFIX
from synoptic.synthesize.facts import DATELINE, starts_badly
from synoptic.synthesize.updates import date_order, parse_date

DEFAULT_SUMMARY_WORDS = SUMMARY_WORDS  # the one default lives in synoptic.settings
MIN_WORDS = 8
MAX_WORDS = 50
MIN_DF_SHARE = 0.3
LEAD_SENTENCES = 2
LEAD_BOOST = 0.5
SENTENCE_WEIGHT = 0.5
# Two wordings this similar (MiniLM cosine) say the same thing whatever their words.
REDUNDANCY = 0.85
# The program's size and effort: the densest candidates only, solved to within 0.1% of the
# optimum or for at most this many seconds (a story of ten long articles typically takes 0.1 to
# 0.5 s; set for speed, not for the scores, which did not move between 60 and all candidates).
MAX_CANDIDATES = 80
ILP_GAP = 1e-3
# The solver stops on a node count, not on time, so that the same story gives the same summary
# on any machine. On the 16 ECB+ benchmark stories HiGHS needed at most 7 nodes (0.1-0.8 s).
ILP_NODES = 500
# Only a safety net for pathological input: a limit by time would make the result depend on the
# machine's speed and load.
ILP_SECONDS = 30.0

_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_QUOTES = ('"', "“", "‘", "„", "'", "``", "`")
_LEANS_BACK = re.compile(
    r"^(and|but|or|so|yet|also|meanwhile|however|instead|still|then|thus|moreover|"
    r"besides|furthermore|nevertheless|otherwise|likewise|similarly|indeed)\b",
    re.IGNORECASE,
)
# A sentence ending in a title abbreviation was cut before the name it belongs to.
_TITLE_END = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sgt|Gen|Gov|Sen|Rep|Lt|Col|Capt|Cpl|Pvt|Maj|Adm|Prof|Rev|Det|Insp|"
    r"Supt|Cmdr|Atty|Pres|Sec|St|Mt|Ft)\.$"
)
_FIRST_PERSON = re.compile(r"^(i|we|you|our|my|your|us|me)\b", re.IGNORECASE)
# "The former deputy prime minister ... was arrested": a person told by role alone, whom a
# summary that never names him leaves the reader to guess (the role nouns are data).
_ROLE_NOUNS = lang.words("person_nouns") | lang.words("role_heads")
_DESCRIPTION = re.compile(r"^[\"“‘'(\[]*(?:the|this|that)\s+((?:[\w’'.-]+\s+){0,6}[\w’'.-]+)", re.I)
_AGED = re.compile(r"^\d+-year-old$")
# A person's pronoun ("Police say she was struck", "There, she served"): leans on a name given
# before, unless the sentence names someone first.
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.I)
# Speech in the first person outside quotation marks: a quote whose speaker the summary loses.
_FIRST_PERSON_ANY = re.compile(r"\b(?:I|we|my|our|me|us)\b(?!\.)")
_QUOTED_PART = re.compile(r"[\"“«„][^\"”»“]*[\"”»“]|``.*?''")
_TOKEN = re.compile(r"[a-z0-9]+")
# "... the toll rose to " right before a figure: the count's latest value.
_RISEN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(c) for c in sorted(lang.entries("risen_figure_cues"), key=len)[::-1])
    + r")\s+(?:at least\s+|about\s+|nearly\s+)?$"
)
# Function words: a bigram of two of them ("of the") is no concept. scikit-learn's list less the
# content words it holds that news is about ("fire", "bill", ...), plus reporting verbs.
_NEWS_WORDS = (
    "fire bill system interest call mill cry describe detail found thick thin sincere serious "
    "side top bottom front name move show part amount fill empty full"
)
_REPORTING = "said says say told mr mrs ms s t"
_STOP = (lang.words("stop_words_sklearn") - frozenset(_NEWS_WORDS.split())) | frozenset(
    _REPORTING.split()
)


def word_count(text: str) -> int:
    """Count words the way the summary budget does: whitespace-separated, as ROUGE ``-l``."""
    return len(text.split())


# The Porter (1980) stemmer that ROUGE-1.5.5 ``-m`` applies, from Snowball's implementation:
# on the 17,839 word types of ECB+ it agrees with a transcription of Porter's paper on all but
# one word of over two letters.
_PORTER = snowballstemmer.stemmer("porter")


def stem(word: str) -> str:
    """Return the Porter (1980) stem of a lower-case word (words of one or two letters as is)."""
    return word if len(word) <= 2 else _PORTER.stemWord(word)


def concepts(text: str) -> frozenset[tuple[str, ...]]:
    """Return the concepts of ``text``: its stemmed content words and word bigrams.

    Words are ROUGE's tokens (lower-case alphanumeric runs, Porter-stemmed when over three
    characters); a stop word is no concept, and neither is a bigram of two stop words.
    """
    raw = _TOKEN.findall(text.lower())
    stems = [stem(t) if len(t) > 3 else t for t in raw]
    stop = [t in _STOP for t in raw]
    words = {(s,) for s, is_stop in zip(stems, stop, strict=True) if not is_stop}
    pairs = {(stems[i], stems[i + 1]) for i in range(len(raw) - 1) if not (stop[i] and stop[i + 1])}
    return frozenset(words | pairs)


# --- candidates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    group: int
    member: Member
    start: int
    text: str
    words: int
    clean: bool
    described: bool = False  # opens on a person told by role alone, naming nobody
    named: bool = False  # names a person


def _trim(sentence: Sentence) -> tuple[int, str]:
    """Drop a leading wire dateline; return the new start offset and text."""
    m = DATELINE.match(sentence.text)
    if m is None or not sentence.text[m.end() :][:1].isupper():
        return sentence.start, sentence.text
    return sentence.start + m.end(), sentence.text[m.end() :]


def _statement(text: str, title: str | None) -> bool:
    if not MIN_WORDS <= word_count(text) <= MAX_WORDS:
        return False
    if title and text.strip() == title.strip():
        return False
    if text.lstrip("\"“‘'`„([")[:1].islower():
        return False
    stripped = text.rstrip()
    return bool(_END.search(stripped)) and not stripped.rstrip("\"”’' ").endswith("?")


def _balanced(text: str) -> bool:
    """Whether every quotation the sentence opens it also closes (and the other way round).

    A sentence that closes a quote it did not open ('... anymore," she added.') is the tail of
    a quotation split across sentences, and reads as a fragment.
    """
    straight = text.count('"') % 2 == 0
    curly = text.count("“") == text.count("”")
    latex = text.count("``") == text.count("''")
    return straight and curly and latex


def _clean(member: Member, text: str) -> bool:
    """Whether a wording stands on its own.

    Not when it opens with a pronoun ("He said", "We appreciate"), a connective ("But"), or a
    quote; nor when it speaks in the first person outside quotation marks ("Like the Doctor
    himself I find myself ...": a quote that lost its marks and its speaker); nor when it has
    no verb (a caption, a list of names) or leaves a quotation open.
    """
    return not (
        starts_badly(text)
        or _FIRST_PERSON.match(text)
        or _LEANS_BACK.match(text)
        or first_person_outside_quotes(text)
        or text.lstrip("([").startswith(_QUOTES)
        or not member.has_verb
        or not _balanced(text)
    )


def unnamed_description(text: str, names_a_person: bool) -> bool:
    """Whether a sentence opens on a person told by role alone and names nobody.

    "The former deputy prime minister and finance minister of Malaysia was arrested ...",
    "The 51-year-old was charged ...": clear after a sentence that names him, not on its own.
    ``names_a_person`` says whether the sentence itself holds a person's name (then the
    description is the name's apposition, or about someone it names).
    """
    if names_a_person:
        return False
    m = _DESCRIPTION.match(text)
    if m is None:
        return False
    for word in m.group(1).split():
        w = word.strip(".,;:’'").lower()
        if w in _ROLE_NOUNS or _AGED.match(w):
            return True
        if w in ("of", "and", "said", "says", "was", "is", "has", "had", "who", "which"):
            return False  # the head noun came and went: "The head of the company said"
    return False


def _pronoun_first(text: str, first_name: int) -> bool:
    """Whether a person's pronoun comes before any name in the sentence (outside quotes)."""
    bare = _QUOTED_PART.sub(lambda m: " " * len(m.group(0)), text)
    m = _PERSON_PRONOUN.search(bare)
    return m is not None and m.start() < first_name


def first_person_outside_quotes(text: str) -> bool:
    """Whether the sentence speaks in the first person outside quotation marks."""
    bare = _QUOTED_PART.sub(" ", text)
    return bool(_FIRST_PERSON_ANY.search(bare))


def _split_after_title(member: Member, sentences: Mapping[str, Sequence[Sentence]]) -> bool:
    """Whether the sentence splitter cut before it at a title ("... Sgt. | Hoyt Teasley ...")."""
    before = sentences.get(member.sentence.article, ())
    i = member.sentence.index
    return 0 < i <= len(before) and bool(_TITLE_END.search(before[i - 1].text))


def _candidates(
    groups: Sequence[Group],
    sentences: Mapping[str, Sequence[Sentence]],
    titles: Mapping[str, str | None],
    people: Mapping[str, Sequence[tuple[int, int]]] | None,
) -> list[_Candidate]:
    out: list[_Candidate] = []
    for gi, g in enumerate(groups):
        originals = [m for m in g.members if m.outlet == m.sentence.article]
        for m in originals or g.members:
            start, text = _trim(m.sentence)
            if _statement(text, titles.get(m.sentence.article)):
                clean = _clean(m, text) and not _split_after_title(m, sentences)
                end = m.sentence.end
                spans = (people or {}).get(m.sentence.article, ())
                named_at = [a - start for a, _b in spans if start <= a < end]
                described = people is not None and (
                    unnamed_description(text, bool(named_at))
                    or _pronoun_first(text, min(named_at, default=len(text)))
                )
                named = bool(named_at)
                out.append(
                    _Candidate(gi, m, start, text, word_count(text), clean, described, named)
                )
    return out


# --- concept weights -----------------------------------------------------------------------


def _weights(
    story: Story, sentences: Mapping[str, Sequence[Sentence]], outlet_of: Mapping[str, str]
) -> dict[tuple[str, ...], float]:
    """Weight each concept by the outlets carrying it (lead sentences count more)."""
    per_outlet: dict[str, dict[tuple[str, ...], float]] = {}
    for a in story.articles:
        seen = per_outlet.setdefault(outlet_of[a.id], {})
        for s in sentences.get(a.id, ()):
            value = 1.0 + (LEAD_BOOST if s.index < LEAD_SENTENCES else 0.0)
            for c in concepts(s.text):
                if seen.get(c, 0.0) < value:
                    seen[c] = value
    df: dict[tuple[str, ...], int] = {}
    total: dict[tuple[str, ...], float] = {}
    for seen in per_outlet.values():
        for c, value in seen.items():
            df[c] = df.get(c, 0) + 1
            total[c] = total.get(c, 0.0) + value
    n = len(per_outlet)
    min_df = 1 if n <= 1 else max(2, round(MIN_DF_SHARE * n))
    kept = {c: total[c] for c, k in df.items() if k >= min_df}
    if not kept and n > 1:
        # Outlets that share no wording at all: fall back to every concept.
        kept = total
    return kept


# --- selection -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Program:
    """The selection problem: pick candidates within ``budget`` words covering the most weight.

    ``cover[i, c]`` is 1 when candidate ``i`` contains concept ``c`` (weighing ``weights[c]``);
    ``bonus[i]`` is candidate ``i``'s closeness to the story's centroid; of each list in
    ``exclusive`` at most one candidate may be chosen.
    """

    cands: Sequence[_Candidate]
    cover: sparse.csr_matrix
    weights: np.ndarray
    bonus: np.ndarray
    budget: int
    exclusive: Sequence[Sequence[int]]


def _ilp(p: _Program) -> list[int] | None:
    """Solve the coverage program (best found within ``ILP_NODES``); ``None`` if none is."""
    cands, cover, weights, bonus = p.cands, p.cover, p.weights, p.bonus
    budget, exclusive = p.budget, p.exclusive
    n, k = cover.shape
    lengths = np.array([c.words for c in cands], dtype=float)
    # Variables: x (n candidates, binary) then z (k concepts, continuous in [0, 1]). z_c can
    # reach 1 only when a chosen candidate contains c; maximising makes it do so.
    objective = -np.concatenate([bonus, weights])
    rows = [sparse.hstack([sparse.csr_matrix(lengths[None, :]), sparse.csr_matrix((1, k))])]
    lower = [-np.inf]
    upper = [float(budget)]
    rows.append(sparse.hstack([-cover.T, sparse.identity(k, format="csr")]))
    lower += [-np.inf] * k
    upper += [0.0] * k
    if exclusive:
        ex_rows, ex_cols = [], []
        for r, members in enumerate(exclusive):
            ex_rows += [r] * len(members)
            ex_cols += list(members)
        ex = sparse.csr_matrix(
            (np.ones(len(ex_rows)), (ex_rows, ex_cols)), shape=(len(exclusive), n + k)
        )
        rows.append(ex)
        lower += [-np.inf] * len(exclusive)
        upper += [1.0] * len(exclusive)
    matrix = sparse.vstack(rows, format="csr")
    integrality = np.concatenate([np.ones(n), np.zeros(k)])
    res = milp(
        objective,
        integrality=integrality,
        bounds=Bounds(0.0, 1.0),
        constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
        options={
            "node_limit": ILP_NODES,
            "time_limit": ILP_SECONDS,
            "mip_rel_gap": ILP_GAP,
            "disp": False,
        },
    )
    if res.x is None:
        return None
    return [i for i in range(n) if res.x[i] > 0.5]


def _greedy(p: _Program) -> list[int]:
    """Take the best gain per word among the candidates that still fit, until none does."""
    cands, cover, weights, bonus = p.cands, p.cover, p.weights, p.bonus
    budget, exclusive = p.budget, p.exclusive
    rows = [cover.getrow(i).indices for i in range(len(cands))]
    blocked = [set[int]() for _ in cands]
    for members in exclusive:
        for i in members:
            blocked[i].update(j for j in members if j != i)
    covered = np.zeros(len(weights), dtype=bool)
    chosen: list[int] = []
    left = budget
    excluded: set[int] = set()
    while True:
        best, best_value = -1, 0.0
        for i, c in enumerate(cands):
            if i in excluded or c.words > left:
                continue
            gain = float(weights[rows[i]][~covered[rows[i]]].sum()) + float(bonus[i])
            if gain / c.words > best_value:
                best, best_value = i, gain / c.words
        if best < 0:
            break
        chosen.append(best)
        covered[rows[best]] = True
        left -= cands[best].words
        excluded |= {best} | blocked[best]
    return chosen


def summarize(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    max_words: int = DEFAULT_SUMMARY_WORDS,
    groups: Sequence[Group] | None = None,
    embedder: Embedder | None = None,
    people: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    superseded: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    outlet_of: Mapping[str, str] | None = None,
) -> tuple[Cited, ...]:
    """Return the story's summary as cited verbatim sentences.

    Args:
        story: The story; a wire copy's sentences are cited with its original's.
        sentences: Each article's sentences, by article id.
        max_words: The word budget (whitespace-separated words); the summary never exceeds it.
        groups: The story's alignment (``align(...)``); computed from the sentences alone
            (no spaCy features) when omitted.
        embedder: The embedder for computing the alignment.
        people: Where each article names a person (``(start, end)`` of its ``PERSON``
            mentions, by article id): a sentence that opens on a person told by role alone
            ("The former deputy prime minister ... was arrested") and names nobody leans on
            context, like one opening on "He". ``None`` skips that test.
        superseded: Figures later reports replace (``(start, end)`` by article id,
            ``superseded_figures``): a sentence that gives one ("Police said two people died"
            when later reports say five) is neither chosen nor cited.
        outlet_of: ``align.outlets(story)``, when the caller has it (computed when omitted).

    Returns:
        Summary sentences in reading order, each citing every article that reports it.
    """
    if max_words <= 0 or not any(sentences.get(a.id) for a in story.articles):
        return ()
    if groups is None:
        groups = align(story, sentences, embedder=embedder)
    if not groups:
        return ()
    titles = {a.id: a.title for a in story.articles}
    if superseded:
        groups = _without_superseded(groups, superseded)
    everything = [c for c in _candidates(groups, sentences, titles, people) if c.words <= max_words]
    weights = _weights(story, sentences, outlets(story) if outlet_of is None else outlet_of)
    published = {a.id: a.published or "" for a in story.articles}
    chosen = _choose(everything, weights, groups, max_words, published)
    if _described_first(chosen):
        named = next((i for i, c in enumerate(chosen) if c.named), None)
        if named is not None:
            # Read the sentence that names someone first: the role or pronoun then has its
            # person (the order moves, the selection and its coverage do not).
            first = next(i for i, c in enumerate(chosen) if c.described)
            chosen.insert(first, chosen.pop(named))
        else:
            # Nobody is named: choose again with such sentences held in reserve, like those
            # opening on "He".
            chosen = _choose(
                [replace(c, clean=c.clean and not c.described) for c in everything],
                weights,
                groups,
                max_words,
                published,
            )
    return tuple(_cite(groups[c.group], c) for c in chosen)


def superseded_figures(
    conflicts: Sequence[Conflict],
    dates: Mapping[str, str | None],
    texts: Mapping[str, str] | None = None,
) -> dict[str, list[tuple[int, int]]]:
    """Where reports give a figure that a later-dated report updates, by article id.

    Reads the conflicts ``synthesize.conflicts`` marks as updates (a count rising with the
    reports' dates, ``UPDATE_SUFFIX``): every value whose reports are all dated before the
    latest value's is superseded. Undated, a count the report says has risen to its figure
    ("the toll rose to five", ``risen_figure_cues``) supersedes the lower figures of its
    conflict. Other conflicts between outlets are left alone: which side is right is the
    reader's call, not the summary's.

    Args:
        conflicts: The story's conflicts (``find_conflicts`` with ``updates="mark"``).
        dates: Each article's date as given to ``find_conflicts`` (ISO, by article id).
        texts: The articles' texts, by id, where the rise cues are read (``None``: not read).
    """
    dated = {a: d for a, iso in dates.items() if (d := parse_date(iso)) is not None}
    out: dict[str, list[tuple[int, int]]] = {}
    for conflict in conflicts:
        if texts is not None and conflict.kind == "number":
            for span in _risen_past(conflict, texts):
                out.setdefault(span.article, []).append((span.start, span.end))
        if not conflict.topic.endswith(UPDATE_SUFFIX):
            continue
        when = {
            n: [dated[s.article] for s in v.spans if s.article in dated]
            for n, v in enumerate(conflict.values)
        }
        latest = max((max(d) for d in when.values() if d), default=None)
        if latest is None:
            continue
        for n, value in enumerate(conflict.values):
            every_report_earlier = len(when[n]) == len(value.spans) and all(
                date_order(d, latest) < 0 for d in when[n]
            )
            if when[n] and every_report_earlier:
                for span in value.spans:
                    out.setdefault(span.article, []).append((span.start, span.end))
    return out


def _risen_past(conflict: Conflict, texts: Mapping[str, str]) -> list[Span]:
    """The spans of a conflict's figures below the one a report says the count rose to."""
    risen = [
        v.value
        for v in conflict.values
        if v.value is not None
        and any(
            _RISEN.search(lang.fold(texts.get(s.article, "")[max(0, s.start - 40) : s.start]))
            for s in v.spans
        )
    ]
    if not risen:
        return []
    top = max(risen)
    if any(v.value is not None and v.value > top for v in conflict.values):
        return []  # a higher figure still: not a count that rose to its latest
    return [s for v in conflict.values if v.value is not None and v.value < top for s in v.spans]


def _without_superseded(
    groups: Sequence[Group], superseded: Mapping[str, Sequence[tuple[int, int]]]
) -> list[Group]:
    """The groups less their members that give a superseded figure (an emptied group stays,
    empty, so that indices hold)."""

    def stale(m: Member) -> bool:
        s = m.sentence
        return any(s.start <= a and b <= s.end for a, b in superseded.get(s.article, ()))

    return [
        replace(g, members=tuple(m for m in g.members if not stale(m)))
        if any(stale(m) for m in g.members)
        else g
        for g in groups
    ]


def _described_first(chosen: Sequence[_Candidate]) -> bool:
    """Whether, read in order, a sentence tells a person by role before any names one."""
    for c in chosen:
        if c.named:
            return False
        if c.described:
            return True
    return False


def _choose(
    everything: Sequence[_Candidate],
    weights: Mapping[tuple[str, ...], float],
    groups: Sequence[Group],
    max_words: int,
    published: Mapping[str, str],
) -> list[_Candidate]:
    """Select candidates within the budget (clean ones first), in reading order (step 3-4)."""
    clean = [c for c in everything if c.clean]
    cands = clean if sum(c.words for c in clean) >= max_words else list(everything)
    if not cands:
        return []
    program = _program(cands, weights, groups, max_words)
    cands = list(program.cands)
    chosen = _ilp(program)
    if chosen is None:
        chosen = _greedy(program)

    def order(i: int) -> tuple[float, str, int]:
        g = groups[cands[i].group]
        dates = sorted(d for m in g.members if (d := published[m.sentence.article]))
        return (g.position, dates[0] if dates else "~", cands[i].group)

    return [cands[i] for i in sorted(chosen, key=order)]


def _program(
    cands: Sequence[_Candidate],
    weight_of: Mapping[tuple[str, ...], float],
    groups: Sequence[Group],
    budget: int,
) -> _Program:
    """The selection problem over the densest candidates, with its exclusions."""
    cover, weights = _coverage(cands, weight_of)
    vectors = np.stack([m.vector for g in groups for m in g.members])
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    cand_vecs = np.stack([c.member.vector for c in cands])
    bonus = SENTENCE_WEIGHT * np.clip(cand_vecs @ centroid, 0.0, 1.0)

    # The densest candidates only (concept weight per word): the program stays small enough to
    # solve in a fraction of a second, and a sparse sentence is never worth its words anyway.
    density = (cover @ weights + bonus) / np.array([c.words for c in cands], dtype=float)
    keep = np.sort(np.argsort(-density, kind="stable")[:MAX_CANDIDATES])
    cands = [cands[i] for i in keep]
    cover, bonus, cand_vecs = cover[keep], bonus[keep], cand_vecs[keep]
    used = np.flatnonzero(np.asarray(cover.sum(axis=0)).ravel() > 0)
    cover, weights = cover[:, used], weights[used]
    return _Program(cands, cover, weights, bonus, budget, _exclusive(cands, cand_vecs))


def _coverage(
    cands: Sequence[_Candidate], weight_of: Mapping[tuple[str, ...], float]
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The candidate-by-concept matrix and each concept's weight."""
    index = {c: i for i, c in enumerate(sorted(weight_of))}
    rows, cols = [], []
    for i, c in enumerate(cands):
        for concept in concepts(c.text):
            j = index.get(concept)
            if j is not None:
                rows.append(i)
                cols.append(j)
    cover = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(cands), max(1, len(index)))
    )
    weights = np.zeros(cover.shape[1])
    for concept, j in index.items():
        weights[j] = weight_of[concept]
    return cover, weights


def _exclusive(cands: Sequence[_Candidate], cand_vecs: np.ndarray) -> list[list[int]]:
    """Sets of candidates of which at most one may be chosen: one group's, or near-repeats."""
    by_group: dict[int, list[int]] = {}
    for i, c in enumerate(cands):
        by_group.setdefault(c.group, []).append(i)
    exclusive = [m for m in by_group.values() if len(m) > 1]
    sim = cand_vecs @ cand_vecs.T
    for i, j in zip(*np.nonzero(np.triu(sim >= REDUNDANCY, k=1)), strict=True):
        if cands[i].group != cands[j].group:
            exclusive.append([int(i), int(j)])
    return exclusive


def _cite(group: Group, cand: _Candidate) -> Cited:
    """The candidate's span first, then every other member's sentence."""
    s = cand.member.sentence
    spans = [Span(s.article, cand.start, s.end)] + [
        m.sentence.span for m in group.members if m is not cand.member
    ]
    return Cited(text=cand.text, spans=tuple(spans))


__all__ = [
    "DEFAULT_SUMMARY_WORDS",
    "concepts",
    "stem",
    "summarize",
    "superseded_figures",
    "word_count",
]
