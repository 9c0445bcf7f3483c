"""Which format an input is in: by its name's suffix, or by its first bytes.

* ``.txt``, ``.text``, ``.md``, ``.markdown``: text. ``.html``, ``.htm``, ``.xhtml``,
  ``.shtml``: HTML. ``.json``: one record or a list of records. ``.jsonl``, ``.ndjson``,
  ``.jsonlines``: one record a line. Any of these may end in ``.gz``.
* No extension, standard input, and (when named explicitly) an unknown extension: sniffed
  from the content as TREC SGML, JSON, JSON lines, HTML or text.
* ``.sgml``, ``.sgm``, ``.xml``: TREC SGML when the content is; otherwise not an article.
* Known non-article formats (images, PDF, archives, office documents, feeds): unsupported.
"""

from __future__ import annotations

import json
import re

from synoptic.ingest.decode import HEAD_BYTES, binary_kind, wide_encoding
from synoptic.ingest.registry import suffixes
from synoptic.ingest.stream import Input

# A reader's name (``synoptic.ingest.registry``), or one of two choices made from the content:
# ``sniff`` (no telling name) and ``maybe-sgml`` (a suffix, .sgml or .xml, that holds an
# article only when it is TREC SGML).
Format = str

_BY_SUFFIX: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".sgml": "maybe-sgml",
    ".sgm": "maybe-sgml",
    ".xml": "maybe-sgml",
    ".warc": "warc",
}

# Suffixes that are certainly not an article this reader can handle. Feeds, sitemaps and web
# archives belong to other ingesters; the rest are binary formats.
_UNSUPPORTED_NAMES = (
    "png jpg jpeg gif webp bmp tif tiff ico svg heic avif "
    "pdf doc docx odt rtf xls xlsx ods ppt pptx odp epub mobi "
    "zip tar tgz bz2 xz zst 7z rar lz4 "
    "mp3 m4a wav ogg flac mp4 m4v mov avi mkv webm "
    "exe dll so dylib bin class jar pyc o a "
    "woff woff2 ttf otf eot "
    "db sqlite sqlite3 parquet pickle pkl npy npz "
    "rss atom arc wacz"
)
_UNSUPPORTED = frozenset("." + ext for ext in _UNSUPPORTED_NAMES.split())

# An extension is a short final dot-segment with at least one letter, so that
# "Reuters 10.01.2022" or "U.S. talks" count as having no extension.
_EXTENSION = re.compile(r".+?(\.[a-z0-9]*[a-z][a-z0-9]*)")
_MAX_EXTENSION = 11

_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|!--|html|head|body|meta|title|div|p|article|section|main|script|"
    r"style|link|span|table|h[1-6])\b",
    re.I,
)
_JSON_LIST_START = re.compile(r"\[\s*(?:[\[{\"\]]|$)")
_JSON_OBJECT_START = re.compile(r"\{\s*(?:[\"}]|$)")
# TREC SGML: the file opens with a <DOC> element (not <DOCNO>, not <!DOCTYPE>; an XML
# declaration may come first) and has a DOCNO or an LDC id attribute near the start.
_TREC_START = re.compile(r"(?:<\?xml[^>]*\?>\s*)?<DOC[\s>]")
_TREC_MARK = re.compile(r"<DOCNO>|<DOC\s[^>]*\bid\s*=", re.I)


def format_of(name: str) -> Format | None:
    """Return the format a file name promises: by suffix, ``sniff`` when it has no extension,
    ``None`` for an unknown or unsupported one."""
    ext = _extension(name.lower().removesuffix(".gz"))
    if not ext:
        return "sniff"
    return _BY_SUFFIX.get(ext) or suffixes().get(ext)


def unsupported(name: str) -> bool:
    """Whether a file name says the file is certainly not an article (an image, a PDF...)."""
    lower = name.lower()
    ext = _extension(lower.removesuffix(".gz"))
    return lower.endswith(".tgz") or (ext in _UNSUPPORTED and ext not in suffixes())


def _extension(name: str) -> str:
    match = _EXTENSION.fullmatch(name)
    if not match or len(match.group(1)) > _MAX_EXTENSION:
        return ""
    return match.group(1)


def suffix_label(name: str) -> str:
    """Return the suffix a name is refused for (``.png``, ``.tar.gz``), for ``E012``."""
    lower = name.lower()
    gz = lower.endswith(".gz") and not lower.endswith(".tgz")
    ext = _extension(lower.removesuffix(".gz") if gz else lower)
    return ext + (".gz" if gz else "")


def sniff(inp: Input) -> Format:
    """Decide the format of an input that has no telling name, from its first bytes.

    TREC SGML is recognised first (its ``<P>`` tags would otherwise pass for HTML). JSON
    needs an unambiguous start (``{"`` or ``[{``, ``["``, ``[]``) so that a text beginning
    with "[Reuters]" stays text; an object on the first line followed by more lines is JSON
    lines. HTML needs a leading ``<`` and a common HTML tag in the first 4 KB.
    Everything else is text.
    """
    head = inp.peek(HEAD_BYTES)
    if binary_kind(head):
        return "text"  # the decoder then reports what the content is (E004)
    wide = wide_encoding(head)
    # Lenient: the head may end inside a character, and only its start matters here.
    text = head.decode(wide or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n\f\v")
    if is_trec(text):
        return "sgml"
    if _JSON_LIST_START.match(text):
        return "json"
    if _JSON_OBJECT_START.match(text):
        if wide:
            # UTF-16/32 cannot be split byte-wise; the decoded head is enough to tell.
            line, _, rest = text.partition("\n")
            more = bool(rest.strip())
        else:
            raw_line, more = inp.peek_first_line()
            line = raw_line.decode("utf-8", errors="replace")
        try:
            first = json.loads(line)
        except (ValueError, RecursionError):
            return "json"  # let the JSON reader report the error for the whole input
        return "jsonl" if more and isinstance(first, dict) else "json"
    if text.startswith("<") and _HTML_TAG.search(text[:4096]):
        return "html"
    return "text"


def is_trec(text: str) -> bool:
    """Whether decoded text (its start stripped of blanks) opens a TREC SGML file."""
    return bool(_TREC_START.match(text)) and bool(_TREC_MARK.search(text))


def looks_trec(head: bytes) -> bool:
    """Whether the first bytes of an input open a TREC SGML file."""
    if binary_kind(head):
        return False
    wide = wide_encoding(head)
    text = head.decode(wide or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n\f\v")
    return is_trec(text)
