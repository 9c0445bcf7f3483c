"""The `synoptic brief` command end to end: formats, exit statuses, one line per bad input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.schema import check_citations, validate_document

GOOD = (
    "Dam spillway opened as reservoir rises\n\n"
    "By Jana Novak, Regional Wire\n\n"
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three "
    "villages below the dam.\n\n"
    "Advertisement\n\n"
    "“The dam is holding, but we will not take risks with people’s lives,” Stanek told "
    "reporters at the regional crisis centre.\n"
)
SECOND = (
    "Thousands leave villages below Velmar dam\n\n"
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three villages "
    "below the Velmar dam on Tuesday, as engineers opened the spillway after days of rain.\n\n"
    "Share this article\n\n"
    "Regional officials said the reservoir would be lowered over the coming week.\n"
)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "one.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.txt").write_text(SECOND, encoding="utf-8")
    return tmp_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_validates_and_reads_all(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["brief", str(corpus), "--format", "json", "-q", "--no-cache"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    validate_document(doc)
    assert check_citations(doc) == []
    (story,) = doc["stories"]
    assert len(story["articles"]) == 2
    texts = " ".join(a["text"] for a in story["articles"])
    assert "Advertisement" not in texts and "Share this article" not in texts
    assert any(a["byline"] == "Jana Novak" for a in story["articles"])
    assert story["summary"], "a summary is expected"


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_cli_other_formats_write_out_file(
    corpus: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / f"brief.{fmt}"
    code, out, _ = _run(["brief", str(corpus), "-f", fmt, "-o", str(target), "-q"], capsys)
    assert code == 0 and out == ""
    written = target.read_text(encoding="utf-8")
    assert "Velmar" in written
    if fmt == "html":
        assert written.lstrip().lower().startswith("<!doctype html>")


def _bad_inputs(root: Path) -> dict[str, str]:
    """Write one file per bad-input case; return {file name: expected error code}."""
    (root / "empty.txt").write_text("   \n")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    full = gzip.compress(GOOD.encode() * 20)
    (root / "cut.txt.gz").write_bytes(full[: len(full) // 2])
    (root / "big.txt").write_text("word " * 400)
    (root / "lines.jsonl").write_text(
        json.dumps({"text": SECOND, "outlet": "Ledger"})
        + "\n{not json\n"
        + json.dumps({"x": 1})
        + "\n"
    )
    return {
        "empty.txt": "E003",
        "binary.txt": "E004",
        "cut.txt.gz": "E005",
        "big.txt": "E006",
        "lines.jsonl:2": "E007",
        "lines.jsonl:3": "E008",
    }


def test_cli_bad_inputs_one_line_each_and_exit_2(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _bad_inputs(corpus)
    missing = corpus / "nowhere.txt"
    code, out, err = _run(
        ["brief", str(corpus), str(missing), "-f", "json", "--max-bytes", "1500", "-q"], capsys
    )
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err
    for name, code_ in expected.items():
        hits = [ln for ln in lines if f"{name}:" in ln and f"[{code_}]" in ln]
        assert len(hits) == 1, (name, code_, lines)
    assert any("nowhere.txt" in ln and "[E001]" in ln for ln in lines)
    assert len(lines) == len(expected) + 1
    # The good inputs (two files and the good JSON line) still made it into the brief.
    doc = json.loads(out)
    validate_document(doc)
    assert sum(len(s["articles"]) for s in doc["stories"]) == 3


def test_cli_usage_errors_exit_1(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["brief"], capsys)[0] == 1
    assert _run(["brief", str(corpus), "--format", "pdf"], capsys)[0] == 1
    assert _run(["brief", str(corpus), "--stories", "weekly"], capsys)[0] == 1
    assert _run(["brief", str(corpus), "--bogus"], capsys)[0] == 1


def test_cli_all_inputs_bad_still_prints_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, out, err = _run(["brief", str(tmp_path), "-f", "json", "-q"], capsys)
    assert code == 2 and "[E003]" in err
    assert json.loads(out) == {"schema_version": "1", "stories": []}


def test_cli_stdin_and_installed_entry_point(tmp_path: Path) -> None:
    # A real process: the console script's exit status and stdin handling, no traceback.
    exe = Path(sys.executable).with_name("synoptic")
    proc = subprocess.run(
        [str(exe), "brief", "-", "--format", "json"],
        input=GOOD.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["stories"][0]["articles"][0]["source"] == "-"
    bad = subprocess.run(
        [str(exe), "brief", str(tmp_path / "missing.txt"), "-f", "json"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1 and b"Traceback" not in bad.stderr
