"""Plug-in registries: built-ins, entry points, and the CLI choices they give."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from synoptic import registry
from synoptic.cli import main
from synoptic.errors import UsageError
from synoptic.model import Brief
from synoptic.registry import Registry, renderers, story_policies
from test_store_fixtures import EXAMPLES


def shout(briefs: Sequence[Brief], problems: Sequence[Any]) -> str:
    """A plug-in renderer for the test: one line per story."""
    return "".join(b.story.headline.upper() + "\n" for b in briefs)


def test_registry_builtins_in_order_and_loaded_lazily() -> None:
    assert renderers.names()[:4] == ("json", "md", "html", "text")
    assert story_policies.names()[:3] == ("auto", "per-dir", "one")
    from synoptic.render.jsonfmt import render_json

    assert renderers.get("json") is render_json


def test_registry_unknown_name_is_E102() -> None:
    with pytest.raises(UsageError) as info:
        renderers.get("pdf")
    assert info.value.code == "E102" and "--format" in info.value.message


def test_registry_entry_points_add_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    eps = [
        EntryPoint("shout", "test_registry:shout", "synoptic.renderers"),
        EntryPoint("json", "test_registry:shout", "synoptic.renderers"),  # a built-in wins
    ]
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [e for e in eps if e.group == group]
    )
    reg: Registry[Any] = Registry("synoptic.renderers", "--format", {"json": "json:dumps"})
    assert reg.names() == ("json", "shout")
    assert reg.get("shout") is shout
    import json

    assert reg.get("json") is json.dumps


def test_registry_plugin_format_reaches_the_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(renderers, "_targets", {**renderers._targets})
    monkeypatch.setattr(renderers, "_loaded", {**renderers._loaded})
    renderers.register("shout", shout)
    out = tmp_path / "b.txt"
    code = main(["brief", str(EXAMPLES / "museum"), "-f", "shout", "-o", str(out), "--no-cache"])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert text and text == text.upper()
    assert main(["brief", str(EXAMPLES / "museum"), "-f", "pdf"]) == 1
    assert "[E102]" in capsys.readouterr().err
