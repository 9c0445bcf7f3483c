"""``synoptic diff``: what changed in a stored story since a time."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from synoptic.cli.common import choice, write_output
from synoptic.cli.store import DbOption, _since, one_story, open_store

app = typer.Typer()

FORMATS = ("text", "json")


def describe(rev: dict[str, Any]) -> list[str]:
    """Return one revision as readable lines (plain text: the terminal prints no markup)."""
    lines = [f"{rev['at'][:19].replace('T', ' ')}  (story {rev['story']})"]
    for a in rev["articles"]:
        lines.append(f"  + article {a['id']}: {a.get('title') or ''} [{a.get('outlet') or '?'}]")
    lines += [f"  + outlet {name}" for name in rev["outlets"]]
    lines += [f"  + fact: {f['text']}" for f in rev["facts"]]
    for c in rev["new_conflicts"]:
        values = "; ".join(v["text"] for v in c["values"])
        lines.append(f"  ! new conflict on {c['topic']}: {values}")
    for c in rev["updated_conflicts"]:
        values = "; ".join(v["text"] for v in c["after"]["values"])
        lines.append(f"  ~ conflict on {c['topic']} updated: {values}")
    lines += [
        f"  + quote ({q.get('speaker') or 'unattributed'}): {q['text']}" for q in rev["quotes"]
    ]
    lines += [f"  + speaker {name}" for name in rev["speakers"]]
    lines += [f"  + {e['date']}: {e['text']}" for e in rev["timeline"]]
    lines += [f"  + flag {f['kind']}: {f['text']}" for f in rev["flags"]]
    return lines


@app.command()
def diff(
    story: Annotated[str, typer.Argument(help="A story id, or a unique prefix of one.")],
    since: Annotated[
        str | None,
        typer.Option(help="Only changes after TIME (YYYY-MM-DD or an ISO 8601 time)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = None,
) -> None:
    """Show what changed in a stored story's brief, revision by revision.

    Each revision lists the articles that joined and what their arrival changed: new outlets,
    facts, conflicts (new, or with updated figures), quotes, speakers, timeline events and
    flags. A story id merged into another answers with the story it went into.
    """
    fmt = choice(fmt, "--format", FORMATS)
    since_ts = _since(since)
    with open_store(db) as store:
        story_id = one_story(store, story)
        revs = store.changes(story_id, since_ts)
    if fmt == "json":
        from synoptic.render.jsonfmt import dumps

        write_output(dumps({"story": story_id, "revisions": revs}) + "\n", None)
        return
    lines = [f"story {story_id}: {len(revs)} revision(s)"]
    for rev in revs:
        lines += describe(rev)
    write_output("\n".join(lines) + "\n", None)
