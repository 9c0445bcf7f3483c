"""Ingest from files, folders, gzip, JSON, JSON lines and standard input."""

from __future__ import annotations

import builtins
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from synoptic.errors import Problem
from synoptic.ingest import DEFAULT_MAX_BYTES, read_inputs
from synoptic.model import RawDocument

PARA = (
    "Delegations from Washington and Moscow met in Geneva on Monday for talks that lasted "
    "most of the day. Officials said afterwards that no agreement had been reached, but that "
    "both sides had agreed to keep talking.\n"
)


def _read(*paths: str | Path, **kwargs: Any) -> list[RawDocument | Problem]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def _docs(items: Iterable[RawDocument | Problem]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _problems(items: Iterable[RawDocument | Problem]) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


def _codes(items: Iterable[RawDocument | Problem]) -> dict[str, str]:
    return {p.source: p.code for p in _problems(items)}


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _jsonl(*records: Any) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --- plain files and folders -------------------------------------------------------------


def test_ingest_text_file_gives_content_kind_source_and_group(tmp_path: Path) -> None:
    path = _write(tmp_path / "geneva" / "reuters.txt", PARA)
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == PARA
    assert doc.kind == "text"
    assert doc.source == str(path)
    assert doc.group == str(tmp_path / "geneva")
    assert dict(doc.meta) == {}


def test_ingest_html_suffixes_give_html_kind(tmp_path: Path) -> None:
    page = "<html><body><p>Talks ended.</p></body></html>"
    paths = [_write(tmp_path / f"page.{ext}", page) for ext in ("html", "htm", "xhtml", "HTML")]
    docs = _docs(_read(*paths))
    assert [d.kind for d in docs] == ["html"] * 4
    assert all(d.content == page for d in docs)


def test_ingest_folder_walk_is_recursive_sorted_and_skips_hidden_and_junk(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for rel in ("b.txt", "a/2.txt", "a/10.txt", "c.md", "README", "Talks end 10.01.2022"):
        _write(root / rel, f"{rel}: {PARA}")
    # Never articles, and never reported in a walk:
    for rel in (".git/HEAD.txt", ".hidden.txt", "__pycache__/x.txt", "notes.txt~", "data.csv"):
        _write(root / rel, PARA)
    _write(root / "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    items = _read(root)
    assert _problems(items) == []
    assert [d.source for d in _docs(items)] == [
        str(root / "Talks end 10.01.2022"),
        str(root / "a" / "10.txt"),
        str(root / "a" / "2.txt"),
        str(root / "b.txt"),
        str(root / "c.md"),
    ]
    assert [d.group for d in _docs(items)] == [
        str(root),
        str(root / "a"),
        str(root / "a"),
        str(root),
        str(root),
    ]
    assert all(d.content.startswith(os.path.relpath(d.source, root)) for d in _docs(items))


def test_ingest_group_is_the_folder_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "stories" / "dam" / "one.txt", PARA)
    _write(tmp_path / "top.txt", PARA)
    monkeypatch.chdir(tmp_path)
    docs = _docs(_read("stories/", "top.txt"))
    assert [(d.source, d.group) for d in docs] == [
        ("stories/dam/one.txt", "stories/dam"),
        ("top.txt", "."),
    ]


def test_ingest_arguments_keep_their_order(tmp_path: Path) -> None:
    z = _write(tmp_path / "z.txt", "Zulu " + PARA)
    a = _write(tmp_path / "a.txt", "Alpha " + PARA)
    assert [d.source for d in _docs(_read(z, a))] == [str(z), str(a)]


def test_ingest_same_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.txt", PARA)
    os.symlink(path, tmp_path / "link.txt")
    assert [d.source for d in _docs(_read(path, tmp_path, path))] == [str(path)]


def test_ingest_symlink_loop_in_a_folder_terminates(tmp_path: Path) -> None:
    _write(tmp_path / "root" / "a.txt", PARA)
    os.symlink(tmp_path / "root", tmp_path / "root" / "loop")
    docs = _docs(_read(tmp_path / "root"))
    assert [d.source for d in docs] == [str(tmp_path / "root" / "a.txt")]


def test_ingest_explicit_unsupported_file_is_e012_but_ignored_in_a_walk(tmp_path: Path) -> None:
    png = _write(tmp_path / "photo.PNG", b"\x89PNG\r\n\x1a\n" + bytes(64))
    tarball = _write(tmp_path / "pages.tar.gz", gzip.compress(b"x" * 600))
    (p1, p2) = _read(png, tarball)
    assert (p1.source, p1.code) == (str(png), "E012")
    assert "'.png'" in p1.message
    assert (p2.code, "'.tar.gz'" in p2.message) == ("E012", True)
    assert _read(tmp_path) == []


def test_ingest_explicit_unknown_suffix_with_text_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "wire.log", PARA)
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.content) == ("text", PARA)


