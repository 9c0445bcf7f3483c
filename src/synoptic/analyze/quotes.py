"""Direct quotes: find them in an article, attribute them to speakers, merge them across outlets.

One job per stage, each reading the article's single spaCy parse (``analyze.nlp``)::

    marks ──pair──▶ quote spans ──attribute──▶ speech cue + subject ──resolve──▶ speaker
    (characters)    (nesting, runs over        (dependency tree,       (names, pronouns,
                     paragraphs, repairs)       windows, paragraphs)    titles, descriptions)

Policy decisions (documented here because callers rely on them):

* **What a quote is.** Text between paired quote marks (straight or curly, double or single,
  guillemets, „German“). Single marks that are apostrophes (``don't``, ``Nato’s``, ``the '90s``,
  ``players’``) are never paired. A double quote left open at the end of a paragraph runs to the
  paragraph's end. A closing double mark with no opening one in its paragraph starts the quote at
  the paragraph's start: when it ends the paragraph (a scraper lost the opening mark), or when the
  paragraph before left a quote open (a soft line break inside a quote; up to two unmarked lines
  in between are quoted whole). An ambiguous straight ``"`` is decided by the parity of the
  straight marks left in its paragraph.
* **Not speech.** A title or name in marks (every content word capitalised, "Strategic Security
  Dialogue") and a one- or two-word label with no speech cue near it (scare quotes) are *not*
  quotes: they are left out of ``extract_quotes`` and listed, with the reason, in
  ``scan_quotes(...).rejected``.
* **Multi-part utterances.** A quote split by its attribution (``“A,” she said. “B.”``) and a quote
  running over paragraphs (a paragraph left open, continued by one opening with a mark) give one
  mention per quoted piece; the pieces share the speaker. Merging across outlets (``merge_quotes``)
  works on pieces too, so an outlet quoting only one piece still meets the others.
* **Partial.** A quote is *partial* when it is woven into the reporter's sentence (``said it was
  “absolutely mandatory”``); it is *full* when it stands in utterance position: at the start of a
  sentence, after a colon, or after ``<speech cue>,`` (``As Putin said, ‘...’``), and the sentence
  does not carry on around it.
* **Speaker.** The subject of the speech cue (a speech verb or "according to") that governs the
  quote in the parse, else of the cue beside it in its sentence (after it, then before it; for a
  quote ending with its own full stop, before it first), else of the cue in the sentence before
  it in the paragraph, else a headline ``Name: “...”``, else the cue of a previous paragraph ending
  with a colon. Still unattributed, a quote takes the speaker of the piece it continues, of the
  full-sentence quote ending the paragraph before, or of a speech cue ending that paragraph. The
  subject is then resolved: names to the longest full name in the article (titles dropped; a name
  in apposition or in a title's of-phrase counts), surnames and ``Ms``/``Mr`` forms to that
  name, he/she/him/her to the most recent compatible person (gender from honorifics and from
  ``X said she ...`` clauses; an unnamed previous speaker such as "a senior officer" wins when it
  is nearer), and descriptions (``the US diplomat``, ``the minister``) to the person whose title,
  role class and nationality match, else to the person named speaking in the next paragraph. A
  quote repeated verbatim elsewhere in the article (a teaser) takes the named speaker of its twin
  when its own stays unresolved.
* **Quotes in quotes.** An inner quote is attributed inside its outer quote; its speaker is the
  person named there and ``relayed_by`` the outer quote's speaker. An inner quote introduced in the
  first person (``As we tell our partners, ‘...’``) belongs to the outer speaker.
* **Trailing comma.** The attribution comma that American style puts inside the closing mark is
  not part of the quote text (``“We will win,” she said`` gives ``We will win``).
* **Merging.** ``merge_quotes`` joins mentions whose wordings match (equal after normalising, or
  close by rapidfuzz ratio, partial ratio for an excerpt, token-set ratio for reordering) unless
  their names, numbers or polarity disagree or two different named people say them; a shared
  named speaker lowers the bar enough for translated wordings. Speakers are unified across
  outlets by surname and similar first name (Sergei/Sergey, Yuri/Yury, Evgeny/Yevgeny).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from synoptic.model import Article, Cited, Quote, Span

# --------------------------------------------------------------------------------------------
# Vocabulary. The parse decides structure; these lists only name what a role in it means.
# --------------------------------------------------------------------------------------------


def _wordset(spec: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spec.split())


#: Lemmas of verbs that introduce speech (or writing) in news prose.
SPEECH_VERBS = _wordset(
    "say tell add warn insist state note stress explain urge declare describe write ask "
    "reply respond answer claim argue announce comment confirm deny admit acknowledge recall "
    "remark suggest conclude observe report tweet post call demand promise pledge vow "
    "threaten predict caution complain concede emphasise emphasize underline underscore "
    "reiterate repeat assert maintain contend dismiss brand label term dub quip joke shout "
    "cry exclaim mutter whisper testify accuse hail praise criticise criticize lament plead "
    "propose counter retort recount agree disagree admonish inform assure reassure concur "
    "allege boast brief read advise quote continue"
)

_DOUBLE_GLYPHS = frozenset('"“”„«»')
_SINGLE_GLYPHS = frozenset("'‘’‚‹›")
_OPEN_GLYPHS = frozenset("“„«‘‚‹")
_MARKS = _DOUBLE_GLYPHS | _SINGLE_GLYPHS
_OPENING_CONTEXT = frozenset("([{—–-/")
_CLOSING_CONTEXT = frozenset(".,;:!?)]}…—–-/")
_TERMINAL = frozenset(".!?…")
# Leading elisions written with an apostrophe before a letter (not an opening mark).
_ELISIONS = ("em", "tis", "twas", "cause", "til", "n'", "n’")
_DECADE = re.compile(r"\d\d(?:s\b|\b)")
_SPACED_CLITIC = re.compile(r" (?:s|t|ll|re|ve|m|d)\b", re.IGNORECASE)

#: Honorifics and title words dropped from names ("Deputy Foreign Minister Sergei Ryabkov").
TITLE_WORDS = _wordset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady madam madame president vice "
    "deputy minister secretary foreign prime chancellor senator sen rep representative "
    "governor gov mayor king queen prince princess general gen col colonel captain capt lt "
    "lieutenant sgt sergeant admiral adm judge justice chief ambassador envoy pope cardinal "
    "bishop rev reverend father sheikh emir sultan chairman chairwoman chair ceo director "
    "commissioner spokesman spokeswoman spokesperson state defence defense interior finance "
    "assistant under undersecretary acting former late first attorney speaker leader premier "
    "officer head coach manager counterpart diplomat official"
)
# Title words that name a role by themselves (not modifiers such as "former" or "state").
_ROLE_TITLES = TITLE_WORDS - _wordset(
    "state foreign first under late former acting head of vice deputy assistant defence defense "
    "interior finance prime chief"
)
# Nouns that denote a person's role: a definite description ("the engineer said") resolves to a
# person only when its head is one of these, a title word or a role class.
_PERSON_NOUNS = _wordset(
    "engineer official spokesman spokeswoman spokesperson diplomat minister leader chief director "
    "mayor governor president envoy negotiator lawmaker legislator senator officer commander "
    "executive analyst expert witness resident victim survivor lawyer attorney prosecutor judge "
    "doctor nurse teacher scientist researcher economist professor coach player manager owner "
    "founder chairman chairwoman chair member activist protester candidate politician secretary "
    "ambassador premier chancellor king queen prince princess general admiral colonel captain "
    "inspector investigator detective sheriff commissioner deputy representative aide adviser "
    "advisor counterpart agent author head host student worker farmer pilot "
    "driver man woman boy girl father mother son daughter husband wife"
)
_NAME_PARTICLES = _wordset("de del della der di da du la le van von ter ten bin al el ibn")
_HONORIFIC_GENDER = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "madam": "f",
    "madame": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})


# Role classes: a description's head noun ("the diplomat") matches a person whose title holds
# one of these phrases. ``None`` means any titled person ("the official").
def _phrases(spec: str) -> frozenset[str]:
    return frozenset(p.strip() for p in spec.split("|"))


_DIPLOMAT = _phrases(
    "ambassador|envoy|foreign minister|secretary of state|deputy secretary|foreign secretary|"
    "negotiator|consul|emissary|diplomat|under secretary|undersecretary"
)
_ROLE_CLASSES: dict[str, frozenset[str] | None] = {
    "diplomat": _DIPLOMAT,
    "leader": _phrases(
        "president|prime minister|premier|chancellor|king|queen|leader|head of state|emir|sultan"
    ),
    "lawmaker": _phrases("senator|congressman|congresswoman|representative|mp|legislator|lawmaker"),
    "spokesperson": _phrases("spokesman|spokeswoman|spokesperson|press secretary"),
    "executive": _phrases("chief executive|ceo|chairman|chairwoman|president|director|founder"),
    "commander": _phrases("general|admiral|commander|colonel"),
    "official": None,
    "politician": None,
}
_ROLE_CLASSES["envoy"] = _ROLE_CLASSES["diplomat"]
_ROLE_CLASSES["negotiator"] = _ROLE_CLASSES["diplomat"]
_ROLE_CLASSES["legislator"] = _ROLE_CLASSES["lawmaker"]
_ROLE_CLASSES["spokesman"] = _ROLE_CLASSES["spokesperson"]
_ROLE_CLASSES["spokeswoman"] = _ROLE_CLASSES["spokesperson"]

# Demonyms and short names that no suffix rule links to their country.
_AFFILIATION_ALIASES = {
    **dict.fromkeys(
        ("us", "usa", "united states", "america", "american", "americans"), "united states"
    ),
    **dict.fromkeys(
        ("uk", "britain", "british", "great britain", "united kingdom"), "united kingdom"
    ),
    "french": "france",
    "dutch": "netherlands",
    "holland": "netherlands",
    "swiss": "switzerland",
    "polish": "poland",
    "spanish": "spain",
    "swedish": "sweden",
    "danish": "denmark",
    "finnish": "finland",
    "turkish": "turkey",
    "greek": "greece",
    "irish": "ireland",
    "welsh": "wales",
    "scottish": "scotland",
    "filipino": "philippines",
    "thai": "thailand",
}

_FUNCTION_WORDS = _wordset("a an and at by for from in into of on or the to with de la du von van")
_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*", re.UNICODE)
_INITIAL = re.compile(r"(?:[A-Z]\.)+|[A-Z]")


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quoted piece in one article.

    Attributes:
        article: The article id.
        start: Start of the quoted text inside the marks (into ``Article.text``).
        end: End of the quoted text inside the marks.
        text: ``article.text[start:end]``: the verbatim words, without the marks.
        speaker: The canonical full name when resolvable ("Wendy Sherman"), else the best
            mention ("the minister", "Russia"), else ``None``.
        speaker_span: Where the attributing mention is, or ``None``.
        cue: The verb or phrase that attributes the quote ("said", "told", "according to").
        partial: True for a few words woven into the reporter's sentence.
        relayed_by: For a quote inside a quote, who relayed it (then ``speaker`` is the
            original speaker when known).
    """

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_span: tuple[int, int] | None
    cue: str | None
    partial: bool
    relayed_by: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedQuote:
    """Text in quote marks that is not speech, with the reason it was left out."""

    article: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class QuoteScan:
    """Everything ``scan_quotes`` found: the quotes and the marked text it rejected."""

    mentions: tuple[QuoteMention, ...]
    rejected: tuple[RejectedQuote, ...]


