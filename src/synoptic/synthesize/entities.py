"""A story's entities merged across its outlets, and the inconsistencies worth a reader's check.

``merge_entities`` groups the per-article mentions (``synoptic.analyze.entities``) into one
``Entity`` per person, organisation or place, in steps that each state why two names are one:

1. the same name once case, diacritics, full stops, hyphens, a leading "the", a possessive and
   British/American "-isation" spelling are set aside ("NATO"/"Nato", "U.S."/"US",
   "Vaško"/"Vasko", "Co-operation"/"Cooperation");
2. people with the same surname and the same or a similar first name (rapidfuzz ratio, so
   "Sergei"/"Sergey", "Yevgeny"/"Evgeny"), a middle initial set aside ("Wendy R. Sherman");
3. a surname alone ("Sherman", "Ms Sherman") with the one full name that has it in the
   article, else in the story (left alone when two people share it); a name alone that is no
   full name's surname but exactly one person's given name, with that person ("Anwar" with
   "Anwar Ibrahim", as Malay and many other names are shortened); a lone word no name has,
   with the one surname it misspells or the one name it nicknames ("Klistchko", "LiLo");
4. an acronym with its expansion when an article writes "Expansion (ACRONYM)", or when the
   acronym's letters start the words of exactly one name of the same type in the story
   ("NATO", "North Atlantic Treaty Organization"; "UN" is left alone beside both "United
   Nations" and "U.S. Navy");
5. a short form with the one longer name it starts or ends: "Central Bank" with "Central
   Bank of Dravik", "Boone Isaacs" with "Cheryl Boone Isaacs".

Before step 2, "the Ministry of Home Affairs" and "the Home Affairs Ministry" get one key (an
organisation head noun before "of", ``org_head_words``), and a headline's "Lindsay Lohan Checks
Into Rehab" joins "Lindsay Lohan". In step 3 a surname two people share goes to the one the
mention's own article names, else to the one of the gender its honorific or pronouns state
("Mrs Osman" with Nora, not Rahim Osman); otherwise it stays apart. Name keys and shapes live
in ``synoptic.synthesize.names``.

Names that only stand for one another by metonymy ("Washington" for the United States) are
never merged. ``find_flags`` then reports a person called "he" in one place and "she" in
another (typical of machine translation), a person spelled differently across outlets, and a
person given a title in one outlet and the same title without its rank ("Deputy") in another.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from synoptic import lang
from synoptic.analyze.entities import Mention
from synoptic.analyze.entities.vocab import (
    HONORIFICS,
    ORG_HEADS,
    ORG_WORDS,
    PRONOUN_GENDER,
    ROLE_HEADS,
    ROLE_MODIFIERS,
)
from synoptic.lang import fold
from synoptic.model import Article, Entity, Flag
from synoptic.synthesize.names import (
    FIRST_NAME_SIMILARITY,
    acronym_matches,
    first_names_compatible,
    first_names_match,
    given_name_forms,
    is_acronym,
    name_key,
    person_parts,
)
from synoptic.unionfind import UnionFind

_OPEN_BRACKET = re.compile(r"\s*\(\s*")
# Rank words that change an office ("Deputy Foreign Minister" is not "Foreign Minister").
_RANK_CLASSES = dict(lang.mapping("rank_words"))
# Only subject pronouns vote on a person's gender: they are resolved most reliably.
_SUBJECT_PRONOUNS = lang.words("gendered_subject_pronouns")
#: Least number of wrong-gender subject pronouns an article needs to be flagged: a single one
#: is as often a resolution slip ("the star's rep said she was ...") as a translation error.
MIN_DEVIANT_PRONOUNS = 2
#: Least rapidfuzz ratio of a lone word to the one surname it misspells ("Klistchko"), and the
#: least length of such a word (shorter names differ by a letter as different people do).
SURNAME_SIMILARITY = 88.0
MIN_MISSPELT = 6
# A nickname of two capitalised pieces: "LiLo", "JLo" (from "J.Lo"), "ARod" (from "A-Rod").
_NICK_PIECES = re.compile(r"[A-Z][a-z]*")


# --------------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------------


def _groups(uf: UnionFind, n: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        out[uf.find(i)].append(i)
    return out


def _person_votes(mentions: Sequence[Mention], members: Iterable[int]) -> tuple[int, int]:
    people = total = 0
    for i in members:
        total += 1
        if mentions[i].type == "PERSON":
            people += 1
    return people, total


def _cluster(mentions: Sequence[Mention], texts: dict[str, str]) -> list[list[int]]:
    """Group mention indices into entities (the steps of the module docstring)."""
    n = len(mentions)
    uf = UnionFind(n)
    keys = [_org_form(name_key(m.text)) for m in mentions]
    # One-word names wait for step 3: "Biden" may be Joe in one article and Jill in another.
    single: dict[str, list[int]] = defaultdict(list)
    first_of: dict[str, int] = {}
    for i, k in enumerate(keys):
        if " " not in k:
            single[k].append(i)
        elif k in first_of:
            uf.union(first_of[k], i)
        else:
            first_of[k] = i
    _join_full_names(mentions, uf)
    _join_surnames(mentions, keys, single, uf)
    _join_acronyms(mentions, keys, texts, uf)
    _join_short_forms(mentions, keys, uf)
    return [sorted(m) for m in _groups(uf, len(mentions)).values()]


def _org_form(key: str) -> str:
    """ "ministry of home affairs" -> "home affairs ministry": one organisation written either
    way (an organisation head noun before "of", see ``org_head_words``)."""
    head, sep, rest = key.partition(" of ")
    if sep and head in ORG_HEADS and rest:
        rest = rest[4:] if rest.startswith("the ") else rest
        return f"{rest} {head}"
    return key


def _join_short_forms(mentions: Sequence[Mention], keys: list[str], uf: UnionFind) -> None:
    """Step 5: a name with the one longer name of the same kind that it starts or ends.

    "Central Bank" with "Central Bank of Dravik" (an organisation less its "of" phrase) and
    "Boone Isaacs" with "Cheryl Boone Isaacs" (the last two or more words of a person's full
    name, whatever label the short form was given), "Justice Front" with "People's Justice
    Front" (an organisation's last words, its head noun among them), each only when exactly
    one longer name fits.
    """
    groups = _groups(uf, len(mentions))
    person = {root: _is_person(mentions, members) for root, members in groups.items()}
    heads: dict[str, set[int]] = defaultdict(set)
    tails: dict[str, set[int]] = defaultdict(set)
    org_tails: dict[str, set[int]] = defaultdict(set)
    for root, members in groups.items():
        for i in members:
            words = keys[i].split()
            if len(words) >= 3 and (person[root] or words[-1] in ORG_HEADS | ORG_WORDS):
                for k in range(2, len(words)):
                    (tails if person[root] else org_tails)[" ".join(words[-k:])].add(root)
            head, sep, _ = keys[i].partition(" of ")
            if not person[root] and sep and len(head.split()) >= 2:
                heads[head].add(root)
    for root, members in groups.items():
        for i in members:
            key = keys[i]
            owners = tails.get(key, set()) if " " in key else set()
            if person[root] or not owners:
                owners = heads.get(key, set()) if not person[root] else owners
            if not (person[root] or owners):
                owners = org_tails.get(key, set())  # "Justice Front", "People's Justice Front"
            if len(owners) == 1 and root not in owners:
                uf.union(root, next(iter(owners)))
                break


def _is_person(mentions: Sequence[Mention], members: list[int]) -> bool:
    people, total = _person_votes(mentions, members)
    return people * 2 >= total and people > 0


def _join_full_names(mentions: Sequence[Mention], uf: UnionFind) -> None:
    """Step 2: full names of one person."""
    groups = _groups(uf, len(mentions))
    full: list[tuple[int, str, str]] = []
    other: list[tuple[int, str, str]] = []
    for root in groups:
        parts = person_parts(mentions[root].text)
        if parts:
            (full if _is_person(mentions, groups[root]) else other).append((root, *parts))
    _join_headline_names(mentions, groups, full, uf)
    # A person's name the tagger called a place or a facility ("Mo Cheeks" beside "Maurice
    # Cheeks"): the same surname and one given name, written alike or a listed short form.
    for ro, fo, lo in other:
        # one person written with and without a headline's words is one owner
        owners = {uf.find(r) for r, f, s in full if s == lo and first_names_compatible(f, fo)}
        if len(owners) > 1:  # "Hire Maurice Cheeks", a headline, is not another Maurice
            first = fo.split()[0]
            owners = {
                uf.find(r)
                for r, f, s in full
                if s == lo and first_names_compatible(f.split()[0], first)
            }
        if len(owners) == 1:
            uf.union(ro, owners.pop())
    where = {root: {mentions[i].article for i in groups[root]} for root, _, _ in full}
    for x, (ra, fa, la) in enumerate(full):
        for rb, fb, lb in full[x + 1 :]:
            if la != lb or not first_names_match(fa, fb):
                continue
            # One text does not spell one person two ways: "Charlie" and "Charlene" Kafoury
            # in one article are two people, though alike.
            if not first_names_compatible(fa, fb) and where[ra] & where[rb]:
                continue
            uf.union(ra, rb)


def _join_headline_names(
    mentions: Sequence[Mention],
    groups: dict[int, list[int]],
    full: list[tuple[int, str, str]],
    uf: UnionFind,
) -> None:
    """A "name" that is one person's full name and more words ("Lindsay Lohan Checks Into
    Rehab", a headline read in title case) is that person, when exactly one fits."""
    names: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for root, _, _ in full:
        for i in groups[root]:
            names[tuple(name_key(mentions[i].text).split())].add(root)
    for root, _, _ in full:
        words = tuple(name_key(mentions[root].text).split())
        for k in range(len(words) - 1, 1, -1):
            owners = names.get(words[:k], set()) - {root}
            if owners:
                if len(owners) == 1:
                    uf.union(root, next(iter(owners)))
                break


