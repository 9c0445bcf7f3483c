"""Clean plain text scraped from a news page: drop the page residue, read the metadata.

A scraper that keeps "all the text" of a page leaves page chrome around the article (share
prompts, "Advertisement", photo credits, comment forms, menus) and puts the title, byline and
dateline inline with the body. ``clean_text`` is a classifier over lines; it runs as a cascade,
each step with its reason:

1. **Normalise** whitespace inside each line (runs of spaces, tabs and no-break spaces become
   one space; ends are stripped). No other character changes, because later stages cite
   character spans into the text and quotes must stay verbatim.
2. **Residue patterns** (``residue_reason``) drop lines that are page chrome by their *whole*
   shape, each pattern with its reason. A pattern matches the entire line (or, for prompts
   in the outlet's voice such as "follow our ... channel", a phrase in a short line), so a
   sentence that merely mentions "advertisement" or "read more" is never dropped.
3. **Re-join** lines a scraper broke mid-sentence (a line without terminal punctuation followed
   by a line starting in lower case), so later steps judge whole paragraphs.
4. **Byline and dateline readers** (``parse_byline``, ``parse_dateline``) take those lines out
   of the body into fields.
5. **Title**: the supplied hint, else the first substantive line when it looks like a headline
   and the text begins right after it. Later copies of the title, and the second copy of a
   paragraph printed twice, are dropped.
6. **Context classifier** (after jusText, Pomikálek 2011). Each remaining block is rated by
   length, stopword density and sentence punctuation (plain text has no link density, and
   sentence punctuation is its best stand-in: menus, tag lists and teaser rails lack it);
   runs of three or more short unpunctuated lines are navigation; prose paragraphs side by
   side support each other; short and doubtful blocks then take the class of their
   neighbours, so a subheading between paragraphs stays while a menu goes. Finally the
   densest stretch of kept text is the article (after Finn et al.'s Body Text Extraction),
   and kept islands beyond long runs of navigation are dropped.
7. **Fallback**: a short note may have no paragraph long enough to anchor the context, so when
   the classifier keeps nothing, every sentence-like block is kept, and failing that every
   block that is not residue.
8. **Page title**: on a full page the headline sits among menus; the headline-like line just
   before the kept text is taken when no title was found in step 5.
9. **Listings**: when three or more groups of item headers (comment forms, "jdoe says:",
   bylines, timestamps) follow the article's body, reader comments or story teasers have
   begun, and everything from the first of them is dropped.

Every dropped line is recorded with its reason in ``CleanedText.dropped``.

The steps live in modules by job: ``lines`` (line features), ``residue`` (step 2),
``byline``, ``dateline`` and ``metaline`` (step 4), ``blocks`` (steps 6-7); this module runs
the cascade, finds titles (steps 5 and 8) and cuts listings (step 9).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synoptic.deadline import checked
from synoptic.extract.blocks import (
    LENGTH_LOW,
    Unit,
    choose_stoplist,
    classify_context,
    context_free,
    headline_like,
    main_span,
    mark_runs,
    promote_prose,
    sentence_like,
)
from synoptic.extract.byline import AGENCY_LEAD, agency_of, join_names, parse_byline
from synoptic.extract.dateline import (
    DATE_CORE,
    Dateline,
    is_timestamp,
    parse_dateline,
    pick_published,
)
from synoptic.extract.lines import is_terminal, normalise, starts_lower, words
from synoptic.extract.metaline import read_meta_line
from synoptic.extract.residue import residue_reason

__all__ = [
    "CleanedText",
    "Dateline",
    "DroppedLine",
    "clean_text",
    "parse_byline",
    "parse_dateline",
    "residue_reason",
]

_MIN_PAGE_TITLE_WORDS = 4  # a headline found among menus must be longer than a menu label
_TITLE_TO_TEXT = 3  # lines at most between a leading headline and the first prose line


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line taken out of the body, and why.

    Attributes:
        line: The line as it was in the input (without its line break).
        reason: A short machine-readable reason, such as ``"advertisement"``,
            ``"share-prompt"``, ``"photo-credit"``, ``"byline"``, ``"dateline"``, ``"title"``,
            ``"repeated-headline"``, ``"copyright"``, ``"read-more"``, ``"comment-form"``,
            ``"app-prompt"``, ``"font-widget"`` or ``"navigation"``.
    """

    line: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The article body and the metadata read out of it.

    Attributes:
        text: The cleaned body, paragraphs separated by ``"\\n\\n"``; title, byline and
            dateline lines are not part of it.
        title: The headline (the hint given to ``clean_text`` if any).
        byline: The author names, e.g. ``"Matthew Lee"`` or ``"Ann Lee and Bo Chan"``.
        agency: The news agency or outlet named in the byline, e.g. ``"Associated Press"``.
        published: ISO 8601 at the precision known: ``"2022-01-11T12:23:00+05:30"``,
            ``"2022-01-10T17:00:00"`` (time without a zone), ``"2022-01-11"`` or ``"2022-01"``.
        dropped: Every line taken out of the body, in input order, with its reason.
    """

    text: str
    title: str | None
    byline: str | None
    agency: str | None
    published: str | None
    dropped: tuple[DroppedLine, ...]


# --------------------------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------------------------


def _title_key(text: str) -> str:
    return " ".join(words(text.casefold()))


def _strip_site_suffix(title: str) -> str:
    """``"Talks end - The Outlet"`` -> ``"Talks end"`` (page titles often carry the site)."""
    parts = re.split(r"\s+[|–—-]\s+", title)
    return max(parts, key=len) if len(parts) > 1 else title


def _find_title(candidates: Sequence[Unit], title: str | None) -> tuple[str | None, set[str]]:
    """Step 5: mark the title's unit; return the title and the keys its copies are known by.

    A supplied title wins; otherwise the first substantive line, if it looks like a headline
    and the text begins soon after it (a page's first line followed by its menus is the site's
    name, not the headline).
    """
    title_keys: set[str] = set()
    if title is not None and title.strip():
        title = normalise(title)
        title_keys = {_title_key(title), _title_key(_strip_site_suffix(title))}
        if candidates and _title_key(candidates[0].text) in title_keys:
            candidates[0].reason = "title"
    elif candidates and headline_like(candidates[0]) and len(candidates[0].raw) == 1:
        prose_at = next(
            (i for i, u in enumerate(candidates[1:], 1) if u.cls in ("good", "neargood")), None
        )
        if len(candidates) == 1 or (prose_at is not None and prose_at <= _TITLE_TO_TEXT):
            candidates[0].reason = "title"
            title = candidates[0].text
            title_keys = {_title_key(title)}
    return title, title_keys


def _drop_repeats(candidates: Sequence[Unit], title_keys: set[str]) -> None:
    """Mark later copies of the title, and the second copy of a paragraph printed twice.

    A paragraph that occurs exactly twice is a pull quote, or a standfirst shown again above
    the body. One seen three times or more is part of the text's structure (the same question
    put in a series of interviews), and stays.
    """
    seen: set[str] = set()
    keys = [" ".join(u.words).casefold() for u in candidates]
    occurrences = Counter(keys)
    for u, key in zip(candidates, keys, strict=True):
        if u.reason is not None:
            continue
        if key in title_keys:
            u.reason = "repeated-headline"
        elif len(u.words) >= 12 and key in seen and occurrences[key] == 2:
            u.reason = "duplicate"
        seen.add(key)


# --------------------------------------------------------------------------------------------
# clean_text
# --------------------------------------------------------------------------------------------


_WRAP_FULL = 0.6  # a hard-wrapped line this share of the width long was wrapped, not ended


def _wrap_width(texts: Sequence[str]) -> int | None:
    """The column at which the text was hard-wrapped (mail, press releases), or ``None``.

    Wrapped text has many lines of nearly the same length, none much longer, and many of
    them end mid-sentence. Scraped pages and one-line-per-paragraph text have neither.
    """
    if len(texts) < 8:
        return None
    lengths = sorted(len(t) for t in texts)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 100 or lengths[-1] > width * 1.15:
        return None
    full = [t for t in texts if len(t) >= _WRAP_FULL * width]
    if len(full) < 0.6 * len(texts):
        return None
    open_ended = sum(not is_terminal(t) for t in full)
    return width if open_ended >= 0.4 * len(full) else None


def _separator(a: str) -> str:
    """What joins a line to ``a`` (the text before it; its last two characters suffice)."""
    # A word hyphenated across the break keeps its hyphen and loses only the line break.
    return "" if a.endswith("-") and len(a) > 1 and a[-2].isalpha() else " "


_LISTING_GROUPS = 3  # item headers after the article that show a listing has begun
_LISTING_AFTER_WORDS = 40  # body words before a header can open a listing


def _cut_listing(units: Sequence[Unit], markers: Mapping[int, str]) -> None:
    """Drop what follows the article when it is a listing: reader comments or story teasers.

    Comment bodies and teaser blurbs read like article text, but each item comes with a
    header: a comment form or "jdoe says:", a byline, a timestamp. The article has its
    headers on top; when at least three groups of them follow the start of its body, with
    kept text between the groups, the article ended at the first of them.

    Args:
        units: All units in order.
        markers: Input line index -> reason, for item headers (comment-form, byline and
            timestamp lines).
    """
    kept = [(u.lines[0], len(u.words)) for u in units if u.reason is None]
    kept_starts = [start for start, _ in kept]
    # The article's own headers (byline, dateline under the headline) come before its body:
    # only headers after some body text can open a listing.
    body_from = None
    words = 0
    for start, n in kept:
        words += n
        if words >= _LISTING_AFTER_WORDS:
            body_from = start
            break
    if body_from is None:
        return
    after = sorted(m for m in markers if m > body_from)
    groups = 0
    last = -1
    for m in after:
        # A new group begins when kept text lies between this header and the previous one.
        if last < 0 or bisect.bisect_right(kept_starts, last) < bisect.bisect_left(kept_starts, m):
            groups += 1
        last = m
    if groups < _LISTING_GROUPS:
        return
    reason = "comments" if markers[after[0]] == "comment-form" else "listing"
    for u in units:
        if u.lines[0] > after[0] and u.reason is None:
            u.reason = reason


def clean_text(raw: str, *, title: str | None = None) -> CleanedText:
    """Clean scraped plain text into an article body and its metadata.

    See the module docstring for the cascade. Whitespace is normalised; no other character of
    the kept text changes.

    Args:
        raw: The scraped text, one block per line (blank lines between paragraphs optional).
        title: The headline supplied with the input, if any. A first line equal to it is
            removed from the body, and no other title is looked for.

    Returns:
        The cleaned body, title, byline, agency, publication date and the dropped lines.
    """
    return _analyse(raw, title)[1]


def _analyse(raw: str, title: str | None) -> tuple[list[Unit], CleanedText]:
    """Run the cascade; return the units with their classes (for inspection) and the result."""
    lines = raw.splitlines()
    dropped_at, singles = _drop_residue(lines)
    units = _rejoin(lines, singles)
    meta = _read_meta(units)

    candidates = [u for u in units if u.reason is None]
    stop = choose_stoplist(candidates)
    counts = Counter(u.text.casefold() for u in candidates)
    for u in candidates:
        repeated = counts[u.text.casefold()] > 1 and len(u.text) < LENGTH_LOW
        u.cls = context_free(u, stop, repeated)

    title, title_keys = _find_title(candidates, title)
    _drop_repeats(candidates, title_keys)
    kept = _keep(candidates, stop)
    # Step 8: a page whose headline sat among its menus.
    if title is None and kept:
        title = _page_title(units, kept)
    # Step 9: reader comments or story teasers after the article.
    _cut_listing(units, _item_headers(units, dropped_at, meta.signed))

    agency = meta.agency
    if agency is None and kept:
        lead = AGENCY_LEAD.match(kept[0].text)
        if lead:
            agency = agency_of(lead.group("agency"))

    for u in units:
        if u.reason is not None:
            for idx in u.lines:
                dropped_at[idx] = u.reason
    result = CleanedText(
        text="\n\n".join(u.text for u in units if u.reason is None),
        title=title,
        byline=meta.byline,
        agency=agency,
        published=pick_published(meta.dates),
        dropped=tuple(DroppedLine(lines[i], dropped_at[i]) for i in sorted(dropped_at)),
    )
    return units, result


def _drop_residue(lines: Sequence[str]) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """Steps 1-2: normalise, and drop lines that are residue by their shape.

    Returns:
        The dropped lines (input line index -> reason) and the others (index, normalised).
    """
    dropped_at: dict[int, str] = {}
    singles: list[tuple[int, str]] = []
    for idx, line in enumerate(checked(lines, "cleaning")):
        text = normalise(line)
        if not text:
            continue
        reason = residue_reason(text)
        if reason:
            dropped_at[idx] = reason
        else:
            singles.append((idx, text))
    return dropped_at, singles


def _rejoin(lines: Sequence[str], singles: Sequence[tuple[int, str]]) -> list[Unit]:
    """Step 3: re-join lines broken mid-sentence, and unwrap hard-wrapped text.

    A break is re-joined also across residue lines in between, as when an advertisement was
    inserted into a paragraph.
    """
    width = _wrap_width([text for _, text in singles])
    units: list[Unit] = []
    # Each unit's text in pieces, joined once at the end: adding each line to a growing string
    # was quadratic (a million one-character lines: minutes). What the loop reads of the last
    # unit's text is its end (``is_terminal`` the last 8 characters, ``_separator`` 2).
    pieces: list[list[str]] = []
    tail = ""
    last = ""  # the previous kept line
    for idx, text in checked(singles, "cleaning"):
        broken = units and not is_terminal(tail) and starts_lower(text)
        # In hard-wrapped text a line that reached the width continues on the next line
        # of its block (no blank line between); a shorter one ended its paragraph.
        wrapped = (
            width is not None
            and units
            and units[-1].lines[-1] == idx - 1
            and len(last) >= _WRAP_FULL * width
        )
        last = text
        if broken or wrapped:
            sep = _separator(tail)
            pieces[-1] += (sep, text)
            tail = (tail + sep + text)[-8:]
            units[-1].raw.append(lines[idx])
            units[-1].lines.append(idx)
            continue
        units.append(Unit([lines[idx]], text, lines=[idx]))
        pieces.append([text])
        tail = text[-8:]
    for u, parts in zip(units, pieces, strict=True):
        u.text = "".join(parts)
        u.words = words(u.text)
    return units


@dataclass(slots=True)
class _Meta:
    """What the byline and dateline lines of a text say."""

    byline: str | None = None
    agency: str | None = None
    dates: list[Dateline] = field(default_factory=list)
    signed: set[int] = field(default_factory=set)  # lines of bylines that name people


def _read_meta(units: Sequence[Unit]) -> _Meta:
    """Step 4: take byline and dateline lines out of the body (marking their units)."""
    meta = _Meta()
    prose_words = 0  # words of sentence lines so far: has the body begun?
    for u in units:
        if len(u.raw) > 1 or len(u.text) > 200:
            prose_words += len(u.words) if is_terminal(u.text) else 0
            continue
        found = read_meta_line(u.text)
        if found is None:
            prose_words += len(u.words) if len(u.words) >= 8 and is_terminal(u.text) else 0
            continue
        found_byline, found_dates = found
        if (
            found_byline is None
            and prose_words >= _LISTING_AFTER_WORDS
            and all(d.kind == "date" for d in found_dates)
            and not is_timestamp(u.text)
        ):
            continue  # a bare date inside the body is a subheading ("10 January 2022")
        if found_byline is not None:
            if found_byline.names:
                meta.signed.add(u.lines[0])
            if meta.byline is None and found_byline.names:
                meta.byline = join_names(found_byline.names)
            meta.agency = meta.agency or found_byline.agency
        meta.dates.extend(found_dates)
        u.reason = "byline" if found_byline is not None else "dateline"
    return meta


def _keep(candidates: Sequence[Unit], stop: frozenset[str]) -> list[Unit]:
    """Steps 6-7: the context classifier over what is left, with its fallbacks.

    A text with no paragraph long enough to anchor the context keeps its sentence-like
    blocks, and failing that every block. The others are marked as navigation.
    """
    body = [u for u in candidates if u.reason is None]
    mark_runs(body)
    promote_prose(body)
    classify_context(body)
    main_span(body)
    kept = [u for u in body if u.final == "good"]
    if not kept:
        kept = [u for u in body if sentence_like(u, stop) or u.cls in ("good", "neargood")]
    if not kept:
        kept = list(body)
    kept_ids = {id(u) for u in kept}
    for u in body:
        if id(u) not in kept_ids:
            u.reason = "navigation"
    return kept


def _item_headers(
    units: Sequence[Unit], dropped_at: Mapping[int, str], signed: set[int]
) -> dict[int, str]:
    """The lines that head an item of a listing: comment forms, signed bylines, timestamps."""
    markers = {i: r for i, r in dropped_at.items() if r == "comment-form"}
    for u in units:
        # An agency's name alone is as often a photo credit inside the article as a header.
        if u.lines[0] in signed:
            markers[u.lines[0]] = "byline"
        elif u.reason == "dateline" and is_timestamp(u.text):
            markers[u.lines[0]] = "dateline"
    return markers


def _page_title(units: Sequence[Unit], kept: Sequence[Unit]) -> str | None:
    """Find the headline of a full page: mark its unit as the title and return its text.

    The first kept unit if it looks like a headline and leads into longer text; else the
    nearest headline-like line before it, past metadata and at most a few short labels (an
    author's name, a section). A menu label is shorter than a headline, and a headline holds
    no date.
    """
    head = kept[0]
    if (
        headline_like(head)
        and len(head.words) >= _MIN_PAGE_TITLE_WORDS
        and len(kept) > 1
        and len(kept[1].words) > len(head.words)
    ):
        head.reason = "title"
        return head.text
    first = next(i for i, u in enumerate(units) if u is head)
    labels = 0
    for u in reversed(units[max(0, first - 8) : first]):
        if u.reason in ("byline", "dateline"):
            continue
        if u.reason != "navigation":
            return None
        if (
            headline_like(u)
            and len(u.words) >= _MIN_PAGE_TITLE_WORDS
            and not DATE_CORE.search(u.text)
        ):
            u.reason = "title"
            return u.text
        labels += 1
        if labels > 2 or len(u.words) > 3:
            return None
    return None
