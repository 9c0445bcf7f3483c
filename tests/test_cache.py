"""``synoptic.cache.BlobCache`` and the run's caches: one connection per cache per run, and
nothing on disk with the cache off."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from synoptic import cache as cache_mod
from synoptic.analyze import embed as embed_mod
from synoptic.cache import BlobCache, cache_dir
from synoptic.context import RunContext
from synoptic.pipeline import build_briefs
from synoptic.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _cache(path: Path | None) -> BlobCache:
    return BlobCache(path, table="blobs", default_name="test.sqlite")


def test_cache_round_trip_and_missing_keys(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    cache.put_many([("a", b"\x00one"), ("b", b"two")])
    assert cache.get_many(["a", "b", "zzz"]) == {"a": b"\x00one", "b": b"two"}
    assert cache.get_many([]) == {}


def test_cache_same_key_is_replaced(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    cache.put_many([("k", b"old")])
    cache.put_many([("k", b"new")])
    assert cache.get_many(["k"]) == {"k": b"new"}


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    _cache(tmp_path / "c.sqlite").put_many([("k", b"kept")])
    assert _cache(tmp_path / "c.sqlite").get_many(["k"]) == {"k": b"kept"}


def test_cache_more_keys_than_one_query_holds(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    items = [(f"key{i}", str(i).encode()) for i in range(1234)]
    cache.put_many(items)
    assert cache.get_many([k for k, _ in items]) == dict(items)


def test_cache_default_path_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNOPTIC_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    _cache(None).put_many([("k", b"v")])
    assert (tmp_path / "here" / "test.sqlite").is_file()


def test_cache_unusable_path_behaves_as_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = _cache(blocker / "c.sqlite")  # its parent is a file: cannot be created
    with caplog.at_level(logging.WARNING, logger="synoptic.cache"):
        cache.put_many([("k", b"v")])
        assert cache.get_many(["k"]) == {}
    assert sum("cache disabled" in r.getMessage() for r in caplog.records) == 1


def test_cache_corrupt_file_behaves_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a SQLite database" * 100)
    cache = _cache(path)
    cache.put_many([("k", b"v")])
    assert cache.get_many(["k"]) == {}


def test_cache_blob_round_trip_one_connection(tmp_path: Path) -> None:
    c = BlobCache(tmp_path / "x.sqlite", table="t", default_name="x.sqlite")
    assert c.get_many(["a"]) == {}
    c.put_many([("a", b"1"), ("b", b"2")])
    c.put_many([("a", b"3")])
    assert c.get_many(["a", "b", "c"]) == {"a": b"3", "b": b"2"}
    assert c.connections == 1
    c.close()
    assert c.get_many(["b"]) == {"b": b"2"}
    assert c.connections == 2


def test_cache_empty_calls_open_nothing(tmp_path: Path) -> None:
    c = BlobCache(tmp_path / "x.sqlite", table="t", default_name="x.sqlite")
    assert c.get_many([]) == {}
    c.put_many([])
    assert c.connections == 0 and not (tmp_path / "x.sqlite").exists()


def test_cache_unwritable_reports_once_and_acts_empty(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    seen: list[str] = []
    c = BlobCache(tmp_path / "file" / "x.sqlite", table="t", default_name="x", on_error=seen.append)
    c.put_many([("a", b"1")])
    assert c.get_many(["a"]) == {}
    assert len(seen) == 1 and "cache disabled" in seen[0]


def test_cache_context_off_builds_no_cache(tmp_path: Path) -> None:
    ctx = RunContext(Settings(use_cache=False, cache_dir=tmp_path / "c"))
    assert ctx.analysis_cache is None and ctx.embedding_cache is None
    assert ctx.cache("x.sqlite", "t") is None
    assert ctx.embedder.cache is None


def test_cache_context_unusable_cache_is_degraded_E304(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with RunContext(Settings(cache_dir=tmp_path / "file")) as ctx:
        blob = ctx.cache("x.sqlite", "t")
        assert blob is not None
        blob.put_many([("a", b"1")])
        assert [d.code for d in ctx.degraded] == ["E304"]


@pytest.mark.slow
def test_cache_one_connection_per_cache_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = sqlite3.connect

    def counting(path: Any, *a: Any, **kw: Any) -> sqlite3.Connection:
        opened.append(Path(path).name)
        return real(path, *a, **kw)

    monkeypatch.setattr(cache_mod.sqlite3, "connect", counting)
    # The process-wide LRU of vectors would answer for texts an earlier test embedded, and the
    # run would then never open its embedding cache: start it empty.
    monkeypatch.setattr(embed_mod, "_LRU", embed_mod._Lru(embed_mod.LRU_SIZE))
    settings = Settings(cache_dir=tmp_path / "cache", stories="auto")
    with RunContext(settings) as ctx:
        result = build_briefs([str(EXAMPLES / "dam"), str(EXAMPLES / "museum")], context=ctx)
    assert result.briefs and not result.problems
    assert sorted(opened) == ["analysis.sqlite", "embeddings.sqlite"]
    assert {p.name for p in (tmp_path / "cache").iterdir()} >= {
        "analysis.sqlite",
        "embeddings.sqlite",
    }


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        SYNOPTIC_CACHE_DIR=str(tmp_path / "syn-cache"),
    )
    env.pop("SYNOPTIC_DB", None)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.slow
def test_cache_no_cache_commands_leave_no_cache_file(tmp_path: Path) -> None:
    env = _env(tmp_path)
    db = tmp_path / "store.db"
    for argv in (
        ["brief", str(EXAMPLES / "dam"), "--no-cache", "-q", "-o", str(tmp_path / "b.json")],
        ["ingest", str(EXAMPLES / "dam"), "--no-cache", "-q", "--db", f"sqlite:///{db}"],
        ["show", "s", "--no-cache", "--db", f"sqlite:///{db}", "-o", str(tmp_path / "s.json")],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "synoptic", *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode in (0, 1), run.stderr
    # ``show s`` may be ambiguous (E104); what matters is that no run wrote a cache.
    written = [f for f in _files(tmp_path) if not f.startswith(("store.db", "b.json", "s.json"))]
    assert written == [], written
    assert (tmp_path / "b.json").stat().st_size > 0