def _join_surnames(
    mentions: Sequence[Mention], keys: list[str], single: dict[str, list[int]], uf: UnionFind
) -> None:
    """Step 3: a surname alone, with the one full name that has it."""
    groups = _groups(uf, len(mentions))
    by_surname: dict[str, set[int]] = defaultdict(set)
    by_first: dict[str, set[int]] = defaultdict(set)
    for root, members in groups.items():
        # A full name joined with its forms the tagger called a place ("Mo Cheeks") is still
        # a person's, though most of its labels say otherwise.
        named = any(mentions[i].type == "PERSON" and " " in keys[i] for i in members)
        if " " not in keys[root] or not (named or _is_person(mentions, members)):
            continue
        for i in members:
            parts = person_parts(mentions[i].text)
            if parts:
                by_surname[parts[1]].add(root)
                # "Mo" for Maurice: a listed short form used alone stands for the given name
                for first in given_name_forms(parts[0].split()[0]):
                    by_first[first].add(root)
    # words of other names ("Haines" in "Haines Shipping") may stand for those names
    in_names = {
        w
        for root, members in groups.items()
        if not _is_person(mentions, members)
        for i in members
        if " " in keys[i]
        for w in keys[i].split()
    }
    for key, members in single.items():
        owners = by_surname.get(key, set())
        if not owners and len(by_first.get(key, ())) == 1:
            # No surname has it, one person's given name does: where the given name is the one
            # used alone ("Anwar" for Anwar Ibrahim, "Mahathir" for Mahathir Mohamad).
            owners = by_first[key]
        personal = sum(1 for i in members if mentions[i].type == "PERSON" or mentions[i].honorific)
        if personal * 2 < len(members) and not (
            len(owners) == 1 and key not in in_names and _never_a_place(mentions, members)
        ):
            owners = set()  # "Washington" the city is not George Washington
        if not owners and key not in by_first and key not in by_surname:
            owners = _nickname_owners(mentions, members, by_surname, groups)
        if len(owners) == 1:
            link: dict[int, int] = dict.fromkeys(members, next(iter(owners)))
        else:
            link = _shared_surname_links(mentions, members, owners, groups)
        rest = [i for i in members if i not in link]
        for i, owner in link.items():
            uf.union(i, owner)
        for i in rest[1:]:
            uf.union(rest[0], i)


