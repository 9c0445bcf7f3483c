"""Hostile inputs at read time: odd charsets, unsafe characters, deep folders, odd names,
links out of a folder, special files and compression bombs (issue 17).

Every fixture is generated here; nothing large is committed.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import random
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from synoptic.errors import InputError, Problem
from synoptic.extract import extract
from synoptic.ingest import ReadOptions, read_bytes, read_inputs
from synoptic.model import RawDocument

PARA = (
    "Delegations from Washington and Moscow met in Geneva on Monday for talks that lasted "
    "most of the day. Officials said afterwards that no agreement had been reached.\n"
)


def _read(*paths: str | Path, **kwargs: Any) -> list[RawDocument | Problem]:
    with _deadline(120):  # generous: the suite may share a loaded machine
        return list(read_inputs([os.fspath(p) for p in paths], **kwargs))


def _docs(items: Iterable[RawDocument | Problem]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _problems(items: Iterable[RawDocument | Problem]) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


class _Hung(Exception):
    """Reading did not finish in time (not an ``OSError``, which the reader would report)."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading blocks until a writer comes)."""

    def expire(signum: int, frame: Any) -> None:
        raise _Hung(f"reading took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _utf8_safe(doc: RawDocument) -> None:
    """Every string of a document encodes as UTF-8 and holds no NUL (what ids, JSON and
    PostgreSQL need)."""
    blob = json.dumps(doc.to_dict(), ensure_ascii=False, allow_nan=False)
    blob.encode("utf-8")
    assert "\x00" not in blob and "\\u0000" not in blob


# --- charsets that are not text encodings ----------------------------------------------------


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "undefined", "bz2"])
def test_ingest_html_declaring_a_codec_that_is_no_charset_is_decoded_by_detection(
    tmp_path: Path, charset: str
) -> None:
    body = "<p>Le café de la gare a rouvert ses portes à Genève lundi matin.</p>" * 4
    page = f'<html><head><meta charset="{charset}"></head><body>{body}</body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))  # not UTF-8: the declaration is consulted
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert "café" in doc.content and "Genève" in doc.content


# --- lone surrogates, NUL and non-finite numbers ---------------------------------------------


def test_ingest_json_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(
        '{"text": "Talks \\ud800 ended \\udfff.", "title": "T\\ud83d", "outlet": "\\udc00Wire",'
        ' "tags": [{"k\\ud800": "v\\udbff"}]}',
        encoding="utf-8",
    )
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == "Talks \ufffd ended \ufffd."
    assert doc.meta["title"] == "T\ufffd" and doc.meta["outlet"] == "\ufffdWire"
    assert doc.meta["tags"] == [{"k\ufffd": "v\ufffd"}]
    _utf8_safe(doc)
    extract(doc)  # the id is hashed from these fields


def test_ingest_nul_characters_are_removed_from_json_and_text(tmp_path: Path) -> None:
    record = tmp_path / "nul.jsonl"
    record.write_text('{"text": "Talks\\u0000 ended.", "outlet": "Wi\\u0000re"}\n')
    text = tmp_path / "nul.txt"
    # The raw NUL lies past the head the binary sniffer looks at.
    text.write_bytes((PARA * 200).encode() + b"late \x00 byte.\n")
    docs = _docs(_read(record, text))
    assert [d.source for d in docs] == [f"{record}:1", str(text)]
    assert docs[0].content == "Talks ended." and docs[0].meta["outlet"] == "Wire"
    assert docs[1].content.endswith("late  byte.\n")
    for doc in docs:
        _utf8_safe(doc)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_ingest_json_non_finite_numbers_refuse_the_record(tmp_path: Path, number: str) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text(
        json.dumps({"text": "First report."})
        + "\n"
        + f'{{"text": "Second report.", "score": {number}}}\n'
        + json.dumps({"text": "Third report."})
        + "\n"
    )
    items = _read(path)
    assert [d.source for d in _docs(items)] == [f"{path}:1", f"{path}:3"]
    (problem,) = _problems(items)
    assert (problem.source, problem.code) == (f"{path}:2", "E007")
    assert number.lstrip("-") in problem.message


# --- folders: depth, links, special files ----------------------------------------------------


