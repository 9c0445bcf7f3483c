"""Quality gates: the figures of merit, scored against gold, with floors that fail ``make test``.

Every gate runs the system through its public entry points only (``build_briefs`` and the Brief
JSON v1 document it renders, or ``synoptic.extract.extract`` for the extraction stage), and
scores the output with ``synoptic.evaluate``, the scorers ``bench/`` uses. Each floor is pinned
a little under the score measured when it was set (the comment beside it gives that score), so
a change that costs quality fails here and has to say why in the floor's own commit.

Gold sets: ``tests/gold/seeds_*.json`` (the five real reports of ``../shared/seeds``),
``bench/gold/examples_gold.json`` (the team's ``examples/``), ``bench/fixtures/duc_examples``
(reference summaries), ``tests/gold/extraction_pages.json`` (a fixed subset of the
article-extraction benchmark, by reference), two ECB+ topics (gold stories in
``../shared/data/ecbplus``), four held-out ECB+ stories of ``bench/gold/ecbplus_conflicts.json``,
and sixteen MEANTIME Wikinews articles (``../shared/data/
timeline-meantime``): the quotes of six annotated by us in ``tests/gold/meantime_quotes.json``,
the dates of all sixteen from MEANTIME's own resolved time expressions. The seeds and examples
sets are the ones the stages were developed on; ECB+, MEANTIME and the extraction pages are not
(their figures are lower, and closer to what a new corpus gets). Gates on data in ``../shared``
skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from synoptic.evaluate import briefs
from synoptic.evaluate.conflicts import ConflictScore, claim_covers, gold_sides, prf
from synoptic.evaluate.dates import DateScore, score_timeline
from synoptic.evaluate.partition import bcubed
from synoptic.evaluate.quotes import FoundQuote, QuoteScore, score_quotes
from synoptic.evaluate.rouge import rouge_recall
from synoptic.evaluate.tokens import Totals

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
ECBPLUS = SHARED / "data" / "ecbplus" / "ecbplus.jsonl"
AEB = SHARED / "data" / "article-extraction-benchmark"
MEANTIME = SHARED / "data" / "timeline-meantime" / "articles.jsonl"
GOLD = Path(__file__).parent / "gold"
EXAMPLES_GOLD = ROOT / "bench" / "gold" / "examples_gold.json"
DUC = ROOT / "bench" / "fixtures" / "duc_examples"
# Topic folder -> its reference summaries (as ``bench/rouge.py`` pairs them).
DUC_REFS = {"d90001t": "D90001.M.100.T.*", "dam": "dam.*", "museum": "museum.*"}
# Two ECB+ topics, each two real events of one kind (climbers dead on Mount Cook in 2008 and in
# 2013; two earthquakes in Sonoma County), chosen for being small (36 articles, 4 stories); 23
# is of the half the clustering settings were developed on, 38 of the held-out half.
ECB_TOPICS = (23, 38)
# ECB+ stories of the conflicts gate (its whole gold takes minutes to brief on a 2-core
# machine): the two with the most gold conflicts and the two shortest with none (43 articles,
# 8 gold conflicts; the benchmark scores all ten).
ECB_CONFLICT_STORIES = ("20-ecbplus", "30-ecb", "4-ecbplus", "10-ecb")
# MEANTIME articles read for the dates gate besides the six of ``meantime_quotes.json``: the ten
# with the most calendar dates per character (a rule, applied before looking at any output).
MEANTIME_DATED = (
    "meantime-en-103623",
    "meantime-en-124259",
    "meantime-en-251007",
    "meantime-en-150433",
    "meantime-en-264435",
    "meantime-en-120578",
    "meantime-en-121416",
    "meantime-en-122475",
    "meantime-en-141225",
    "meantime-en-126311",
)
# A MEANTIME DATE value on the calendar: a year, month, day, or ISO week.
_CALENDAR = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?")

Stories = list[dict[str, Any]]


def _gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One cache folder for the module's runs (parses shared across corpora), never the user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYNOPTIC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def _briefs(paths: list[str], **options: Any) -> Stories:
    from synoptic.model import briefs_document
    from synoptic.pipeline import build_briefs

    result = build_briefs(paths, **options)
    stories: Stories = briefs_document(result.briefs)["stories"]
    return stories


@pytest.fixture(scope="module")
def seeds(cache: None) -> tuple[Stories, dict[str, str]]:
    """The seeds as one story, and article id -> seed file name."""
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SEEDS}")
    stories = _briefs([str(SEEDS)], stories="one")
    return stories, briefs.file_names(stories, lambda a: Path(a["source"]).name)


def _example_name(article: Mapping[str, Any]) -> str:
    """The gold's name of an ``examples/`` article: its path from the root (``:LINE`` kept)."""
    path, sep, line = article["source"].rpartition(":")
    if not (sep and line.isdigit()):
        path, line = article["source"], ""
    rel = str(Path(path).resolve().relative_to(ROOT))
    return f"{rel}:{line}" if line else rel