# --------------------------------------------------------------------------------------------
# Stage 1: quote marks to quote spans (characters only)
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Raw:
    """A quote span before attribution."""

    open_pos: int  # the opening mark (or the paragraph start when repaired)
    close_pos: int | None  # the closing mark; None when the quote runs to the paragraph end
    outer_end: int  # end of the span including the closing mark
    family: str  # "double" | "single"
    para: int
    start: int = 0  # inner text, trimmed
    end: int = 0
    repaired: bool = False
    parent: int | None = None
    level: int = 0
    prev_piece: int | None = None
    next_piece: int | None = None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every non-blank line: one paragraph each."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _family(ch: str) -> str:
    return "double" if ch in _DOUBLE_GLYPHS else "single"


def _classify(text: str, i: int, lo: int, hi: int, roles: dict[int, str]) -> str:
    """Return ``open``, ``close``, ``either``, ``close?`` (close or apostrophe) or ``apos``.

    The role comes from the characters either side, since scraped text misuses glyphs (``“`` as a
    closing mark, ``'`` closing a ``‘``); the glyph only breaks ties.
    """
    ch = text[i]
    p = text[i - 1] if i > lo else None
    n = text[i + 1] if i + 1 < hi else None
    if p is not None and p in _MARKS:
        left_open = roles.get(i - 1) == "open"
    else:
        left_open = p is None or p.isspace() or p in _OPENING_CONTEXT
    if n is not None and n in _MARKS:
        right_open = True
    else:
        right_open = n is None or n.isspace() or n in _CLOSING_CONTEXT
    if ch in _SINGLE_GLYPHS:
        if p is not None and n is not None and p.isalnum() and n.isalnum():
            return "apos"  # don't, Nato’s, o’clock, the 90's
        if n is not None and n.isdigit() and _DECADE.match(text, i + 1):
            return "apos"  # the '90s, class of ’22
        if _SPACED_CLITIC.match(text, i + 1) and p is not None and p.isspace():
            return "apos"  # detokenised text: "don ’ t", "there ’ s"
        if left_open and n is not None and n.isalpha():
            tail = text[i + 1 : i + 6].lower()
            if any(
                tail.startswith(e) and not text[i + 1 + len(e) : i + 2 + len(e)].isalpha()
                for e in _ELISIONS
            ):
                return "apos"
        if p is not None and p.isalnum() and not left_open and right_open:
            return "close?"  # a closing mark, or a plural possessive (the players’ union)
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    if left_open and right_open:
        return "either"
    return "apos" if ch in _SINGLE_GLYPHS else "either"


