"""Start-up time of the light commands: ``synoptic --help`` and ``synoptic stories``.

Each command runs in a fresh interpreter, beside baselines run in the same loop (so the
machine's load weighs on all alike): a bare ``python -c pass``; ``python -c "import typer"``
(the CLI framework); ``import typer, sqlalchemy.orm`` (what ``stories`` really needs); and a
one-command typer app printing its ``--help`` (typer renders help with rich: the framework's own
cost of ``--help``). The figure is the median wall time of ``--repeat`` runs and, since the
machine is shared, the child's CPU time (user + system, from ``getrusage``), each as a ratio to
its baseline. ``stories`` reads an empty, already migrated SQLite store.

Run: ``.venv/bin/python bench/startup.py`` (``--repeat 15``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


# The framework's own cost of printing help (typer renders it with rich): what --help needs.
_TYPER_APP = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef run(x: int = 0) -> None:\n"
    "    'Run.'\napp()"
)


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'store.db'}"
        subprocess.run([py, "-m", "synoptic", "stories", "--db", db], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        cases = {
            "python -c pass": [py, "-c", "pass"],
            'python -c "import typer"': [py, "-c", "import typer"],
            'python -c "import typer, sqlalchemy.orm"': [py, "-c", "import typer, sqlalchemy.orm"],
            "a one-command typer app --help": [py, "-c", _TYPER_APP, "--help"],
            "synoptic --help": [py, "-m", "synoptic", "--help"],
            "synoptic stories (empty store)": [py, "-m", "synoptic", "stories", "--db", db],
        }
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
        for _ in range(args.repeat):
            for name, argv in cases.items():
                runs[name].append(_run(argv, env))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in runs.items()}  # fmt: skip
    print(f"data: none (start-up only); median of {args.repeat} runs each, interleaved")
    for name, (wall, cpu) in med.items():
        print(f"  {name:40s} {wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU")
    bare, typer_, sqla = (
        med["python -c pass"],
        med['python -c "import typer"'],
        med['python -c "import typer, sqlalchemy.orm"'],
    )
    for name, base, label in (
        ("synoptic --help", typer_, "import typer"),
        ("synoptic --help", bare, "python -c pass"),
        (
            "synoptic --help",
            med["a one-command typer app --help"],
            "a one-command typer app --help",
        ),
        ("synoptic stories (empty store)", sqla, "import typer, sqlalchemy.orm"),
        ("synoptic stories (empty store)", bare, "python -c pass"),
    ):
        wall, cpu = med[name]
        print(f"{name} / {label}: {wall / base[0]:.2f}x wall, {cpu / base[1]:.2f}x CPU")


if __name__ == "__main__":
    main()
