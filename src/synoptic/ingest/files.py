"""Files, folders, standard input and bytes in memory, through one reading pipeline.

``read_inputs`` turns command-line paths into ``RawDocument`` records; ``read_bytes`` does the
same for bytes a caller already holds (an upload, a fetched page, an archive record). Every
input goes through one pipeline::

    path/stdin/bytes -> size check -> bounded byte stream -> gunzip (by magic)
        -> format (by suffix, else sniffed) -> reader (``registry``) -> cleaned documents

and each rejected input (or JSON line, or JSON list element) becomes a ``Problem`` with its
code, so one bad file never stops a batch. ``formats`` says how formats are chosen,
``readers`` what each built-in reader makes of its input, ``walk`` how folders are walked.

Bounds (``ReadOptions``): the file size is checked before reading, and gzip and standard input
are counted while streaming, so a gzip bomb is never inflated past ``max_bytes`` (``E006``)
nor at more than ``max_ratio`` to 1 (``E019``); at most ``max_records`` documents are read
from one input (``E018``).
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, BinaryIO

from synoptic.errors import Problem, UsageError
from synoptic.ingest.clean import clean_string, clean_value, display_name
from synoptic.ingest.decode import HEAD_BYTES, binary_kind
from synoptic.ingest.formats import Format, format_of, looks_trec, sniff, suffix_label
from synoptic.ingest.options import DEFAULT_MAX_BYTES, ReadOptions
from synoptic.ingest.registry import BUILTIN, known_readers
from synoptic.ingest.source import Source, clean_document, clean_origin
from synoptic.ingest.stream import GZIP_STEP, Input, TooCompressed, TooLarge
from synoptic.ingest.walk import Found, locate, os_problem, problem
from synoptic.model import Origin, RawDocument

Item = RawDocument | Problem

_GZIP_MAGIC = b"\x1f\x8b"


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int | None = None,
    stdin: BinaryIO | None = None,
    options: ReadOptions | None = None,
) -> Iterator[RawDocument | Problem]:
    """Yield a ``RawDocument`` per readable input and a ``Problem`` per rejected one.

    Arguments are read in the order given; folders are walked in sorted order (by name,
    folders and files interleaved), skipping hidden entries and known junk. A file reached
    twice (named twice, or through a link) is read once. Nothing is raised for bad input, and
    each item is yielded as soon as it is read, so problems can be reported as they happen.

    Args:
        paths: Files, folders, and ``-`` for standard input.
        max_bytes: Largest accepted input, in bytes, after decompression (overrides
            ``options.max_bytes``).
        stdin: Stream read for ``-`` (default ``sys.stdin.buffer``).
        options: The read's limits and whether folder walks follow symbolic links out.

    Yields:
        ``RawDocument`` records (``group`` is the parent folder as given on the command line,
        ``-`` for standard input) and ``Problem`` records (``E001``-``E010``, ``E012``,
        ``E014``-``E019``), in a deterministic order.
    """
    opts = options or ReadOptions()
    if max_bytes is not None:
        opts = dataclasses.replace(opts, max_bytes=max_bytes)
    seen: set[tuple[int, int]] = set()
    stdin_read = False
    for arg in paths:
        if arg == "-":
            if not stdin_read:
                stdin_read = True
                yield from _read_stdin(stdin, opts)
            continue
        for found in locate(arg, opts):
            if isinstance(found, Problem):
                yield found
            else:
                yield from _read_file(found, opts, seen)


def read_bytes(
    source: str | Origin,
    data: bytes,
    *,
    format: str | None = None,
    meta: Mapping[str, Any] | None = None,
    group: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[RawDocument | Problem]:
    """Read bytes already in memory as ``read_inputs`` reads a file.

    Args:
        source: The input's name (a file name, a URL...) or its full ``Origin`` (kind, URL,
            fetch time, feed, archive record id). A name's suffix chooses the format when
            ``format`` is not given; without a telling suffix the content decides.
        data: The bytes (gzip is recognised and inflated).
        format: A reader's name (``text``, ``html``, ``json``, ``jsonl``, ``sgml`` or one
            plugged in), or ``None`` to choose by name and content.
        meta: Metadata supplied with the bytes (``url``, ``title``, ``outlet``...); a JSON
            record's own fields win over it.
        group: The group of its documents (default: the name).
        options: The read's limits.

    Yields:
        ``RawDocument`` records (with ``origin`` set) and ``Problem`` records.

    Raises:
        UsageError: ``E102`` for a ``format`` no reader has.
    """
    opts = options or ReadOptions()
    origin = clean_origin(source) if isinstance(source, Origin) else Origin("bytes", source)
    name = clean_string(display_name(origin.name or "<bytes>"))
    if format is not None and format not in known_readers():
        choices = ", ".join(sorted(known_readers()))
        raise UsageError("E102", value=format, option="format", choices=choices)
    fmt = format or format_of(os.path.basename(name)) or "sniff"
    supplied = clean_value(dict(meta)) if meta else {}
    src = Source(name, origin, clean_string(group) if group is not None else name, opts, supplied)
    if len(data) > opts.max_bytes:
        yield src.problem("E006", size=len(data), limit=opts.max_bytes)
        return
    gz_name = format is None and name.lower().endswith(".gz")
    yield from read_stream(src, io.BytesIO(data), fmt, gz_name=gz_name)


def _read_stdin(stream: BinaryIO | None, options: ReadOptions) -> Iterator[Item]:
    source = Source("-", Origin(kind="stdin", name="-"), "-", options)
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield source.problem("E002", reason="no standard input")
        return
    yield from read_stream(source, stream, "sniff", gz_name=False)


def _group_of(path: str) -> str:
    return display_name(os.path.normpath(os.path.dirname(path)))


def _read_file(found: Found, options: ReadOptions, seen: set[tuple[int, int]]) -> Iterator[Item]:
    path, st = found.path, found.st
    # In a folder walk an .xml or .sgml file is most likely a feed or some other document,
    # so it is only worth a word when it turns out to be TREC SGML.
    quiet = found.fmt == "maybe-sgml" and not found.named
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return
    seen.add(key)
    # Checked before opening: an oversized file is never read at all.
    if st.st_size > options.max_bytes:
        if not quiet:
            yield problem(path, "E006", size=st.st_size, limit=options.max_bytes)
        return
    if st.st_size == 0:
        if not quiet:
            yield problem(path, "E003")
        return
    try:
        fh = _open_regular(path)
    except OSError as exc:
        yield os_problem(path, exc)
        return
    if fh is None:  # replaced by a special file since it was looked at
        yield problem(path, "E016", kind="not a regular file")
        return
    name = display_name(path)
    source = Source(
        name, Origin(kind="file", name=name), _group_of(path), options, named=found.named
    )
    with fh:
        yield from read_stream(source, fh, found.fmt, gz_name=path.lower().endswith(".gz"))


def _open_regular(path: str) -> BinaryIO | None:
    """Open ``path`` for reading if it is (still) a regular file, else return ``None``.

    Non-blocking, so that a file swapped for a FIFO after it was looked at cannot block.
    """
    fh = open(path, "rb", opener=_nonblocking)  # noqa: SIM115 -- returned to a with-block
    fd = fh.fileno()
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        fh.close()
        return None
    os.set_blocking(fd, True)
    return fh


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def read_stream(source: Source, raw: IO[bytes], fmt: Format, *, gz_name: bool) -> Iterator[Item]:
    """Read one opened input, turning every failure into a ``Problem`` for ``source``.

    Gzip is recognised by its magic bytes, not the name: scrapers often save compressed
    responses under ``.html``. A ``.gz`` name without gzip data is read as it is when it
    looks like text, and refused (``E005``) when it does not. A ``maybe-sgml`` input that is
    not TREC SGML is ``E012`` when named, and yields nothing otherwise. Every document the
    reader makes is cleaned (``clean_document``), and at most ``max_records`` items are taken.
    """
    options = source.options
    try:
        inp = Input(raw, options.max_bytes)
        if inp.peek(2) == _GZIP_MAGIC:
            inp.step = GZIP_STEP
            gz = gzip.GzipFile(fileobj=inp, mode="rb")
            inp = Input(gz, options.max_bytes, packed=inp, max_ratio=options.max_ratio)
        elif gz_name:
            kind = binary_kind(inp.peek(HEAD_BYTES))
            if kind:
                yield source.problem("E005", reason=f"no gzip header ({kind})")
                return
        if fmt == "maybe-sgml":
            if not looks_trec(inp.peek(HEAD_BYTES)):
                if source.named:
                    label = suffix_label(os.path.basename(source.name))
                    yield source.problem("E012", suffix=label)
                return
            fmt = "sgml"
        if fmt == "sniff":
            fmt = sniff(inp)
        reader = known_readers()[fmt]
        yield from _capped(source, reader(inp, source), trusted=reader in BUILTIN.values())
    except TooLarge as exc:
        yield source.problem("E006", size=exc.size, limit=options.max_bytes)
    except TooCompressed as exc:
        yield source.problem("E019", ratio=exc.ratio, limit=options.max_ratio)
    except EOFError:
        reason = "the file ends before the end of the compressed stream"
        yield source.problem("E005", reason=reason)
    except gzip.BadGzipFile as exc:
        yield source.problem("E005", reason=str(exc) or "bad gzip header")
    except zlib.error as exc:
        yield source.problem("E005", reason=f"invalid compressed data ({exc})")
    except OSError as exc:
        yield os_problem(source.name, exc)


def _capped(source: Source, items: Iterable[Item], *, trusted: bool) -> Iterator[Item]:
    """Take at most ``max_records`` items; clean the documents of a plugged-in reader (the
    built-in readers make theirs through ``Source.document`` and ``parse_json``, clean)."""
    limit = source.options.max_records
    for count, item in enumerate(items, 1):
        if count > limit:
            yield source.problem("E018", limit=limit)
            return
        yield item if trusted or isinstance(item, Problem) else clean_document(item)


__all__ = ["DEFAULT_MAX_BYTES", "ReadOptions", "read_bytes", "read_inputs", "read_stream"]
