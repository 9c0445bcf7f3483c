"""Story revisions: what changed in a story's brief each time it was rebuilt, and redirects.

The difference is computed from the brief records (Brief JSON v1 story objects), never from
text: articles that joined, new facts, conflicts that are new or whose figures changed, new
quotes and new speakers, new outlets, new timeline events and new flags. The store keeps one
revision per rebuild that changed something (``story_revisions``), written where the brief is
refreshed; a story id merged into another keeps answering through ``story_redirects``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from synoptic.store.schema import ArticleRow, RedirectRow, RevisionRow

# The lists a revision reports, in the order they are shown.
FIELDS = (
    "articles",
    "outlets",
    "facts",
    "new_conflicts",
    "updated_conflicts",
    "quotes",
    "speakers",
    "timeline",
    "flags",
)


def _texts(items: Iterable[Mapping[str, Any]], *keys: str) -> dict[tuple[Any, ...], Any]:
    return {tuple(i.get(k) for k in keys): i for i in items}


def _conflict_values(conflict: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (str(v.get("value")), str(v.get("unit")), v.get("text")) for v in conflict["values"]
    )


def _outlet_names(story: Mapping[str, Any]) -> set[str]:
    out = {str(o["name"]) for o in story.get("outlets", []) if o.get("name")}
    if not out:  # a brief written before outlets were attributed
        out = {str(a["outlet"]) for a in story.get("articles", []) if a.get("outlet")}
    return out


def _contract_shape(brief: Mapping[str, Any]) -> Mapping[str, Any]:
    """A stored brief (``Brief.to_dict``) read as a story object (articles at the top level,
    each with the outlet it counts for)."""
    if "story" not in brief:
        return brief
    counts_for = {o.get("article"): o.get("name") for o in brief.get("outlets", [])}
    articles = [
        {**a, "counts_for": counts_for.get(a.get("id"))} for a in brief["story"].get("articles", [])
    ]
    return {**brief, "articles": articles}


def diff_briefs(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return what ``new`` adds to ``old`` (two story objects of Brief JSON v1, or two stored
    briefs, ``Brief.to_dict``).

    Every list of ``FIELDS`` is present (empty when nothing changed); ``old`` ``None`` is the
    story's first brief, whose every item is new.
    """
    before: Mapping[str, Any] = _contract_shape(old or {})
    new = _contract_shape(new)
    old_ids = {a["id"] for a in before.get("articles", [])}
    old_facts = {f["text"] for f in before.get("facts", [])}
    old_conflicts = {c["topic"]: c for c in before.get("conflicts", [])}
    old_quotes = _texts(before.get("quotes", []), "speaker", "text")
    old_speakers = {q.get("speaker") for q in before.get("quotes", []) if q.get("speaker")}
    old_events = _texts(before.get("timeline", []), "date", "text")
    old_flags = _texts(before.get("flags", []), "kind", "text")
    out: dict[str, list[Any]] = {k: [] for k in FIELDS}
    out["articles"] = [
        {"id": a["id"], "outlet": a.get("counts_for") or a.get("outlet"), "title": a.get("title")}
        for a in new.get("articles", [])
        if a["id"] not in old_ids
    ]
    out["outlets"] = sorted(_outlet_names(new) - _outlet_names(before))
    out["facts"] = [f for f in new.get("facts", []) if f["text"] not in old_facts]
    for c in new.get("conflicts", []):
        was = old_conflicts.get(c["topic"])
        if was is None:
            out["new_conflicts"].append(c)
        elif _conflict_values(was) != _conflict_values(c):
            out["updated_conflicts"].append({"topic": c["topic"], "before": was, "after": c})
    out["quotes"] = [
        q
        for k, q in _texts(new.get("quotes", []), "speaker", "text").items()
        if k not in old_quotes
    ]
    out["speakers"] = sorted(
        {q["speaker"] for q in new.get("quotes", []) if q.get("speaker")} - old_speakers
    )
    out["timeline"] = [
        e for k, e in _texts(new.get("timeline", []), "date", "text").items() if k not in old_events
    ]
    out["flags"] = [
        f for k, f in _texts(new.get("flags", []), "kind", "text").items() if k not in old_flags
    ]
    return out


def pack_brief(brief: Mapping[str, Any]) -> bytes:
    """Return a stored brief as compressed JSON (a revision's ``brief_z``)."""
    return zlib.compress(json.dumps(brief, separators=(",", ":")).encode(), 6)


def unpack_brief(blob: bytes) -> dict[str, Any]:
    """Return the stored brief ``pack_brief`` packed."""
    brief: dict[str, Any] = json.loads(zlib.decompress(blob))
    return brief


