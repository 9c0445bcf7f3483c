"""The hostile corpus through ``synoptic brief BAD GOOD``: each bad input gets one line naming
it (escaped) with its code, printed before analysis begins, the documented exit status, and the
good report still in the output; and the whole corpus at once in one process.

Runs in process with one warm cache for the module, so a case costs a fraction of a second.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hostile_corpus import GOOD_TEXT, Built, Case, all_cases
from synoptic import pipeline
from synoptic.cli import main
from synoptic.errors import escape

MARK = "-- analysis began --"
CASES = all_cases()
# Generous: the suite shares a loaded two-core machine; a case takes well under a second.
SECONDS = 60
SLOW_SECONDS = 240
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def brief(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Any]:
    """Run ``synoptic brief`` in process; return (exit code, stdout, stderr, seconds)."""
    monkeypatch.setenv("SYNOPTIC_CACHE_DIR", str(cache_dir))
    original = pipeline.analyze_each

    def marked(*args: Any, **kwargs: Any) -> Any:
        print(MARK, file=sys.stderr, flush=True)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_each", marked)

    def run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str, str, float]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        start = time.monotonic()
        code = main(["brief", *argv, "-f", "json", "-q"])
        seconds = time.monotonic() - start
        out, err = capsys.readouterr()
        return code, out, err, seconds

    yield run


def _good(root: Path) -> str:
    path = root / "good-report.txt"
    path.write_text(GOOD_TEXT)
    return str(path)


def _sources(out: str) -> list[str]:
    data = json.loads(out)  # the output is JSON (and so valid UTF-8 text) whatever the input
    return [a["source"] for s in data["stories"] for a in s["articles"]]


def _skip_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("synoptic: skipped ")]


def _check_line(case: Case, built: Built, err: str) -> None:
    lines = _skip_lines(err)
    assert not _RAW_CONTROL.search(err), "a control character reached the terminal raw"
    if case.code is None:
        assert lines == [], lines
        return
    prefix = f"synoptic: skipped {escape(built.name)}"
    mine = [line for line in lines if line.startswith(prefix)]
    assert mine, f"no line names {prefix!r}: {lines}"
    assert all(line.endswith(f"[{case.code}]") for line in mine), mine
    assert len(lines) == len(mine), f"lines naming other inputs: {lines}"
    if MARK in err:  # printed as it happened: before the analysis of the good report
        assert err.index(mine[0]) < err.index(MARK)


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in CASES],
)
def test_hostile_corpus_brief_bad_beside_good(case: Case, tmp_path: Path, brief: Any) -> None:
    root = tmp_path / "in"
    root.mkdir()
    built = case.make(root)
    good = _good(tmp_path)
    try:
        code, out, err, seconds = brief([*built.args, good, *case.extra], built.stdin)
    finally:
        if built.cleanup:
            built.cleanup()
    _check_line(case, built, err)
    assert code == (0 if case.code is None else 2), err
    assert good in _sources(out), "the good report is missing from the output"
    assert seconds < (SLOW_SECONDS if case.slow else SECONDS)


def test_hostile_corpus_all_at_once_in_one_process(tmp_path: Path, brief: Any) -> None:
    """Every small case named in one ``brief`` run: each line printed before analysis, the good
    report in the output (the batch that died before printing a single skip line)."""
    chosen = [c for c in CASES if not c.slow and not c.extra and c.id.split("-")[0] != "stdin"]
    args: list[str] = []
    expected: list[tuple[Case, Built]] = []
    for i, case in enumerate(chosen):
        root = tmp_path / f"c{i:03d}"
        root.mkdir()
        built = case.make(root)
        args += built.args
        expected.append((case, built))
    good = _good(tmp_path)
    try:
        code, out, err, seconds = brief([*args, good, "--stories", "one"])
    finally:
        for _, built in expected:
            if built.cleanup:
                built.cleanup()
    assert code == 2
    assert good in _sources(out)
    assert not _RAW_CONTROL.search(err)
    before = err.split(MARK)[0]
    lines = _skip_lines(before)
    for case, built in expected:
        if case.code is None:
            continue
        prefix = f"synoptic: skipped {escape(built.name)}"
        assert any(x.startswith(prefix) and x.endswith(f"[{case.code}]") for x in lines), case.id
    assert seconds < SLOW_SECONDS * 3


def test_hostile_corpus_unreadable_file_is_e002(tmp_path: Path, brief: Any) -> None:
    """A file the user may not read. Root reads any file whatever its mode, so as root there
    is no honest way to make one here: the case is skipped, not faked."""
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading")
    path = tmp_path / "locked.txt"
    path.write_text(GOOD_TEXT)
    path.chmod(0)
    good = _good(tmp_path)
    code, out, err, _ = brief([str(path), good])
    assert code == 2
    assert f"synoptic: skipped {path}: cannot read" in err and "[E002]" in err
    assert good in _sources(out)


def test_hostile_corpus_has_every_family_and_at_least_250_cases() -> None:
    families = {c.id.split("-")[0] for c in CASES}
    assert len(CASES) >= 250
    assert {"text", "stdin", "html", "json", "jsonl", "trec", "gz", "warc", "name"} <= families
    assert {"fifo", "symlink", "device", "folder"} <= families