@pytest.fixture(scope="module")
def examples(cache: None) -> tuple[Stories, dict[str, str]]:
    """``examples/`` grouped as ``synoptic brief examples`` groups it, and id -> gold name."""
    stories = _briefs([str(ROOT / "examples")])
    return stories, briefs.file_names(stories, _example_name)


@pytest.fixture(scope="module")
def meantime(
    cache: None, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Stories, dict[str, str], list[dict[str, Any]]]:
    """The MEANTIME articles of the gates as one JSON-lines feed: the stories ``build_briefs``
    makes of them, article id -> MEANTIME id, and the MEANTIME rows."""
    if not MEANTIME.is_file():
        pytest.skip(f"MEANTIME not found at {MEANTIME}")
    wanted = [*_gold(GOLD / "meantime_quotes.json")["articles"], *MEANTIME_DATED]
    found = {}
    for line in MEANTIME.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in wanted:
            found[row["id"]] = row
    rows = [found[i] for i in wanted]
    feed = tmp_path_factory.mktemp("meantime") / "meantime.jsonl"
    fields = ("url", "outlet", "title", "published", "text")
    feed.write_text("".join(json.dumps({k: r[k] for k in fields}) + "\n" for r in rows), "utf-8")
    stories = _briefs([str(feed)])
    by_url = {r["url"]: r["id"] for r in rows}
    return stories, briefs.file_names(stories, lambda a: by_url.get(a["url"])), rows