def _find_raw_quotes(text: str) -> tuple[list[_Raw], list[tuple[int, int, str]]]:
    """Pair quote marks paragraph by paragraph.

    Returns the quote spans (with nesting and continuation links set) and the marks that were
    dropped, each as ``(start, end, reason)``.
    """
    paras = _paragraphs(text)
    raws: list[_Raw] = []
    dropped: list[tuple[int, int, str]] = []
    open_at_end = False  # the paragraph before left a double quote open
    middles: list[int] = []  # unmarked lines since then, quoted if a closing mark turns up
    for pi, (lo, hi) in enumerate(paras):
        if open_at_end and not any(ch in _DOUBLE_GLYPHS for ch in text[lo:hi]):
            if len(middles) < 2:
                middles.append(pi)
                continue
            open_at_end, middles = False, []
        roles: dict[int, str] = {}
        seen_double = False
        stack: list[tuple[str, int]] = []  # (family, position) of open marks
        para_raws: list[_Raw] = []
        orphans: list[int] = []
        for i in range(lo, hi):
            ch = text[i]
            if ch not in _MARKS:
                continue
            fam = _family(ch)
            role = _classify(text, i, lo, hi, roles)
            has_double = any(f == "double" for f, _ in stack)
            if fam == "double" and (open_at_end or middles) and not seen_double and not has_double:
                # The first double mark of a line after a line left open: it closes the quote
                # begun there if its glyph or spacing says so, or if it is a straight mark that
                # leaves an even number of straight marks after it.
                straight_odd = ch == '"' and text.count('"', i, hi) % 2 == 1
                curly_closing = ch not in _OPEN_GLYPHS and ch != '"' and role != "open"
                if straight_odd or curly_closing or role == "close":
                    role = "forced close"
            if fam == "double":
                seen_double = True
                # `scorer, "Hansbrough said`: a straight mark after a space may close the open
                # quote (a stray space) or open a new one (the last lacked its close). An even
                # number of straight marks left in the paragraph means it closes.
                if (
                    role == "open"
                    and has_double
                    and ch == '"'
                    and not text.count('"', i + 1, hi) % 2
                ):
                    role = "close"
                if role == "either":
                    role = "close" if has_double else "open"
                elif role == "close" and not has_double and ch in _OPEN_GLYPHS:
                    role = "open"  # `said:“ We ...`: an opening glyph in odd spacing
                elif role == "forced close":
                    role = "close"
                if role == "open":
                    if has_double:
                        # A new quote opens while one is still open: the earlier one lacks its
                        # closing mark; it ends here.
                        while stack:
                            f, pos = stack.pop()
                            if f == "double":
                                para_raws.append(_Raw(pos, None, i, "double", pi))
                                break
                    stack.append(("double", i))
                    roles[i] = "open"
                else:  # close
                    if has_double:
                        while stack:
                            f, pos = stack.pop()
                            if f == "double":
                                para_raws.append(_Raw(pos, i, i + 1, "double", pi))
                                break
                        roles[i] = "close"
                    else:
                        orphans.append(i)
                        roles[i] = "close"
            else:
                if role == "apos":
                    continue
                above_double = []
                for f, pos in reversed(stack):
                    if f == "double":
                        break
                    above_double.append(pos)
                pending = bool(above_double)
                if role in ("close", "close?") or (role == "either" and pending):
                    if pending:
                        while stack:
                            f, pos = stack.pop()
                            if f == "single":
                                para_raws.append(_Raw(pos, i, i + 1, "single", pi))
                                break
                        roles[i] = "close"
                    continue
                if role in ("open", "either"):
                    stack.append(("single", i))
                    roles[i] = "open"
        # Paragraph end: an open double runs to the end; open singles were apostrophes, except a
        # single opening the paragraph (British style) that the next paragraph continues.
        for f, pos in stack:
            if f == "double":
                para_raws.append(_Raw(pos, None, hi, "double", pi))
            elif text[lo:pos].strip() == "" and pi + 1 < len(paras):
                nlo = paras[pi + 1][0]
                if text[nlo] in "‘'" and not any(r.family == "double" for r in para_raws):
                    para_raws.append(_Raw(pos, None, hi, "single", pi))
        # A closing double with no opening one in its paragraph: the quote began at the
        # paragraph's start, either because a scraper lost the opening mark (the mark ends the
        # paragraph) or because the quote runs on from the line before (a soft line break).
        for c in orphans:
            tail = text[c + 1 : hi]
            runs_on = (open_at_end or bool(middles)) and c == orphans[0]
            if (
                not any(r.family == "double" and r.open_pos < c for r in para_raws)
                and (runs_on or not any(ch.isalnum() for ch in tail))
                and c - lo > 1
            ):
                para_raws.append(_Raw(lo, c, c + 1, "double", pi, repaired=True))
                if runs_on:  # the unmarked lines in between are quoted whole
                    for mi in middles:
                        mlo, mhi = paras[mi]
                        raws.append(_Raw(mlo, None, mhi, "double", mi, repaired=True))
            else:
                dropped.append((c, c + 1, "closing quote mark without an opening one"))
        open_at_end = any(r.family == "double" and r.close_pos is None for r in para_raws)
        middles = []
        raws.extend(para_raws)

    # Inner text, trimmed of spaces and of the attribution comma.
    kept: list[_Raw] = []
    for r in raws:
        s = r.open_pos if r.repaired else r.open_pos + 1
        e = r.close_pos if r.close_pos is not None else r.outer_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
            e -= 1
        if e <= s or not any(ch.isalnum() for ch in text[s:e]):
            dropped.append((r.open_pos, r.outer_end, "no words between the marks"))
            continue
        r.start, r.end = s, e
        kept.append(r)
    kept.sort(key=lambda r: (r.open_pos, -r.outer_end))

    # Nesting by containment.
    for i, r in enumerate(kept):
        for j in range(i - 1, -1, -1):
            o = kept[j]
            if o.open_pos <= r.open_pos and r.outer_end <= o.outer_end and o is not r:
                r.parent = j
                r.level = o.level + 1
                break
    # Continuation: a paragraph left open, followed by a paragraph opening with a quote mark.
    by_para: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(kept):
        by_para[r.para].append(i)
    for i, r in enumerate(kept):
        if r.close_pos is not None or r.level or r.outer_end != paras[r.para][1]:
            continue
        nxt = [j for j in by_para.get(r.para + 1, []) if kept[j].level == 0]
        if not nxt:
            continue
        j = nxt[0]
        q = kept[j]
        if q.family == r.family and text[paras[q.para][0] : q.open_pos].strip() == "":
            r.next_piece = j
            q.prev_piece = i
    return kept, dropped


# --------------------------------------------------------------------------------------------
# Stage 2: the article's people (names, titles, nationalities, gender evidence)
# --------------------------------------------------------------------------------------------


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def _affiliation(text: str) -> str:
    """Return a comparable key for a country, demonym or short name ("U.S." -> united states)."""
    s = _fold(text).replace(".", "").strip()
    if s.startswith("the "):
        s = s[4:]
    s = re.sub(r"['’]s$", "", s)
    return _AFFILIATION_ALIASES.get(s, s)


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
    if _fold(txt).rstrip(".") in TITLE_WORDS:
        return False
    if _INITIAL.fullmatch(txt):
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
        parts = [p for p in self.canonical.split() if not _INITIAL.fullmatch(p)]
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


def _first_compatible(a: str, b: str) -> bool:
    """Return whether two first names may name the same person.

    Spelling variants from transliteration (Sergei/Sergey, Yuri/Yury, Evgeny/Yevgeny) and an
    initial for the name (W./Wendy) are compatible.
    """
    a, b = _fold(a).rstrip("."), _fold(b).rstrip(".")
    if not a or not b:
        return False
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    score = fuzz.ratio(a, b)
    return score >= 80 or (a[0] == b[0] and score >= 70)


# --------------------------------------------------------------------------------------------
# Stage 3: attribution over the parse
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Attribution:
    cue_token: int | None  # token index of the speech verb / "according"
    cue: str | None
    subject: int | None  # token index of the subject head
    how: str  # which rule found it (for debugging and rejection reasons)
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    pid: int | None = None
    first_person: bool = False


