"""The WARC reader, on archives the tests build."""

from __future__ import annotations

from pathlib import Path

from synoptic.errors import Problem
from synoptic.ingest import known_readers, read_bytes, read_inputs
from synoptic.model import RawDocument
from warc_build import gz, request, response

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LEDGER = (EXAMPLES / "dam" / "northern-ledger.html").read_bytes()
COURIER = (EXAMPLES / "dam" / "valley-courier.html").read_bytes()


def _records() -> list[bytes]:
    return [
        request("https://ledger.test/a"),
        response("https://ledger.test/a", LEDGER),
        response("https://ledger.test/logo.png", b"\x89PNG...", ctype="image/png"),
        response("https://courier.test/b", COURIER, version="1.0"),
    ]


def _split(items: list) -> tuple[list[RawDocument], list[Problem]]:
    docs = [i for i in items if isinstance(i, RawDocument)]
    return docs, [i for i in items if isinstance(i, Problem)]


def test_ingest_warc_reader_is_registered() -> None:
    assert "warc" in known_readers()


def test_ingest_warc_html_responses_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(_records()))
    docs, problems = _split(list(read_inputs([str(path)])))
    assert problems == []
    assert [d.meta["url"] for d in docs] == ["https://ledger.test/a", "https://courier.test/b"]
    first = docs[0]
    assert first.kind == "html" and "Northern Ledger" in first.content
    assert first.origin is not None and first.origin.url == "https://ledger.test/a"
    assert first.origin.record_id and first.origin.record_id.startswith("<urn:uuid:")
    assert first.origin.fetched_at == "2024-10-15T06:45:00+00:00"
    assert first.source.startswith(str(path) + "#<urn:uuid:")


def test_ingest_warc_gz_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gz(_records()))
    docs, problems = _split(list(read_inputs([str(path)])))
    assert problems == [] and len(docs) == 2


def test_ingest_warc_truncated_keeps_records_before_the_damage() -> None:
    data = b"".join(_records())
    cut = data[: len(data) - len(COURIER) // 2]
    docs, problems = _split(list(read_bytes("cut.warc", cut)))
    assert len(docs) == 1 and docs[0].meta["url"] == "https://ledger.test/a"
    (problem,) = problems
    assert problem.code == "E430" and "1 records read before it" in problem.message


def test_ingest_warc_truncated_gzip_is_one_coded_line() -> None:
    data = gz(_records())
    docs, problems = _split(list(read_bytes("cut.warc.gz", data[:-40])))
    assert len(docs) == 1
    assert [p.code for p in problems] == ["E430"]


def test_ingest_warc_corrupt_header_is_one_coded_line() -> None:
    records = _records()
    data = records[0] + records[1] + b"NOT A WARC HEADER\r\n\r\n" + records[3]
    docs, problems = _split(list(read_bytes("bad.warc", data)))
    assert len(docs) == 1 and [p.code for p in problems] == ["E430"]