def _never_a_place(mentions: Sequence[Mention], members: list[int]) -> bool:
    """No mention labelled a place: a surname the tagger calls an organisation or a nation
    ("Haines said ...", ORG) is still the one person of that surname in the story."""
    return all(mentions[i].type not in ("GPE", "LOC") for i in members)


def _nickname_owners(
    mentions: Sequence[Mention],
    members: list[int],
    by_surname: dict[str, set[int]],
    groups: dict[int, list[int]],
) -> set[int]:
    """The one person a lone word no name has stands for, whatever its label: a misspelled
    surname ("Klistchko" for Klitschko, rapidfuzz ratio at least ``SURNAME_SIMILARITY``) or a
    nickname of the starts of the given name and surname ("LiLo", "J.Lo", "A-Rod")."""
    key = name_key(mentions[members[0]].text)
    if len(key) >= MIN_MISSPELT and key.isalpha():
        near = {
            o
            for surname, owners in by_surname.items()
            if surname[:1] == key[:1] and fuzz.ratio(surname, key) >= SURNAME_SIMILARITY
            for o in owners
        }
        if len(near) == 1:
            return near
    pieces = _NICK_PIECES.findall(mentions[members[0]].text.replace(".", "").replace("-", ""))
    if len(pieces) != 2 or len(pieces[1]) < 2:
        return set()
    head, tail = (p.lower() for p in pieces)
    found: set[int] = set()
    for root in {o for owners in by_surname.values() for o in owners}:
        for i in groups[root]:
            parts = person_parts(mentions[i].text)
            if parts and parts[0].startswith(head) and parts[1].startswith(tail):
                found.add(root)
    return found if len(found) == 1 else set()


