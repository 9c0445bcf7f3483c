"""Read the article body and its metadata out of an HTML page.

The body comes from trafilatura, whose text is kept character for character except that its
paragraph lines are separated by a blank line (``"\\n\\n"``), so that later stages can cite
character spans of it. Metadata (title, byline, date, site name, canonical URL, description)
comes from trafilatura's metadata reader, completed by a few reads of our own where it loses
precision: the publication time and offset (htmldate reduces them to a day), the headline
without the site name pages append to it, the byline without role words, and the language
the page declares.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from synoptic.extract.lang import language_code

# The extraction libraries log what they discard ("discarding data: None") at warning level;
# what becomes of a page is ours to report, once, with a code (E011, E020), so their records
# stop at their own NullHandler instead of reaching the application's handlers.
for _library in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_library).propagate = False

# Below this many characters an extraction is "suspiciously little": trafilatura's own
# MIN_EXTRACTED_SIZE, the size under which it starts rescuing a page itself.
MIN_BODY_CHARS = 250

# Meta names that state the publication time of the page (``property``, ``name`` or
# ``itemprop``), most specific first.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
)
_PUBLISHED_RANK = {name: rank for rank, name in enumerate(_PUBLISHED_META)}
# JSON-LD nodes of these types carry the article's own ``datePublished`` (not that of an
# image or a related video on the page).
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog|NewsArticle|WebPage", re.IGNORECASE)

# A separator between headline and site name: a spaced dash, bar or bullet, or the
# full-width bar and colon that CJK sites use unspaced. An ASCII colon is not one: it
# separates a kicker from the headline ("Climate change: Labor on track ...").
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•-]\s+|\s*[｜：|]\s*|\s+::\s+")
_DATE_ONLY = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A written time of day ("14:05", "14h05", "2 pm"); "10.01.2022" is a date, not a time.
_TIME = re.compile(r"\d{1,2}:\d{2}|\b\d{1,2}h\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b\.?", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(
    # "di", "de" and "da" alone are left out: they begin surnames ("Di Maio", "De Luca").
    r"^(?:(?:written|reported|reporting|text|words|story|photos?|fotos?)\s+(?:by|von|par|de|di)"
    r"|by|von|par|por|door|af|av|autor(?:in|es|a)?|author|auteur|verfasser)(?:\s*:\s*|\s+)",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class ExtractedHtml:
    """What one HTML page yields.

    Attributes:
        text: The article body; paragraphs separated by a blank line, empty when the page
            holds no article text.
        title: The headline.
        byline: Author names only, separated by ``"; "``; ``None`` when the page names none.
        published: Publication date in ISO 8601: a date, or a date and time with the offset
            the page gives.
        outlet: The site's name.
        url: The page's canonical URL (else the URL it was given).
        language: The language the page declares (``<html lang>``, ``og:locale``), as an
            ISO 639 code; a declaration, not a detection.
        description: The page's summary (``og:description`` and the like).
        method: Which step of the cascade produced ``text`` (``trafilatura``,
            ``trafilatura-recall`` or ``baseline``), for auditing; ``none`` when no step found
            text, ``unparsed`` when the parser rejected the page.
    """

    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    description: str | None = None
    method: str = "trafilatura"


# Most elements a page may have to be extracted (E022 past it).
MAX_ELEMENTS = 100_000


def extract_html(html: str, *, url: str | None = None) -> ExtractedHtml:
    """Return the article body and metadata of an HTML page.

    The body is found by a cascade; each step runs only when the previous one fell short:

    1. trafilatura with default settings (comments left out): the best precision/recall
       balance on news pages, and trafilatura already rescues many hard pages internally.
    2. trafilatura with ``favor_recall=True`` when step 1 returns nothing or less than
       ``MIN_BODY_CHARS`` characters: short results are the typical symptom of a body split
       across unusual containers, which the recall rules accept. The recall result is kept
       only when it is longer, so a genuinely short article stays as step 1 read it.
    3. ``trafilatura.baseline`` followed by our residue filter ``clean_text`` when both
       return nothing: the baseline keeps every text paragraph (or the page's whole text),
       and the line filter removes the navigation, share and advert lines that come with it.

    A first paragraph that only repeats the headline is then removed (it is the ``title``).

    Args:
        html: The page's HTML source.
        url: The URL the page was read from, if known (helps the date and URL readers).

    Returns:
        The extraction; ``text`` is empty when nothing article-like was found. Malformed HTML
        never raises: lxml repairs what it can and an unusable page yields an empty result
        (``method`` is ``"unparsed"`` when the parser rejected non-blank content outright).
    """
    if not html or not html.strip():
        return ExtractedHtml(text="", url=url, method="none")
    tree = _parse(html)
    if tree is None:
        return ExtractedHtml(text="", url=url, method="unparsed")
    # trafilatura's passes over a huge tree are not bounded by anything we can check (300,000
    # <p>s: over 150 CPU s, unfinished); a page that large is not a news article.
    if any(True for _ in itertools.islice(tree.iter(), MAX_ELEMENTS, None)):
        return ExtractedHtml(text="", url=url, method="oversized")

    doc = _trafilatura(tree, url, recall=False)
    text, method = _body_text(doc), "trafilatura"
    if len(text) < MIN_BODY_CHARS:
        recall = _trafilatura(tree, url, recall=True)
        recall_text = _body_text(recall)
        if len(recall_text) > len(text):
            doc, text, method = recall, recall_text, "trafilatura-recall"
    if not text:
        text, method = _baseline_text(tree)

    # trafilatura returns no document (so no metadata) when it finds no text: read the
    # metadata alone so that a page we rescue in step 3 still gets its title and date.
    meta: Any = doc if doc is not None else _metadata_only(tree, url)
    outlet = _clean(meta.sitename)
    title = clean_title(_clean(meta.title), tree, outlet, getattr(meta, "hostname", None))
    text = _drop_headline(text, title)
    return ExtractedHtml(
        text=text,
        title=title,
        byline=clean_byline(meta.author),
        published=_published(tree, meta.date),
        outlet=outlet,
        url=_clean(meta.url) or url,
        language=_declared_language(tree),
        description=_clean(meta.description),
        method=method if text else "none",
    )


def _parse(html: str) -> HtmlElement | None:
    """Parse once with trafilatura's loader (encoding and repair handling included)."""
    if not html or not html.strip():
        return None
    try:
        tree = trafilatura.load_html(html)
    except (TypeError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _trafilatura(tree: HtmlElement, url: str | None, *, recall: bool) -> Any:
    """Run trafilatura's extraction (it copies the tree, so ``tree`` stays intact)."""
    # include_comments=False: reader comments are not the report; leaving them out also
    # lets trafilatura prune comment sections before it looks for the body.
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_recall=recall,
    )


def _body_text(doc: Any) -> str:
    """Trafilatura's text with its paragraph lines separated by a blank line.

    Trafilatura's plain-text output has one paragraph (or list item, heading, table row) per
    line and no empty lines; doubling the line breaks is the only change we make to it.
    """
    text = (getattr(doc, "text", None) or "").strip("\n")
    return "\n\n".join(text.split("\n")) if text.strip() else ""


def _drop_headline(text: str, title: str | None) -> str:
    """Remove a first paragraph that only repeats the headline.

    Trafilatura keeps an ``<h1>`` that sits inside the article container; the headline is
    metadata (``title``), not body, and leaving it in would make two outlets carrying the
    same wire copy under different headlines look different. On the article-extraction
    benchmark this happens on 42 of 181 pages, and no gold body starts with its headline.
    """
    if not title:
        return text
    first, sep, rest = text.partition("\n\n")
    if sep and rest.strip() and " ".join(first.split()).casefold() == title.casefold():
        return rest
    return text


def _baseline_text(tree: HtmlElement) -> tuple[str, str]:
    """Step 3: the baseline's paragraphs, filtered by the text residue filter."""
    _body, raw, _length = trafilatura.baseline(tree)
    if not raw.strip():
        return "", "none"
    from synoptic.extract.text import clean_text  # the text path's filter, loaded on demand

    cleaned = clean_text(raw).text
    return (cleaned, "baseline") if cleaned.strip() else ("", "none")


def _metadata_only(tree: HtmlElement, url: str | None) -> Any:
    # a copy: trafilatura's metadata reader takes an element as is and may prune it
    return trafilatura.extract_metadata(copy(tree), default_url=url)


def clean_title(
    title: str | None, tree: HtmlElement, outlet: str | None, hostname: str | None
) -> str | None:
    """Remove the site's name (and similar tails) that pages append to their headline.

    ``<title>`` and ``og:title`` often read "Headline | Outlet" or "Headline - Section |
    site.com". Two readings, most reliable first:

    1. the page's visible ``<h1>`` when the title is that ``<h1>`` followed by a separator
       (the visible headline is what the outlet chose to print);
    2. otherwise trailing separator-delimited segments are dropped while they name the
       outlet or the host, or are a date.

    Args:
        title: The title as read from the page's metadata.
        tree: The parsed page.
        outlet: The site name read from the page.
        hostname: The page's host name, if known.

    Returns:
        The headline; the title unchanged when no tail is recognised.
    """
    if not title:
        return None
    for h1 in tree.iterfind(".//h1"):
        headline = " ".join(h1.text_content().split())
        if len(headline) >= 8 and title.startswith(headline):
            tail = title[len(headline) :]
            if _TITLE_SEPARATOR.match(tail):
                return headline
    site_keys = {_key(outlet), _key(hostname), _key((hostname or "").removeprefix("www."))}
    site_keys.discard("")
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last = separators[-1]
        head, tail = title[: last.start()].rstrip(), title[last.end() :].strip()
        if not head or not (_names_site(tail, site_keys) or _DATE_ONLY.match(tail)):
            return title
        title = head


def _names_site(segment: str, site_keys: set[str]) -> bool:
    """Whether a title segment is the site's name or host ("Golem.de", "WELT", "ORF.at")."""
    key = _key(segment)
    if not key:
        return False
    return any(key == k or (len(key) >= 3 and (key in k or k in key)) for k in site_keys)


def _key(value: str | None) -> str:
    """A comparison key for site names: lower-case letters and digits only."""
    return "".join(ch for ch in (value or "").casefold() if ch.isalnum())


def _clean(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes ``None``."""
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def clean_byline(author: str | None) -> str | None:
    """Reduce a byline to author names, separated by ``"; "``.

    Trafilatura already splits and normalises the names; this drops role prefixes it leaves
    ("Autor", "Text von"), entries with no letter (dates, counts) or with an address in them,
    and repeats.

    Args:
        author: The author string as read from the page (names separated by ``;``).

    Returns:
        The names, or ``None`` when none is left.
    """
    if not author:
        return None
    names: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[;|]", author):
        name = " ".join(part.split())
        prev = None
        while name and name != prev:
            prev = name
            name = _BYLINE_PREFIX.sub("", name).strip(" ,:-–—")
        if not name or not _HAS_LETTER.search(name) or "@" in name or "://" in name:
            continue
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return "; ".join(names) or None


def to_iso8601(value: str | None) -> str | None:
    """Normalise a date or date-time string to ISO 8601 at the precision it carries.

    ISO-like strings are read exactly (``datetime.fromisoformat``); anything else goes through
    dateparser (loaded only then), which must find a day, a month and a year.

    Args:
        value: A date as written anywhere ("2022-01-10T14:05:00Z", "10 January 2022 14:05
            CET", "Jan. 10, 2022").

    Returns:
        ``YYYY-MM`` for an ISO month as written, ``YYYY-MM-DD`` when no time is given,
        ``YYYY-MM-DDTHH:MM:SS`` (plus ``+HH:MM`` when the offset is known) when it is;
        ``None`` when the value cannot be read or is not a plausible publication date.
    """
    if not value or not isinstance(value, str):
        return None
    raw = " ".join(value.split())
    if not raw:
        return None
    month = _ISO_MONTH.match(raw)
    if month:  # an ISO month ("2022-01") is a precision of its own, kept as written
        return raw if 1900 <= int(month[1]) <= 2100 and 1 <= int(month[2]) <= 12 else None
    parsed: datetime | date | None = None
    try:
        parsed = datetime.fromisoformat(raw)
        if len(raw) <= 10:  # "2022-01-10" or "20220110": a day, not midnight
            parsed = parsed.date()
    except ValueError:
        parsed = _dateparser(raw)
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    if isinstance(parsed, datetime):
        return parsed.isoformat(timespec="seconds")
    return parsed.isoformat()


def _dateparser(raw: str) -> datetime | date | None:
    import dateparser  # slow to import; most dates are ISO already

    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month", "year"]}
    if _DOTTED_DATE.search(raw):
        settings["DATE_ORDER"] = "DMY"  # dotted numeric dates are day-first wherever used
    try:
        parsed = dateparser.parse(raw, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; unreadable is None
        return None
    if parsed is None:
        return None
    # dateparser fills a missing time with midnight: keep a bare day when none was written.
    return parsed if _TIME.search(raw) else parsed.date()


def _published(tree: HtmlElement, trafilatura_date: str | None) -> str | None:
    """The publication date, with its time and offset when the page states them.

    The page's own publication meta data (Open Graph ``article:published_time``, schema.org
    JSON-LD or microdata ``datePublished``) comes first: it is explicit and carries the time
    and offset. htmldate's day (inside trafilatura) is the fallback: it weighs many weaker
    clues (URL, visible text) and, on the fundus sample (``bench/extract_html.py``), every
    page where the two disagreed had the stated date right.
    """
    stated = next(_stated_published(tree), None)
    return stated or to_iso8601(trafilatura_date)


def _stated_published(tree: HtmlElement) -> Iterator[str]:
    """Yield publication timestamps the page states, most trustworthy first."""
    metas: list[tuple[int, str]] = []
    for elem in tree.iterfind(".//meta"):
        for attr in ("property", "name", "itemprop"):
            key = (elem.get(attr) or "").strip().lower()
            if key in _PUBLISHED_RANK:
                if iso := to_iso8601(elem.get("content")):
                    metas.append((_PUBLISHED_RANK[key], iso))
                break
    for _rank, iso in sorted(metas, key=lambda m: m[0]):
        yield iso
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        if not script.text or "datePublished" not in script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        for value in _json_ld_published(data):
            if iso := to_iso8601(value):
                yield iso
    for elem in tree.xpath('.//*[@itemprop="datePublished"]'):
        if iso := to_iso8601(elem.get("datetime") or elem.get("content")):
            yield iso


def _json_ld_published(node: Any, depth: int = 0) -> Iterator[str]:
    """``datePublished`` values of article-like JSON-LD nodes (lists and ``@graph`` walked)."""
    if depth > 4:
        return
    if isinstance(node, list):
        for item in node:
            yield from _json_ld_published(item, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        value = node.get("datePublished")
        if isinstance(value, str) and _ARTICLE_TYPES.search(kinds):
            yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                yield from _json_ld_published(node[key], depth + 1)


def _declared_language(tree: HtmlElement) -> str | None:
    """The page's declared language as a lower-case ISO 639 code, if it declares one."""
    root = tree.getroottree().getroot()
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for elem in tree.iterfind(".//meta"):
        key = (elem.get("property") or elem.get("http-equiv") or elem.get("name") or "").lower()
        if key in ("og:locale", "content-language", "language", "dc.language"):
            candidates.append(elem.get("content"))
    for value in candidates:
        if code := language_code(value):
            return code
    return None
