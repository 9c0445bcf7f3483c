"""``synoptic store verify|backup|restore`` through the command line's ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import update

from synoptic.cli import main
from synoptic.store import Store
from synoptic.store.schema import ArticleRow
from test_store_fixtures import EXAMPLES, _make_db, postgres_url


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_safety_verify_backup_restore_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, _ = _run(["ingest", str(EXAMPLES / "dam"), "--db", url, "--no-briefs"], capsys)
    assert code == 0
    code, out, err = _run(["store", "verify", "--db", url], capsys)
    assert code == 0 and err == ""
    assert out.startswith("sqlite: 6 articles (") and out.endswith("ok\n")
    code, out, _ = _run(["store", "verify", "--db", url, "--format", "json"], capsys)
    report = json.loads(out)
    assert (report["articles"], report["problems"]) == (6, [])
    assert len(report["stale_briefs"]) == report["stories"]  # --no-briefs: none built yet

    backup = tmp_path / "copy.db"
    code, out, _ = _run(["store", "backup", str(backup), "--db", url], capsys)
    assert code == 0 and out.startswith("backed up 6 articles and ") and backup.is_file()
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    code, out, _ = _run(["store", "restore", str(backup), "--db", restored], capsys)
    assert code == 0 and out.startswith("restored 6 articles and ")
    with Store(url) as a, Store(restored) as b:
        assert a.snapshot() == b.snapshot()
    # Restoring over a store that holds articles needs --force.
    code, _, err = _run(["store", "restore", str(backup), "--db", url], capsys)
    assert code == 1 and err.strip().endswith("[E253]") and "Traceback" not in err
    code, _, _ = _run(["store", "restore", str(backup), "--db", url, "--force"], capsys)
    assert code == 0


def test_cli_safety_verify_exits_1_on_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    _run(["ingest", str(EXAMPLES / "museum"), "--db", url, "--no-briefs"], capsys)
    with Store(url) as store, store.session() as s:
        s.execute(update(ArticleRow).values(story_id="s-gone"))
    code, out, _ = _run(["store", "verify", "--db", url], capsys)
    assert code == 1
    assert "problem: article " in out and "has no story (s-gone)" in out
    assert out.rstrip().endswith("problems")


def test_cli_safety_refusals_are_one_coded_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    code, _, err = _run(["store", "restore", str(not_a_backup), "--db", url], capsys)
    assert code == 1 and err.count("\n") == 1 and err.rstrip().endswith("[E252]")
    code, _, err = _run(
        ["store", "backup", str(tmp_path / "no" / "dir" / "b.db"), "--db", url], capsys
    )
    assert code == 1 and err.count("\n") == 1 and err.rstrip().endswith("[E254]")
    if postgres_url() is not None:
        # A schema of its own: the shared database's public schema may hold another run's store.
        pg_db = _make_db("postgresql", tmp_path)
        isolated = next(pg_db)
        isolated.open().close()  # creates the schema the command opens
        pg = isolated.cli_url
        try:
            code, _, err = _run(["store", "backup", str(tmp_path / "b.dump"), "--db", pg], capsys)
        finally:
            pg_db.close()
        assert code == 1 and "pg_dump --format=custom" in err and err.rstrip().endswith("[E250]")
