"""Placement: from a clustered neighbourhood to a plan of joins, merges and splits. Pure.

The one placement rule of the story engine, used by the batch (``synoptic brief --stories``,
where nothing is stored yet and every article arrives at once) and by the store (one article
at a time, against the stories stored near it). It reads no database and computes no
similarity: the caller clusters the neighbourhood and passes the partition; the plan says
which story every arriving article joins, which stored stories merge, and which split. The
store then only runs the SQL the plan implies.

The rule, for a neighbourhood of candidate stories and arriving articles partitioned by the
clusterer (``tight``, at its threshold) and at a looser distance (``loose``):

1. A *sampled* candidate (only some of its originals were passed) goes whole to the group
   holding most of its sample (ties: the group holding its earliest passed member). It is
   never split (the clusterer saw only part of it), and a stray sampled member glues no other
   group to it: uniting every group a sample touched made stories grow by single links.
2. A *fully passed* candidate whose originals the clusterer separates splits only when the
   separation holds at the looser cut too; otherwise it stays one and joins every group its
   parts fell into. Each arrival re-clusters a story against a different neighbourhood, and a
   story whose parts sit near the threshold would split and merge back and forth.
3. Each group unites what it holds (arriving articles, parts of full stories, whole stories);
   the connected components are the resulting stories. Copies follow their originals.
4. Each resulting story is named by ``ids.story_id_for`` after its founder, the member that
   arrived first (lowest ``seq``); a whole story keeps its id if it holds the founder.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from synoptic.stories.ids import story_id_for
from synoptic.unionfind import UnionFind

Unit = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Member:
    """An article as placement sees it: its id, arrival number and original (if a copy)."""

    id: str
    seq: int
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored story in the neighbourhood.

    Attributes:
        story_id: Its id.
        founder_seq: Arrival number of its founder.
        members: Every member (originals and copies).
        passed: Ids of the originals passed to the clusterer (all of them when ``full``).
        full: Whether every original was passed.
    """

    story_id: str
    founder_seq: int
    members: tuple[Member, ...]
    passed: tuple[str, ...]
    full: bool

    @property
    def originals(self) -> tuple[Member, ...]:
        """The members that copy nothing."""
        return tuple(m for m in self.members if m.duplicate_of is None)

    def widened(self) -> Candidate:
        """The same story with every original passed."""
        return replace(self, passed=tuple(m.id for m in self.originals), full=True)


@dataclass(frozen=True, slots=True)
class PlannedStory:
    """One story after placement.

    Attributes:
        story_id: Its id (its founder's).
        changed: Whether it is new or its membership changed.
        appended: Whether it only gained arriving articles (same story, same founder).
        absorbs: Stored stories whose every member moves into it.
        moves: Stored articles that move into it from another story (parts of splits).
        new: Arriving articles placed in it.
    """

    story_id: str
    changed: bool
    appended: bool
    absorbs: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()
    new: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """What placement decided: the resulting stories and the stored stories merged away."""

    stories: tuple[PlannedStory, ...]
    removed: tuple[str, ...] = ()
    placed: Mapping[str, str] = field(default_factory=dict)

    @property
    def touched(self) -> list[str]:
        """Stories created or whose members changed, in plan order."""
        return [p.story_id for p in self.stories if p.changed]

    @property
    def appended(self) -> set[str]:
        """Touched stories that only gained arriving articles."""
        return {p.story_id for p in self.stories if p.appended}


def plurality(passed: Sequence[Member], group_of: Mapping[str, int]) -> int:
    """The group holding most of a sample (ties: the one holding its earliest member)."""
    count: Counter[int] = Counter()
    first: dict[int, int] = {}
    for m in passed:
        gi = group_of[m.id]
        count[gi] += 1
        first[gi] = min(first.get(gi, m.seq), m.seq)
    return min(count, key=lambda gi: (-count[gi], first[gi]))


def to_widen(candidates: Sequence[Candidate], group_of: Mapping[str, int], limit: int) -> list[str]:
    """Sampled stories whose sample the clusterer split, to pass again in full.

    A sample spread over several groups is evidence that the story may be two, which only
    the whole story can settle (a sampled story is never split). Stories are widened best
    candidate first while the neighbourhood stays within ``limit`` originals; a story larger
    than that stays sampled.
    """
    total = sum(len(c.passed) for c in candidates)
    out = []
    for c in candidates:
        if c.full or len({group_of[i] for i in c.passed}) < 2:
            continue
        size = len(c.originals)
        if total - len(c.passed) + size > limit:
            continue
        total += size - len(c.passed)
        out.append(c.story_id)
    return out


