"""How the reading commands report bad inputs (as they happen) and walk folders (symlinks)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from synoptic import pipeline
from synoptic.cli import main
from synoptic.store.ingest import Ingestor

GOOD = (
    "Dam spillway opened as reservoir rises\n\n"
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three "
    "villages below the dam.\n"
)
SECOND = (
    "Thousands leave villages below Velmar dam\n\n"
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three villages "
    "below the Velmar dam on Tuesday, as engineers opened the spillway after days of rain.\n"
)
MARK = "-- the next stage began --"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _inputs(root: Path) -> Path:
    root.mkdir()
    (root / "a-empty.txt").write_text("")
    (root / "b-good.txt").write_text(GOOD)
    (root / "c-second.txt").write_text(SECOND)
    return root


def test_cli_reading_brief_prints_a_skipped_input_before_analysis_begins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = pipeline.analyze_each

    def marked(*args: Any, **kwargs: Any) -> Any:
        print(MARK, file=sys.stderr)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_each", marked)
    root = _inputs(tmp_path / "in")
    code, out, err = _run(["brief", str(root), "-f", "json", "-q", "--no-cache"], capsys)
    assert code == 2
    line = f"synoptic: skipped {root / 'a-empty.txt'}: empty input [E003]"
    assert err.count(line) == 1  # said once, as it happened; not again at the end
    assert err.index(line) < err.index(MARK)
    assert len(json.loads(out)["stories"][0]["articles"]) == 2


def test_cli_reading_ingest_prints_a_skipped_input_before_the_next_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ingest places articles in committed batches (``add_batch``), so the mark goes there.
    original = Ingestor.add_batch

    def marked(self: Ingestor, articles: Any) -> Any:
        print(MARK, file=sys.stderr)
        return original(self, articles)

    monkeypatch.setattr(Ingestor, "add_batch", marked)
    root = _inputs(tmp_path / "in")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, err = _run(["ingest", str(root), "--db", url, "--no-briefs", "-q"], capsys)
    assert code == 2
    line = f"synoptic: skipped {root / 'a-empty.txt'}: empty input [E003]"
    assert err.count(line) == 1
    assert err.index(line) < err.index(MARK)


def test_cli_reading_brief_follows_symlinks_out_of_the_folder_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "second.txt").write_text(SECOND)
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(GOOD)
    os.symlink(outside / "second.txt", root / "linked.txt")
    argv = ["brief", str(root), "-f", "json", "-q", "--no-cache"]
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert f"skipped {root / 'linked.txt'}: symbolic link leads out of the folder" in err
    assert "[E017]" in err
    assert len(json.loads(out)["stories"][0]["articles"]) == 1
    code, out, err = _run([*argv, "--follow-symlinks"], capsys)
    assert code == 0, err
    assert len(json.loads(out)["stories"][0]["articles"]) == 2