def _gender(mentions: Sequence[Mention], members: Iterable[int]) -> str | None:
    """ "m" or "f" from the honorifics and subject pronouns of the mentions, if they agree."""
    votes: Counter[str] = Counter()
    for i in members:
        m = mentions[i]
        said = HONORIFICS.get((m.honorific or "").lower())
        if said:
            votes[said] += 2
        for p in m.pronouns:
            if p in _SUBJECT_PRONOUNS:
                votes[PRONOUN_GENDER[p]] += 1
    if votes["m"] == votes["f"]:
        return None
    return "m" if votes["m"] > votes["f"] else "f"


def _given_name_mentions(mentions: Sequence[Mention], members: list[int]) -> list[int]:
    """Mentions by the given name alone ("Mr Rahim" for Rahim Osman), whose honorific and
    pronouns tell the person's gender as well."""
    given = {p[0].split()[0] for i in members if (p := person_parts(mentions[i].text))}
    return [i for i, m in enumerate(mentions) if name_key(m.text) in given]


def _shared_surname_links(
    mentions: Sequence[Mention],
    members: list[int],
    owners: set[int],
    groups: dict[int, list[int]],
) -> dict[int, int]:
    """Link each mention of a surname two people share ("Osman": Rahim and Nora Osman).

    The one owner the mention's own article names, else the one owner of the gender the
    mention's honorific or pronouns state ("Mrs Osman"); otherwise it stays apart (the name
    last written before it is only a guess).
    """
    gender = {
        o: _gender(mentions, [*groups[o], *_given_name_mentions(mentions, groups[o])])
        for o in owners
    }
    link: dict[int, int] = {}
    for i in members:
        m = mentions[i]
        here = [o for o in owners if any(mentions[j].article == m.article for j in groups[o])]
        said = _gender(mentions, [i])
        # "Mrs Latif" where the article names only Harun Latif, a "he": his wife, named elsewhere.
        fits = [o for o in here if said is None or gender[o] in (said, None)] or [
            o for o in owners if said is None or gender[o] in (said, None)
        ]
        if said is not None:
            sure = [o for o in fits if gender[o] == said]
            fits = sure if len(sure) == 1 else fits
        if len(fits) == 1:
            link[i] = fits[0]
    return link