def _meantime_dates(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The gold date phrases of one MEANTIME article's body, in the form of ``seeds_dates.json``.

    Kept: ``DATE`` expressions other than the creation time whose value is on the calendar
    (a week becomes its Monday at week precision). Each snippet is the phrase with up to 15
    characters of context either side (whole words), so it is found again in the cleaned text.
    """
    text = row["text"]
    body = row["sentences"][2][0] if len(row["sentences"]) > 2 else 0
    out: list[dict[str, Any]] = []
    for t in sorted(
        (t for t in row["timexes"] if t["start"] is not None), key=lambda t: t["start"]
    ):
        value = _CALENDAR.fullmatch(t["value"] or "")
        if t["type"] != "DATE" or t["function"] == "CREATION_TIME" or value is None:
            continue
        if t["start"] < body:
            continue
        entry: dict[str, Any] = {"file": row["id"], "date": t["value"]}
        if value.group(4):
            monday = dt.date.fromisocalendar(int(value.group(1)), int(value.group(4)), 1)
            entry.update(date=monday.isoformat(), precision="week")
        lo = max(body, t["start"] - 15)
        while lo < t["start"] and text[lo - 1] != " ":
            lo += 1
        hi = min(len(text), t["end"] + 15)
        while hi > t["end"] and hi < len(text) and text[hi] != " ":
            hi -= 1
        entry["text"] = text[lo:hi].strip()
        out.append(entry)
    return out


def _score_quotes(stories: Stories, file_of: dict[str, str], gold: list[FoundQuote]) -> QuoteScore:
    from synoptic.synthesize.quotes import normalize_quote, same_speaker

    found = [q for s in stories for q in briefs.found_quotes(s, file_of)]
    return score_quotes(found, gold, normalize=normalize_quote, same_speaker=same_speaker)


def _score_conflicts(
    stories: Stories, file_of: dict[str, str], gold: dict[str, Any]
) -> tuple[ConflictScore, tuple[float, float, float]]:
    """Number conflicts (with updates) and claim conflicts, each story against its gold."""
    from synoptic.synthesize.conflicts import UPDATE_SUFFIX

    score = ConflictScore()
    claims = [0, 0, 0, 0]  # tp, predicted, gold_tp, gold
    for story in stories:
        files = set(briefs.texts(story, file_of))

        def mine(entry: dict[str, Any], files: set[str] = files) -> bool:
            return any(set(v.get("files") or []) & files for v in entry.get("values") or [])

        numbers, updates = briefs.conflict_sides(story, file_of, update_suffix=UPDATE_SUFFIX)
        score.add(
            numbers,
            updates,
            [
                gold_sides(c["values"])
                for c in gold["conflicts"]
                if c.get("kind", "number") == "number" and mine(c)
            ],
            [gold_sides(u["values"]) for u in gold.get("updates", []) if mine(u)],
        )
        gold_claims = [
            [frozenset(v["files"]) for v in c["values"]]
            for c in gold["conflicts"]
            if c.get("kind") == "claim" and mine(c)
        ]
        flagged = briefs.claim_sides(story, file_of)
        claims[0] += sum(any(claim_covers(f, g) for g in gold_claims) for f in flagged)
        claims[1] += len(flagged)
        claims[2] += sum(any(claim_covers(f, g) for f in flagged) for g in gold_claims)
        claims[3] += len(gold_claims)
    return score, prf(*claims)


# --- quotes ---------------------------------------------------------------------------------


def test_gates_quotes_seeds(seeds: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = seeds
    gold = _gold(GOLD / "seeds_quotes.json")["quotes"]
    score = _score_quotes(
        stories, file_of, [FoundQuote(q["file"], q["text"], q["speaker"]) for q in gold]
    )
    assert score.gold == len(gold)
    assert score.precision() >= 0.95, score  # 1.000 (55/55)
    assert score.recall() >= 0.95, score  # 1.000 (55/55)
    assert score.speaker_accuracy() >= 0.92, score  # 0.945 (52/55)


def test_gates_quotes_examples(examples: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = examples
    gold = _gold(EXAMPLES_GOLD)["quotes"]
    score = _score_quotes(
        stories, file_of, [FoundQuote(q["file"], q["text"], q.get("speaker")) for q in gold]
    )
    assert score.gold == len(gold)
    assert score.precision() >= 0.95, score  # 0.974 (37/38)
    assert score.recall() >= 0.97, score  # 1.000 (37/37)
    assert score.speaker_accuracy() >= 0.97, score  # 1.000 (37/37)


def test_gates_quotes_meantime(
    meantime: tuple[Stories, dict[str, str], list[dict[str, Any]]],
) -> None:
    stories, file_of, _ = meantime
    gold = _gold(GOLD / "meantime_quotes.json")
    score = _score_quotes(
        stories,
        {k: v for k, v in file_of.items() if v in gold["articles"]},
        [FoundQuote(q["file"], q["text"], q["speaker"]) for q in gold["quotes"]],
    )
    assert score.gold == len(gold["quotes"])
    assert score.precision() >= 0.93, score  # 0.963 (26/27: a quoted name kept)
    assert score.recall() >= 0.96, score  # 1.000 (26/26)
    assert score.speaker_accuracy() >= 0.95, score  # 1.000 (26/26; was 0.885, 23/26)


# --- dates ----------------------------------------------------------------------------------


def test_gates_dates_seeds(seeds: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = seeds
    gold = _gold(GOLD / "seeds_dates.json")["dates"]
    score = score_timeline(
        briefs.texts(stories[0], file_of), briefs.cited_dates(stories[0], file_of), gold
    )
    assert score.accuracy() >= 0.95, score  # 1.000 (29/29)
    # 0.879 (29/33; 2 snippets cleaned away, 2 phrases are only bounds or a second date of a
    # sentence listed once, under the event it reports): was 0.939 when every date was listed
    assert score.coverage() >= 0.85, score
    assert score.precision() >= 0.95, score  # 1.000 (23/23)


def test_gates_dates_examples(examples: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = examples
    gold = _gold(EXAMPLES_GOLD)["dates"]
    score = DateScore()
    for story in stories:
        score_timeline(
            briefs.texts(story, file_of), briefs.cited_dates(story, file_of), gold, score
        )
    assert score.unlocated == 0, score
    # A sentence is listed once, under the event it reports, and bounds ("until Saturday") are
    # left out: "completed in 1968 and last inspected in 2019" shows 1968 only (3 phrases), 4
    # bounds are off the timeline. Was 1.000, 1.000, 0.938 (45/48) listing every date.
    assert score.accuracy() >= 0.90, score  # 0.929 (39/42)
    assert score.coverage() >= 0.88, score  # 0.913 (42/46)
    assert score.precision() >= 0.90, score  # 0.921 (35/38)


def test_gates_dates_meantime(
    meantime: tuple[Stories, dict[str, str], list[dict[str, Any]]],
) -> None:
    stories, file_of, rows = meantime
    gold = [g for row in rows for g in _meantime_dates(row)]
    score = DateScore()
    for story in stories:
        score_timeline(
            briefs.texts(story, file_of), briefs.cited_dates(story, file_of), gold, score
        )
    assert score.gold == len(gold) and score.unlocated == 0, score
    # Was 0.788 (26/33), 0.579 (33/57), 0.788 (26/33) listing every date of every sentence;
    # bounds ("since 2004") and second dates of a sentence are off the timeline now.
    assert score.accuracy() >= 0.95, score  # 1.000 (25/25)
    assert score.coverage() >= 0.40, score  # 0.439 (25/57)
    assert score.precision() >= 0.95, score  # 1.000 (21/21)


def test_gates_timeline_entries_meantime(
    meantime: tuple[Stories, dict[str, str], list[dict[str, Any]]],
) -> None:
    """Each timeline entry dated with the date of the event it reports (MEANTIME's links)."""
    from synoptic.evaluate.timeline import Entry, EntryScore, score_entries

    stories, file_of, rows = meantime
    by_id = {r["id"]: r for r in rows}
    score = EntryScore()
    for story in stories:
        text_of = {a["id"]: a["text"] for a in story["articles"]}
        entries = []
        for event in story["timeline"]:
            span = next(
                s
                for s in event["spans"]
                if text_of[s["article"]][s["start"] : s["end"]] == event["text"]
            )
            if span["article"] in file_of:
                entries.append(
                    Entry(
                        file_of[span["article"]],
                        event["date"],
                        event["text"],
                        event.get("kind") == "planned",
                    )
                )
        score_entries(entries, by_id, score)
    assert score.repeated == 0, score.line()
    # 0.920 (23/25 judged of 47 listed; the previous method, every date of every sentence,
    # scores 0.42-0.49 on the whole MEANTIME set: bench/timeline.py)
    assert score.accuracy() >= 0.88, score.line()


# --- conflicts ------------------------------------------------------------------------------


def test_gates_conflicts_seeds(seeds: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = seeds
    score, claims = _score_conflicts(stories, file_of, _gold(GOLD / "seeds_conflicts.json"))
    p, r, _ = score.conflicts()
    assert (p, r) == (1.0, 1.0), score  # 2 of 2: one miss is half the figure
    assert score.sides()[2] >= 0.90, score  # side F1 0.941 (P 8/8, R 8/9)
    assert claims[0] == 1.0, claims  # no claim conflict flagged where the gold has none


def test_gates_conflicts_examples(examples: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = examples
    score, claims = _score_conflicts(stories, file_of, _gold(EXAMPLES_GOLD))
    p, r, _ = score.conflicts()
    assert (p, r) == (1.0, 1.0), score  # 4 of 4
    assert score.sides()[2] >= 0.90, score  # side F1 0.933 (P 14/14, R 14/16)
    assert score.updates_found == score.updates_gold == 2, score
    assert score.updates_as_conflicts == 0, score
    assert claims[:2] == (1.0, 1.0), claims  # 1 of 1


def test_gates_conflicts_ecbplus(cache: None, tmp_path: Path) -> None:
    """Four of the ten held-out ECB+ stories of ``bench/gold/ecbplus_conflicts.json``."""
    if not ECBPLUS.is_file():
        pytest.skip(f"ECB+ not found at {ECBPLUS}")
    stories_gold = _gold(ROOT / "bench" / "gold" / "ecbplus_conflicts.json")["stories"]
    gold = {name: stories_gold[name] for name in ECB_CONFLICT_STORIES}
    for line in ECBPLUS.open(encoding="utf-8"):
        row = json.loads(line)
        if row["story"] in gold:
            folder = tmp_path / row["story"]
            folder.mkdir(exist_ok=True)
            (folder / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    stories = _briefs([str(p) for p in sorted(tmp_path.iterdir())], stories="per-dir")
    file_of = briefs.file_names(stories, lambda a: Path(a["source"]).stem)
    as_files = {
        "conflicts": [
            {"values": [{"value": v["value"], "files": v["articles"]} for v in c["values"]]}
            for story in gold.values()
            for c in story["conflicts"]
        ]
    }
    score, _ = _score_conflicts(stories, file_of, as_files)
    p, r, _ = score.conflicts()
    # Floors of the "same measured thing" rules (synthesize.measured): precision was 0.500
    # (4/8) before them, 0.800 (4/5) before the rules of issue 12 (unnamed ages, one person
    # picked out, a scope on one side only, closing moves, names the tagger misses);
    # bench/conflicts.py --ecbplus gives 0.86 over all ten gold stories and 0.89 over every
    # flag on all 86 stories, judged by hand. The gold gained Qeshm's population (9 here).
    assert p >= 0.9, score  # 1.000 (5/5)
    assert r >= 0.5, score  # 0.556 (5/9)
    assert score.sides()[2] >= 0.62, score  # side F1 0.667 (P 26/29, R 26/49)


# --- stories --------------------------------------------------------------------------------


def test_gates_stories_examples(examples: tuple[Stories, dict[str, str]]) -> None:
    stories, file_of = examples
    gold = {f: s["name"] for s in _gold(EXAMPLES_GOLD)["stories"] for f in s["files"]}
    assert set(file_of.values()) == set(gold)
    assert bcubed(briefs.partition(stories, file_of), gold)[2] >= 0.99  # 1.000


def test_gates_stories_ecbplus(cache: None, tmp_path: Path) -> None:
    if not ECBPLUS.is_file():
        pytest.skip(f"ECB+ not found at {ECBPLUS}")
    rows = [json.loads(line) for line in ECBPLUS.open(encoding="utf-8") if line.strip()]
    gold = {r["id"]: r["story"] for r in rows if r["topic"] in ECB_TOPICS}
    for r in rows:
        if r["id"] in gold:
            (tmp_path / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    stories = _briefs([str(tmp_path)])
    file_of = briefs.file_names(stories, lambda a: Path(a["source"]).stem)
    assert set(file_of.values()) == set(gold)
    p, r, f1 = bcubed(briefs.partition(stories, file_of), gold)
    assert f1 >= 0.75, (p, r, f1)  # 0.780 (P 0.839, R 0.728)


# --- summaries ------------------------------------------------------------------------------


def test_gates_summary_rouge(cache: None) -> None:
    topics = sorted(DUC_REFS)
    stories = _briefs([str(DUC / "docs" / t) for t in topics], stories="per-dir", summary_words=100)
    recalls = []
    for topic in topics:
        folder = (DUC / "docs" / topic).resolve()
        story = next(
            s for s in stories if Path(s["articles"][0]["source"]).resolve().parent == folder
        )
        refs = [
            p.read_text(encoding="utf-8") for p in sorted((DUC / "models").glob(DUC_REFS[topic]))
        ]
        summary = " ".join(c["text"] for c in story["summary"])
        recalls.append((rouge_recall(summary, refs, 1), rouge_recall(summary, refs, 2)))
    r1 = sum(r[0] for r in recalls) / len(recalls)
    r2 = sum(r[1] for r in recalls) / len(recalls)
    assert r1 >= 0.43, (r1, r2, recalls)  # 0.449
    assert r2 >= 0.18, (r1, r2, recalls)  # 0.196


# --- extraction -----------------------------------------------------------------------------


def test_gates_extraction_html() -> None:
    if not (AEB / "ground-truth.json").is_file():
        pytest.skip(f"the article-extraction benchmark not found at {AEB}")
    from synoptic.extract import extract
    from synoptic.model import RawDocument

    truth = _gold(AEB / "ground-truth.json")
    totals = Totals()
    for key in _gold(GOLD / "extraction_pages.json")["pages"]:
        html = gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes())
        doc = RawDocument(
            source=f"{key}.html",
            content=html.decode("utf-8", errors="replace"),
            kind="html",
            meta={"url": truth[key]["url"]},
        )
        totals.add(extract(doc).text, truth[key]["articleBody"])
    micro, macro = totals.micro(), totals.macro()
    assert micro.f1 >= 0.95, (micro, macro)  # 0.968 (P 0.990, R 0.947)
    assert macro.f1 >= 0.95, (micro, macro)  # 0.968


# --- facts ----------------------------------------------------------------------------------

ESC = SHARED / "data" / "ecbplus-esc" / "articles.jsonl"


def test_gates_facts_ecbplus(cache: None) -> None:
    """Facts of ECB+ topics 1-4 (8 stories, 104 articles): no piece of a sentence, and right
    support judged by the corpus's own event coreference (``evaluate.facts``)."""
    if not ESC.is_file():
        pytest.skip(f"ECB+ ESC not found at {ESC}")
    from collections import defaultdict

    from synoptic.analyze.batch import analyze_docs
    from synoptic.analyze.embed import Embedder
    from synoptic.analyze.nlp import Analyzer
    from synoptic.dedup import mark_duplicates
    from synoptic.evaluate.facts import event_chains, judge
    from synoptic.model import Article, Story
    from synoptic.synthesize.align import align
    from synoptic.synthesize.facts import build_facts, is_piece

    rows = [json.loads(line) for line in ESC.open(encoding="utf-8") if line.strip()]
    members: dict[str, list[Article]] = defaultdict(list)
    chains = {}
    for r in rows:
        if r["topic"] <= 4:
            members[r["cluster"]].append(Article(id=r["id"], source=r["id"], text=r["text"]))
            chains[r["id"]] = event_chains(r)
    docs = Analyzer().parse([a for arts in members.values() for a in arts])
    embedder = Embedder()
    verdicts: list[bool] = []
    pieces = 0
    for name, arts in sorted(members.items()):
        arts = mark_duplicates(arts)
        story = Story(id=name, headline=name, articles=tuple(arts))
        recs = analyze_docs(arts, {a.id: docs[a.id] for a in arts}, embedder=embedder)
        sents = {a.id: recs[a.id].sentences for a in arts}
        for fact in build_facts(story, sents, recs, groups=align(story, sents, recs)):
            pieces += is_piece(fact.text)
            if (v := judge(fact, chains)) is not None:
                verdicts.append(v)
    assert pieces == 0  # 18 with the previous method
    assert len(verdicts) >= 45, len(verdicts)  # 51
    # 0.843 (43/51) since support needs the same event's anchors (named participants, figures)
    # and the members left out make a fact of their own; 0.723 (34/47) before, previous method
    # 0.685. bench/facts.py --topics 45: odd topics 0.815 -> 0.890, even (held out) 0.885 -> 0.936.
    assert sum(verdicts) / len(verdicts) >= 0.82, verdicts
