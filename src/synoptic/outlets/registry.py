"""The outlets registry: who an outlet is (kind, country, language, owner), read from data files.

The registry ships as ``outlets/outlets.tsv`` (a few hundred outlets most often syndicated and
cited, the major wire agencies first, each line with the source of its facts). A user file of
the same columns adds outlets or replaces shipped ones by id (``Settings.outlets_file``,
``--outlets``). Lookups are by host name (a subdomain matches its domain: ``edition.cnn.com``
is CNN) and by name or alias, folded (``fold``) so case and diacritics never matter.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from synoptic.lang import fold
from synoptic.model import Record

KINDS = ("wire", "public", "state", "private", "aggregator")
COLUMNS = (
    "id",
    "name",
    "aliases",
    "domains",
    "country",
    "language",
    "kind",
    "parent",
    "source",
)


@dataclass(frozen=True, slots=True)
class Outlet(Record):
    """One outlet of the registry.

    Attributes:
        id: Stable key (lower case).
        name: The outlet's usual name.
        aliases: Other names and acronyms it is printed under.
        domains: Registrable domains or host names it publishes under.
        country: ISO 3166-1 alpha-2 code of its seat.
        languages: ISO 639-1 codes of its main languages.
        kinds: ``wire``, ``public``, ``state``, ``private`` or ``aggregator``; the first is its
            main kind, a second says what also holds (a state-run wire agency is
            ``("wire", "state")``).
        parent: Its immediate owner, when it has one worth naming.
        source: Where the facts are stated (a Wikipedia article title).
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    country: str | None = None
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("private",)
    parent: str | None = None
    source: str | None = None

    @property
    def kind(self) -> str:
        """The outlet's main kind."""
        return self.kinds[0]

    @property
    def is_wire(self) -> bool:
        """Whether the outlet is a news agency (its stories are republished by others)."""
        return "wire" in self.kinds

    @property
    def group(self) -> str:
        """The key of its independent group: outlets of one parent count once."""
        return "parent:" + fold(self.parent) if self.parent else "outlet:" + self.id


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def parse_outlets(text: str, name: str = "outlets") -> list[Outlet]:
    """Read outlets from registry text (tab-separated columns ``COLUMNS``, ``#`` comments).

    Raises:
        ValueError: naming the file and line of a malformed entry (too few columns, no id or
            name, an unknown kind).
    """
    out: list[Outlet] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.rstrip("\r\n").split("\t")
        if cells[0] == "id":
            continue  # the header line
        if len(cells) < 2:
            raise ValueError(f"{name}:{number}: expected tab-separated columns {COLUMNS}")
        cells += [""] * (len(COLUMNS) - len(cells))
        ident, title, aliases, domains, country, language, kind, parent, source = cells[:9]
        kinds = _split(kind) or ("private",)
        if not ident.strip() or not title.strip():
            raise ValueError(f"{name}:{number}: an outlet needs an id and a name")
        if bad := [k for k in kinds if k not in KINDS]:
            raise ValueError(f"{name}:{number}: unknown kind {bad[0]!r} (one of {KINDS})")
        out.append(
            Outlet(
                id=ident.strip(),
                name=title.strip(),
                aliases=_split(aliases),
                domains=tuple(d.casefold().removeprefix("www.") for d in _split(domains)),
                country=country.strip().upper() or None,
                languages=_split(language),
                kinds=kinds,
                parent=parent.strip() or None,
                source=source.strip() or None,
            )
        )
    return out


class Registry:
    """Outlets indexed by id, host and folded name."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.by_id: dict[str, Outlet] = {}
        for outlet in outlets:
            self.by_id[outlet.id] = outlet  # a later entry (the user's) replaces an earlier one
        self._hosts: dict[str, str] = {}
        self._names: dict[str, set[str]] = {}
        for outlet in self.by_id.values():
            for domain in outlet.domains:
                self._hosts[domain] = outlet.id
            for label in (outlet.name, *outlet.aliases):
                self._names.setdefault(_name_key(label), set()).add(outlet.id)

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.by_id.values())

    def by_host(self, host: str | None) -> Outlet | None:
        """Return the outlet publishing under ``host`` (its longest listed suffix), if any."""
        if not host:
            return None
        labels = host.casefold().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            ident = self._hosts.get(".".join(labels[i:]))
            if ident is not None:
                return self.by_id[ident]
        return None

    def by_name(self, name: str | None, *, wire_only: bool = False) -> list[Outlet]:
        """Return the outlets printed as ``name`` (several when a name is shared)."""
        if not name:
            return []
        found = [self.by_id[i] for i in sorted(self._names.get(_name_key(name), ()))]
        return [o for o in found if o.is_wire] if wire_only else found


def _name_key(name: str) -> str:
    """Fold a name for lookup: case, diacritics, a leading "The" and punctuation ignored."""
    key = fold(name).strip()
    key = key.removeprefix("the ")
    return "".join(c for c in key if c.isalnum())


@cache
def builtin() -> Registry:
    """Return the shipped registry."""
    text = resources.files(__package__).joinpath("outlets.tsv").read_text(encoding="utf-8")
    return Registry(parse_outlets(text, "outlets.tsv"))


@cache
def _load(path: str, mtime: float) -> Registry:
    extra = parse_outlets(Path(path).read_text(encoding="utf-8"), path)
    return Registry([*builtin(), *extra])


def load_registry(path: Path | str | None = None) -> Registry:
    """Return the shipped registry, with the entries of the user's file ``path`` added.

    Raises:
        OSError: when the file cannot be read.
        ValueError: for a malformed line (naming the file and line).
    """
    if path is None:
        return builtin()
    p = Path(path)
    return _load(str(p), p.stat().st_mtime)


_CURRENT: contextvars.ContextVar[Registry | None] = contextvars.ContextVar(
    "synoptic_outlets", default=None
)


def current() -> Registry:
    """Return the registry in use: the one ``using`` set, else the shipped one."""
    return _CURRENT.get() or builtin()


@contextlib.contextmanager
def using(registry: Registry | None) -> Iterator[None]:
    """Use ``registry`` for outlet lookups inside the block (``None`` keeps the current one).

    The brief's stages count independent outlets without taking a registry argument each;
    ``synthesize`` sets the one the run's settings name for the time it runs.
    """
    if registry is None:
        yield
        return
    token = _CURRENT.set(registry)
    try:
        yield
    finally:
        _CURRENT.reset(token)


__all__ = [
    "COLUMNS",
    "KINDS",
    "Outlet",
    "Registry",
    "builtin",
    "current",
    "load_registry",
    "parse_outlets",
    "using",
]
