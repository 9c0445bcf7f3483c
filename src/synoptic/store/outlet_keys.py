"""Re-derive the stored ``outlet_key`` of every article, and the stories' outlet counts.

Articles stored before the outlets registry (issue 15) keep the key they were stored with
(e.g. ``source:<path>`` or the outlet as printed) while newer ones carry the attribution key
(the agency of a wire credit, the registry outlet's parent or the outlet, else the URL's
registrable domain), so one store's counts mixed the two. ``reindex_outlets`` rewrites the
keys that differ from what ``outlets.attribute`` says now (also after a user outlets file
changed) and recomputes ``outlet_count`` of the stories those articles are in. Briefs are not
touched: they attribute their members when they are built.
"""

from __future__ import annotations

from sqlalchemy import select

from synoptic.outlets import Registry, attribute
from synoptic.store.repository import Store, aggregates, to_article
from synoptic.store.schema import ArticleRow, StoryRow

BATCH = 500


def reindex_outlets(store: Store, registry: Registry | None = None) -> dict[str, int]:
    """Rewrite the article outlet keys that differ from their attribution now.

    Args:
        store: The open store.
        registry: The outlet registry to attribute with (the current one by default).

    Returns:
        Counts: ``articles`` read, ``changed`` keys, ``stories`` whose outlet count changed.
    """
    counts = {"articles": 0, "changed": 0, "stories": 0}
    touched: set[str] = set()
    last = -1
    while True:
        with store.session() as s:
            rows = list(
                s.scalars(
                    select(ArticleRow)
                    .where(ArticleRow.seq > last)
                    .order_by(ArticleRow.seq)
                    .limit(BATCH)
                )
            )
            for row in rows:
                key = attribute(to_article(row), registry).key
                if key != row.outlet_key:
                    row.outlet_key = key
                    counts["changed"] += 1
                    if row.story_id is not None:
                        touched.add(row.story_id)
        if not rows:
            break
        counts["articles"] += len(rows)
        last = rows[-1].seq
    with store.session() as s:
        for story_id in sorted(touched):
            story, agg = s.get(StoryRow, story_id), aggregates(s, story_id)
            if story is not None and agg is not None and story.outlet_count != agg["outlet_count"]:
                story.outlet_count = agg["outlet_count"]
                counts["stories"] += 1
    return counts


__all__ = ["reindex_outlets"]
