"""Old stores: outlet keys stored before the registry are re-derived, and counts follow."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select, update

from synoptic.outlets import attribute
from synoptic.store import Ingestor, Store
from synoptic.store.repository import aggregates
from synoptic.store.schema import ArticleRow, StoryRow
from test_store_ingest import DAM, DAM_2, fixed, make


def test_store_outlet_keys_reindex_counts_a_wire_story_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from synoptic.cli import main

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    ing = Ingestor(store, clock=fixed())
    # One AP story carried by two papers: under the registry it counts once, for AP.
    wire = [
        dataclasses.replace(make(text, title, outlet=paper), byline="By Ana Ruiz, Associated Press")
        for text, title, paper in (
            (DAM, "Velmar spillway opened", "Valley Courier"),
            (DAM_2, "Dravik residents return", "Northern Ledger"),
        )
    ]
    sid = ing.add(wire[0]).story_id
    assert sid is not None and ing.add(wire[1]).story_id == sid
    ap = attribute(wire[0]).key
    assert attribute(wire[1]).key == ap and ap.startswith("outlet:")
    # Make it an old store: keys as stored before the registry (the source read from), and
    # the outlet count those keys gave.
    with store.session() as s:
        s.execute(update(ArticleRow).values(outlet_key="source:" + ArticleRow.source))
        s.execute(update(StoryRow).where(StoryRow.id == sid).values(outlet_count=2))
        assert aggregates(s, sid)["outlet_count"] == 2  # type: ignore[index]
    store.close()
    assert main(["store", "reindex-outlets", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "2 articles read, 2 outlet keys changed, 1 story outlet counts changed" in out
    store = Store(url)
    with store.session(readonly=True) as s:
        assert set(s.scalars(select(ArticleRow.outlet_key))) == {ap}
        assert s.get(StoryRow, sid).outlet_count == 1  # type: ignore[union-attr]
    store.close()
    # Run again: nothing left to change.
    assert main(["store", "reindex-outlets", "--db", url]) == 0
    assert "0 outlet keys changed, 0 story outlet counts changed" in capsys.readouterr().out
