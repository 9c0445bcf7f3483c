"""Stage 1 of quote finding: pair quote marks into quote spans, from the characters alone.

Works paragraph by paragraph (one non-blank line each): decides for each mark whether it opens,
closes or is an apostrophe, pairs them with nesting, repairs a lost opening mark or a quote running
over soft line breaks, and links the pieces of a quote that runs over paragraphs. See the policy in
``synoptic.analyze.quotes``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from synoptic.analyze.quotes.vocab import ELISIONS
from synoptic.deadline import checked

_DOUBLE_GLYPHS = frozenset('"“”„«»')
_SINGLE_GLYPHS = frozenset("'‘’‚‹›")
_OPEN_GLYPHS = frozenset("“„«‘‚‹")
_MARKS = _DOUBLE_GLYPHS | _SINGLE_GLYPHS
_OPENING_CONTEXT = frozenset("([{—–-/")
_CLOSING_CONTEXT = frozenset(".,;:!?)]}…—–-/")
TERMINAL = frozenset(".!?…")
_DECADE = re.compile(r"\d\d(?:s\b|\b)")
_SPACED_CLITIC = re.compile(r" (?:s|t|ll|re|ve|m|d)\b", re.IGNORECASE)
# Old wire text and many corpora write quotes in ASCII: ``like this'', `nested'. ``''`` also
# opens quotes in some of them (''The fall was unsurvivable,").
_WIRE_MARKS = re.compile(r"``|''|`")


@dataclass(slots=True)
class Raw:
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


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every non-blank line: one paragraph each."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def wire_view(text: str) -> tuple[str, frozenset[int]]:
    """Return ``text`` with the ASCII wire marks typeset as one-character marks, same length.

    ````x`` becomes a space and ``“``; ``''`` a straight ``"`` (its role comes from the
    context, as it opens quotes in some corpora) with the space on the side that does not touch
    the quoted text; a lone backtick becomes ``‘``. The returned set holds the padding
    positions, so that spans can be widened back over the whole two-character mark.
    """
    if "`" not in text and "''" not in text:
        return text, frozenset()
    chars = list(text)
    pads: set[int] = set()
    for m in _WIRE_MARKS.finditer(text):
        i, mark = m.start(), m.group(0)
        if mark == "`":
            chars[i] = "‘"
        elif mark == "``":
            chars[i], chars[i + 1] = " ", "“"
            pads.add(i)
        else:
            n = text[i + 2] if i + 2 < len(text) else " "
            if n.isspace() or n in _CLOSING_CONTEXT or n in _MARKS:
                chars[i], chars[i + 1] = '"', " "
                pads.add(i + 1)
            else:
                chars[i], chars[i + 1] = " ", '"'
                pads.add(i)
    return "".join(chars), frozenset(pads)


def _widen(text: str, raws: list[Raw], pads: frozenset[int]) -> None:
    """Stretch each span over the padding of a two-character wire mark at either end."""
    if not pads:
        return
    for r in raws:
        if not r.repaired and r.open_pos - 1 in pads and text[r.open_pos] in "`'":
            r.open_pos -= 1
        if r.close_pos is not None and r.outer_end in pads and text[r.close_pos] == "'":
            r.outer_end += 1


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
                for e in ELISIONS
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


@dataclass(slots=True)
class _Pairing:
    """The marks of one paragraph while they are paired."""

    text: str
    pi: int  # paragraph index
    lo: int
    hi: int
    continues: bool  # the paragraph before left a double quote open (or unmarked lines since)
    roles: dict[int, str] = field(default_factory=dict)
    stack: list[tuple[str, int]] = field(default_factory=list)  # (family, position) of opens
    raws: list[Raw] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)  # closing doubles with no opening one
    seen_double: bool = False
    straight_after: int = 0  # straight double marks after the one being paired


def find_raw_quotes(text: str) -> tuple[list[Raw], list[tuple[int, int, str]]]:
    """Pair quote marks paragraph by paragraph.

    Returns the quote spans (with nesting and continuation links set) and the marks that were
    dropped, each as ``(start, end, reason)``.
    """
    view, pads = wire_view(text)
    paras = paragraphs(text)
    raws: list[Raw] = []
    dropped: list[tuple[int, int, str]] = []
    open_at_end = False  # the paragraph before left a double quote open
    middles: list[int] = []  # unmarked lines since then, quoted if a closing mark turns up
    for pi, (lo, hi) in checked(enumerate(paras), "quotes"):
        if open_at_end and not any(ch in _DOUBLE_GLYPHS for ch in view[lo:hi]):
            if len(middles) < 2:
                middles.append(pi)
                continue
            open_at_end, middles = False, []
        p = _Pairing(view, pi, lo, hi, continues=open_at_end or bool(middles))
        p.straight_after = view.count('"', lo, hi)
        for i in range(lo, hi):
            if view[i] in _MARKS:
                if view[i] == '"':
                    p.straight_after -= 1
                _pair_mark(p, i)
        _close_paragraph(p, paras)
        _repair_orphans(p, paras, middles, raws, dropped)
        open_at_end = any(r.family == "double" and r.close_pos is None for r in p.raws)
        middles = []
        raws.extend(p.raws)
    kept = _trimmed(text, raws, dropped)
    _widen(text, kept, pads)
    _nest(kept)
    _link_pieces(text, paras, kept)
    return kept, dropped


def _pop(p: _Pairing, family: str) -> int | None:
    """Pop open marks down to the last one of ``family``; return its position."""
    while p.stack:
        f, pos = p.stack.pop()
        if f == family:
            return pos
    return None


def _pair_mark(p: _Pairing, i: int) -> None:
    role = _classify(p.text, i, p.lo, p.hi, p.roles)
    if _family(p.text[i]) == "double":
        _pair_double(p, i, role)
    else:
        _pair_single(p, i, role)


def _pair_double(p: _Pairing, i: int, role: str) -> None:
    ch = p.text[i]
    has_double = any(f == "double" for f, _ in p.stack)
    if p.continues and not p.seen_double and not has_double:
        # The first double mark of a line after a line left open: it closes the quote begun
        # there if its glyph or spacing says so, or if it is a straight mark that leaves an even
        # number of straight marks after it.
        straight_odd = ch == '"' and (p.straight_after + 1) % 2 == 1
        curly_closing = ch not in _OPEN_GLYPHS and ch != '"' and role != "open"
        if straight_odd or curly_closing or role == "close":
            role = "forced close"
    p.seen_double = True
    # `scorer, "Hansbrough said`: a straight mark after a space may close the open quote (a
    # stray space) or open a new one (the last lacked its close). An even number of straight
    # marks left in the paragraph means it closes.
    if role == "open" and has_double and ch == '"' and not p.straight_after % 2:
        role = "close"
    if role == "either":
        role = "close" if has_double else "open"
    elif role == "close" and not has_double and ch in _OPEN_GLYPHS:
        role = "open"  # `said:“ We ...`: an opening glyph in odd spacing
    elif role == "forced close":
        role = "close"
    if role == "open":
        if has_double:
            # A new quote opens while one is still open: the earlier one lacks its closing
            # mark; it ends here.
            pos = _pop(p, "double")
            if pos is not None:
                p.raws.append(Raw(pos, None, i, "double", p.pi))
        p.stack.append(("double", i))
        p.roles[i] = "open"
        return
    if has_double:
        pos = _pop(p, "double")
        if pos is not None:
            p.raws.append(Raw(pos, i, i + 1, "double", p.pi))
    else:
        p.orphans.append(i)
    p.roles[i] = "close"


def _pair_single(p: _Pairing, i: int, role: str) -> None:
    if role == "apos":
        return
    pending = bool(p.stack) and p.stack[-1][0] == "single"  # a single open above any double
    if role in ("close", "close?") or (role == "either" and pending):
        if pending:
            pos = _pop(p, "single")
            if pos is not None:
                p.raws.append(Raw(pos, i, i + 1, "single", p.pi))
            p.roles[i] = "close"
        return
    if role in ("open", "either"):
        p.stack.append(("single", i))
        p.roles[i] = "open"


def _close_paragraph(p: _Pairing, paras: list[tuple[int, int]]) -> None:
    """Paragraph end: an open double runs to the end; open singles were apostrophes, except a
    single opening the paragraph (British style) that the next paragraph continues."""
    for f, pos in p.stack:
        if f == "double":
            p.raws.append(Raw(pos, None, p.hi, "double", p.pi))
        elif p.text[p.lo : pos].strip() == "" and p.pi + 1 < len(paras):
            nlo = paras[p.pi + 1][0]
            if p.text[nlo] in "‘'" and not any(r.family == "double" for r in p.raws):
                p.raws.append(Raw(pos, None, p.hi, "single", p.pi))


def _repair_orphans(
    p: _Pairing,
    paras: list[tuple[int, int]],
    middles: list[int],
    raws: list[Raw],
    dropped: list[tuple[int, int, str]],
) -> None:
    """A closing double with no opening one in its paragraph: the quote began at the
    paragraph's start, either because a scraper lost the opening mark (the mark ends the
    paragraph) or because the quote runs on from the line before (a soft line break)."""
    # The first opening of a double quote in the paragraph, kept up to date as repairs add
    # quotes (one scan of the paragraph's quotes, not one per orphan).
    first_double = min((r.open_pos for r in p.raws if r.family == "double"), default=p.hi + 1)
    # Whether any letter or digit follows each orphan: orphans are in order, so from the last.
    words_after: dict[int, bool] = {}
    seen, end = False, p.hi
    for c in reversed(p.orphans):
        seen = seen or any(ch.isalnum() for ch in p.text[c + 1 : end])
        words_after[c] = seen
        end = c + 1
    for c in p.orphans:
        runs_on = p.continues and c == p.orphans[0]
        if first_double >= c and (runs_on or not words_after[c]) and c - p.lo > 1:
            p.raws.append(Raw(p.lo, c, c + 1, "double", p.pi, repaired=True))
            first_double = min(first_double, p.lo)
            if runs_on:  # the unmarked lines in between are quoted whole
                for mi in middles:
                    mlo, mhi = paras[mi]
                    raws.append(Raw(mlo, None, mhi, "double", mi, repaired=True))
        else:
            dropped.append((c, c + 1, "closing quote mark without an opening one"))


def _trimmed(text: str, raws: list[Raw], dropped: list[tuple[int, int, str]]) -> list[Raw]:
    """Set each span's inner text, trimmed of spaces and of the attribution comma; drop (into
    ``dropped``) the spans with no words; return the rest in text order."""
    kept: list[Raw] = []
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
    return kept


def _nest(kept: list[Raw]) -> None:
    """Nesting by containment: a quote's parent is the nearest quote before it (they are in
    text order, so it opens no later) that ends no earlier.

    The candidates are kept on a stack of falling ends, so that each quote is pushed and
    popped once (a scan back over every earlier quote was quadratic in quotes per article).
    """
    stack: list[int] = []
    for i, r in enumerate(kept):
        while stack and kept[stack[-1]].outer_end < r.outer_end:
            stack.pop()
        if stack:
            r.parent = stack[-1]
            r.level = kept[stack[-1]].level + 1
        stack.append(i)


def _link_pieces(text: str, paras: list[tuple[int, int]], kept: list[Raw]) -> None:
    """Continuation: a paragraph left open, followed by a paragraph opening with a quote mark."""
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
