"""TREC/DUC SGML files: sniffing, one document per ``<DOC>``, bad elements, and a brief."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.errors import Problem
from synoptic.ingest import read_inputs
from synoptic.model import RawDocument
from synoptic.schema import check_citations, validate_document

TOPIC = Path(__file__).parent / "data" / "duc_sgml" / "d99001t"


def _doc(docno: str, body: str = "Ferries returned to the lake on Sunday.") -> str:
    return (
        f"<DOC>\n<DOCNO> {docno} </DOCNO>\n<DATE_TIME> 1998-10-16 14:35:12 </DATE_TIME>\n"
        f"<BODY>\n<HEADLINE> Ferries return </HEADLINE>\n<TEXT>\n<P>\n{body}\n</P>\n</TEXT>\n"
        "</BODY>\n</DOC>\n"
    )


def _read(*paths: str | Path) -> list[RawDocument | Problem]:
    return list(read_inputs([str(p) for p in paths]))


def _docs(items: Iterable[RawDocument | Problem]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _problems(items: Iterable[RawDocument | Problem]) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


def test_ingest_sgml_extensionless_trec_file_is_sniffed_as_sgml(tmp_path: Path) -> None:
    path = tmp_path / "APW19981016.0240"
    path.write_text("\n\n" + _doc("APW19981016.0240"), encoding="utf-8")
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument)
    # One <DOC> per file keeps the path as the source, like any single-article file.
    assert (doc.kind, doc.source, doc.group) == ("sgml", str(path), str(tmp_path))
    assert doc.content.startswith("<DOC>") and doc.content.endswith("</DOC>")


def test_ingest_sgml_needs_a_docno_or_id_to_be_trec(tmp_path: Path) -> None:
    # <DOC> with <P> tags but no DOCNO is not TREC: it is left to the HTML/text sniffing.
    path = tmp_path / "note"
    path.write_text("<DOC>\n<P>A paragraph.</P>\n</DOC>\n", encoding="utf-8")
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument) and doc.kind != "sgml"
    ldc = tmp_path / "afp_eng_200501"
    ldc.write_text(
        '<DOC id="AFP_ENG_20050101.0001" type="story">\n<TEXT><P>Text.</P></TEXT>\n</DOC>\n'
    )
    (doc,) = _read(ldc)
    assert isinstance(doc, RawDocument) and doc.kind == "sgml"


def test_ingest_sgml_several_docs_in_one_file_are_path_hash_docno(tmp_path: Path) -> None:
    path = tmp_path / "apw199810"
    path.write_text(_doc("APW19981016.0001") + "\n" + _doc("APW19981016.0002"), encoding="utf-8")
    docs = _read(path)
    assert [d.source for d in docs] == [f"{path}#APW19981016.0001", f"{path}#APW19981016.0002"]
    assert all(isinstance(d, RawDocument) and d.kind == "sgml" for d in docs)


def test_ingest_sgml_unclosed_doc_is_one_e014_and_the_rest_goes_on(tmp_path: Path) -> None:
    broken = _doc("APW19981016.0002").replace("</DOC>", "")
    path = tmp_path / "apw199810"
    path.write_text(_doc("APW19981016.0001") + broken + _doc("APW19981016.0003"), encoding="utf-8")
    items = _read(path)
    assert [d.source.rsplit("#", 1)[1] for d in _docs(items)] == [
        "APW19981016.0001",
        "APW19981016.0003",
    ]
    (problem,) = _problems(items)
    assert (problem.source, problem.code) == (f"{path}#APW19981016.0002", "E014")
    assert "never closed" in problem.message and "line 13" in problem.message
    single = tmp_path / "APW19981016.0004"
    single.write_text(_doc("APW19981016.0004").replace("</DOC>", ""), encoding="utf-8")
    (only,) = _read(single)
    assert isinstance(only, Problem) and (only.source, only.code) == (str(single), "E014")


def test_ingest_sgml_suffixes_hold_trec_or_are_unsupported(tmp_path: Path) -> None:
    sgml = tmp_path / "collection.sgml"
    sgml.write_text(_doc("NYT19981003.0093"), encoding="utf-8")
    xml_gz = tmp_path / "collection.xml.gz"
    xml_gz.write_bytes(gzip.compress(_doc("XIE19981203.0012").encode()))
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss><channel></channel></rss>', encoding="utf-8")
    other = tmp_path / "manual.sgm"
    other.write_text("<!DOCTYPE book><book><title>Manual</title></book>", encoding="utf-8")
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    # In a folder walk: the TREC files are read, the rest is ignored without a word.
    walked = _read(tmp_path)
    assert sorted(d.source for d in _docs(walked)) == sorted([str(sgml), str(xml_gz)])
    assert _problems(walked) == []
    # Named explicitly, a non-TREC .xml or .sgm is unsupported, as .xml was before.
    codes = {p.source: (p.code, p.message) for p in _problems(_read(feed, other))}
    assert codes == {
        str(feed): ("E012", "unsupported file type '.xml'"),
        str(other): ("E012", "unsupported file type '.sgm'"),
    }


def test_ingest_sgml_stdin_is_sniffed() -> None:
    stdin = io.BytesIO(_doc("APW19981016.0240").encode())
    (doc,) = list(read_inputs(["-"], stdin=stdin))
    assert isinstance(doc, RawDocument) and (doc.kind, doc.source) == ("sgml", "-")


def test_ingest_sgml_doc_without_text_is_one_e014_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topic = tmp_path / "d1"
    topic.mkdir()
    (topic / "APW19981016.0001").write_text(
        _doc(
            "APW19981016.0001",
            "PORT ARVEL, Sestria (AP) _ Ferries returned to Lake Orsen on Sunday after a week "
            "of storms kept every boat in harbour, the ferry company said.",
        ),
        encoding="utf-8",
    )
    (topic / "APW19981016.0002").write_text(
        "<DOC>\n<DOCNO> APW19981016.0002 </DOCNO>\n<HEADLINE> No body </HEADLINE>\n</DOC>\n"
    )
    code = main(["brief", str(topic), "--format", "json", "-q", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert lines == [
        f"synoptic: skipped {topic / 'APW19981016.0002'}: malformed TREC/SGML document: "
        "no <TEXT> element in APW19981016.0002 [E014]"
    ]
    (story,) = json.loads(out)["stories"]
    assert [a["meta"]["docno"] for a in story["articles"]] == ["APW19981016.0001"]


def test_ingest_sgml_brief_of_a_duc_topic_has_no_markup_and_reads_metadata(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["brief", str(TOPIC), "--stories", "per-dir", "--summary-words", "100"]
    code = main([*argv, "--format", "json", "-q", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0, err
    for residue in ("<", "&Cx", "&QL;", "&UR;", "&MD;", "&AMP;"):
        assert residue not in out, residue
    doc = json.loads(out)
    validate_document(doc)
    assert check_citations(doc) == []
    (story,) = doc["stories"]
    # Wire boilerplate is only in the audit trail of dropped lines, never in what is shown.
    shown = json.dumps({**story, "articles": [{**a, "meta": {}} for a in story["articles"]]})
    for residue in ("(SPAN)", "1435EDT", "N.Y. Times News Service", "STORY CAN END", "By ANNA"):
        assert residue not in shown, residue
    got = {
        a["meta"]["docno"]: (a["outlet"], a["published"], a["title"], a["byline"])
        for a in story["articles"]
    }
    assert got == {
        "APW19981016.0240": (
            "Associated Press",
            "1998-10-16T14:35:12",
            "Rail bridge collapses over Tessa river, 12 hurt",
            None,
        ),
        "NYT19981016.0311": (
            "New York Times",
            "1998-10-16T18:02:00",
            "Old Bridge Gives Way in Sestria, and Questions Follow",
            "Anna Veller",
        ),
        "NYT19981017.0044": (
            "New York Times",
            "1998-10-17T09:15:00",
            "Sestria Rail Suspends Freight on Old Bridges",
            None,
        ),
    }
    for article in story["articles"]:
        assert not article["text"].startswith("PORT ARVEL")
        assert article["meta"]["dateline"].startswith("PORT ARVEL, Sestria")
    assert story["summary"], "a summary is expected"
    for sentence in story["summary"]:
        assert not sentence["text"].startswith(("PORT ARVEL", "Sestria (AP)", "_"))
    # The wire's ``...'' quotes are read as quotes, with their speakers.
    speakers = {q["speaker"] for q in story["quotes"]}
    assert {"Mila Oren", "Petr Halas"} <= speakers
