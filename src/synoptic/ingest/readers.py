"""The built-in readers: text, HTML, JSON, JSON lines and TREC SGML.

Each takes the bounded byte stream of one input (already gunzipped) and the ``Source`` it
comes from, and yields documents and problems; none raises for bad input. They are
registered in ``synoptic.ingest.registry`` under their format names.

* ``text``, ``html``: the whole input, decoded (``decode``; HTML honours its declared charset).
* ``json``: one record, or a list of records named ``path#INDEX``.
* ``jsonl``: one record a line, named ``path:LINE``, streamed.
* ``sgml``: one document of kind ``sgml`` per ``<DOC>`` element of a TREC/TDT/DUC/LDC file,
  named ``path#DOCNO`` when the file holds several. A ``<DOC>`` never closed by ``</DOC>`` is
  ``E014``; the complete ones around it are still read.

A JSON record maps to a document this way: ``html`` wins over ``text`` as content; every other
field goes to ``meta`` (``title``, ``url``, ``outlet``, ``published``, ``byline``,
``language`` and any extra field). Lone surrogates and NUL characters in any string are
cleaned (``clean``); ``NaN`` and infinite numbers are not JSON and refuse the record (``E007``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from synoptic.errors import InputError, Problem
from synoptic.ingest.clean import clean_value
from synoptic.ingest.decode import HEAD_BYTES, binary_kind, decode, wide_encoding
from synoptic.ingest.source import Source
from synoptic.ingest.stream import Input
from synoptic.model import DocKind, RawDocument

Item = RawDocument | Problem

_CONTENT_FIELDS = ("html", "text")

_DOC_OPEN = re.compile(r"<DOC(?=[\s>])[^>]*>", re.I)
_DOC_CLOSE = re.compile(r"</DOC\s*>", re.I)
_DOCNO = re.compile(r"<DOCNO>\s*([^<\s]+)\s*</DOCNO>|\bid\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def read_text(inp: Input, source: Source) -> Iterator[Item]:
    """Read the whole input as one plain-text document."""
    yield _document(source, inp.read(), "text")


def read_html(inp: Input, source: Source) -> Iterator[Item]:
    """Read the whole input as one HTML document (its declared charset honoured)."""
    yield _document(source, inp.read(), "html")


def _document(source: Source, data: bytes, kind: DocKind) -> Item:
    if not data.strip():
        return source.problem("E003")
    try:
        content = decode(data, html=kind == "html")
    except InputError as exc:
        return exc.problem(source.name)
    if not content.strip():
        return source.problem("E003")
    return source.document(content, kind)


def read_sgml(inp: Input, source: Source) -> Iterator[Item]:
    """Split a TREC SGML file into one ``sgml`` document per complete ``<DOC>`` element.

    An element whose ``</DOC>`` never comes (before the next ``<DOC>`` or the end of the file)
    is ``E014`` for that element, named ``path#DOCNO`` when the file holds several; the
    complete elements around it are still yielded. Text between elements is ignored.
    """
    data = inp.read()
    if not data.strip():
        yield source.problem("E003")
        return
    try:
        text = decode(data)
    except InputError as exc:
        yield exc.problem(source.name)
        return
    opens = list(_DOC_OPEN.finditer(text))
    if not opens:
        yield source.problem("E014", reason="no <DOC> element")
        return
    several = len(opens) > 1
    for index, opening in enumerate(opens):
        stop = opens[index + 1].start() if index + 1 < len(opens) else len(text)
        close = _DOC_CLOSE.search(text, opening.end(), stop)
        chunk = text[opening.start() : close.end() if close else stop]
        docno = _DOCNO.search(chunk)
        name = (docno.group(1) or docno.group(2)) if docno else str(index)
        where = f"{source.name}#{name}" if several else source.name
        if close is None:
            line = text.count("\n", 0, opening.start()) + 1
            reason = f"<DOC> at line {line} is never closed by </DOC>"
            yield source.problem("E014", where=where, reason=reason)
            continue
        yield source.document(chunk, "sgml", where=where, docno=name if docno else None)


def read_json(inp: Input, source: Source) -> Iterator[Item]:
    """Parse a whole JSON document: one record, or a list of them (``path#INDEX``)."""
    data = inp.read()
    if not data.strip():
        yield source.problem("E003")
        return
    try:
        value = parse_json(decode(data))
    except InputError as exc:
        yield exc.problem(source.name)
        return
    if isinstance(value, list):
        if not value:
            yield source.problem("E003")
        for index, item in enumerate(value):
            yield _record(item, source, f"{source.name}#{index}", index=index)
    elif isinstance(value, dict):
        yield _record(value, source, None)
    else:
        yield source.problem("E009", kind=_json_type(value))


def read_jsonl(inp: Input, source: Source) -> Iterator[Item]:
    """Stream JSON lines, one record (``path:LINE``) or one ``Problem`` per non-blank line.

    UTF-16/32 files are decoded whole first (their newlines are not single bytes); every
    other file is split on newline bytes and decoded line by line, so memory holds one line.
    """
    head = inp.peek(HEAD_BYTES)
    kind = binary_kind(head)
    if kind:
        yield source.problem("E004", detail=kind)
        return
    lines: Iterator[bytes]
    if wide_encoding(head):
        try:
            text = decode(inp.read())
        except InputError as exc:
            yield exc.problem(source.name)
            return
        lines = (line.encode("utf-8") for line in text.split("\n"))
    else:
        lines = inp.lines()
    found = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        found = True
        where = f"{source.name}:{number}"
        try:
            value = parse_json(_decode_line(line.removeprefix(b"\xef\xbb\xbf")))
        except InputError as exc:
            yield exc.problem(where)
            continue
        yield _record(value, source, where, line=number)
    if not found:
        yield source.problem("E003")


def _decode_line(line: bytes) -> str:
    # JSON is UTF-8 by definition (RFC 8259); the full cascade is the fallback for legacy dumps.
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return decode(line)


def _refuse_constant(name: str) -> Any:
    raise InputError("E007", reason=f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        # 1e999 parses to infinity, which no JSON writer can write back.
        raise InputError("E007", reason=f"{text} is too large for a number")
    return value


# One decoder for every parse (``json.loads`` with hooks would build one per call).
_JSON = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def parse_json(text: str) -> Any:
    """Parse JSON text strictly, with every string cleaned (see ``clean``).

    Raises:
        InputError: ``E007`` for malformed JSON, ``NaN``/``Infinity``, numbers out of range
            and nesting too deep to parse.
    """
    try:
        value = _JSON.decode(text)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InputError("E007", reason=reason) from None
    except RecursionError:
        raise InputError("E007", reason="nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise InputError("E007", reason=str(exc)) from None
    return clean_value(value)


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


def _record(value: Any, source: Source, where: str | None, **parts: Any) -> Item:
    """Map one JSON record to a document: ``html`` wins over ``text``; the rest is ``meta``.

    ``meta`` holds every field but the one used as content (so ``title``, ``url``, ``outlet``,
    ``published``, ``byline``, ``language`` and any extra field), plus the other content field
    when it is a non-empty string, in case a later stage wants it.
    """
    if not isinstance(value, dict):
        return source.problem("E009", where=where, kind=_json_type(value))
    used = next((name for name in _CONTENT_FIELDS if _usable(value.get(name))), None)
    if used is None:
        return source.problem("E008", where=where)
    meta: dict[str, Any] = {}
    for key, field in value.items():
        if key == used or (key in _CONTENT_FIELDS and not _usable(field)):
            continue
        meta[key] = field
    kind: DocKind = "html" if used == "html" else "text"
    return source.document(value[used], kind, where=where, meta=meta, **parts)