def test_ingest_folder_nested_1100_deep_is_walked_without_recursion(tmp_path: Path) -> None:
    root = tmp_path / "deep"
    levels = [root]
    root.mkdir()
    for _ in range(1100):  # not mkdir(parents=True): pathlib recurses once per level
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    bottom = levels[-1]
    (root / "top.txt").write_text("Top " + PARA)
    (bottom / "bottom.txt").write_text("Bottom " + PARA)
    try:
        capped = _read(root, options=ReadOptions(max_depth=50))
        assert [d.source for d in _docs(capped)] == [str(root / "top.txt")]
        (problem,) = _problems(capped)
        assert problem.code == "E015" and "50 levels" in problem.message
        assert problem.source == str(levels[51])
        # With the cap raised, the walk reaches the bottom: it does not recurse.
        deep = _read(root, options=ReadOptions(max_depth=2000))
        assert [d.source for d in _docs(deep)] == [
            str(bottom / "bottom.txt"),
            str(root / "top.txt"),
        ]
    finally:
        # pytest's own clean-up (shutil.rmtree) recurses once per level too.
        (bottom / "bottom.txt").unlink()
        for level in reversed(levels[1:]):
            level.rmdir()


def test_ingest_file_name_not_utf8_is_read_and_named_escaped(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    good = os.path.join(folder, b"caf\xe9.txt")
    with open(good, "wb") as fh:
        fh.write(PARA.encode())
    empty = os.path.join(folder, b"vide\xff.txt")
    open(empty, "wb").close()
    items = _read(tmp_path)
    (doc,) = _docs(items)
    assert doc.source == f"{tmp_path}/caf\\xe9.txt" and doc.content == PARA
    _utf8_safe(doc)
    (problem,) = _problems(items)
    assert problem.source == f"{tmp_path}/vide\\xff.txt"
    problem.line().encode("utf-8")


def test_ingest_problem_lines_show_control_characters_escaped(tmp_path: Path) -> None:
    name = "evil\nsynoptic: skipped forged.txt: x [E001]\x1b[31m.txt"
    (tmp_path / name).write_bytes(b"")
    (problem,) = _read(tmp_path / name)
    assert isinstance(problem, Problem) and problem.code == "E003"
    line = problem.line()
    assert "\n" not in line and "\x1b" not in line
    assert "evil\\nsynoptic" in line and "\\x1b[31m" in line


def test_ingest_symlink_out_of_the_folder_is_e017_unless_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret " + PARA)
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha " + PARA)
    os.symlink(outside / "secret.txt", folder / "x.txt")
    os.symlink(outside, folder / "out")
    os.symlink(folder / "a.txt", folder / "same.txt")  # stays inside: read (once)
    items = _read(folder)
    assert [d.source for d in _docs(items)] == [str(folder / "a.txt")]
    assert {(p.source, p.code) for p in _problems(items)} == {
        (str(folder / "out"), "E017"),
        (str(folder / "x.txt"), "E017"),
    }
    followed = _read(folder, options=ReadOptions(follow_symlinks=True))
    assert [d.source for d in _docs(followed)] == [
        str(folder / "a.txt"),
        str(folder / "out" / "secret.txt"),
    ]
    assert _problems(followed) == []


def test_ingest_symlink_loops_terminate_even_when_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(PARA)
    os.symlink(root, root / "sub" / "up")
    os.symlink(root / "sub" / "ping.txt", root / "sub" / "pong.txt")
    os.symlink(root / "sub" / "pong.txt", root / "sub" / "ping.txt")
    for follow in (False, True):
        items = _read(root, options=ReadOptions(follow_symlinks=follow))
        assert [d.source for d in _docs(items)] == [str(root / "sub" / "a.txt")]
        # the two links pointing at each other are named as unreadable, not followed forever
        assert {p.code for p in _problems(items)} == {"E002"}


def test_ingest_fifo_and_device_are_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "f"
    folder.mkdir()
    os.mkfifo(folder / "inner.json")
    (folder / "ok.txt").write_text(PARA)
    items = _read(fifo, "/dev/zero", folder)  # would block or never end if opened
    assert [d.source for d in _docs(items)] == [str(folder / "ok.txt")]
    codes = [(p.source, p.code) for p in _problems(items)]
    assert codes == [
        (str(fifo), "E016"),
        ("/dev/zero", "E016"),
        (str(folder / "inner.json"), "E016"),
    ]
    assert "named pipe" in _problems(items)[0].message
    assert "character device" in _problems(items)[1].message


# --- bombs -----------------------------------------------------------------------------------


def test_ingest_json_lines_stop_at_the_records_cap(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "a"}\n' * 5000))
    items = _read(path, options=ReadOptions(max_records=300))
    assert len(_docs(items)) == 300
    (problem,) = _problems(items)
    assert (problem.source, problem.code) == (str(path), "E018")
    assert "300" in problem.message


def test_ingest_gzip_bomb_stops_at_the_ratio_cap(tmp_path: Path) -> None:
    line = json.dumps({"text": "a" * 2000}).encode() + b"\n"
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(line * 4000, 9))  # 8 MB inflated, a few kB on disk
    items = _read(path)
    problem = _problems(items)[-1]
    assert (problem.source, problem.code) == (str(path), "E019")
    assert 0 < len(_docs(items)) < 1000  # stopped soon after the ratio floor (1 MB)