def record_revision(
    session: Session,
    story_id: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    now: datetime,
) -> bool:
    """Store the revision from brief ``old`` to ``new`` with the brief ``new`` itself (for
    ``brief_as_of``); say whether it changed any of ``FIELDS``.

    A rebuild that changed the brief but none of ``FIELDS`` (e.g. the summary's wording) is
    kept too, with empty changes, so that a past state is the brief as it really stood;
    ``revisions`` does not list it. An identical rebuild keeps nothing.
    """
    if old is not None and old == new:
        return False
    changes = diff_briefs(old, new)
    session.add(
        RevisionRow(
            story_id=story_id,
            created_ts=now.timestamp(),
            changes=changes,
            brief_z=pack_brief(new),
        )
    )
    return any(changes.values())


def brief_as_of(session: Session, story_id: str, ts: float) -> dict[str, Any] | None:
    """Return the stored brief of ``story_id`` as it stood at ``ts`` (epoch seconds): the one
    its last revision at or before ``ts`` kept; ``None`` when none was kept by then."""
    row = session.scalars(
        select(RevisionRow)
        .where(RevisionRow.story_id == story_id, RevisionRow.created_ts <= ts)
        .order_by(RevisionRow.created_ts.desc(), RevisionRow.id.desc())
        .limit(1)
        .options(undefer(RevisionRow.brief_z))
    ).first()
    if row is None or row.brief_z is None:
        return None
    return unpack_brief(row.brief_z)


def revisions(
    session: Session, story_id: str, since_ts: float | None = None
) -> list[dict[str, Any]]:
    """Return the story's revisions (oldest first), those after ``since_ts`` when given.

    The revisions of stories merged into this one are included (their articles joined it);
    revisions that changed none of ``FIELDS`` are not listed.
    """
    ids = [story_id, *merged_into(session, story_id)]
    query = select(RevisionRow).where(RevisionRow.story_id.in_(ids))
    if since_ts is not None:
        query = query.where(RevisionRow.created_ts > since_ts)
    rows = session.scalars(query.order_by(RevisionRow.created_ts, RevisionRow.id))
    return [
        {
            "story": r.story_id,
            "at": datetime.fromtimestamp(r.created_ts).astimezone().isoformat(),
            "ts": r.created_ts,
            **{k: r.changes.get(k, []) for k in FIELDS},
        }
        for r in rows
        if any(r.changes.get(k) for k in FIELDS)
    ]


def record_redirect(session: Session, old_id: str, new_id: str, now: datetime) -> None:
    """Remember that story ``old_id`` was merged into ``new_id``."""
    row = session.get(RedirectRow, old_id)
    if row is None:
        session.add(RedirectRow(old_id=old_id, new_id=new_id, created_ts=now.timestamp()))
    else:
        row.new_id = new_id
    # Stories merged into ``old_id`` earlier now lead to ``new_id`` in one step.
    for earlier in session.scalars(select(RedirectRow).where(RedirectRow.new_id == old_id)):
        earlier.new_id = new_id


def members_of(session: Session, story_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return the member article ids of each story of ``story_ids``."""
    out: dict[str, list[str]] = {}
    rows = session.execute(
        select(ArticleRow.story_id, ArticleRow.id).where(ArticleRow.story_id.in_(list(story_ids)))
    )
    for story_id, article_id in rows:
        if story_id is not None:
            out.setdefault(story_id, []).append(article_id)
    return out


def redirect_merged(session: Session, old_id: str, members: list[str], now: datetime) -> None:
    """Redirect story ``old_id``, merged away, to the story most of its members are in now."""
    if not members:
        return
    homes = session.scalars(select(ArticleRow.story_id).where(ArticleRow.id.in_(members)))
    counts: dict[str, int] = {}
    for home in homes:
        if home is not None and home != old_id:
            counts[home] = counts.get(home, 0) + 1
    if counts:
        record_redirect(session, old_id, max(counts, key=lambda k: (counts[k], k)), now)


def resolve(session: Session, story_id: str) -> str | None:
    """Return the story a merged-away id went into (following chains), or ``None``."""
    seen = {story_id}
    current = story_id
    while (row := session.get(RedirectRow, current)) is not None and row.new_id not in seen:
        current = row.new_id
        seen.add(current)
    return None if current == story_id else current


def merged_into(session: Session, story_id: str) -> list[str]:
    """Return the ids of the stories merged into ``story_id``."""
    return list(session.scalars(select(RedirectRow.old_id).where(RedirectRow.new_id == story_id)))


__all__ = [
    "FIELDS",
    "brief_as_of",
    "diff_briefs",
    "members_of",
    "merged_into",
    "pack_brief",
    "record_redirect",
    "record_revision",
    "redirect_merged",
    "resolve",
    "revisions",
    "unpack_brief",
]