def _wholes(
    candidates: Sequence[Candidate], tight: Mapping[str, int], loose: Mapping[str, int]
) -> tuple[set[str], dict[int, list[Unit]]]:
    """Candidates that move whole (rules 1 and 2), and the groups each joins."""
    whole: set[str] = set()
    whole_in: dict[int, list[Unit]] = defaultdict(list)
    seq = {m.id: m.seq for c in candidates for m in c.members}
    for c in candidates:
        spread_over = {tight[i] for i in c.passed}
        if not c.full:
            whole.add(c.story_id)
            sample = [Member(i, seq[i]) for i in c.passed]
            whole_in[plurality(sample, tight)].append(("whole", c.story_id))
        elif len(spread_over) > 1 and len({loose[i] for i in c.passed}) == 1:
            whole.add(c.story_id)
            for gi in spread_over:
                whole_in[gi].append(("whole", c.story_id))
    return whole, whole_in


def _components(
    candidates: Sequence[Candidate],
    new: Sequence[Member],
    tight: Mapping[str, int],
    loose: Mapping[str, int],
) -> tuple[list[list[Unit]], dict[Unit, list[Member]]]:
    """The connected units (rule 3) and the members each unit stands for."""
    whole, whole_in = _wholes(candidates, tight, loose)
    home = {i: c.story_id for c in candidates for i in c.passed}
    arriving = {m.id for m in new if m.duplicate_of is None}
    members: dict[Unit, list[Member]] = defaultdict(list)
    for m in new:
        members[("new", m.duplicate_of or m.id)].append(m)
    for c in candidates:
        if c.story_id in whole:
            members[("whole", c.story_id)] = list(c.members)
            continue
        for m in c.members:
            members[("part", c.story_id, tight[m.duplicate_of or m.id])].append(m)
    by_group: dict[int, list[str]] = defaultdict(list)
    for i, gi in tight.items():
        by_group[gi].append(i)
    uf = UnionFind(("new", i) for i in arriving)
    for gi in sorted(set(by_group) | set(whole_in)):
        units = list(whole_in[gi])
        for i in by_group[gi]:
            if i in arriving:
                units.append(("new", i))
            elif home[i] not in whole:
                units.append(("part", home[i], gi))
        for u in units:
            uf.union(units[0], u)
    return uf.groups(), members


def place(
    candidates: Sequence[Candidate],
    new: Sequence[Member],
    tight: Mapping[str, int],
    loose: Mapping[str, int] | None = None,
) -> Plan:
    """Plan where arriving articles go and how the candidate stories change.

    Args:
        candidates: Stored stories in the neighbourhood (none in a batch).
        new: Arriving articles; copies name their arriving original in ``duplicate_of``.
        tight: The clusterer's group of every passed original and arriving original.
        loose: Their group at the looser cut a full story must stay apart at to split
            (default: ``tight``, so any separation splits).

    Returns:
        The plan: every resulting story touched by the neighbourhood, with its id and the
        moves that build it, and the stories merged away.
    """
    comps, members = _components(candidates, new, tight, tight if loose is None else loose)
    by_story = {c.story_id: c for c in candidates}
    spread: dict[str, set[Unit]] = defaultdict(set)
    for comp in comps:
        for u in comp:
            if u[0] != "new":
                spread[u[1]].add(comp[0])
    planned: list[PlannedStory] = []
    placed: dict[str, str] = {}
    for comp in comps:
        story = _plan_story(comp, members, by_story, spread)
        planned.append(story)
        placed.update(dict.fromkeys(story.new, story.story_id))
    targets = {p.story_id for p in planned}
    removed = tuple(sorted(c.story_id for c in candidates if c.story_id not in targets))
    return Plan(tuple(planned), removed, placed)


def _founder(
    comp: Iterable[Unit],
    members: Mapping[Unit, Sequence[Member]],
    by_story: Mapping[str, Candidate],
) -> str:
    """The id of the story a component becomes: its first-arrived member's (rule 4)."""
    best: tuple[int, str] | None = None
    for u in comp:
        if u[0] == "whole":
            c = by_story[u[1]]
            pick = (c.founder_seq, c.story_id)
        else:
            first = min(members[u], key=lambda m: m.seq)
            pick = (first.seq, story_id_for(first.id))
        if best is None or pick < best:
            best = pick
    assert best is not None
    return best[1]


def _plan_story(
    comp: Sequence[Unit],
    members: Mapping[Unit, Sequence[Member]],
    by_story: Mapping[str, Candidate],
    spread: Mapping[str, set[Unit]],
) -> PlannedStory:
    target = _founder(comp, members, by_story)
    stories = {u[1] for u in comp if u[0] != "new"}
    arrives = any(u[0] == "new" for u in comp)
    only = next(iter(stories)) if len(stories) == 1 else None
    intact = only is not None and len(spread[only]) == 1
    absorbs: list[str] = []
    moves: list[str] = []
    new: list[str] = []
    for u in comp:
        if u[0] == "new":
            new.extend(m.id for m in members[u])
        elif u[1] == target:
            continue
        elif u[0] == "whole":
            absorbs.append(u[1])
        else:
            moves.extend(m.id for m in members[u])
    return PlannedStory(
        story_id=target,
        changed=arrives or not intact,
        appended=arrives and intact and only == target,
        absorbs=tuple(absorbs),
        moves=tuple(moves),
        new=tuple(new),
    )
