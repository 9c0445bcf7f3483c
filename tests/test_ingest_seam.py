"""The open input seam: ``read_bytes``, the reader registry and provenance (issue 10, item 7)."""

from __future__ import annotations

import gzip
import io
import json
import tomllib
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from synoptic.errors import Problem, UsageError
from synoptic.ingest import ReadOptions, Source, known_readers, read_bytes, read_inputs
from synoptic.ingest import registry as registry_module
from synoptic.ingest.stream import Input
from synoptic.model import Origin, RawDocument

PARA = "Delegations met in Geneva on Monday for talks that lasted most of the day.\n"
PAGE = f"<html><head><title>Talks</title></head><body><p>{PARA}</p></body></html>"


def _items(source: str | Origin, data: bytes, **kwargs: Any) -> list[RawDocument | Problem]:
    return list(read_bytes(source, data, **kwargs))


def test_ingest_read_bytes_chooses_the_format_by_name_then_content() -> None:
    (page,) = _items("story.html", PAGE.encode())
    (sniffed,) = _items("https://example.org/world/talks", PAGE.encode())
    (text,) = _items("notes", PARA.encode())
    assert isinstance(page, RawDocument) and isinstance(sniffed, RawDocument)
    assert isinstance(text, RawDocument)
    assert (page.kind, sniffed.kind, text.kind) == ("html", "html", "text")
    assert page.source == "story.html" and page.group == "story.html"
    assert page.origin == Origin(kind="bytes", name="story.html")


def test_ingest_read_bytes_keeps_the_origin_and_supplied_meta() -> None:
    origin = Origin(
        kind="warc",
        name="crawl.warc#3",
        url="https://example.org/a",
        fetched_at="2026-03-01T10:00:00Z",
        record_id="<urn:uuid:1234>",
    )
    record = {"text": PARA, "title": "Own title"}
    (doc,) = _items(
        origin,
        json.dumps(record).encode(),
        meta={"title": "Supplied", "url": "https://example.org/a", "outlet": "Wire"},
        group="crawl",
    )
    assert isinstance(doc, RawDocument)
    assert doc.origin == origin and doc.source == "crawl.warc#3" and doc.group == "crawl"
    # the record's own field wins; the supplied ones fill the gaps
    assert dict(doc.meta) == {
        "title": "Own title",
        "url": "https://example.org/a",
        "outlet": "Wire",
    }


def test_ingest_read_bytes_names_json_lines_list_items_and_trec_documents() -> None:
    lines = (json.dumps({"text": "One."}) + "\n\n" + json.dumps({"text": "Two."}) + "\n").encode()
    listed = json.dumps([{"text": "One."}, {"text": "Two."}]).encode()
    trec = (
        b"<DOC>\n<DOCNO> AP-1 </DOCNO>\n<TEXT>\nOne report.\n</TEXT>\n</DOC>\n"
        b"<DOC>\n<DOCNO> AP-2 </DOCNO>\n<TEXT>\nTwo report.\n</TEXT>\n</DOC>\n"
    )
    got = _items("feed.jsonl", lines) + _items("list.json", listed) + _items("wire", trec)
    docs = [d for d in got if isinstance(d, RawDocument)]
    assert [d.source for d in docs] == [
        "feed.jsonl:1",
        "feed.jsonl:3",
        "list.json#0",
        "list.json#1",
        "wire#AP-1",
        "wire#AP-2",
    ]
    assert [d.origin.line for d in docs[:2] if d.origin] == [1, 3]
    assert [d.origin.index for d in docs[2:4] if d.origin] == [0, 1]
    assert [d.origin.docno for d in docs[4:] if d.origin] == ["AP-1", "AP-2"]


def test_ingest_read_bytes_forced_format_gzip_and_size_limit() -> None:
    (forced,) = _items("payload.bin", json.dumps({"text": PARA}).encode(), format="json")
    assert isinstance(forced, RawDocument) and forced.content == PARA
    (packed,) = _items("page.html.gz", gzip.compress(PAGE.encode()))
    assert isinstance(packed, RawDocument) and packed.kind == "html"
    (big,) = _items("big.txt", b"x" * 2000, options=ReadOptions(max_bytes=1000))
    assert isinstance(big, Problem) and (big.source, big.code) == ("big.txt", "E006")
    with pytest.raises(UsageError) as raised:
        _items("x", b"data", format="pdf")
    assert raised.value.code == "E102" and "jsonl" in raised.value.message


def test_ingest_files_carry_their_origin(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": PARA}) + "\n")
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, RawDocument)
    assert doc.origin == Origin(kind="file", name=str(path), line=1)
    assert RawDocument.from_dict(doc.to_dict()) == doc


# --- the registry ----------------------------------------------------------------------------


def read_csv(inp: Input, source: Source) -> Iterator[RawDocument | Problem]:
    """A plugged-in reader for the tests: one document per CSV row (``title,text``)."""
    for number, line in enumerate(inp.read().decode().splitlines(), 1):
        title, _, text = line.partition(",")
        where = f"{source.name}:{number}"
        yield source.document(text, "text", where=where, meta={"title": title}, line=number)
    # a careless plugin may make documents by hand; the read gate still cleans them
    yield RawDocument(source=f"{source.name}:raw", content="Nul\x00 and \ud800.", group="g")


read_csv.suffixes = (".csv",)  # type: ignore[attr-defined]


def _broken() -> None:
    raise ImportError("missing dependency")


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    points = [
        EntryPoint("csv", f"{__name__}:read_csv", registry_module.GROUP),
        EntryPoint("text", f"{__name__}:read_csv", registry_module.GROUP),  # cannot replace
        EntryPoint("broken", "synoptic_no_such_module:reader", registry_module.GROUP),
    ]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: points)
    registry_module.known_readers.cache_clear()
    yield
    registry_module.known_readers.cache_clear()


@pytest.mark.usefixtures("plugged")
def test_ingest_registry_adds_plugged_readers_without_replacing_built_ins(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    readers = known_readers()
    assert readers["csv"] is read_csv
    assert readers["text"] is registry_module.BUILTIN["text"]
    assert "broken" not in readers
    assert "could not be loaded" in caplog.text
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "rows.csv").write_text("Talks,Geneva talks ended.\nDam,The dam held.\n")
    docs = list(read_inputs([str(folder)]))
    assert [(d.source, d.content) for d in docs if isinstance(d, RawDocument)] == [
        (f"{folder}/rows.csv:1", "Geneva talks ended."),
        (f"{folder}/rows.csv:2", "The dam held."),
        (f"{folder}/rows.csv:raw", "Nul and \ufffd."),
    ]


def test_ingest_registry_built_ins_are_declared_as_entry_points() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text())["project"]["entry-points"]["synoptic.readers"]
    assert set(declared) == set(registry_module.BUILTIN)
    for name, target in declared.items():
        loaded = EntryPoint(name, target, registry_module.GROUP).load()
        assert loaded is registry_module.BUILTIN[name]


def test_ingest_server_items_carry_request_and_upload_origins() -> None:
    from synoptic.serve.ingest import read_body, read_uploads

    body = json.dumps([{"text": PARA}, {"text": PARA + " Again."}]).encode()
    first, second = read_body(body, max_bytes=10_000)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.source, second.source) == ("request#0", "request#1")
    assert first.origin == Origin(kind="request", name="request", index=0)
    (upload,) = read_uploads([("../x/page.html", io.BytesIO(PAGE.encode()))], max_bytes=10_000)
    assert isinstance(upload, RawDocument) and upload.source == "upload:page.html"
    assert upload.origin == Origin(kind="upload", name="upload:page.html")
