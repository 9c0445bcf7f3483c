"""The package's import graph: no cycles, and a light ``synoptic --help``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import synoptic

SRC = Path(synoptic.__file__).parent
PACKAGE = "synoptic"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """Return the module of ours that ``name`` imports (itself or its nearest parent)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Return module -> the modules of ours it imports, at any depth in its code.

    Imports inside functions count: a cycle hidden in a function still ties the two modules
    together. ``if TYPE_CHECKING:`` imports do not (they never run). Importing a submodule is
    an edge to the submodule, not to its package.
    """
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_pkg = path.name == "__init__.py"
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for b in node.body for n in ast.walk(b))
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".")
                    base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                    stem = ".".join([*base, node.module] if node.module else base)
                else:
                    stem = node.module or ""
                # ``from pkg import sub``: the submodule when it is one, else the package.
                targets = [
                    f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem
                    for a in node.names
                ]
            for t in targets:
                if not t.startswith(PACKAGE):
                    continue
                found = _resolve(t, modules)
                if found is not None and found != mod:
                    graph[mod].add(found)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_imports_find_cycles_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_imports_graph_reads_function_level_and_relative_imports() -> None:
    graph = import_graph()
    # ``cli/brief.py`` imports the pipeline inside its command function.
    assert "synoptic.pipeline" in graph["synoptic.cli.brief"]
    assert "synoptic.cli.common" in graph["synoptic.cli.store"]


def test_imports_no_cycles_in_the_package() -> None:
    cycles = find_cycles(import_graph())
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


HEAVY = ("spacy", "onnxruntime", "trafilatura", "torch", "sklearn", "sqlalchemy", "fastapi")


def test_imports_help_loads_no_model_library() -> None:
    code = (
        "import sys\n"
        "from synoptic.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert "brief" in run.stdout and "ingest" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "[]", run.stdout


# What reading the store needs is SQLAlchemy; none of the NLP, extraction or fetching stack.
STORE_READ_HEAVY = (
    "spacy",
    "onnxruntime",
    "tokenizers",
    "trafilatura",
    "torch",
    "sklearn",
    "scipy",
    "datasketch",
    "httpx",
    "alembic",
)


def test_imports_stories_and_show_load_no_model_library(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    # The first run creates the store (migrations may import alembic); the light runs follow.
    subprocess.run(
        [sys.executable, "-m", "synoptic", "stories", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code = (
        "import sys\n"
        "from synoptic.cli import main\n"
        f"rc = [main(['stories', '--db', {db!r}]), main(['show', 'nope', '--db', {db!r}])]\n"
        f"print(rc, sorted(m for m in {STORE_READ_HEAVY!r} if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert "0 stories" in run.stdout
    # ``show`` of an unknown story is a usage error (1); both ran, importing nothing heavy.
    assert run.stdout.strip().splitlines()[-1] == "[0, 1] []", run.stdout + run.stderr
