"""Dispatch a raw document to the HTML or text extractor and build the Article."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synoptic.deadline import DeadlineExceeded
from synoptic.errors import InputError
from synoptic.extract.html import MAX_ELEMENTS, extract_html, to_iso8601
from synoptic.extract.lang import detect_language, language_code
from synoptic.model import Article, RawDocument

# Metadata fields ``RawDocument.meta`` may supply; they win over what is read from the content.
SUPPLIED_FIELDS = ("title", "url", "outlet", "published", "byline", "language")
# Characters of a title kept; a longer one is cut at a space before it, ``…`` added, and the
# article's ``meta["title_chars"]`` notes its length (headlines run to a hundred or so).
MAX_TITLE_CHARS = 300

_MAX_REASON = 160


def extract(doc: RawDocument) -> Article:
    """Return the cleaned article for ``doc``.

    HTML goes through ``extract_html`` (trafilatura), plain text through the residue filter
    ``clean_text`` (with the supplied title as a hint for spotting a repeated headline), a
    TREC/DUC ``<DOC>`` element through ``parse_trec_doc`` (``meta`` then also holds its
    ``docno``, ``dateline``, ``doctype`` and ``slug``).
    Metadata supplied with the input (``doc.meta``: title, url, outlet, published, byline,
    language) wins over metadata read from the content; an empty or unreadable supplied value
    counts as not supplied. ``published`` is normalised to ISO 8601. The language is detected
    from the text when not supplied (for HTML, the page's declared language is the last
    resort). Other ``doc.meta`` fields are kept in ``Article.meta``, as are the agency a text
    names (``meta["agency"]``; an agency is not the outlet), the lines the text cleaner dropped
    (``meta["dropped"]``, ``{"line", "reason"}`` each, to audit it) and, for HTML, the page's
    description and the extraction step used (``meta["extraction"]``).

    Raises:
        InputError: ``E011`` when no article text is left after cleaning, ``E020`` for HTML
            the parser rejects, ``E014`` for a ``<DOC>`` element without ``TEXT``, ``E013`` when
            an extractor fails unexpectedly (one line with the exception's type and message).
    """
    try:
        if doc.kind == "html":
            text, found, extra = _from_html(doc)
        elif doc.kind == "sgml":
            text, found, extra = _from_sgml(doc)
        else:
            text, found, extra = _from_text(doc)
    except (InputError, DeadlineExceeded):
        raise
    except Exception as exc:  # an extractor bug must cost one input, not the batch
        raise InputError("E013", source=doc.source, reason=_reason(exc)) from exc
    if not text.strip() and doc.kind == "text" and (found.get("title") or "").strip():
        # A plain text that is one headline-like line (a brief, a wire flash) is all title to
        # the cleaner; it is still a report, and dropping it would lose an input.
        text = str(found["title"]).strip()
    if not text.strip():
        raise InputError("E011", source=doc.source)

    supplied = _supplied(doc.meta)
    title = supplied.get("title") or found.get("title")
    url = supplied.get("url") or found.get("url")
    outlet = supplied.get("outlet") or found.get("outlet")
    byline = supplied.get("byline") or found.get("byline")
    published = supplied.get("published") or to_iso8601(found.get("published"))
    language = supplied.get("language") or detect_language(text) or found.get("language")

    meta = {k: v for k, v in doc.meta.items() if k not in SUPPLIED_FIELDS}
    meta.update(extra)
    if title and len(title) > MAX_TITLE_CHARS:
        # A title is a headline: a whole line of a hostile input (19 MB) is cut, and the note
        # says how long it was; the text keeps every character.
        meta["title_chars"] = len(title)
        cut = title.rfind(" ", MAX_TITLE_CHARS // 2, MAX_TITLE_CHARS)
        title = title[: cut if cut > 0 else MAX_TITLE_CHARS].rstrip() + " …"
    return Article(
        id=Article.make_id(text, outlet, url, title),
        source=doc.source,
        text=text,
        outlet=outlet,
        url=url,
        title=title,
        byline=byline,
        published=published,
        language=language,
        group=doc.group,
        meta=meta,
    )


def _from_html(doc: RawDocument) -> tuple[str, dict[str, str | None], dict[str, Any]]:
    url = doc.meta.get("url")
    page = extract_html(doc.content, url=url if isinstance(url, str) and url else None)
    if page.method == "unparsed":
        raise InputError("E020", source=doc.source)
    if page.method == "oversized":
        raise InputError("E022", source=doc.source, limit=MAX_ELEMENTS)
    found = {
        "title": page.title,
        "url": page.url,
        "outlet": page.outlet,
        "byline": page.byline,
        "published": page.published,
        "language": page.language,
    }
    extra: dict[str, Any] = {"extraction": page.method}
    if page.description:
        extra["description"] = page.description
    return page.text, found, extra


def _from_text(doc: RawDocument) -> tuple[str, dict[str, str | None], dict[str, Any]]:
    from synoptic.extract.text import clean_text

    hint = doc.meta.get("title")
    cleaned = clean_text(doc.content, title=hint if isinstance(hint, str) and hint else None)
    found: dict[str, str | None] = {
        "title": cleaned.title,
        "byline": cleaned.byline,
        "published": cleaned.published,
    }
    extra: dict[str, Any] = {
        "dropped": [{"line": d.line, "reason": d.reason} for d in cleaned.dropped],
    }
    if cleaned.agency:
        extra["agency"] = cleaned.agency
    return cleaned.text, found, extra


def _from_sgml(doc: RawDocument) -> tuple[str, dict[str, str | None], dict[str, Any]]:
    from synoptic.extract.sgml import parse_trec_doc

    wire = parse_trec_doc(doc.content)
    found: dict[str, str | None] = {
        "title": wire.title,
        "outlet": wire.outlet,
        "byline": wire.byline,
        "published": wire.published,
    }
    extra: dict[str, Any] = {
        "dropped": [{"line": d.line, "reason": d.reason} for d in wire.dropped],
    }
    for key in ("docno", "agency", "dateline", "doctype", "slug"):
        if value := getattr(wire, key):
            extra[key] = value
    return wire.text, found, extra


def _supplied(meta: Mapping[str, Any]) -> dict[str, str]:
    """The usable supplied metadata, normalised (dates to ISO 8601, languages to codes)."""
    out: dict[str, str] = {}
    for key in SUPPLIED_FIELDS:
        value = meta.get(key)
        if isinstance(value, (list, tuple)) and key == "byline":
            value = "; ".join(str(v).strip() for v in value if str(v).strip())
        if not isinstance(value, str) or not value.strip():
            continue
        value = " ".join(value.split())
        if key == "published":
            iso = to_iso8601(value)
            if iso is None:
                continue  # unreadable: as if not supplied
            value = iso
        elif key == "language":
            code = language_code(value)
            if code is None:
                continue  # not a language tag: detect instead
            value = code
        out[key] = value
    return out


def _reason(exc: Exception) -> str:
    """One line naming the exception, short enough for a stderr line."""
    detail = " ".join(str(exc).split())
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "…"