def _join_acronyms(
    mentions: Sequence[Mention], keys: list[str], texts: dict[str, str], uf: UnionFind
) -> None:
    """Step 4: acronyms and their expansions."""
    groups = _groups(uf, len(mentions))
    acronyms: dict[int, str] = {}
    expansions: dict[int, set[str]] = defaultdict(set)
    for root, members in groups.items():
        if _is_person(mentions, groups[root]):
            continue
        for i in members:
            text = mentions[i].text
            if is_acronym(text):
                acronyms[root] = keys[i]
            elif len(keys[i].split()) >= 2:
                expansions[root].add(text)
    label = {root: _majority_label(mentions, groups[root]) for root in groups}
    for owner, key in acronyms.items():
        written: list[int] = []
        spelled: list[int] = []
        for root, texts_of in expansions.items():
            if root == owner:
                continue
            if _written_together(mentions, groups[root], groups[owner], texts):
                written.append(root)
            elif label[root] == label[owner] and any(acronym_matches(key, t) for t in texts_of):
                spelled.append(root)
        # "UN" spells both "United Nations" and "U.S. Navy": without an article writing one
        # beside the other, an acronym that fits two names is left alone.
        links = written or (spelled if len(spelled) == 1 else [])
        for root in links:
            uf.union(owner, root)


def _written_together(
    mentions: Sequence[Mention],
    long_group: list[int],
    short_group: list[int],
    texts: dict[str, str],
) -> bool:
    """True when an article writes "Expansion (ACRONYM)" or "ACRONYM (Expansion)"."""
    for i in long_group:
        m = mentions[i]
        text = texts.get(m.article, "")
        for j in short_group:
            s = mentions[j]
            if s.article != m.article:
                continue
            first, second = (m, s) if m.start < s.start else (s, m)
            between = text[first.end : second.start]
            if _OPEN_BRACKET.fullmatch(between) and text[second.end : second.end + 1] == ")":
                return True
    return False


# --------------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------------


def _role_key(role: str) -> str:
    return " ".join(re.sub(r"[.\-]", " ", fold(role)).split())


def _merge_roles(roles: list[tuple[str, str]]) -> list[str]:
    """Merge roles equal but for case, spacing and punctuation; order them by support.

    ``roles`` holds (article id, role as written). Support is the number of articles, then the
    number of mentions; each merged role is shown in its most frequent form.
    """
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, set[str]] = defaultdict(set)
    order: dict[str, int] = {}
    for article, role in roles:
        key = _role_key(role)
        forms[key][role] += 1
        articles[key].add(article)
        order.setdefault(key, len(order))
    ranked = sorted(forms, key=lambda k: (-len(articles[k]), -sum(forms[k].values()), order[k]))
    return [forms[k].most_common(1)[0][0] for k in ranked]


def _canonical(mentions: Sequence[Mention], members: list[int], person: bool) -> str:
    """The most frequent full form (a full name for a person, an expansion over an acronym);
    of equally frequent forms, the first written."""
    counts = Counter(mentions[i].text for i in members)
    first_seen = {t: n for n, t in reversed(list(enumerate(mentions[i].text for i in members)))}

    def words(text: str) -> int:
        return len(name_key(text).split())

    if person:
        pool = [t for t in counts if words(t) >= 2]
    else:
        # "Nato" is the acronym NATO in lower case: a one-word name loses to an expansion.
        pool = [t for t in counts if words(t) >= 2 and not is_acronym(t)]
        pool = pool or [t for t in counts if not is_acronym(t)]
    pool = pool or list(counts)
    return min(pool, key=lambda t: (-counts[t], first_seen[t]))


def _majority_label(mentions: Sequence[Mention], members: list[int]) -> str:
    votes = Counter(mentions[i].type for i in members)
    return min(votes, key=lambda t: (-votes[t], t != "PERSON", t))


