"""Files, folders, gzip, JSON and JSON lines, and standard input.

``read_inputs`` turns command-line paths into ``RawDocument`` records. Every input goes
through one pipeline::

    path/stdin -> size check -> bounded byte stream -> gunzip (by magic) -> format
               -> text | HTML (decoded whole) | JSON (parsed whole) | JSON lines (streamed)
                  | TREC SGML (decoded whole, one document per <DOC> element)

and each rejected input (or JSON line, or JSON list element) becomes a ``Problem`` with its
code, so one bad file never stops a batch.

Formats are chosen by suffix, and by content where the suffix says nothing:

* ``.txt``, ``.text``, ``.md``, ``.markdown``: text. ``.html``, ``.htm``, ``.xhtml``,
  ``.shtml``: HTML. ``.json``: one record or a list of records. ``.jsonl``, ``.ndjson``,
  ``.jsonlines``: one record a line. Any of these may end in ``.gz``.
* No extension, standard input, and (when named explicitly) an unknown extension: sniffed
  from the content as TREC SGML, JSON, JSON lines, HTML or text.
* ``.sgml``, ``.sgm``, ``.xml``: TREC SGML when the content is (below); otherwise not an
  article (``E012`` when named explicitly, skipped silently in a folder walk).
* TREC SGML, the layout of TREC, TDT, DUC and LDC newswire collections: the first non-blank
  bytes are ``<DOC>`` or ``<DOC `` and the head holds ``<DOCNO>`` or ``<DOC id=``. Each
  ``<DOC>`` element becomes one document of kind ``sgml`` (``extract.sgml`` reads it); its
  source is the path, or ``path#DOCNO`` when the file holds several. A ``<DOC>`` never
  closed by ``</DOC>`` is ``E014``; the complete ones around it are still read.
* Known non-article formats (images, PDF, archives, office documents, feeds): skipped
  silently in a folder walk, ``E012`` when named explicitly.

``max_bytes`` bounds every input: the file size is checked before reading, and gzip and
standard input are counted while streaming, so a gzip bomb is never inflated past the limit.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, Literal

from synoptic.errors import InputError, Problem
from synoptic.ingest.decode import HEAD_BYTES, binary_kind, decode, wide_encoding
from synoptic.model import DocKind, RawDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# ``maybe-sgml``: a suffix (.sgml, .xml) that holds an article only when it is TREC SGML.
Format = Literal["text", "html", "json", "jsonl", "sgml", "sniff", "maybe-sgml"]
Item = RawDocument | Problem

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
    "rss atom warc arc wacz"
)
_UNSUPPORTED = frozenset("." + ext for ext in _UNSUPPORTED_NAMES.split())

# Folder entries that are never articles: version control, OS and tool droppings.
_JUNK_NAMES = frozenset({"__pycache__", "node_modules", "__MACOSX", "Thumbs.db", "desktop.ini"})
# A folder of reports often carries its own documentation; in a folder walk these are not
# articles (named explicitly, they are read like any file).
_DOC_STEMS = frozenset(
    {"README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING", "NOTICE", "CONTRIBUTING", "AUTHORS"}
)

# An extension is a short final dot-segment with at least one letter, so that
# "Reuters 10.01.2022" or "U.S. talks" count as having no extension.
_EXTENSION = re.compile(r".+?(\.[a-z0-9]*[a-z][a-z0-9]*)")
_MAX_EXTENSION = 11

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024

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
_DOC_OPEN = re.compile(r"<DOC(?=[\s>])[^>]*>", re.I)
_DOC_CLOSE = re.compile(r"</DOC\s*>", re.I)
_DOCNO = re.compile(r"<DOCNO>\s*([^<\s]+)\s*</DOCNO>|\bid\s*=\s*[\"']?([^\"'\s>]+)", re.I)

_CONTENT_FIELDS = ("html", "text")
_NON_SPACE = re.compile(rb"\S")


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | Problem]:
    """Yield a ``RawDocument`` per readable input and a ``Problem`` per rejected one.

    Arguments are read in the order given; folders are walked recursively in sorted order
    (by name, folders and files interleaved), skipping hidden entries and known junk. A file
    reached twice (named twice, or through a link) is read once. Nothing is raised for bad
    input.

    Args:
        paths: Files, folders, and ``-`` for standard input.
        max_bytes: Largest accepted input, in bytes, after decompression.
        stdin: Stream read for ``-`` (default ``sys.stdin.buffer``).

    Yields:
        ``RawDocument`` records (``group`` is the parent folder as given on the command line,
        ``-`` for standard input) and ``Problem`` records (``E001``-``E010``, ``E012``), in a
        deterministic order. JSON lines are yielded as they are read.
    """
    seen: set[tuple[int, int]] = set()
    stdin_read = False
    for arg in paths:
        if arg == "-":
            if not stdin_read:
                stdin_read = True
                yield from _read_stdin(stdin, max_bytes)
            continue
        yield from _read_argument(arg, max_bytes, seen)


def _problem(source: str, code: str, **fields: Any) -> Problem:
    return InputError(code, source, **fields).problem()


def _os_problem(source: str, exc: OSError) -> Problem:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return _problem(source, "E001")
    if isinstance(exc, PermissionError):
        return _problem(source, "E002", reason="permission denied")
    return _problem(source, "E002", reason=exc.strerror or type(exc).__name__)


def _read_stdin(stream: BinaryIO | None, max_bytes: int) -> Iterator[Item]:
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield _problem("-", "E002", reason="no standard input")
        return
    yield from _read_stream("-", stream, "sniff", "-", max_bytes, gz_name=False)


def _read_argument(arg: str, max_bytes: int, seen: set[tuple[int, int]]) -> Iterator[Item]:
    try:
        st = os.stat(arg)
    except (OSError, ValueError) as exc:
        # ValueError: a path with a NUL byte in it, which cannot name any file.
        yield _os_problem(arg, exc) if isinstance(exc, OSError) else _problem(arg, "E001")
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(arg, max_bytes, seen, set())
        return
    name = os.path.basename(arg)
    if _unsupported(name):
        yield _problem(arg, "E012", suffix=_suffix_label(name))
        return
    # Named explicitly, an unknown extension is worth a look at the content.
    fmt = _format_of(name) or "sniff"
    yield from _read_file(arg, st, fmt, max_bytes, seen, named=True)


def _walk(
    folder: str, max_bytes: int, seen: set[tuple[int, int]], ancestors: set[tuple[int, int]]
) -> Iterator[Item]:
    """Walk ``folder`` depth-first in name order, yielding what its article files hold.

    Entries with unsupported or unknown suffixes are ignored silently (a folder of articles
    often holds a README or images); ``ancestors`` stops symlink loops.
    """
    try:
        st = os.stat(folder)
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _os_problem(folder, exc)
        return
    key = (st.st_dev, st.st_ino)
    if key in ancestors:
        return
    ancestors = ancestors | {key}
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in _JUNK_NAMES or name.endswith("~"):
            continue
        if name.split(".", 1)[0].upper() in _DOC_STEMS:
            continue
        path = entry.path
        try:
            st_entry = entry.stat()
        except OSError as exc:
            # A dangling link that looks like an article is worth a word; anything else is not.
            if _format_of(name) not in (None, "sniff", "maybe-sgml"):
                yield _os_problem(path, exc)
            continue
        if stat.S_ISDIR(st_entry.st_mode):
            yield from _walk(path, max_bytes, seen, ancestors)
        elif stat.S_ISREG(st_entry.st_mode):
            fmt = _format_of(name)
            if fmt:
                yield from _read_file(path, st_entry, fmt, max_bytes, seen)
        # FIFOs, sockets and devices inside a folder are skipped: reading one could block.


def _format_of(name: str) -> Format | None:
    """Return the format a file name promises: by suffix, ``sniff`` when it has no extension,
    ``None`` for an unknown or unsupported one."""
    ext = _extension(name.lower().removesuffix(".gz"))
    return _BY_SUFFIX.get(ext) if ext else "sniff"


def _unsupported(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".tgz") or _extension(lower.removesuffix(".gz")) in _UNSUPPORTED


def _extension(name: str) -> str:
    match = _EXTENSION.fullmatch(name)
    if not match or len(match.group(1)) > _MAX_EXTENSION:
        return ""
    return match.group(1)


def _suffix_label(name: str) -> str:
    lower = name.lower()
    gz = lower.endswith(".gz") and not lower.endswith(".tgz")
    ext = _extension(lower.removesuffix(".gz") if gz else lower)
    return ext + (".gz" if gz else "")


def _group_of(path: str) -> str:
    return os.path.normpath(os.path.dirname(path))


def _read_file(
    path: str,
    st: os.stat_result,
    fmt: Format,
    max_bytes: int,
    seen: set[tuple[int, int]],
    *,
    named: bool = False,
) -> Iterator[Item]:
    # In a folder walk an .xml or .sgml file is most likely a feed or some other document,
    # so it is only worth a word when it turns out to be TREC SGML.
    quiet = fmt == "maybe-sgml" and not named
    if stat.S_ISREG(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return
        seen.add(key)
        # Checked before opening: an oversized file is never read at all.
        if st.st_size > max_bytes:
            if not quiet:
                yield _problem(path, "E006", size=st.st_size, limit=max_bytes)
            return
        if st.st_size == 0:
            if not quiet:
                yield _problem(path, "E003")
            return
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- closed below; a with-block would hide the E002
    except OSError as exc:
        yield _os_problem(path, exc)
        return
    with fh:
        gz_name = path.lower().endswith(".gz")
        yield from _read_stream(
            path, fh, fmt, _group_of(path), max_bytes, gz_name=gz_name, named=named
        )


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _Input:
    """A byte stream read in chunks, with look-ahead, counted against a size limit.

    Raises ``_TooLarge`` as soon as more than ``limit`` bytes have come from the underlying
    stream, so neither standard input nor a gzip bomb is ever read past the limit.
    """

    def __init__(self, raw: IO[bytes] | gzip.GzipFile, limit: int) -> None:
        # ``read1`` returns what one underlying read gives: a pipe is not waited on to fill a
        # whole chunk, and a truncated gzip still hands over what it inflated before the break.
        self._read = getattr(raw, "read1", raw.read)
        self._limit = limit
        self._count = 0
        self._buf = bytearray()
        self._eof = False

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._count += len(chunk)
        if self._count > self._limit:
            raise _TooLarge(self._count)
        self._buf += chunk
        return True

    def peek(self, n: int) -> bytes:
        """Return up to ``n`` bytes without consuming them."""
        while len(self._buf) < n and self._fill():
            pass
        return bytes(self._buf[:n])

    def peek_first_line(self) -> tuple[bytes, bool]:
        """Return the first non-blank line (not consumed) and whether anything follows it."""
        while True:
            first = _NON_SPACE.search(self._buf)
            if first:
                break
            if not self._fill():
                return b"", False
        start = scanned = first.start()
        while (end := self._buf.find(b"\n", scanned)) < 0:
            scanned = len(self._buf)
            if not self._fill():
                return bytes(self._buf[start:]).rstrip(), False
        while not _NON_SPACE.search(self._buf, end + 1):
            if not self._fill():
                return bytes(self._buf[start:end]).rstrip(), False
        return bytes(self._buf[start:end]).rstrip(), True

    def read(self, n: int = -1) -> bytes:
        """Read ``n`` bytes (all remaining when negative); this is what gzip reads through."""
        if n < 0:
            while self._fill():
                pass
            n = len(self._buf)
        elif not self._buf:
            self._fill()
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        """Refuse: the input may be a pipe, so it is only ever read forward."""
        raise io.UnsupportedOperation("seek")

    def lines(self) -> Iterator[bytes]:
        """Yield lines (without the newline) as they arrive, holding one line at a time."""
        scanned = 0
        while True:
            end = self._buf.find(b"\n", scanned)
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 1]
                scanned = 0
                yield line
                continue
            scanned = len(self._buf)
            if not self._fill():
                if self._buf:
                    yield bytes(self._buf)
                    self._buf.clear()
                return


def _read_stream(
    source: str,
    raw: IO[bytes],
    fmt: Format,
    group: str,
    max_bytes: int,
    *,
    gz_name: bool,
    named: bool = True,
) -> Iterator[Item]:
    """Read one opened input, turning every failure into a ``Problem`` for ``source``.

    Gzip is recognised by its magic bytes, not the name: scrapers often save compressed
    responses under ``.html``. A ``.gz`` name without gzip data is read as it is when it
    looks like text, and refused (``E005``) when it does not. A ``maybe-sgml`` input that is
    not TREC SGML is ``E012`` when ``named``, and yields nothing otherwise.
    """
    try:
        inp = _Input(raw, max_bytes)
        if inp.peek(2) == _GZIP_MAGIC:
            inp = _Input(gzip.GzipFile(fileobj=inp, mode="rb"), max_bytes)
        elif gz_name:
            kind = binary_kind(inp.peek(HEAD_BYTES))
            if kind:
                yield _problem(source, "E005", reason=f"no gzip header ({kind})")
                return
        if fmt == "maybe-sgml":
            if not _looks_trec(inp.peek(HEAD_BYTES)):
                if named:
                    yield _problem(source, "E012", suffix=_suffix_label(os.path.basename(source)))
                return
            fmt = "sgml"
        if fmt == "sniff":
            fmt = _sniff(inp)
        if fmt == "sgml":
            yield from _trec_documents(source, inp.read(), group)
        elif fmt in ("text", "html"):
            yield _document(source, inp.read(), fmt, group)
        elif fmt == "json":
            yield from _json_document(source, inp, group)
        else:
            yield from _json_lines(source, inp, group)
    except _TooLarge as exc:
        yield _problem(source, "E006", size=exc.size, limit=max_bytes)
    except EOFError:
        reason = "the file ends before the end of the compressed stream"
        yield _problem(source, "E005", reason=reason)
    except gzip.BadGzipFile as exc:
        yield _problem(source, "E005", reason=str(exc) or "bad gzip header")
    except zlib.error as exc:
        yield _problem(source, "E005", reason=f"invalid compressed data ({exc})")
    except OSError as exc:
        yield _os_problem(source, exc)


def _sniff(inp: _Input) -> Format:
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
    if _is_trec(text):
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


def _is_trec(text: str) -> bool:
    """Whether decoded text (its start stripped of blanks) opens a TREC SGML file."""
    return bool(_TREC_START.match(text)) and bool(_TREC_MARK.search(text))


def _looks_trec(head: bytes) -> bool:
    if binary_kind(head):
        return False
    wide = wide_encoding(head)
    text = head.decode(wide or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n\f\v")
    return _is_trec(text)


def _trec_documents(source: str, data: bytes, group: str) -> Iterator[Item]:
    """Split a TREC SGML file into one ``sgml`` document per complete ``<DOC>`` element.

    An element whose ``</DOC>`` never comes (before the next ``<DOC>`` or the end of the file)
    is ``E014`` for that element, named ``path#DOCNO`` when the file holds several; the
    complete elements around it are still yielded. Text between elements is ignored.
    """
    if not data.strip():
        yield _problem(source, "E003")
        return
    try:
        text = decode(data)
    except InputError as exc:
        yield exc.problem(source)
        return
    opens = list(_DOC_OPEN.finditer(text))
    if not opens:
        yield _problem(source, "E014", reason="no <DOC> element")
        return
    several = len(opens) > 1
    for index, opening in enumerate(opens):
        stop = opens[index + 1].start() if index + 1 < len(opens) else len(text)
        close = _DOC_CLOSE.search(text, opening.end(), stop)
        chunk = text[opening.start() : close.end() if close else stop]
        docno = _DOCNO.search(chunk)
        name = (docno.group(1) or docno.group(2)) if docno else str(index)
        where = f"{source}#{name}" if several else source
        if close is None:
            line = text.count("\n", 0, opening.start()) + 1
            reason = f"<DOC> at line {line} is never closed by </DOC>"
            yield _problem(where, "E014", reason=reason)
            continue
        yield RawDocument(source=where, content=chunk, kind="sgml", meta={}, group=group)


def _document(source: str, data: bytes, kind: DocKind, group: str) -> Item:
    if not data.strip():
        return _problem(source, "E003")
    try:
        content = decode(data, html=kind == "html")
    except InputError as exc:
        return exc.problem(source)
    if not content.strip():
        return _problem(source, "E003")
    return RawDocument(source=source, content=content, kind=kind, meta={}, group=group)


def _json_document(source: str, inp: _Input, group: str) -> Iterator[Item]:
    """Parse a whole JSON document: one record, or a list of them (``path#INDEX``)."""
    data = inp.read()
    if not data.strip():
        yield _problem(source, "E003")
        return
    try:
        value = _parse_json(decode(data))
    except InputError as exc:
        yield exc.problem(source)
        return
    if isinstance(value, list):
        if not value:
            yield _problem(source, "E003")
        for index, item in enumerate(value):
            yield _record(item, f"{source}#{index}", group)
    elif isinstance(value, dict):
        yield _record(value, source, group)
    else:
        yield _problem(source, "E009", kind=_json_type(value))


def _json_lines(source: str, inp: _Input, group: str) -> Iterator[Item]:
    """Stream JSON lines, one record (``path:LINE``) or one ``Problem`` per non-blank line.

    UTF-16/32 files are decoded whole first (their newlines are not single bytes); every
    other file is split on newline bytes and decoded line by line, so memory holds one line.
    """
    head = inp.peek(HEAD_BYTES)
    kind = binary_kind(head)
    if kind:
        yield _problem(source, "E004", detail=kind)
        return
    lines: Iterator[bytes]
    if wide_encoding(head):
        try:
            text = decode(inp.read())
        except InputError as exc:
            yield exc.problem(source)
            return
        lines = (line.encode("utf-8") for line in text.split("\n"))
    else:
        lines = inp.lines()
    found = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        found = True
        where = f"{source}:{number}"
        try:
            value = _parse_json(_decode_line(line.removeprefix(b"\xef\xbb\xbf")))
        except InputError as exc:
            yield exc.problem(where)
            continue
        yield _record(value, where, group)
    if not found:
        yield _problem(source, "E003")


def _decode_line(line: bytes) -> str:
    # JSON is UTF-8 by definition (RFC 8259); the full cascade is the fallback for legacy dumps.
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return decode(line)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InputError("E007", reason=reason) from None
    except RecursionError:
        raise InputError("E007", reason="nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise InputError("E007", reason=str(exc)) from None


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null"


def _usable(field: Any) -> bool:
    return isinstance(field, str) and bool(field.strip())


def _record(value: Any, source: str, group: str) -> Item:
    """Map one JSON record to a document: ``html`` wins over ``text``; the rest is ``meta``.

    ``meta`` holds every field but the one used as content (so ``title``, ``url``, ``outlet``,
    ``published``, ``byline``, ``language`` and any extra field), plus the other content field
    when it is a non-empty string, in case a later stage wants it.
    """
    if not isinstance(value, dict):
        return _problem(source, "E009", kind=_json_type(value))
    used = next((name for name in _CONTENT_FIELDS if _usable(value.get(name))), None)
    if used is None:
        return _problem(source, "E008")
    meta: dict[str, Any] = {}
    for key, field in value.items():
        if key == used or (key in _CONTENT_FIELDS and not _usable(field)):
            continue
        meta[key] = field
    kind: DocKind = "html" if used == "html" else "text"
    return RawDocument(source=source, content=value[used], kind=kind, meta=meta, group=group)