def test_ingest_gzip_bomb_of_tiny_records_stops_at_the_ratio_cap(tmp_path: Path) -> None:
    # Issue 17's bomb: 1.6 million 13-byte records. The README documents a bomb as E019; the
    # decompressor read the whole file ahead, so the ratio looked 60 to 1 and the records cap
    # (E018) answered after 100,000 records.
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text":"a"}\n' * 1_600_000, 9))
    items = _read(path)
    problem = _problems(items)[-1]
    assert (problem.source, problem.code) == (str(path), "E019")
    assert len(_docs(items)) < 100_000


# --- what extraction says about hostile HTML -------------------------------------------------


@pytest.mark.parametrize("content", ["<!-- only a comment -->", "<", "just words, no markup"])
def test_ingest_html_the_parser_rejects_is_e020_not_e011(content: str) -> None:
    doc = RawDocument(source="odd.html", content=content, kind="html")
    with pytest.raises(InputError) as raised:
        extract(doc)
    assert (raised.value.code, raised.value.source) == ("E020", "odd.html")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_ingest_html_libraries_log_nothing_beside_our_line() -> None:
    # What the CLI's logging.basicConfig handler would print: records reaching the root.
    collect = _Collect()
    root = logging.getLogger()
    root.addHandler(collect)
    pages = ["<!-- -->", "<html><body><table>" + "<tr><td>a" * 300 + "</table></body></html>"]
    try:
        for content in pages:
            with contextlib.suppress(InputError):
                extract(RawDocument(source="odd.html", content=content, kind="html"))
    finally:
        root.removeHandler(collect)
    leaked = [
        r.name for r in collect.records if r.name.split(".")[0] in ("trafilatura", "htmldate")
    ]
    assert leaked == []


# --- a seeded fuzz of the read path ----------------------------------------------------------

_CODECS = ["rot13", "utf-16", "utf-7", "x-unknown", "latin-1", "shift_jis", "undefined", "hex"]
_PIECES = [
    b"<html>",
    b"<meta charset=%s>",
    b'{"text": "',
    b'"}',
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\\ud800",
    b"NaN",
    b"<DOC><DOCNO> X </DOCNO><TEXT>",
    b"</TEXT></DOC>",
    "caf\u00e9 \u201cquoted\u201d ".encode(),
    "Gen\u00e8ve".encode("cp1252"),
    b"\x1f\x8b\x08\x00",
]


def _fuzz_input(rng: random.Random) -> bytes:
    parts = []
    for _ in range(rng.randint(1, 12)):
        piece = rng.choice(_PIECES)
        if b"%s" in piece:
            piece = piece % rng.choice(_CODECS).encode()
        parts.append(piece * rng.randint(1, 3))
    data = b"".join(parts)
    if rng.random() < 0.2:
        data = gzip.compress(data)[: rng.randint(2, 40)]
    return data


def test_ingest_read_bytes_never_raises_and_yields_clean_documents() -> None:
    rng = random.Random(17)
    names = ["x.txt", "x.html", "x.json", "x.jsonl", "x.sgml", "x", "x.html.gz"]
    for _ in range(400):
        name = rng.choice(names)
        for item in read_bytes(name, _fuzz_input(rng)):
            if isinstance(item, RawDocument):
                _utf8_safe(item)
            else:
                assert isinstance(item, Problem) and item.code.startswith("E0")
                item.line().encode("utf-8")