def _entity_type(mentions: Sequence[Mention], members: list[int]) -> str:
    """Majority vote of the mentions' labels, with one correction.

    A "person" known only by one word (or by two, as often tagged otherwise as a person),
    with no honorific, title or pronoun anywhere in the story and tagged a place or
    organisation at least once, is that other thing: the small model tags unfamiliar place
    names as people.
    """
    votes = Counter(mentions[i].type for i in members)
    ranked = sorted(votes, key=lambda t: (-votes[t], t != "PERSON", t))
    label = ranked[0]
    if label == "PERSON" and len(ranked) > 1:
        # Two words read as a name only with more votes than the other label ("Batu Merah",
        # once a place and once a person, is a place).
        named = votes[label] > votes[ranked[1]]
        personal = any(
            (named and len(mentions[i].text.split()) > 1)
            or mentions[i].honorific
            or mentions[i].role
            or mentions[i].pronouns
            for i in members
        )
        if not personal:
            label = ranked[1]
    return label


def _build(
    mentions: Sequence[Mention], articles: Sequence[Article]
) -> list[tuple[Entity, list[int]]]:
    order = {a.id: n for n, a in enumerate(articles)}
    out: list[tuple[Entity, list[int]]] = []
    texts = {a.id: a.text for a in articles}
    for members in _cluster(mentions, texts):
        label = _entity_type(mentions, members)
        person = label == "PERSON"
        name = _canonical(mentions, members, person)
        alias_counts: Counter[str] = Counter()
        for i in members:
            m = mentions[i]
            alias_counts[m.text] += 1
            if person and m.honorific:
                alias_counts[f"{m.honorific} {m.text}"] += 1
        aliases = tuple(a for a, _ in alias_counts.most_common() if a != name)
        roles = _merge_roles(
            [(mentions[i].article, mentions[i].role or "") for i in members if mentions[i].role]
        )
        sources = tuple(
            sorted({mentions[i].article for i in members}, key=lambda a: order.get(a, len(order)))
        )
        entity = Entity(
            name=name,
            type=label,
            aliases=aliases,
            roles=tuple(roles),
            sources=sources,
            mentions=len(members),
        )
        out.append((entity, members))
    out.sort(key=lambda em: (-len(em[0].sources), -em[0].mentions, em[0].name))
    return out


def entity_members(
    mentions: Sequence[Mention], articles: Sequence[Article]
) -> list[tuple[Entity, list[int]]]:
    """Return ``merge_entities``' entities, each with the indices of its mentions (for scoring
    against gold coreference: ``synoptic.evaluate.entities``)."""
    return _build(mentions, articles)


def merge_entities(mentions: Sequence[Mention], articles: Sequence[Article]) -> tuple[Entity, ...]:
    """Merge a story's mentions into entities with aliases, roles and sources.

    Args:
        mentions: The mentions of every article of the story (``extract_mentions``).
        articles: The story's articles; their order orders each entity's ``sources``.

    Returns:
        Entities sorted by the number of articles naming them, then by mentions.
    """
    return tuple(e for e, _ in _build(mentions, articles))


# --------------------------------------------------------------------------------------------
# Flags
# --------------------------------------------------------------------------------------------


