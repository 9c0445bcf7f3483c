"""The store commands end to end: ``ingest``, ``stories`` and ``show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.schema import validate_document
from test_store_fixtures import EXAMPLES, SHARED

DAM = (
    "Velmar dam spillway opened as reservoir rises\n\n"
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents of Dravik.\n"
)
DAM_2 = (
    "Thousands leave Dravik below Velmar dam\n\n"
    "Governor Aurel Stanek ordered about 12,000 residents of Dravik to leave on Tuesday as "
    "engineers opened the Velmar dam spillway after days of rain.\n"
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_cli_store_ingest_reports_and_skips_bad_input(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(DAM, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(DAM_2, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    argv = ["ingest", str(tmp_path / "in"), "--db", url, "--no-briefs", "-q"]
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert "empty.txt: empty input [E003]" in err
    assert out.strip() == "2 new articles, 0 duplicates, 1 stories touched (0 already stored)"
    code, out, _ = _run(argv, capsys)
    assert code == 2 and out.startswith("0 new articles, 0 duplicates, 0 stories touched (2 ")


def test_cli_store_usage_errors_exit_1(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["ingest", "--db", url], capsys)[0] == 1
    assert _run(["stories", "--db", url, "--format", "xml"], capsys)[0] == 1
    assert _run(["stories", "--db", url, "--since", "soon"], capsys)[0] == 1
    code, _, err = _run(["show", "snope", "--db", url], capsys)
    assert code == 1 and "no story has an id starting with 'snope' [E103]" in err


def test_cli_store_stories_json_filters(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["ingest", str(EXAMPLES), "--db", url, "--no-briefs", "-q"], capsys)
    assert code == 0, err
    code, out, _ = _run(["stories", "--db", url, "--format", "json"], capsys)
    listed = json.loads(out)
    assert code == 0 and sorted(s["articles"] for s in listed) == [2, 7]
    code, out, _ = _run(["stories", "--db", url, "-f", "json", "--min-outlets", "3"], capsys)
    (dam,) = json.loads(out)
    assert dam["outlets"] == 7 and dam["conflicts"] is None  # brief not built yet
    code, out, _ = _run(["stories", "--db", url, "-f", "json", "--query", "museum"], capsys)
    assert [s["articles"] for s in json.loads(out)] == [2]
    code, out, _ = _run(["stories", "--db", url], capsys)
    assert code == 0 and "2 stories" in out and dam["id"] in out
    # Every story id starts with "s": a one-letter prefix names both stories.
    code, _, err = _run(["show", "s", "--db", url, "-f", "json"], capsys)
    assert code == 1 and "'s' matches several stories" in err and "[E104]" in err


@pytest.mark.slow
def test_cli_store_seeds_one_story_shown_as_brief(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"shared seeds not found at {seeds}")
    code, out, err = _run(["ingest", str(seeds), "--db", url, "-q", "--briefs"], capsys)
    assert code == 0, err
    assert out.startswith("5 new articles")
    code, out, _ = _run(["stories", "--db", url, "--format", "json"], capsys)
    (story,) = json.loads(out)
    assert (story["outlets"], story["articles"], story["conflicts"] is not None) == (5, 5, True)
    before = out
    code, out, _ = _run(["ingest", str(seeds), "--db", url, "-q"], capsys)
    assert out.startswith("0 new articles, 0 duplicates, 0 stories touched (5 already stored)")
    assert _run(["stories", "--db", url, "--format", "json"], capsys)[1] == before
    code, out, _ = _run(["show", story["id"][:5], "--db", url, "--format", "json"], capsys)
    doc = json.loads(out)
    validate_document(doc)
    (shown,) = doc["stories"]
    assert shown["id"] == story["id"] and len(shown["articles"]) == 5 and shown["summary"]
    target = tmp_path / "out" / "brief.md"
    code, _, _ = _run(["show", story["id"], "--db", url, "-f", "md", "-o", str(target)], capsys)
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")