def test_ingest_extensionless_html_is_sniffed(tmp_path: Path) -> None:
    page = "<!DOCTYPE html>\n<html><head><title>Talks</title></head><body>x</body></html>"
    (doc,) = _read(_write(tmp_path / "saved-page", page))
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"


# --- one Problem per bad input ----------------------------------------------------------


def test_ingest_missing_file_is_e001(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", PARA)
    missing = tmp_path / "nope.txt"
    items = _read(missing, good)
    assert _codes(items) == {str(missing): "E001"}
    assert items[0] == Problem(str(missing), "E001", "file not found")
    assert len(_docs(items)) == 1


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``denied`` unreadable: chmod for ordinary users, and a refusing ``open`` for root
    (who reads through any permission bits)."""
    denied.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(denied):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)


def test_ingest_unreadable_file_is_e002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = _write(tmp_path / "secret.txt", PARA)
    good = _write(tmp_path / "good.txt", PARA)
    _deny(monkeypatch, secret)
    try:
        items = _read(secret, good)
    finally:
        secret.chmod(0o644)
    assert _problems(items) == [Problem(str(secret), "E002", "cannot read: permission denied")]
    assert [d.source for d in _docs(items)] == [str(good)]


def test_ingest_unreadable_folder_is_e002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    _write(locked / "a.txt", PARA)
    locked.chmod(0)
    if os.geteuid() == 0:
        real_scandir = os.scandir

        def refusing_scandir(path: Any = ".") -> Any:
            if str(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", refusing_scandir)
    try:
        items = _read(tmp_path)
    finally:
        locked.chmod(0o755)
    assert _codes(items) == {str(locked): "E002"}


def test_ingest_empty_and_whitespace_only_inputs_are_e003(tmp_path: Path) -> None:
    paths = [
        _write(tmp_path / "zero.txt", b""),
        _write(tmp_path / "blank.txt", "  \n\t\r\n  "),
        _write(tmp_path / "blank.html", "\n\n"),
        _write(tmp_path / "blank.txt.gz", gzip.compress(b" \n \n")),
        _write(tmp_path / "bom-only.txt", b"\xef\xbb\xbf\n"),
        _write(tmp_path / "no-lines.jsonl", "\n  \n\n"),
        _write(tmp_path / "empty-list.json", "[ ]"),
    ]
    assert _codes(_read(*paths)) == {str(p): "E003" for p in paths}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(50), "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), "ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "JPEG image"),
        (PARA.encode() + b"\x00\x00\x01\x02" + PARA.encode(), "NUL bytes"),
    ],
)
def test_ingest_binary_content_is_e004_and_says_what_it_is(
    tmp_path: Path, data: bytes, named: str
) -> None:
    path = _write(tmp_path / "article.txt", data)
    (problem,) = _read(path)
    assert isinstance(problem, Problem)
    assert (problem.source, problem.code) == (str(path), "E004")
    assert named in problem.message


def test_ingest_binary_in_json_lines_is_e004(tmp_path: Path) -> None:
    path = _write(tmp_path / "dump.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert _codes(_read(path)) == {str(path): "E004"}


def test_ingest_truncated_and_corrupt_gzip_are_e005(tmp_path: Path) -> None:
    packed = gzip.compress((PARA * 40).encode())
    crc_flipped = packed[:-8] + bytes([packed[-8] ^ 0xFF]) + packed[-7:]
    mangled = packed[:20] + bytes(b ^ 0x55 for b in packed[20:60]) + packed[60:]
    truncated = _write(tmp_path / "truncated.txt.gz", packed[: len(packed) // 2])
    bad_crc = _write(tmp_path / "bad-crc.html.gz", crc_flipped)
    corrupt = _write(tmp_path / "corrupt.txt.gz", mangled)
    not_gzip = _write(tmp_path / "not-gzip.txt.gz", b"\x00\x01\x02\x03" * 50)
    good = _write(tmp_path / "good.txt.gz", packed)
    items = _read(truncated, bad_crc, corrupt, not_gzip, good)
    assert _codes(items) == {
        str(truncated): "E005",
        str(bad_crc): "E005",
        str(corrupt): "E005",
        str(not_gzip): "E005",
    }
    messages = {p.source: p.message for p in _problems(items)}
    assert "ends before the end of the compressed stream" in messages[str(truncated)]
    assert "CRC check failed" in messages[str(bad_crc)]
    assert [d.content for d in _docs(items)] == [PARA * 40]


def test_ingest_truncated_jsonl_gzip_keeps_the_lines_before_the_break(tmp_path: Path) -> None:
    records = [{"text": f"Report number {i}. {PARA}"} for i in range(200)]
    packed = gzip.compress(_jsonl(*records).encode())
    path = _write(tmp_path / "dump.jsonl.gz", packed[: len(packed) * 3 // 4])
    items = _read(path)
    docs = _docs(items)
    assert 0 < len(docs) < 200
    assert [d.source for d in docs] == [f"{path}:{i}" for i in range(1, len(docs) + 1)]
    assert [(p.source, p.code) for p in _problems(items)] == [(str(path), "E005")]
    assert items[-1] == _problems(items)[0]


def test_ingest_oversized_file_is_e006_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _write(tmp_path / "big.txt", "x" * 2000)
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert str(file) != str(big), "an oversized file must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    (problem,) = _read(big, max_bytes=1000)
    assert isinstance(problem, Problem)
    assert (problem.source, problem.code) == (str(big), "E006")
    assert "2,000 bytes" in problem.message and "1,000" in problem.message


def test_ingest_gzip_bomb_is_never_inflated_past_the_limit(tmp_path: Path) -> None:
    limit = 1024 * 1024
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = b"A" * (1024 * 1024)
    bomb = b"".join(packer.compress(block) for _ in range(32)) + packer.flush()
    path = _write(tmp_path / "bomb.html.gz", bomb)
    assert len(bomb) < limit  # passes the size check on disk; 32 MB once inflated
    (problem,) = _read(path, max_bytes=limit)
    assert isinstance(problem, Problem)
    assert problem.code == "E006"
    inflated = int(re.sub(r"\D", "", problem.message.split(" bytes")[0]))
    assert limit < inflated <= limit + 256 * 1024  # stopped within one read of the limit


def test_ingest_oversized_stdin_is_e006() -> None:
    (problem,) = _read("-", stdin=io.BytesIO(b"y" * 5000), max_bytes=1000)
    assert isinstance(problem, Problem)
    assert (problem.source, problem.code) == ("-", "E006")


def test_ingest_malformed_json_document_is_e007(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.json", '{"title": "Talks",\n "text": "Geneva"')
    nested = _write(tmp_path / "nested.json", "[" * 100_000 + "]" * 100_000)
    items = _read(broken, nested)
    assert _codes(items) == {str(broken): "E007", str(nested): "E007"}
    messages = [p.message for p in _problems(items)]
    assert "line 2 column" in messages[0]
    assert "nested too deeply" in messages[1]


def test_ingest_jsonl_bad_lines_are_e007_and_good_lines_come_through(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First report. " + PARA}),
        '{"text": "missing the end',
        "",
        json.dumps({"text": "Second report. " + PARA}),
        "{not json at all}",
    ]
    path = _write(tmp_path / "dump.jsonl", "\n".join(lines) + "\n")
    items = _read(path)
    assert [(i.source, type(i).__name__) for i in items] == [
        (f"{path}:1", "RawDocument"),
        (f"{path}:2", "Problem"),
        (f"{path}:4", "RawDocument"),
        (f"{path}:5", "Problem"),
    ]
    assert {p.code for p in _problems(items)} == {"E007"}


def test_ingest_json_record_without_text_or_html_is_e008(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "dump.jsonl",
        _jsonl(
            {"title": "No body at all"},
            {"text": "   \n"},
            {"text": 42},
            {"html": "", "text": ""},
            {"text": "Kept. " + PARA},
        ),
    )
    items = _read(path)
    assert _codes(items) == {f"{path}:{n}": "E008" for n in (1, 2, 3, 4)}
    assert [d.source for d in _docs(items)] == [f"{path}:5"]


def test_ingest_json_record_that_is_not_an_object_is_e009(tmp_path: Path) -> None:
    lines = _write(tmp_path / "dump.jsonl", '[1, 2]\n"just a string"\nnull\n7\n')
    listed = _write(tmp_path / "list.json", json.dumps([{"text": PARA}, ["nested"], True]))
    scalar = _write(tmp_path / "scalar.json", "42")
    items = _read(lines, listed, scalar)
    assert _codes(items) == {
        f"{lines}:1": "E009",
        f"{lines}:2": "E009",
        f"{lines}:3": "E009",
        f"{lines}:4": "E009",
        f"{listed}#1": "E009",
        f"{listed}#2": "E009",
        str(scalar): "E009",
    }
    messages = {p.source: p.message for p in _problems(items)}
    assert messages[f"{lines}:1"] == "JSON record is not an object (got an array)"
    assert messages[f"{listed}#2"].endswith("(got a boolean)")
    assert [d.source for d in _docs(items)] == [f"{listed}#0"]


def test_ingest_corrupt_utf16_is_e010(tmp_path: Path) -> None:
    # A UTF-16 byte order mark, then text that ends in half a surrogate pair.
    data = b"\xff\xfe" + PARA.encode("utf-16-le") + b"\x3d\xd8"
    path = _write(tmp_path / "cut.txt", data)
    (problem,) = _read(path)
    assert isinstance(problem, Problem)
    assert (problem.source, problem.code) == (str(path), "E010")
    assert "utf-16" in problem.message


# --- encodings --------------------------------------------------------------------------


FRENCH = (
    "Le secrétaire d'État adjoint a déclaré à Genève que les négociations, qui ont duré "
    "près de huit heures, s'étaient déroulées dans une atmosphère « franche et directe ». "
    "Aucune percée n'a été annoncée à l'issue de la réunion, mais les deux délégations "
    "ont convenu de se revoir à Bruxelles et à Vienne dans les jours qui viennent.\n"
)
ENGLISH_CP1252 = (
    "“We will not accept this,” the deputy minister said on Monday — adding that the "
    "bill of €2.5 billion, which officials called “unprecedented”, would be paid "
    "in full. The talks’ next round is expected in Brussels.\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "latin-1"),
        (ENGLISH_CP1252, "cp1252"),
        (FRENCH, "utf-16"),  # with a byte order mark
        (FRENCH, "utf-16-le"),  # without one
        (PARA, "utf-16-le"),  # ASCII only: valid UTF-8 too, were it not for the NUL pattern
        (PARA, "utf-32"),
        (ENGLISH_CP1252, "utf-16-be"),
        (FRENCH, "utf-8-sig"),
    ],
)
def test_ingest_non_utf8_files_are_decoded(tmp_path: Path, text: str, encoding: str) -> None:
    path = _write(tmp_path / "report.txt", text.encode(encoding))
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == text


@pytest.mark.parametrize(
    ("declaration", "encoding", "body"),
    [
        ('<meta charset="iso-8859-2">', "iso-8859-2", "Rozmowy w Genewie: żadnego przełomu."),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
            "cp1251",
            "Переговоры в Женеве завершились.",
        ),
        ('<?xml version="1.0" encoding="ISO-8859-15"?>', "iso-8859-15", "Coût: 5 €, déjà."),
        ('<meta charset="koi8-r">', "koi8-r", "Переговоры в Женеве завершились."),
    ],
)
def test_ingest_html_declared_charset_is_honoured(
    tmp_path: Path, declaration: str, encoding: str, body: str
) -> None:
    # Short pages on purpose: too little text for statistical detection to be sure.
    page = f"{declaration}\n<html><head><title>x</title></head><body><p>{body}</p></body></html>"
    (doc,) = _read(_write(tmp_path / "page.html", page.encode(encoding)))
    assert isinstance(doc, RawDocument)
    assert body in doc.content


def test_ingest_utf8_served_under_a_latin1_declaration_stays_utf8(tmp_path: Path) -> None:
    page = '<meta charset="iso-8859-1"><p>Genève — “talks”</p>'
    (doc,) = _read(_write(tmp_path / "page.html", page.encode("utf-8")))
    assert isinstance(doc, RawDocument)
    assert "Genève — “talks”" in doc.content


def test_ingest_utf8_bom_is_stripped(tmp_path: Path) -> None:
    (doc,) = _read(_write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + PARA.encode()))
    assert isinstance(doc, RawDocument)
    assert doc.content == PARA


# --- gzip -------------------------------------------------------------------------------


def test_ingest_gzip_by_suffix_and_by_magic_bytes(tmp_path: Path) -> None:
    page = "<html><body><p>Talks in Geneva.</p></body></html>"
    text_gz = _write(tmp_path / "a.txt.gz", gzip.compress(PARA.encode("cp1252")))
    html_gz = _write(tmp_path / "b.html.gz", gzip.compress(page.encode()))
    jsonl_gz = _write(tmp_path / "c.jsonl.gz", gzip.compress(_jsonl({"text": PARA}).encode()))
    disguised = _write(tmp_path / "d.html", gzip.compress(page.encode()))  # saved undecoded
    bare = _write(tmp_path / "e.gz", gzip.compress(_jsonl({"text": PARA}, {"text": PARA}).encode()))
    items = _read(tmp_path)
    assert _problems(items) == []
    assert [(d.source, d.kind) for d in _docs(items)] == [
        (str(text_gz), "text"),
        (str(html_gz), "html"),
        (f"{jsonl_gz}:1", "text"),
        (str(disguised), "html"),
        (f"{bare}:1", "text"),
        (f"{bare}:2", "text"),
    ]
    assert _docs(items)[1].content == page
    assert _docs(items)[0].content == PARA


def test_ingest_gz_name_on_plain_text_is_read_as_is(tmp_path: Path) -> None:
    (doc,) = _read(_write(tmp_path / "mislabelled.txt.gz", PARA))
    assert isinstance(doc, RawDocument)
    assert doc.content == PARA


# --- JSON and JSON lines ----------------------------------------------------------------


FULL_RECORD = {
    "text": PARA,
    "title": "No breakthrough in Geneva",
    "url": "https://news.example/geneva",
    "outlet": "Example News",
    "published": "2022-01-10T18:30:00+01:00",
    "byline": "A. Reporter",
    "language": "en",
    "section": "World",
    "tags": ["diplomacy", "security"],
}


def test_ingest_json_object_maps_fields_and_keeps_extras_in_meta(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", json.dumps(FULL_RECORD))
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.kind, doc.content, doc.group) == (
        str(path),
        "text",
        PARA,
        str(tmp_path),
    )
    expected_meta = {k: v for k, v in FULL_RECORD.items() if k != "text"}
    assert dict(doc.meta) == expected_meta


def test_ingest_json_list_gives_path_index_sources_and_html_kind(tmp_path: Path) -> None:
    page = "<article><p>Talks ended.</p></article>"
    records = [
        {"html": page, "text": "Talks ended.", "title": "HTML one"},
        {"text": PARA, "html": "  ", "outlet": "Wire"},
    ]
    path = _write(tmp_path / "list.json", json.dumps(records))
    first, second = _read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.source, first.kind, first.content) == (f"{path}#0", "html", page)
    assert dict(first.meta) == {"title": "HTML one", "text": "Talks ended."}
    assert (second.source, second.kind, second.content) == (f"{path}#1", "text", PARA)
    assert dict(second.meta) == {"outlet": "Wire"}


def test_ingest_jsonl_maps_fields_per_line(tmp_path: Path) -> None:
    second = {"html": "<p>Second.</p>", "outlet": "Other", "extra": 1}
    path = _write(tmp_path / "dump.ndjson", _jsonl(FULL_RECORD, second))
    first_doc, second_doc = _read(path)
    assert isinstance(first_doc, RawDocument) and isinstance(second_doc, RawDocument)
    assert first_doc.source == f"{path}:1"
    assert first_doc.meta["published"] == "2022-01-10T18:30:00+01:00"
    assert first_doc.meta["tags"] == ["diplomacy", "security"]
    assert (second_doc.source, second_doc.kind) == (f"{path}:2", "html")
    assert dict(second_doc.meta) == {"outlet": "Other", "extra": 1}


def test_ingest_jsonl_in_latin1_is_decoded_line_by_line(tmp_path: Path) -> None:
    body = json.dumps({"text": FRENCH, "outlet": "Le Temps"}, ensure_ascii=False)
    path = _write(tmp_path / "legacy.jsonl", (body + "\n").encode("latin-1"))
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == FRENCH


# --- standard input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (PARA.encode(), [("-", "text")]),
        ("[Reuters] GENEVA — talks ended.\n".encode(), [("-", "text")]),
        (b"  <!doctype html><html><body><p>x</p></body></html>", [("-", "html")]),
        (json.dumps({"text": PARA}).encode(), [("-", "text")]),
        (
            json.dumps([{"text": PARA}, {"html": "<p>x</p>"}]).encode(),
            [("-#0", "text"), ("-#1", "html")],
        ),
        (_jsonl({"text": PARA}, {"html": "<p>x</p>"}).encode(), [("-:1", "text"), ("-:2", "html")]),
        (
            gzip.compress(_jsonl({"text": PARA}, {"text": PARA}).encode()),
            [("-:1", "text"), ("-:2", "text")],
        ),
        (gzip.compress(PARA.encode("utf-16")), [("-", "text")]),
        (
            _jsonl({"text": PARA}, {"text": PARA}).encode("utf-16"),
            [("-:1", "text"), ("-:2", "text")],
        ),
    ],
)
def test_ingest_stdin_is_sniffed(payload: bytes, expected: list[tuple[str, str]]) -> None:
    docs = _docs(_read("-", stdin=io.BytesIO(payload)))
    assert [(d.source, d.kind) for d in docs] == expected
    assert {d.group for d in docs} == {"-"}


def test_ingest_stdin_problems_name_stdin() -> None:
    items = _read("-", stdin=io.BytesIO(_jsonl({"text": PARA}).encode() + b"{oops\n"))
    assert _codes(items) == {"-:2": "E007"}
    assert _codes(_read("-", stdin=io.BytesIO(b"  \n"))) == {"-": "E003"}


class _CountingStream(io.BytesIO):
    """Standard input that records how far it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def read1(self, size: int | None = -1) -> bytes:
        chunk = super().read1(size)
        self.consumed += len(chunk)
        return chunk


def test_ingest_jsonl_is_streamed_not_read_whole() -> None:
    payload = _jsonl(*({"text": f"Report {i}. {PARA}"} for i in range(20_000))).encode()
    stream = _CountingStream(payload)
    items = read_inputs(["-"], stdin=stream, max_bytes=DEFAULT_MAX_BYTES)
    first = next(items)
    assert isinstance(first, RawDocument) and first.source == "-:1"
    assert stream.consumed < len(payload) // 10
    assert sum(1 for _ in items) == 19_999


# --- a whole batch ----------------------------------------------------------------------


def test_ingest_batch_yields_every_good_document_and_one_problem_per_bad_input(
    tmp_path: Path,
) -> None:
    root = tmp_path / "batch"
    _write(root / "01-good.txt", PARA)
    _write(root / "02-good.html", "<html><body><p>Geneva talks.</p></body></html>")
    _write(root / "03-good.jsonl", _jsonl({"text": PARA}, {"html": "<p>x</p>"}))
    _write(root / "04-empty.txt", "")
    _write(root / "05-binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(40))
    _write(root / "06-broken.json", "{")
    _write(root / "07-truncated.txt.gz", gzip.compress(PARA.encode() * 20)[:40])
    _write(root / "08-notext.json", json.dumps({"title": "t"}))
    _write(root / "sub" / "09-good.txt.gz", gzip.compress(PARA.encode()))
    missing = tmp_path / "missing.txt"
    items = _read(root, missing)
    assert [d.source for d in _docs(items)] == [
        str(root / "01-good.txt"),
        str(root / "02-good.html"),
        f"{root / '03-good.jsonl'}:1",
        f"{root / '03-good.jsonl'}:2",
        str(root / "sub" / "09-good.txt.gz"),
    ]
    assert _codes(items) == {
        str(root / "04-empty.txt"): "E003",
        str(root / "05-binary.txt"): "E004",
        str(root / "06-broken.json"): "E007",
        str(root / "07-truncated.txt.gz"): "E005",
        str(root / "08-notext.json"): "E008",
        str(missing): "E001",
    }
    assert len(_problems(items)) == 6
    assert _read(root, missing) == items  # deterministic


def test_ingest_folder_walk_skips_documentation_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About these reports\n\nCollected by hand.\n")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted to anyone.\n")
    (tmp_path / "report.txt").write_text("The council voted on Tuesday to close the bridge.\n")
    docs = [d for d in read_inputs([str(tmp_path)]) if isinstance(d, RawDocument)]
    assert [Path(d.source).name for d in docs] == ["report.txt"]
    # Named explicitly, a README is read like any other file.
    named = list(read_inputs([str(tmp_path / "README.md")]))
    assert len(named) == 1 and isinstance(named[0], RawDocument)
