"""Registries of plug-ins: renderers and story policies, by name.

Each registry is a dictionary of names to objects, filled from the built-ins below and from the
package entry points of its group (``synoptic.renderers``, ``synoptic.story_policies``), so
another package adds a format or a grouping by declaring an entry point; the CLI's
``--format`` and ``--stories`` choices are the registry's names. Objects are imported only
when used (``get``), so listing the names (for ``--help``) imports nothing heavy. A built-in
name wins over an entry point of the same name.

Contracts:

* A renderer is ``render(briefs, problems) -> str``: the document for a sequence of ``Brief``
  and the ``Problem`` list (which a format may list or ignore), ending with a newline.
* A story policy is ``policy(articles, context) -> list[Story]``: the stories the extracted
  articles (copies marked) form, given the run's ``RunContext`` (settings, embedder).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from synoptic.errors import UsageError

if TYPE_CHECKING:
    from synoptic.context import RunContext
    from synoptic.errors import Problem
    from synoptic.model import Article, Brief, Story

T = TypeVar("T")

Renderer = Callable[["Sequence[Brief]", "Sequence[Problem]"], str]
StoryPolicy = Callable[["Sequence[Article]", "RunContext"], "list[Story]"]


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


class Registry(Generic[T]):
    """Named plug-ins of one kind.

    Args:
        group: The entry-point group other packages declare plug-ins in.
        option: The command-line option that names a plug-in (for the ``E102`` message).
        builtins: Built-in plug-ins as ``name -> "module:attribute"``, loaded when used.
    """

    def __init__(self, group: str, option: str, builtins: dict[str, str]) -> None:
        self.group = group
        self.option = option
        self._targets: dict[str, str] = dict(builtins)
        self._loaded: dict[str, T] = {}
        self._scanned = False
        self._lock = threading.Lock()

    def _scan(self) -> None:
        with self._lock:
            if self._scanned:
                return
            for ep in entry_points(group=self.group):
                self._targets.setdefault(ep.name, ep.value)
            self._scanned = True

    def names(self) -> tuple[str, ...]:
        """Return the registered names, built-ins first, in registration order."""
        self._scan()
        return (*self._targets, *(n for n in self._loaded if n not in self._targets))

    def register(self, name: str, obj: T) -> None:
        """Register ``obj`` under ``name`` for this process (replacing any plug-in there)."""
        with self._lock:
            self._loaded[name] = obj

    def get(self, name: str) -> T:
        """Return the plug-in named ``name``.

        Raises:
            UsageError: No plug-in has this name (code ``E102``).
        """
        self._scan()
        with self._lock:
            if name in self._loaded:
                return self._loaded[name]
            target = self._targets.get(name)
        if target is None:
            raise UsageError(
                "E102", value=name, option=self.option, choices=", ".join(self.names())
            )
        obj: T = _load(target)
        with self._lock:
            self._loaded.setdefault(name, obj)
            return self._loaded[name]


class Renderers(Registry[Renderer]):
    """The output formats (``--format``)."""

    def render(self, briefs: Sequence[Brief], fmt: str, problems: Sequence[Problem] = ()) -> str:
        """Return ``briefs`` rendered in format ``fmt``."""
        return self.get(fmt)(briefs, problems)


renderers = Renderers(
    "synoptic.renderers",
    "--format",
    {
        "json": "synoptic.render.jsonfmt:render_json",
        "md": "synoptic.render.markdown:render_markdown",
        "html": "synoptic.render.html:render_html",
        "text": "synoptic.render.terminal:render_text",
    },
)

story_policies: Registry[StoryPolicy] = Registry(
    "synoptic.story_policies",
    "--stories",
    {
        "auto": "synoptic.policies:by_content",
        "per-dir": "synoptic.policies:per_folder",
        "one": "synoptic.policies:all_in_one",
    },
)

__all__ = ["Registry", "Renderer", "StoryPolicy", "renderers", "story_policies"]