class _Context:
    """Per-article maps between characters, tokens, sentences, paragraphs and quotes."""

    def __init__(self, article: Article, doc: Doc, raws: list[_Raw]) -> None:
        text = article.text
        if doc.text != text[: len(doc.text)]:
            raise ValueError(f"{article.id}: the parse does not belong to this article's text")
        self.article = article
        self.text = text
        self.doc = doc
        self.raws = raws
        self.paras = _paragraphs(text)
        self.para_starts = [p[0] for p in self.paras]
        self.tok_starts = [t.idx for t in doc]
        self.sent_of = [0] * len(doc)
        for si, sent in enumerate(doc.sents):
            for k in range(sent.start, sent.end):
                self.sent_of[k] = si
        # innermost quote holding each token (marks included), by containment
        self.tok_quote: list[int | None] = [None] * len(doc)
        for qi in sorted(range(len(raws)), key=lambda k: raws[k].level):
            r = raws[qi]
            for k in self.tokens_between(r.open_pos, r.outer_end):
                self.tok_quote[k] = qi

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices whose first character lies in ``[start, end)``."""
        a = bisect.bisect_left(self.tok_starts, start)
        b = bisect.bisect_left(self.tok_starts, end)
        return range(a, b)

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def quote_chain(self, k: int) -> list[int]:
        """Quotes holding token ``k``, innermost first."""
        out = []
        q = self.tok_quote[k]
        while q is not None:
            out.append(q)
            q = self.raws[q].parent
        return out

    def outermost(self, k: int) -> int | None:
        chain = self.quote_chain(k)
        return chain[-1] if chain else None

    def in_frame(self, k: int, qi: int) -> bool:
        """Whether token ``k`` is narration at quote ``qi``'s level (outside it and its siblings).

        For a top-level quote that is the paragraph's unquoted text; for an inner quote, the
        outer quote's words outside the inner quotes.
        """
        r = self.raws[qi]
        chain = self.quote_chain(k)
        if r.parent is None:
            return not chain and self.para_of(self.doc[k].idx) == r.para
        return r.parent in chain and len(chain) == r.level

    def narration(self, k: int, qi: int) -> bool:
        """Like ``in_frame`` but in any paragraph (a subject may sit in the paragraph before)."""
        r = self.raws[qi]
        chain = self.quote_chain(k)
        if r.parent is None:
            return not chain
        return r.parent in chain and len(chain) == r.level

    def inside(self, k: int, qi: int) -> bool:
        return qi in self.quote_chain(k)


def _is_cue(t: Token) -> bool:
    """Whether ``t`` introduces speech: a speech verb, or "according to"."""
    if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
        return True
    if t.i > 0 and t.doc[t.i - 1].lower_ in ("so", "so-") and t.lower_ == "called":
        return False  # "so-called": the mark of a label, not of speech
    return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS


def _cue_text(t: Token) -> str:
    return "according to" if t.lower_ == "according" else t.text


def _subject_of(ctx: _Context, v: Token, qi: int) -> Token | None:
    """Return the subject of speech cue ``v``, climbing to the clause it hangs on if needed.

    ``adding “...”`` (advcl), ``went on to say`` (xcomp), ``and added`` (conj) and ``was quoted as
    saying`` (pcomp/prep) have their subject on an ancestor. A cue modifying a noun (``a response,
    voiced by X, saying ...``; ``X issued a statement saying ...``) speaks for the agent that voiced
    the noun, else for whoever issued it.
    """
    if v.lower_ == "according":
        for c in v.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    cur = v
    for _ in range(4):
        subs = [
            c
            for c in cur.children
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and ctx.narration(c.i, qi)
        ]
        if subs:
            if cur.lemma_.lower() == "quote":
                # "the paper quoted witness Devonte Brown as saying": the one quoted speaks
                objs = [c for c in cur.children if c.dep_ == "dobj" and ctx.narration(c.i, qi)]
                if objs:
                    return objs[0]
            return subs[0]
        if not ctx.narration(cur.head.i, qi):
            break  # a misparse hanging the cue on quoted words: their subject is not the speaker
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "ccomp", "dep") and (
            cur.head is not cur
        ):
            cur = cur.head
            continue
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
            noun = cur.head
            for c in noun.children:
                if c.dep_ == "acl":
                    for a in c.children:
                        if a.dep_ == "agent":
                            objs = [g for g in a.children if g.dep_ == "pobj"]
                            if objs:
                                return objs[0]
            if noun.dep_ in ("dobj", "pobj") and noun.head is not noun:
                cur = noun.head if noun.dep_ == "dobj" else noun.head.head
                continue
        break
    return None


def _gap_subject(ctx: _Context, qi: int, cue: Token) -> Token | None:
    """``“...,” the company's chief engineer, Yevgeny Marek, told ...`` when the parse lost the
    subject: the noun phrase between the closing mark and the cue (a person's name first)."""
    r = ctx.raws[qi]
    lo, _hi = _scope(ctx, qi)
    closes = [
        s.outer_end
        for s in ctx.raws
        if s.parent == r.parent and s.close_pos is not None and lo <= s.outer_end <= cue.idx
    ]
    if not closes:
        return None
    ks = [k for k in ctx.tokens_between(max(closes), cue.idx) if ctx.in_frame(k, qi)]
    toks = [ctx.doc[k] for k in ks if ctx.doc[k].pos_ in ("PROPN", "NOUN", "PRON")]
    if not toks:
        # Inverted order ("..., said Ron Howard, the director"): the name right after the cue.
        after = [ctx.doc[k] for k in ctx.tokens_between(cue.idx + 1, cue.idx + 80)]
        for t in after[:6]:
            if not ctx.in_frame(t.i, qi) or t.is_punct:
                break
            if t.pos_ in ("PROPN", "NOUN") and t.dep_ != "compound":
                return t
        return None
    people = [t for t in toks if t.ent_type_ == "PERSON"]
    if people:
        run = [people[0]]
        for t in people[1:]:
            if t.i != run[-1].i + 1:
                break
            run.append(t)
        return run[-1]
    inside = set(ks)
    heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    return heads[0] if heads else toks[-1]


def _reporting_verb(ctx: _Context, cue: Token, qi: int) -> Token:
    """``X said Y, according to Z``: the speech verb above an "according to" speaks, not Z."""
    if cue.lower_ != "according":
        return cue
    h = cue.head
    for _ in range(4):
        if h.i == h.head.i and not _is_cue(h):
            break
        if _is_cue(h) and ctx.in_frame(h.i, qi) and _subject_of(ctx, h, qi) is not None:
            return h
        h = h.head
    return cue


def _governing_cue(ctx: _Context, qi: int) -> Token | None:
    """Return the speech cue that governs the quote in the dependency tree, if any.

    Either an ancestor of a quoted token (``she said`` with the quote as its ccomp) or a cue hanging
    on a quoted token (``“...,” said X`` parsed as parataxis).
    """
    r = ctx.raws[qi]
    doc = ctx.doc
    best: tuple[int, int, Token] | None = None
    inner = [k for k in ctx.tokens_between(r.open_pos, r.outer_end) if ctx.inside(k, qi)]
    for k in inner:
        t = doc[k]
        h = t.head
        steps = 0
        while h.i != t.i and steps < 8:
            if not ctx.inside(h.i, qi) and ctx.in_frame(h.i, qi) and _is_cue(h):
                cand = (steps, abs(h.i - k), h)
                if best is None or cand[:2] < best[:2]:
                    best = cand
                break
            if h.head.i == h.i:
                break
            h = h.head
            steps += 1
        for c in t.children:
            if not ctx.inside(c.i, qi) and ctx.in_frame(c.i, qi) and _is_cue(c):
                cand = (1, abs(c.i - k), c)
                if best is None or cand[:2] < best[:2]:
                    best = cand
    return best[2] if best else None


def _window_cue(ctx: _Context, qi: int, ks: Iterable[int], pick_last: bool) -> Token | None:
    cues = [ctx.doc[k] for k in ks if ctx.in_frame(k, qi) and _is_cue(ctx.doc[k])]
    if not cues:
        return None
    return cues[-1] if pick_last else cues[0]


def _after_window(ctx: _Context, qi: int) -> list[int]:
    """Tokens after the closing mark up to the end of the attribution clause."""
    r = ctx.raws[qi]
    if r.close_pos is None:
        return []
    _lo, hi = _scope(ctx, qi)
    out = []
    for k in ctx.tokens_between(r.outer_end, hi):
        t = ctx.doc[k]
        if not ctx.in_frame(k, qi):
            if ctx.tok_quote[k] is not None:
                break  # the next quote
            continue
        out.append(k)
        if t.text in _TERMINAL or len(out) >= 20:
            break
    # A quote closed by its own full stop is followed by a new sentence: it attributes the quote
    # only if its first verb is a speech cue ("Williams, a critic of the police, said ...").
    if ctx.text[r.start : r.end][-1:] in _TERMINAL:
        verbs = [k for k in out if ctx.doc[k].pos_ in ("VERB", "AUX")]
        if not verbs or not _is_cue(ctx.doc[verbs[0]]):
            return []
    return out


def _scope(ctx: _Context, qi: int) -> tuple[int, int]:
    """Character range narration for quote ``qi`` may come from."""
    r = ctx.raws[qi]
    if r.parent is not None:
        p = ctx.raws[r.parent]
        return p.start, p.end
    return ctx.paras[r.para]


def _before_windows(ctx: _Context, qi: int) -> tuple[list[int], list[int]]:
    """Tokens before the opening mark: in its own sentence, and in the sentence before it.

    Both stop at the previous sibling quote's closing mark and at the paragraph (or outer quote)
    start.
    """
    r = ctx.raws[qi]
    lo, _hi = _scope(ctx, qi)
    ks = [k for k in ctx.tokens_between(lo, r.open_pos) if ctx.in_frame(k, qi)]
    if not ks:
        return [], []
    open_tok = bisect.bisect_left(ctx.tok_starts, r.open_pos)
    cur_sent = ctx.sent_of[min(open_tok, len(ctx.doc) - 1)]
    # Only narration after the last sibling quote is attribution for this one ...
    siblings_end = max(
        (
            s.outer_end
            for s in ctx.raws
            if s.parent == r.parent and s.outer_end <= r.open_pos and s is not r
        ),
        default=lo,
    )
    own = [k for k in ks if ctx.sent_of[k] == cur_sent and ctx.doc[k].idx >= siblings_end]
    prev = [k for k in ks if ctx.sent_of[k] == cur_sent - 1]
    # ... unless the sentence before is the one between two pieces of a split quote.
    if siblings_end > lo:
        prev = [k for k in prev if ctx.doc[k].idx >= siblings_end]
    return own, prev


def _find_attribution(ctx: _Context, qi: int) -> _Attribution | None:
    """Find the speech cue and its subject for quote ``qi`` (see the module docstring)."""
    r = ctx.raws[qi]
    own, prev = _before_windows(ctx, qi)
    after = ("after", _window_cue(ctx, qi, _after_window(ctx, qi), pick_last=False))
    steps: list[tuple[str, Token | None]] = [("governs", _governing_cue(ctx, qi))]
    if ctx.text[r.start : r.end][-1:] in _TERMINAL:
        # A quote closed by its own full stop: what follows is a new sentence, so the
        # attribution before it ("she said. “...”", "he added: “...”") comes first.
        steps += [
            ("before", _window_cue(ctx, qi, own, pick_last=True)),
            ("previous sentence", _window_cue(ctx, qi, prev, pick_last=True)),
            after,
        ]
    else:
        steps += [
            after,
            ("before", _window_cue(ctx, qi, own, pick_last=True)),
            ("previous sentence", _window_cue(ctx, qi, prev, pick_last=True)),
        ]
    unnamed: _Attribution | None = None  # a governing cue whose speaker the parse lost
    for how, found in steps:
        if found is None:
            continue
        cue = _reporting_verb(ctx, found, qi)
        subj = _subject_of(ctx, cue, qi)
        if subj is None:
            subj = _gap_subject(ctx, qi, cue)
        if subj is not None:
            return _Attribution(cue.i, _cue_text(cue), subj.i, how)
        if how == "governs" and unnamed is None:
            unnamed = _Attribution(cue.i, _cue_text(cue), None, how)
    # Headline style "Zelensky: ‘We will defend every town’": a name, a colon, the quote.
    if own:
        colon = ctx.doc[own[-1]]
        if colon.text == ":" and colon.idx + 1 >= r.open_pos - 2 and len(own) >= 2:
            name = ctx.doc[own[-2]]
            if name.pos_ == "PROPN" and name.ent_type_ not in ("DATE", "TIME"):
                return _Attribution(None, None, name.i, "name and colon")
    return unnamed


def _paragraph_before(ctx: _Context, qi: int, colon_only: bool) -> _Attribution | None:
    """A quote opening its paragraph, attributed by the last sentence of the paragraph before.

    With ``colon_only`` that sentence must end with a colon (``Sherman said:``); otherwise any
    speech cue in it counts (``Mehta declared that his force did nothing wrong.`` followed by a
    paragraph that is only a quote), which is the last fallback for full-sentence quotes.
    """
    r = ctx.raws[qi]
    if r.parent is not None or r.para == 0:
        return None
    lo = ctx.paras[r.para][0]
    if ctx.text[lo : r.open_pos].strip():
        return None
    plo, phi = ctx.paras[r.para - 1]
    colon = ctx.text[plo:phi].rstrip().endswith(":")
    if colon_only and not colon:
        return None
    ks = [k for k in ctx.tokens_between(plo, phi) if ctx.tok_quote[k] is None]
    if not ks:
        return None
    how = "colon paragraph" if colon else "paragraph before"
    last_sent = ctx.sent_of[ks[-1]]
    for k in reversed(ks):
        if ctx.sent_of[k] != last_sent:
            break
        t = ctx.doc[k]
        if _is_cue(t):
            subj = _subject_of(ctx, t, qi)
            if subj is not None:
                return _Attribution(t.i, _cue_text(t), subj.i, how)
    # "Ryabkov:" (interview style): the name before the colon speaks.
    head = ctx.doc[ks[-1]]
    if colon and head.text == ":" and ks[-1] > 0:
        name = ctx.doc[ks[-1] - 1]
        if name.ent_type_ == "PERSON":
            return _Attribution(None, None, name.i, how)
    return None


# --------------------------------------------------------------------------------------------
# Stage 4: resolving a subject to a speaker
# --------------------------------------------------------------------------------------------


class _People:
    """The people of one article and a running record of who was mentioned where."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.persons: list[_Person] = []
        self.by_token: dict[int, int] = {}  # name token index -> person id
        self.name_spans: dict[int, tuple[int, int]] = {}  # head token -> (first, last+1) tokens
        self.mentions: list[_Mention] = []
        self.resolved: dict[int, int] = {}  # pronoun/description token -> person id
        self.group_text: dict[int, str] = {}  # "they"/"it" token -> antecedent text
        self.last: _Attribution | None = None  # the last top-level quote's attribution
        self._build()

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
                or (doc[k].lower_ in _NAME_PARTICLES and k > ent.start and k < end - 1)
            ):
                k -= 1
            first = k + 1
            while first < end and doc[first].lower_ in _NAME_PARTICLES:
                first += 1
            if first >= end:
                continue
            hon = first - 1 if first - 1 >= 0 else None
            runs[end - 1] = (first, end, hon)
        # "Mr Ryabkov", "Ms Sherman" even when the tagger called them something else.
        for t in doc:
            if _fold(t.text).rstrip(".") in _HONORIFIC_GENDER and t.i + 1 < len(doc):
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
                or (t.ent_type_ == "ORG" and len(_ent_of(t) or ()) > 1)
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
            titled = before is not None and _fold(before.text).rstrip(".") in _ROLE_TITLES
            of_title = (
                t.dep_ == "pobj"
                and t.head.lower_ == "of"
                and _fold(t.head.head.text) in _ROLE_TITLES
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
            surname = _fold(words[-1]).rstrip(".")
            pid = None
            if len(words) > 1:
                for cand in surnames.get(surname, []):
                    p = self.persons[cand]
                    if p.first is None or _first_compatible(p.first, words[0]):
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
                g = _HONORIFIC_GENDER.get(_fold(doc[hon].text).rstrip("."))
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
            key = _fold(t.text).rstrip(".")
            ent = _ent_of(t)
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
            and _fold(head.head.head.text) in TITLE_WORDS
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
                or _affiliation(w.text) in _AFFILIATION_ALIASES.values()
            ):
                ent = _ent_of(w)
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
                    self.persons[self.by_token[head_i]].gender_votes[_PRONOUN_GENDER[d.lower_]] += 1
                    break

    # -- running resolution ------------------------------------------------------------------

    def walk(self) -> None:
        """Go through the article once, in order, resolving narration pronouns and descriptions
        so that later pronouns can find people named only by a pronoun or a title."""
        ctx = self.ctx
        doc = ctx.doc
        for t in doc:
            k = t.i
            quoted = ctx.outermost(k)
            if k in self.name_spans and k in self.by_token:
                self.mentions.append(
                    _Mention(k, self.by_token[k], _is_subjectish(t), ctx.sent_of[k], quoted)
                )
                continue
            if quoted is not None or not _is_subject(t):
                continue
            pid = self.resolve_token(t)
            if pid is not None:
                self.resolved[k] = pid
                self.mentions.append(_Mention(k, pid, True, ctx.sent_of[k], None))

    def _named_in_phrase(self, t: Token) -> int | None:
        """The person a title phrase names: ``the chief engineer, Yevgeny Marek`` (apposition),
        ``Deputy Minister of Water Resources Irena Vasko`` (a title's of-phrase)."""
        for c in t.children:
            if c.dep_ == "appos" and c.i in self.by_token:
                return self.by_token[c.i]
        if _fold(t.text) in TITLE_WORDS:
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
            return self._pronoun(t, _PRONOUN_GENDER[low])
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
        history = [
            m
            for m in self.mentions
            if m.head < t.i and (m.quoted is None or m.quoted == quoted) and sent - m.sent <= 8
        ]
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
            if ctx.tok_quote[k] is not None or not _is_subject(c):
                continue
            if c.i in self.by_token and not (want_plural and conj):
                continue
            plural = c.tag_ in ("NNS", "NNPS") or c.ent_type_ in ("NORP",) or conj
            org = c.ent_type_ in ("ORG", "GPE", "NORP")
            if (want_plural and (plural or org)) or (not want_plural and org):
                return _np_text(ctx, c)
        return None

    def _description(self, t: Token) -> int | None:
        """Match "the US diplomat" / "the minister" to the person whose title, role class and
        nationality fit, preferring the most recent one named before it, else the next one."""
        head = t.lemma_.lower()
        mods = [c for c in t.children if c.i < t.i]
        affs = {
            _affiliation((_ent_of(c) or c).text)
            for m in mods
            for c in m.subtree
            if c.ent_type_ in ("GPE", "NORP")
            or _affiliation(c.text) in _AFFILIATION_ALIASES.values()
        }
        words = {c.lower_ for m in mods for c in m.subtree}
        best: tuple[tuple[int, int, int], int] | None = None
        for p in self.persons:
            title = p.title_text()
            title_words = set(title.split())
            if head in title_words:
                score = 3
            elif head in _ROLE_CLASSES:
                cls = _ROLE_CLASSES[head]
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
            positions = [m.head for m in self.mentions if m.pid == p.pid and m.head < t.i]
            if positions:
                rank = (score, 1, positions[-1])
            else:
                later = [k for k, pid in self.by_token.items() if pid == p.pid and k > t.i]
                rank = (score, 0, -min(later) if later else -(10**9))
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
        for k in sorted(self.name_spans):
            if k <= t.i or ctx.tok_quote[k] is not None:
                continue
            if ctx.para_of(ctx.doc[k].idx) > para + 1:
                return None
            name = ctx.doc[k]
            clause = name.head if _is_subject(name) else None
            if clause is None and _is_subjectish(name):
                clause = name.head.head if name.dep_ == "appos" else name.head.head.head
            if clause is None or not _is_cue(clause):
                return None
            p = self.persons[self.by_token[k]]
            title = p.title_text()
            if title and head not in title.split():
                cls = _ROLE_CLASSES.get(head)
                if cls is not None and not any(_has_phrase(title, ph) for ph in cls):
                    return None
            return p.pid
        return None

    # -- speaker of an attribution -----------------------------------------------------------

    def speaker_of(self, att: _Attribution, narration: bool = True) -> None:
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
        span = _np_span(ctx, t)
        att.speaker_span = span
        low = t.lower_
        if low in _FIRST_PERSON:
            att.first_person = True
            att.speaker = t.text
            return
        pid = self.by_token.get(t.i)
        if pid is None:
            pid = self.resolved.get(t.i)
        if pid is None:
            pid = self._named_in_phrase(t)
        if pid is None and (low in _PRONOUN_GENDER or _is_description(t)):
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

    def _unnamed_is_nearer(self, t: Token, pid: int | None, last: _Attribution) -> bool:
        """Whether the previous speaker, an unnamed person ("a senior officer"), was mentioned
        after the person a pronoun at ``t`` would otherwise resolve to, within three sentences."""
        if last.pid is not None or last.subject is None or last.speaker is None:
            return False
        prev = self.ctx.doc[last.subject]
        lemma = prev.lemma_.lower()
        if prev.pos_ != "NOUN" or lemma not in _PERSON_NOUNS | TITLE_WORDS:
            return False
        if prev.i >= t.i or self.ctx.sent_of[t.i] - self.ctx.sent_of[prev.i] > 3:
            return False
        named_at = max(
            (m.head for m in self.mentions if m.pid == pid and m.head < t.i and m.quoted is None),
            default=-1,
        )
        return prev.i > named_at


def _ent_of(t: Token) -> SpacySpan | None:
    """The named entity holding ``t``, if any."""
    if not t.ent_type_:
        return None
    for ent in t.doc.ents:
        if ent.start <= t.i < ent.end:
            return ent
    return None


def _is_subject(t: Token) -> bool:
    return t.dep_ in ("nsubj", "nsubjpass")


def _is_subjectish(t: Token) -> bool:
    """A subject, or a name in apposition to / in the of-phrase of a subject's title."""
    if _is_subject(t):
        return True
    if t.dep_ == "appos":
        return _is_subject(t.head)
    if t.dep_ == "pobj" and t.head.lower_ == "of":
        return _is_subject(t.head.head)
    return False


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _is_description(t: Token) -> bool:
    """A definite description of a person: ``the minister``, ``the no. 2 US diplomat``."""
    # A singular common noun; the tagger sometimes calls a lower-case role word a proper noun.
    if not (t.tag_ == "NN" or (t.tag_ == "NNP" and t.text.islower())):
        return False
    lemma = t.lemma_.lower()
    if lemma not in _PERSON_NOUNS and lemma not in TITLE_WORDS and lemma not in _ROLE_CLASSES:
        return False
    dets = [c for c in t.children if c.dep_ in ("det", "poss") and c.i < t.i]
    return any(d.lower_ in ("the", "this", "that") or d.dep_ == "poss" for d in dets)


def _np_span(ctx: _Context, t: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``t``, up to the head (no relative clauses)."""
    doc = ctx.doc
    first = t.i
    for c in t.lefts:
        if c.dep_ in ("punct",) or ctx.tok_quote[c.i] != ctx.tok_quote[t.i]:
            continue
        first = min(first, c.left_edge.i)
    while first < t.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    last = t
    for c in t.rights:
        if ctx.tok_quote[c.i] != ctx.tok_quote[t.i]:
            continue
        if c.dep_ == "conj":  # "Smith and Jones"
            last = c
        elif c.dep_ == "prep" and c.lower_ == "of" and t.pos_ in ("NUM", "PRON"):
            last = c.right_edge  # "one of his key lawyers"
    return doc[first].idx, last.idx + len(last.text)


def _np_text(ctx: _Context, t: Token) -> str:
    s, e = _np_span(ctx, t)
    return ctx.text[s:e]


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_title_like(text: str) -> bool:
    """A name in marks: two to ten words, every content word capitalised, no sentence end.

    A single full stop at the end does not count as a sentence end: American style puts the
    sentence's own full stop inside the closing mark (``next year's "X-Men Origins: Wolverine."``).
    """
    words = _words(text)
    body = text.rstrip()
    if body.endswith(".") and not body.endswith(".."):
        body = body[:-1]
    if not 2 <= len(words) <= 10 or body[-1:] in _TERMINAL or re.search(r"[.!?]\s", body):
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _utterance_position(ctx: _Context, qi: int) -> bool:
    """Whether the quote stands where a sentence can start (see ``partial`` in the docstring)."""
    r = ctx.raws[qi]
    lo, _hi = _scope(ctx, qi)
    if r.prev_piece is not None or r.repaired:
        return True
    before = ctx.text[lo : r.open_pos]
    # Narration since the last sentence end or sibling quote.
    cut = lo
    for s in ctx.raws:
        if s.parent == r.parent and s.outer_end <= r.open_pos and s is not r:
            cut = max(cut, s.outer_end)
    ends = [m.end() for m in re.finditer(r"[.!?…]\s", before)]
    if ends:
        cut = max(cut, lo + ends[-1])
    seg = ctx.text[cut : r.open_pos]
    stripped = seg.strip()
    if not stripped:
        return True
    if stripped.endswith(":"):
        return True
    if stripped.endswith(","):
        ks = [k for k in ctx.tokens_between(cut, r.open_pos) if ctx.in_frame(k, qi)]
        return any(_is_cue(ctx.doc[k]) for k in ks)
    return False


def _carries_on(ctx: _Context, qi: int, att: _Attribution | None) -> bool:
    """Whether the reporter's sentence continues after the closing mark (``“...” was made``)."""
    r = ctx.raws[qi]
    if r.close_pos is None:
        return False
    inner = ctx.text[r.start : r.end]
    if ctx.text[r.open_pos + 1 : r.close_pos].rstrip()[-1:] in {",", *_TERMINAL}:
        return False
    if inner[-1:] in _TERMINAL:
        return False
    _lo, hi = _scope(ctx, qi)
    after = ctx.text[r.outer_end : hi]
    m = re.match(r"\s*([^\W\d_][\w’'-]*)", after)
    if not m or not m.group(1)[0].islower():
        return False
    if att is not None and att.how == "after" and att.cue_token is not None:
        return ctx.doc[att.cue_token].idx - r.outer_end > 40
    return True


def _speaker(att: _Attribution | None) -> str | None:
    return att.speaker if att is not None else None


def _share_speakers(
    ctx: _Context, people: _People, atts: list[_Attribution | None], full: list[bool]
) -> None:
    """Give unattributed quotes the speaker of the utterance they belong to.

    Pieces of one quote running over paragraphs share a speaker. A paragraph that opens with a
    quote and attributes nothing continues the full-sentence quote that ended the paragraph
    before it (news prose names a speaker once per run of quote paragraphs); failing that, a
    full-sentence quote takes the speaker of a speech cue ending the paragraph before.
    """
    raws = ctx.raws
    for _ in range(2):  # both directions along a chain of pieces
        for qi, r in enumerate(raws):
            if _speaker(atts[qi]) is not None:
                continue
            for other in (r.prev_piece, r.next_piece):
                src = atts[other] if other is not None else None
                if src is not None and src.speaker is not None:
                    atts[qi] = _inherit(src, "continued quote")
                    break
    for qi, r in enumerate(raws):
        if r.level or r.para == 0 or _speaker(atts[qi]) is not None:
            continue
        if ctx.text[ctx.paras[r.para][0] : r.open_pos].strip():
            continue
        before = [j for j, o in enumerate(raws) if o.level == 0 and o.para == r.para - 1]
        if before and full[before[-1]]:
            src = atts[before[-1]]
            if src is not None and src.speaker is not None:
                atts[qi] = _inherit(src, "quote paragraph after a quote")
                continue
        if full[qi] and not before:
            att = _paragraph_before(ctx, qi, colon_only=False)
            if att is not None:
                people.speaker_of(att, narration=False)
                atts[qi] = att


def scan_quotes(article: Article, doc: Doc) -> QuoteScan:
    """Find and attribute the direct quotes of one article, keeping what was rejected and why.

    Args:
        article: The article; spans index into ``article.text``.
        doc: Its spaCy parse (``analyze.nlp.Analyzer().parse``); it may cover only the first
            ``MAX_CHARS`` characters, beyond which quotes are found but not attributed.

    Returns:
        The quote mentions in text order and the quoted text left out as not speech.

    Raises:
        ValueError: When ``doc`` is not a parse of ``article.text``.
    """
    text = article.text
    raws, dropped = _find_raw_quotes(text)
    ctx = _Context(article, doc, raws)
    people = _People(ctx)
    people.walk()

    # Outer quotes first, so that an inner quote knows who relays it.
    order = sorted(range(len(raws)), key=lambda i: (raws[i].level, raws[i].open_pos))
    atts: list[_Attribution | None] = [None] * len(raws)
    for qi in order:
        if not ctx.tokens_between(raws[qi].open_pos, raws[qi].outer_end):
            continue  # beyond the parsed text
        att = _find_attribution(ctx, qi) or _paragraph_before(ctx, qi, colon_only=True)
        if att is not None:
            people.speaker_of(att, narration=raws[qi].level == 0)
        atts[qi] = att
    utter = [_utterance_position(ctx, qi) for qi in range(len(raws))]
    full = [utter[qi] and not _carries_on(ctx, qi, atts[qi]) for qi in range(len(raws))]
    _share_speakers(ctx, people, atts, full)

    rejected = [RejectedQuote(article.id, s, e, text[s:e], reason) for s, e, reason in dropped]
    kept: dict[int, QuoteMention] = {}
    for qi in order:
        r = raws[qi]
        att = atts[qi]
        inner = text[r.start : r.end]
        # A short wording counts as speech only when a cue names who said it.
        cued = (
            att is not None
            and att.subject is not None
            and att.how in ("governs", "after", "before", "previous sentence")
        )
        # Title case in utterance position with its speaker beside it is a headline quote
        # (`Putin: “Russia Will Respond”`), not a name.
        spoken = (
            utter[qi]
            and att is not None
            and att.subject is not None
            and att.how in ("after", "before", "name and colon", "colon paragraph")
        )
        if _is_title_like(inner) and not spoken:
            rejected.append(RejectedQuote(article.id, r.start, r.end, inner, "a title or name"))
            continue
        if len(_words(inner)) <= 2 and not cued and not (utter[qi] and inner[-1:] in _TERMINAL):
            rejected.append(
                RejectedQuote(article.id, r.start, r.end, inner, "a label: no speech cue")
            )
            continue
        speaker = _speaker(att)
        relayed: str | None = None
        if r.parent is not None:
            outer = kept.get(r.parent)
            outer_speaker = outer.speaker if outer else None
            if att is not None and att.first_person:
                speaker = outer_speaker  # "As we tell our partners, ‘...’"
            else:
                relayed = outer_speaker
        kept[qi] = QuoteMention(
            article=article.id,
            start=r.start,
            end=r.end,
            text=inner,
            speaker=speaker,
            speaker_span=att.speaker_span if att else None,
            cue=att.cue if att else None,
            partial=not full[qi],
            relayed_by=relayed,
        )

    # A quote repeated in the article (a teaser above the body) takes its twin's named speaker.
    named = {
        qi: m for qi, m in kept.items() if (att := atts[qi]) is not None and att.pid is not None
    }
    for qi, m in list(kept.items()):
        if qi in named:
            continue
        twin = _twin(m, [n for j, n in named.items() if j != qi])
        if twin is not None:
            kept[qi] = dataclasses.replace(m, speaker=twin.speaker)
    mentions = sorted(kept.values(), key=lambda m: (m.start, -m.end))
    rejected.sort(key=lambda r: r.start)
    return QuoteScan(tuple(mentions), tuple(rejected))


def _inherit(src: _Attribution, how: str) -> _Attribution:
    return _Attribution(
        src.cue_token,
        src.cue,
        src.subject,
        how,
        speaker=src.speaker,
        speaker_span=src.speaker_span,
        pid=src.pid,
        first_person=src.first_person,
    )


def _twin(m: QuoteMention, others: Iterable[QuoteMention]) -> QuoteMention | None:
    a = normalize_quote(m.text)
    if len(a.split()) < 5:
        return None
    for o in others:
        b = normalize_quote(o.text)
        if a == b or (len(b.split()) >= 5 and fuzz.ratio(a, b) >= 92):
            return o
    return None


def extract_quotes(article: Article, doc: Doc) -> tuple[QuoteMention, ...]:
    """Return the direct quotes of ``article`` with speakers, in text order.

    See the module docstring for what counts as a quote and how speakers are found; titles and
    label-like scare quotes are left out (``scan_quotes`` lists them with reasons).

    Args:
        article: The article; every mention's ``start``/``end`` index into ``article.text``.
        doc: The article's spaCy parse from ``analyze.nlp``.

    Returns:
        One ``QuoteMention`` per quoted piece, ``text == article.text[start:end]``.
    """
    return scan_quotes(article, doc).mentions


# --------------------------------------------------------------------------------------------
# Merging across outlets
# --------------------------------------------------------------------------------------------

_PUNCT_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize_quote(text: str) -> str:
    """Fold case, accents, quote glyphs and punctuation away for comparing wordings."""
    s = _fold(text.translate(_PUNCT_MAP))
    s = re.sub(r"['\"]", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def _name_parts(name: str) -> tuple[str, str] | None:
    """``(first, surname)`` of a person-like name ("Wendy R. Sherman"), else None."""
    words = name.split()
    if len(words) < 2 or not all(w[0].isupper() for w in words if w.lower() not in _NAME_PARTICLES):
        return None
    if words[0].lower() in ("the", "a", "an"):
        return None
    core = [w for w in words if not _INITIAL.fullmatch(w)]
    if len(core) < 2:
        return None
    return core[0], _fold(core[-1])


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two speaker strings name the same speaker.

    Person names match when they share a surname and their first names are alike (Sergei and
    Sergey, Yuri and Yury; middle initials ignored); a surname alone matches a full name ending in
    it; anything else must be equal ignoring case.
    """
    if a is None or b is None:
        return a is b
    if _fold(a) == _fold(b):
        return True
    pa, pb = _name_parts(a), _name_parts(b)
    if pa and pb:
        return pa[1] == pb[1] and _first_compatible(pa[0], pb[0])
    if pa and not pb and len(b.split()) == 1:
        return pa[1] == _fold(b)
    if pb and not pa and len(a.split()) == 1:
        return pb[1] == _fold(a)
    return False


def _canonical_speakers(names: Sequence[str]) -> dict[str, str]:
    """Map every speaker string to one form per person: the most used, then the longest."""
    counts = Counter(names)
    groups: list[list[str]] = []
    for name in sorted(counts, key=lambda n: (-len(n.split()), -counts[n], n)):
        for g in groups:
            if same_speaker(g[0], name):
                g.append(name)
                break
        else:
            groups.append([name])
    out = {}
    for g in groups:
        persons = [n for n in g if _name_parts(n)] or g
        best = max(persons, key=lambda n: (counts[n], len(n.split()), len(n)))
        for n in g:
            out[n] = best
    return out


_NEGATIONS = _wordset(
    "no not never nobody none nothing neither nor nowhere cannot cant dont doesnt didnt wont "
    "isnt arent wasnt werent shouldnt wouldnt couldnt hasnt havent hadnt mustnt"
)


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
        for w in _WORD.findall(text):
            if w[0].isupper() and not opening and w != "I":
                names.add(_fold(w))
            opening = False
        for m in re.finditer(r"[.!?:]\s+(\w+)", text):
            names.discard(_fold(m.group(1)))
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
        then the most complete), ``spans`` cover every article, ``variants`` hold the other
        wordings with their own spans, and ``speaker`` is one canonical form across outlets
        (``same_speaker``: the most used form, then the longest).
    """
    order = {a.id: i for i, a in enumerate(articles)}
    ms = sorted(mentions, key=lambda m: (order.get(m.article, len(order)), m.start))
    speakers = _canonical_speakers([m.speaker for m in ms if m.speaker])
    wordings_of = [_Wording.of(m.text) for m in ms]
    norm = [w.norm for w in wordings_of]

    parent = list(range(len(ms)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups_speaker: dict[int, set[str]] = {
        i: {speakers[m.speaker]} if m.speaker and _name_parts(speakers[m.speaker]) else set()
        for i, m in enumerate(ms)
    }
    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            a, b = ms[i], ms[j]
            if a.article == b.article and a.start < b.end and b.start < a.end:
                continue
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            si, sj = groups_speaker[ri], groups_speaker[rj]
            if si and sj and not (si & sj):
                continue  # the same words from two different people
            if not _similar(wordings_of[i], wordings_of[j], bool(si & sj)):
                continue
            parent[rj] = ri
            groups_speaker[ri] = si | sj

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ms)):
        clusters[find(i)].append(i)

    quotes: list[tuple[tuple[int, int], Quote]] = []
    for members in clusters.values():
        wordings: dict[str, list[int]] = defaultdict(list)
        for i in members:
            wordings[norm[i]].append(i)

        def rank(key: str, wordings: dict[str, list[int]] = wordings) -> tuple[int, bool, int, int]:
            idx = wordings[key]
            full = any(not ms[i].partial for i in idx)
            return (len({ms[i].article for i in idx}), full, len(key), -idx[0])

        ordered = sorted(wordings, key=rank, reverse=True)

        def cited(key: str, wordings: dict[str, list[int]] = wordings) -> Cited:
            idx = wordings[key]
            text = Counter(ms[i].text for i in idx).most_common(1)[0][0]
            return Cited(text, tuple(Span(ms[i].article, ms[i].start, ms[i].end) for i in idx))

        main = cited(ordered[0])
        spans = tuple(
            Span(ms[i].article, ms[i].start, ms[i].end)
            for i in sorted(members, key=lambda i: (order.get(ms[i].article, 0), ms[i].start))
        )
        named = [speakers[s] for i in members if (s := ms[i].speaker)]
        persons = [n for n in named if _name_parts(n)]
        speaker = Counter(persons or named).most_common(1)[0][0] if named else None
        relays = [r for i in members if (r := ms[i].relayed_by)]
        relayed = (
            Counter(speakers.get(r, r) for r in relays).most_common(1)[0][0] if relays else None
        )
        quote = Quote(
            text=main.text,
            speaker=speaker,
            spans=spans,
            variants=tuple(cited(k) for k in ordered[1:]),
            relayed_by=relayed,
        )
        first = min(members)
        n_sources = len({ms[i].article for i in members})
        quotes.append(((-n_sources, first), quote))
    quotes.sort(key=lambda x: x[0])
    return tuple(q for _, q in quotes)


__all__ = [
    "SPEECH_VERBS",
    "QuoteMention",
    "QuoteScan",
    "RejectedQuote",
    "extract_quotes",
    "merge_quotes",
    "normalize_quote",
    "same_speaker",
    "scan_quotes",
]
