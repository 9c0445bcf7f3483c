"""A story's synthesis has a budget (``Settings.story_seconds``; issue 17).

Past it the brief is still written: its articles, the sections finished by then, and a flag of
kind ``incomplete`` naming the stage it stopped in and the sections left out; the run says so
once (``E307``, naming the story) and the other stories are written whole. A user keeps the
reports and what was worked out of them rather than losing the story to one coded line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from synoptic.errors import Degraded
from synoptic.synthesize import brief as brief_module

pytestmark = pytest.mark.slow

DAM = (
    "Dam spillway opened as reservoir rises\n\n"
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents. "
    '"We will not take any risk," Stanek told reporters on Wednesday.\n'
)
FERRY = (
    "Ferry service resumes in Kellen\n\n"
    "The ferry between Kellen and Odra sailed again on Monday after a week of storms. "
    'Captain Ilse Marten said on Monday: "The crossing was calm."\n'
)


def _work(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time (the budget counts work, not waiting)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_synthesize_brief_over_budget_is_written_in_part_and_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synoptic.pipeline import build_briefs

    (tmp_path / "dam.txt").write_text(DAM)
    (tmp_path / "ferry.txt").write_text(FERRY)
    real = brief_module.build_timeline

    def slow_timeline(mentions: Any, articles: Any, **kwargs: Any) -> Any:
        if any("Velmar" in a.text for a in articles):  # the dam story's timeline stalls
            _work(1.2)
        return real(mentions, articles, **kwargs)

    monkeypatch.setattr(brief_module, "build_timeline", slow_timeline)
    said: list[Degraded] = []
    paths = [str(tmp_path / "dam.txt"), str(tmp_path / "ferry.txt")]
    build_briefs(paths, use_cache=False)  # models load once, outside the budget
    from synoptic.context import RunContext
    from synoptic.settings import Settings

    with RunContext(Settings(use_cache=False, story_seconds=1.0), on_degraded=said.append) as ctx:
        result = build_briefs(paths, context=ctx)
    by_text = {b.story.articles[0].text[:3]: b for b in result.briefs}
    dam, ferry = by_text["Eng"], by_text["The"]
    # The dam story: its timeline finished past the budget, so quotes and entities are missing.
    (flag,) = [f for f in dam.flags if f.kind == "incomplete"]
    assert flag.text == (
        "Synthesis stopped at its budget of 1 CPU seconds (in quotes): "
        "quotes, entities, flags not computed."
    )
    assert dam.summary and not dam.quotes and not dam.entities
    assert [a.source for a in dam.story.articles] == [paths[0]]
    # The other story is whole.
    assert ferry.quotes and ferry.entities and brief_module.incomplete(ferry) is None
    assert [(d.code, d.message.split(":")[0]) for d in said if d.code == "E307"] == [
        ("E307", f"story {dam.story.id} (Dam spillway opened as reservoir rises)")
    ]
    assert not result.problems


def test_synthesize_brief_without_budget_is_whole() -> None:
    from synoptic.settings import STORY_SECONDS, Settings

    assert Settings().story_seconds == STORY_SECONDS > 0
    assert Settings(story_seconds=0).story_seconds == 0


def test_synthesize_quotes_merge_checks_the_budget_inside_its_loops() -> None:
    # 1,500 speakers sharing a surname with unlike first names: each is compared with every
    # earlier one (still quadratic, issue 17), so the budget must stop it from inside.
    import random

    from synoptic.analyze.quotes.records import QuoteMention
    from synoptic.deadline import DeadlineExceeded, budget
    from synoptic.model import Article
    from synoptic.synthesize.quotes import merge_quotes

    rng = random.Random(7)
    mentions = []
    for i in range(1_500):
        text = f"Quote number {i} about the flood {i}"
        first = "X" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        mentions.append(
            QuoteMention(
                f"a{i % 50}",
                i * 100,
                i * 100 + len(text),
                text,
                f"{first} Petrov",
                None,
                None,
                False,
            )
        )
    articles = [Article(id=f"a{i}", source=f"a{i}", text="x") for i in range(50)]
    with pytest.raises(DeadlineExceeded) as caught, budget(0.2):
        merge_quotes(mentions, articles)
    assert caught.value.stage == "quotes"
