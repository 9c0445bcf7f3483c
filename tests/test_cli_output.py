"""The CLI's output contract: one document on stdout, coded one-line errors, no library noise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from synoptic.cli import main
from synoptic.render.jsonfmt import dumps, finite
from test_store_fixtures import EXAMPLES

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["SYNOPTIC_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("db", "code"),
    [
        ("notaurl", "E204"),
        ("mysql://user:secret@localhost/db", "E204"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "E202"),
        ("FOLDER", "E202"),
    ],
)
@pytest.mark.parametrize("command", ["stories", "ingest"])
def test_cli_output_database_errors_are_one_coded_line(
    db: str, code: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if db == "FOLDER":
        db = f"sqlite:///{tmp_path}"
    argv = [command, "--db", db] + ([str(EXAMPLES / "museum"), "-q"] if command == "ingest" else [])
    assert main(argv) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("synoptic: error: ") and lines[0].endswith(f"[{code}]")
    assert "secret" not in err and out == ""


def test_cli_output_out_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert main(["brief", str(EXAMPLES / "museum"), "-f", "json", "-o", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"synoptic: error: cannot write {folder}: it is a folder [E203]"
    ]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_cli_output_full_device_is_one_coded_line(tmp_path: Path) -> None:
    for target in (["-o", "/dev/full"], []):
        with open("/dev/full", "w") as full:
            run = subprocess.run(
                [sys.executable, "-m", "synoptic", "brief", str(EXAMPLES / "museum"), "-f", "md",
                 "--no-cache", *target],
                env=_env(tmp_path), stdout=full, stderr=subprocess.PIPE, text=True, timeout=600,
            )  # fmt: skip
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr
        assert run.stderr.strip().splitlines()[-1].endswith("No space left on device [E203]")


NOISY = textwrap.dedent(
    """
    import logging, os, sys
    from synoptic.synthesize import brief
    real = brief.synthesize
    def noisy(*a, **kw):
        os.write(1, b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\\n")
        print("a stray print")
        logging.getLogger("trafilatura.core").warning("discarding data: None")
        logging.getLogger("htmldate").error("some doubt")
        logging.getLogger("synoptic.test").warning("our own line")
        return real(*a, **kw)
    brief.synthesize = noisy
    from synoptic.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.slow
def test_cli_output_json_stdout_is_one_document_whatever_libraries_print(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", NOISY, "brief", str(EXAMPLES / "museum"), "--format", "json",
         "--no-cache", "-q"],
        env=_env(tmp_path), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    doc = _strict(run.stdout)
    assert isinstance(doc, dict) and doc["stories"]
    # What libraries wrote to stdout went to stderr; their log records went nowhere.
    assert "HighsMipSolverData" in run.stderr and "a stray print" in run.stderr
    assert "discarding data" not in run.stderr and "some doubt" not in run.stderr
    assert "synoptic: our own line" in run.stderr


def test_cli_output_non_finite_numbers_are_null() -> None:
    data = {"a": float("nan"), "b": [1.5, float("inf"), {"c": -float("inf")}], "d": "NaN"}
    assert _strict(dumps(data)) == {"a": None, "b": [1.5, None, {"c": None}], "d": "NaN"}
    assert finite((1.0, float("nan"))) == [1.0, None]
    assert dumps({"x": 1}, indent=None) == '{"x": 1}'