def _labels(ids: Iterable[str], by_id: dict[str, Article]) -> str:
    names = [by_id[i].label if i in by_id else i for i in ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _mixed_article_flag(
    entity: Entity, votes: dict[str, Counter[str]], by_id: dict[str, Article]
) -> Flag | None:
    """One article calling a person both "he" and "she", each at least
    ``MIN_DEVIANT_PRONOUNS`` times (when the outlets do not disagree with each other)."""
    mixed = [a for a, v in votes.items() if min(v["m"], v["f"]) >= MIN_DEVIANT_PRONOUNS]
    if not mixed:
        return None
    detail = "; ".join(
        f"“he” {_times(votes[a]['m'])} and “she” {_times(votes[a]['f'])} in {_labels([a], by_id)}"
        for a in mixed
    )
    text = f"{entity.name} is called both {detail}; a pronoun error typical of machine translation."
    return Flag("pronoun-conflict", text, tuple(mixed))


def _pronoun_flag(
    entity: Entity, members: list[int], mentions: Sequence[Mention], by_id: dict[str, Article]
) -> Flag | None:
    """A person whom some articles call "he" and others "she".

    An article's gender for the person is the strict majority of the subject pronouns ("he",
    "she") resolved to them there, an honorific ("Ms", "Mr") counting as one more; articles
    without such a pronoun, or split evenly, have no say. Possessives and objects ("her",
    "his", "him") are resolved less reliably and do not vote. A flag needs articles of both
    genders: the side fewer articles take (else fewer pronouns and honorifics in all) is
    taken as the error and its articles that use the wrong pronoun at least
    ``MIN_DEVIANT_PRONOUNS`` times are cited; with no such side, all articles are.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    for i in members:
        m = mentions[i]
        for p in m.pronouns:
            if p in _SUBJECT_PRONOUNS:
                votes[m.article][PRONOUN_GENDER[p]] += 1
        gender = HONORIFICS.get((m.honorific or "").lower())
        if gender:
            titles[m.article][gender] = 1
    said: dict[str, str] = {}
    for article, v in votes.items():
        tally = v + titles[article]
        if tally["m"] != tally["f"]:
            said[article] = "m" if tally["m"] > tally["f"] else "f"
    side = {g: [a for a in said if said[a] == g] for g in "mf"}
    firm = {g: [a for a in side[g] if votes[a][g] >= MIN_DEVIANT_PRONOUNS] for g in "mf"}
    if not side["m"] or not side["f"] or not (firm["m"] or firm["f"]):
        return _mixed_article_flag(entity, votes, by_id)
    weight = {
        g: (len(side[g]), sum(v[g] for v in (*votes.values(), *titles.values()))) for g in "mf"
    }
    words = {"m": "“he”", "f": "“she”"}
    if weight["m"] == weight["f"]:
        text = (
            f"{entity.name} is called {words['f']} in {_labels(side['f'], by_id)} and "
            f"{words['m']} in {_labels(side['m'], by_id)}; check which is right."
        )
        return Flag("pronoun-conflict", text, tuple(said))
    wrong = "m" if weight["m"] < weight["f"] else "f"
    right = "f" if wrong == "m" else "m"
    side[wrong] = firm[wrong]
    if not side[wrong]:
        return _mixed_article_flag(entity, votes, by_id)
    detail = ", ".join(
        f"{words[wrong]} {_times(votes[a][wrong])} in {_labels([a], by_id)}" for a in side[wrong]
    )
    text = (
        f"{entity.name} is called {detail}, but {words[right]} in "
        f"{_labels(side[right], by_id)}; a pronoun error typical of machine translation."
    )
    return Flag("pronoun-conflict", text, tuple(side[wrong]))


def _name_flag(
    entity: Entity, members: list[int], mentions: Sequence[Mention], by_id: dict[str, Article]
) -> Flag | None:
    """A person whose full name is spelled differently across outlets ("Sergei"/"Sergey").

    Case, diacritics, middle names and initials, and a given name written as an initial or a
    short form ("W."/"William", "Phil"/"Philip") are not spelling differences.
    """
    named = [(i, p) for i in members if (p := person_parts(mentions[i].text)) is not None]
    distinct = list(dict.fromkeys(p for _, p in named))
    uf = UnionFind(len(distinct))
    for x, (fa, la) in enumerate(distinct):
        for y in range(x + 1, len(distinct)):
            fb, lb = distinct[y]
            if la == lb and first_names_compatible(fa, fb):
                uf.union(x, y)
    spellings: dict[int, Counter[str]] = defaultdict(Counter)
    where: dict[int, list[str]] = defaultdict(list)
    for i, parts in named:
        key = uf.find(distinct.index(parts))
        m = mentions[i]
        spellings[key][m.text] += 1
        if m.article not in where[key]:
            where[key].append(m.article)
    if len(spellings) < 2:
        return None
    ranked = sorted(spellings, key=lambda p: (-len(where[p]), -sum(spellings[p].values())))
    main = ranked[0]
    variants = ranked[1:]
    sources = [a for p in variants for a in where[p] if a not in where[main]] or [
        a for p in variants for a in where[p]
    ]
    shown = "; ".join(
        f"“{spellings[p].most_common(1)[0][0]}” in {_labels(where[p], by_id)}" for p in variants
    )
    text = (
        f"{entity.name} is spelled {shown}, against “{spellings[main].most_common(1)[0][0]}” "
        f"in {_labels(where[main], by_id)}."
    )
    return Flag("name-variant", text, tuple(dict.fromkeys(sources)))


def _role_core(role: str) -> tuple[str, frozenset[str]] | None:
    """Split a title into its office and its rank ("US Deputy Secretary of State" ->
    ("secretary of state", {"deputy"})); ``None`` when it names no office.

    Capitalised words before the first title word are the office's country or body ("US",
    "Russian", "Albany County") and are set aside; other words stay ("campaign manager" is not
    "manager").
    """
    written = re.sub(r"[-.]", " ", role).split()
    words = [fold(w) for w in written]
    ranks = frozenset(_RANK_CLASSES[w] for w in words if w in _RANK_CLASSES)
    start = 0
    while (
        start < len(words)
        and words[start] not in ROLE_HEADS
        and words[start] not in ROLE_MODIFIERS
        and written[start][:1].isupper()
    ):
        start += 1
    rest = [w for w in words[start:] if w not in _RANK_CLASSES]
    if not any(w in ROLE_HEADS for w in rest):
        return None
    return " ".join(rest), ranks


def _role_flag(
    entity: Entity, members: list[int], mentions: Sequence[Mention], by_id: dict[str, Article]
) -> Flag | None:
    """A person given an office with a rank ("Deputy Foreign Minister") in some outlets and
    the same office without it ("Foreign Minister") in others: one side names the wrong office.

    Equivalent ranks ("Deputy Minister", "Vice-minister") and other qualifiers ("Regional
    Governor", "Governor") are no conflict. The side fewer articles give is cited first.
    """
    # office -> rank classes -> (articles, role forms)
    offices: dict[str, dict[frozenset[str], tuple[list[str], Counter[str]]]] = defaultdict(dict)
    for i in members:
        m = mentions[i]
        core = _role_core(m.role) if m.role else None
        if core is None or m.role is None:
            continue
        articles, forms = offices[core[0]].setdefault(core[1], ([], Counter()))
        if m.article not in articles:
            articles.append(m.article)
        forms[m.role] += 1
    for ranks in offices.values():
        if len(ranks) < 2 or frozenset() not in ranks:
            continue
        sides = sorted(ranks.values(), key=lambda side: len(side[0]))
        shown = [
            f"“{forms.most_common(1)[0][0]}” in {_labels(articles, by_id)}"
            for articles, forms in sides
        ]
        text = f"{entity.name} is {shown[0]} but {' and '.join(shown[1:])}."
        sources = [a for articles, _ in sides for a in articles]
        return Flag("role-conflict", text, tuple(dict.fromkeys(sources)))
    return None


def find_flags(
    mentions: Sequence[Mention], entities: Sequence[Entity], articles: Sequence[Article]
) -> tuple[Flag, ...]:
    """Return what a reader should check about the story's people.

    Args:
        mentions: The story's mentions, as given to ``merge_entities``.
        entities: The entities to report on (``merge_entities`` output, possibly filtered);
            an entity is matched to its mentions by name.
        articles: The story's articles (their labels name outlets in the flag text).

    Returns:
        ``pronoun-conflict``, ``name-variant`` and ``role-conflict`` flags, in entity order.
    """
    by_id = {a.id: a for a in articles}
    built = {e.name: members for e, members in _build(mentions, articles)}
    flags: list[Flag] = []
    for entity in entities:
        members = built.get(entity.name)
        if members is None or entity.type != "PERSON":
            continue
        for check in (_pronoun_flag, _name_flag, _role_flag):
            flag = check(entity, members, mentions, by_id)
            if flag is not None:
                flags.append(flag)
    return tuple(flags)


__all__ = [
    "FIRST_NAME_SIMILARITY",
    "MIN_DEVIANT_PRONOUNS",
    "entity_members",
    "find_flags",
    "merge_entities",
    "name_key",
]
