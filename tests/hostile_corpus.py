"""A generated corpus of hostile inputs for ``synoptic brief BAD GOOD`` (nothing large committed).

Each :class:`Case` writes its input under a folder when asked and says what the README promises
for it: the code of the one line naming it (``None``: it is read, no line), and whether it is big
enough to be marked ``slow``. The payloads are built from a few families (text, HTML, JSON, JSON
lines, TREC/SGML, gzip, WARC, standard input, odd file names, special files) crossed with the
carriers that may hold them, so the corpus grows by hundreds of cases from a page of code.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import warc_build

GOOD_TEXT = (
    "Dam spillway opened as reservoir rises\n\n"
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three "
    "villages below the dam.\n"
)
BODY = (
    "Delegations from Washington and Moscow met in Geneva on Monday for talks that lasted "
    "most of the day. Officials said afterwards that no agreement had been reached."
)
TITLE = "Talks in Geneva end without agreement"


@dataclass(frozen=True)
class Built:
    """What a case made: the arguments naming it, bytes for standard input, the printed name."""

    args: list[str]
    name: str
    stdin: bytes | None = None
    cleanup: Callable[[], None] | None = None


@dataclass(frozen=True)
class Case:
    """One hostile input and the documented outcome.

    Attributes:
        id: The test id.
        code: The code of its one skip line, or ``None`` when it is read without one.
        make: Writes the input under the given folder and returns what names it.
        slow: Big input (marked ``slow``).
        extra: Extra CLI options for this case (e.g. a small ``--max-bytes``).
    """

    id: str
    code: str | None
    make: Callable[[Path], Built]
    slow: bool = False
    extra: tuple[str, ...] = field(default=())


def _file(name: str, data: bytes) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        path = root / name
        path.write_bytes(data)
        return Built([str(path)], str(path))

    return make


def _stdin(data: bytes) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        return Built(["-"], "-", stdin=data)

    return make


def _html(body: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head>{head}<title>{TITLE}</title></head>"
        f"<body><article><h1>{TITLE}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )


# --- text ------------------------------------------------------------------------------------

_TEXT: list[tuple[str, bytes, str | None]] = [
    ("empty", b"", "E003"),
    ("spaces", b"   \t  ", "E003"),
    ("newlines", b"\n" * 50, "E003"),
    ("nul-only", b"\x00" * 64, "E004"),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "E004"),
    ("elf", b"\x7fELF\x02\x01\x01" + bytes(200), "E004"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 2, "E004"),
    ("zip", b"PK\x03\x04" + bytes(range(256)), "E004"),
    ("utf8-bom-only", b"\xef\xbb\xbf", "E003"),
    ("utf16-good", ("\ufeff" + TITLE + "\n\n" + BODY).encode("utf-16-le"), None),
    ("utf16be-good", ("\ufeff" + TITLE + "\n\n" + BODY).encode("utf-16-be"), None),
    ("latin1-good", (TITLE + "\n\n" + BODY + " Café naïve.").encode("latin-1"), None),
    ("cp1252-good", (TITLE + "\n\n" + BODY + " \u201cquoted\u201d").encode("cp1252"), None),
    ("surrogate-bytes", (TITLE + "\n\n" + BODY).encode() + b" \xed\xa0\x80 end.", None),
    ("nul-in-text", (TITLE + "\n\n" + BODY).encode().replace(b" ", b" \x00", 3), "E004"),
    ("ansi-in-text", (TITLE + "\n\n\x1b[31m" + BODY + "\x1b[0m").encode(), None),
    ("bidi-in-text", (TITLE + "\n\n\u202e" + BODY).encode(), None),
    ("controls-only", bytes(range(1, 9)) * 8, "E004"),
    ("residue-only", b"Share this article\nSubscribe to our newsletter\nAdvertisement\n", "E011"),
    ("one-char", b"x", "E011"),
    ("crlf-good", (TITLE + "\r\n\r\n" + BODY).encode(), None),
    ("cr-only-good", (TITLE + "\r\r" + BODY).encode(), None),
    ("long-word", b"a" * 20_000, None),
    ("many-short-lines", b"a\n" * 5_000, None),
    ("unpaired-quotes", (TITLE + "\n\n" + '"' * 500 + BODY).encode(), None),
    ("parentheses", (TITLE + "\n\n" + "(" * 2_000 + BODY + ")" * 2_000).encode(), None),
]


def _random_bytes(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def text_cases() -> Iterator[Case]:
    """Text files, the same bytes on standard input, and seeded random bytes."""
    for key, data, code in _TEXT:
        yield Case(f"text-{key}", code, _file(f"{key}.txt", data))
        yield Case(f"stdin-{key}", code, _stdin(data))
    for seed in range(12):
        data = _random_bytes(seed, 512)
        yield Case(f"text-random-{seed}", "E004", _file(f"random{seed}.txt", data))
    yield Case(
        "text-over-max-bytes",
        "E006",
        _file("big.txt", b"a " * 5_000),
        extra=("--max-bytes", "4000"),
    )
    yield Case("stdin-over-max-bytes", "E006", _stdin(b"a " * 5_000), extra=("--max-bytes", "4000"))


# --- HTML ------------------------------------------------------------------------------------

# Codecs Python knows that are not text encodings, and names it does not know at all.
_CHARSETS = [
    "rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined", "punycode",
    "idna", "utf-7", "x-no-such-charset", "utf-32", "utf-16", "", "charset",
]  # fmt: skip

_HTML: list[tuple[str, str, str | None]] = [
    ("comment-only", "<!-- only a comment -->", "E020"),
    ("lone-angle", "<", "E020"),
    ("words-no-markup", "just words, no markup", "E020"),
    ("empty-body", "<html><body></body></html>", "E011"),
    ("script-only", "<html><body><script>var a = 1;</script></body></html>", "E011"),
    ("nav-only", "<html><body><nav><a href='/'>Home</a></nav></body></html>", None),
    ("unclosed-tags", "<html><body>" + "<div><p>" * 300 + BODY, "E011"),
    ("deep-divs", "<html><body>" + "<div>" * 3_000 + f"<p>{BODY}</p>" + "</div>" * 3_000, "E011"),
    ("many-paragraphs", "<html><body>" + f"<p>{BODY}</p>" * 300 + "</body></html>", None),
    ("entity-soup", "<html><body><p>" + "&amp;&#0;&#xD800;&#1114112;" * 50 + BODY + "</p>", None),
    ("nul-in-html", _html(BODY).replace("<p>", "<p>\x00", 1), "E004"),
    ("bidi-title", _html(BODY).replace(TITLE, "\u202e" + TITLE, 1), None),
    ("cdata", "<html><body><![CDATA[" + BODY + "]]></body></html>", "E011"),
    ("xml-pi", "<?xml version='1.0'?><html><body><p>" + BODY + "</p></body></html>", None),
    ("svg-only", "<html><body><svg><text>hi</text></svg></body></html>", None),
    ("iframe-only", "<html><body><iframe src='http://x.test/'></iframe></body></html>", "E011"),
]


def html_cases() -> Iterator[Case]:
    """HTML pages: charsets that are not text encodings (meta and http-equiv), broken markup."""
    for i, charset in enumerate(_CHARSETS):
        meta = _html(BODY, f'<meta charset="{charset}">').encode()
        equiv = _html(
            BODY, f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        ).encode()
        yield Case(f"html-charset-{i}", None, _file(f"charset{i}.html", meta))
        yield Case(f"html-equiv-{i}", None, _file(f"equiv{i}.html", equiv))
    for key, page, code in _HTML:
        yield Case(f"html-{key}", code, _file(f"{key}.html", page.encode()))
        yield Case(f"htmlgz-{key}", code, _file(f"{key}.html.gz", gzip.compress(page.encode())))


# --- JSON and JSON lines ---------------------------------------------------------------------

_RECORD = {"title": TITLE, "text": BODY, "outlet": "Wire", "published": "2024-10-15"}

_JSON: list[tuple[str, str, str | None]] = [
    ("null", "null", "E009"),
    ("number", "42", "E009"),
    ("string", '"text"', "E009"),
    ("true", "true", "E009"),
    ("empty-object", "{}", "E008"),
    ("empty-text", '{"text": ""}', "E008"),
    ("text-number", '{"text": 5}', "E008"),
    ("text-list", '{"text": ["a"]}', "E008"),
    ("text-spaces", '{"text": "   "}', "E008"),
    ("truncated", '{"text": "abc', "E007"),
    ("trailing-comma", '{"text": "abc",}', "E007"),
    ("single-quotes", "{'text': 'abc'}", "E007"),
    ("nan-field", json.dumps(_RECORD)[:-1] + ', "score": NaN}', "E007"),
    ("infinity-field", json.dumps(_RECORD)[:-1] + ', "score": Infinity}', "E007"),
    ("neg-infinity", json.dumps(_RECORD)[:-1] + ', "score": -Infinity}', "E007"),
    ("huge-float", json.dumps(_RECORD)[:-1] + ', "score": 1e999}', "E007"),
    ("deep-lists", "[" * 5_000 + "]" * 5_000, "E007"),
    ("deep-objects", '{"a":' * 5_000 + "1" + "}" * 5_000, "E007"),
    ("garbage", "\x01\x02not json at all", "E004"),
]

_FIELDS = ("text", "title", "outlet", "author", "url", "published")


def _record_with(field_name: str, value: str) -> dict[str, object]:
    record: dict[str, object] = dict(_RECORD)
    record[field_name] = BODY + value if field_name == "text" else value
    return record


def _hostile_records() -> Iterator[tuple[str, str, str | None]]:
    """Records that are read (cleaned at read time), as JSON text."""
    for name in _FIELDS:
        surrogate = json.dumps(_record_with(name, "\ud800"))
        yield f"surrogate-{name}", surrogate, None
        yield f"nul-{name}", json.dumps(_record_with(name, "a\u0000b")), None
        yield f"bidi-{name}", json.dumps(_record_with(name, "\u202eevil")), None
    yield "escaped-surrogate-pair", json.dumps(_record_with("text", "\U0001f600")), None
    yield "low-surrogate", json.dumps(_record_with("text", "\udfff")), None


def json_cases() -> Iterator[Case]:
    """JSON files, JSON lines (one bad line among good ones) and JSON on standard input."""
    for key, text, code in [*_JSON, *_hostile_records()]:
        data = text.encode("utf-8", "surrogatepass")
        yield Case(f"json-{key}", code, _file(f"{key}.json", data))
        if "\n" not in text and not key.startswith("deep"):
            lines = json.dumps(_RECORD).encode() + b"\n" + data + b"\n"
            # a line of control bytes is a malformed line, not a binary file
            line_code = "E007" if key == "garbage" else code
            yield Case(f"jsonl-{key}", line_code, _file(f"{key}.jsonl", lines))
    good = json.dumps(_RECORD)
    yield Case("json-list-bad-second", "E009", _file("list.json", f"[{good}, 7]".encode()))
    yield Case("json-invalid-utf8", None, _file("bad8.json", b'{"text": "\xff\xfe\xfa"}'))
    yield Case("jsonl-garbage-line", "E007", _file("g.jsonl", good.encode() + b"\n}{\n"))
    yield Case("jsonl-blank-lines", None, _file("blank.jsonl", b"\n\n" + good.encode() + b"\n\n"))
    yield Case("jsonl-crlf", None, _file("crlf.jsonl", good.encode() + b"\r\n"))
    yield Case("stdin-json-nan", "E007", _stdin(b'{"text": "a", "x": NaN}'))
    yield Case("stdin-json-no-text", "E008", _stdin(b'{"title": "x"}'))
    many = b'{"text": "a"}\n' * 100_001  # small records: the cap, not the size limit, stops it
    yield Case("jsonl-over-record-cap", "E018", _file("many.jsonl", many), slow=True)


# --- TREC/SGML -------------------------------------------------------------------------------


def _doc(docno: str, text: str) -> str:
    return f"<DOC>\n<DOCNO> {docno} </DOCNO>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"


# (key, content, code as .sgml and .sgml.gz, code with no suffix): a .sgml file that is not
# TREC is refused by suffix (E012); with no suffix the content decides (text, or E004 for NUL).
_TREC: list[tuple[str, str, str | None, str | None]] = [
    ("unclosed-doc", f"<DOC>\n<DOCNO> X1 </DOCNO>\n<TEXT>\n{BODY}\n", "E014", "E014"),
    ("no-text", "<DOC>\n<DOCNO> X2 </DOCNO>\n</DOC>\n", "E014", "E014"),
    ("empty-text", _doc("X3", ""), "E011", "E011"),
    ("no-docno", f"<DOC>\n<TEXT>\n{BODY}\n</TEXT>\n</DOC>\n", "E012", None),
    (
        "nested-doc",
        f"<DOC>\n<DOCNO> X4 </DOCNO>\n<DOC>\n<TEXT>{BODY}</TEXT></DOC></DOC>\n",
        "E014",
        "E014",
    ),
    (
        "good-then-unclosed",
        _doc("X5", BODY) + "<DOC>\n<DOCNO> X6 </DOCNO>\n<TEXT>\n",
        "E014",
        "E014",
    ),
    ("nul-in-doc", _doc("X7", BODY.replace(" ", " \x00", 2)), "E012", "E004"),
    ("bidi-docno", _doc("\u202eX8", BODY), None, None),
    ("control-docno", _doc("X9\x1b[2J", BODY), None, None),
    (
        "many-tiny",
        _doc("T0", BODY) + "".join(_doc(f"T{i}", "x") for i in range(1, 300)),
        None,
        None,
    ),
]


def trec_cases() -> Iterator[Case]:
    """TREC/SGML files (.sgml), gzipped, and with no telling suffix."""
    for key, text, code, bare in _TREC:
        data = text.encode()
        yield Case(f"trec-{key}", code, _file(f"{key}.sgml", data))
        yield Case(f"trecgz-{key}", code, _file(f"{key}.sgml.gz", gzip.compress(data)))
        yield Case(f"trec-nosuffix-{key}", bare, _file(f"{key}", data))
    yield Case("xml-not-trec", "E012", _file("feed.xml", b"<?xml version='1.0'?><a><b/></a>"))


# --- gzip ------------------------------------------------------------------------------------


def gzip_cases() -> Iterator[Case]:
    """Truncated, corrupt, empty, double-compressed and bomb-like gzip streams."""
    good = gzip.compress(GOOD_TEXT.encode() + BODY.encode())
    yield Case("gz-truncated", "E005", _file("cut.txt.gz", good[: len(good) // 2]))
    yield Case("gz-header-only", "E005", _file("head.txt.gz", good[:10]))
    crc = good[:-8] + bytes(b ^ 0xFF for b in good[-8:-4]) + good[-4:]
    yield Case("gz-bad-crc", "E005", _file("crc.txt.gz", crc))
    yield Case("gz-not-gzip", None, _file("plain.txt.gz", (TITLE + "\n\n" + BODY).encode()))
    yield Case("gz-empty-member", "E003", _file("empty.txt.gz", gzip.compress(b"")))
    yield Case("gz-double", "E004", _file("double.txt.gz", gzip.compress(good)))
    yield Case("gz-trailing-garbage", "E005", _file("trail.txt.gz", good + b"garbage!"))
    bomb = gzip.compress(b"a" * 5_000_000)
    yield Case("gz-bomb-text", "E019", _file("bomb.txt.gz", bomb))
    lines = gzip.compress(b'{"text": "a"}\n' * 200_000)
    yield Case("gz-bomb-jsonl", "E019", _file("bomb.jsonl.gz", lines), slow=True)
    yield Case("zlib-not-gzip", "E004", _file("z.txt", zlib.compress(b"a" * 10_000)))
    for seed in range(6):
        head = b"\x1f\x8b\x08\x00" + _random_bytes(100 + seed, 300)
        yield Case(f"gz-random-{seed}", "E005", _file(f"r{seed}.txt.gz", head))


# --- WARC ------------------------------------------------------------------------------------


def warc_cases() -> Iterator[Case]:
    """Web archives: truncated, corrupt, holding no page, a page in a non-text charset."""
    page = _html(BODY).encode()
    one = warc_build.response("http://news.test/a", page)
    yield Case("warc-good", None, _file("good.warc", warc_build.request("http://news.test/") + one))
    yield Case("warc-truncated", "E430", _file("cut.warc", one + one[: len(one) // 2]))
    yield Case("warc-gz-truncated", "E430", _file("cut.warc.gz", warc_build.gz([one, one])[:-30]))
    bad = one.replace(b"Content-Length: ", b"Content-Length: x", 1)
    yield Case("warc-corrupt-length", "E430", _file("bad.warc", one + bad))
    odd = warc_build.response("http://news.test/b", page, ctype="text/html; charset=rot13")
    yield Case("warc-rot13", None, _file("rot.warc", odd))


# --- names and special files -----------------------------------------------------------------

_NAMES: list[tuple[str, bytes]] = [
    ("newline", b"a\nsynoptic: skipped forged: empty input [E003].txt"),
    ("ansi", b"\x1b[31mred\x1b[0m.txt"),
    ("invalid-utf8", b"bad\xff\xfename.txt"),
    ("bidi", "x\u202etxt.exe.txt".encode()),
    ("tab", b"a\tb.txt"),
    ("carriage-return", b"a\rb.txt"),
    ("bell", b"a\x07b.txt"),
    ("escape-only", b"\x1b.txt"),
    ("backspace", b"ab\x08\x08.txt"),
    ("brackets", b"[E000] x.txt"),
    ("leading-space", b" lead.txt"),
    ("long", b"n" * 240 + b".txt"),
    ("zero-width", "a\u200bb.txt".encode()),
    ("delete-char", b"a\x7fb.txt"),
    ("c1-control", "a\u0085b.txt".encode()),
    ("line-separator", "a\u2028b.txt".encode()),
]


def _named(raw: bytes, data: bytes) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        path = os.path.join(os.fsencode(root), raw)
        with open(path, "wb") as handle:
            handle.write(data)
        name = os.fsdecode(path)
        return Built([name], name)

    return make


def _in_folder(raw: bytes, data: bytes) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        folder = root / "folder"
        folder.mkdir()
        path = os.path.join(os.fsencode(folder), raw)
        with open(path, "wb") as handle:
            handle.write(data)
        return Built([str(folder)], os.fsdecode(path))

    return make


def name_cases() -> Iterator[Case]:
    """Odd file names, empty (one E003 line that must show the name escaped), named directly
    and found in a folder."""
    for key, raw in _NAMES:
        yield Case(f"name-{key}", "E003", _named(raw, b""))
        yield Case(f"name-in-folder-{key}", "E003", _in_folder(raw, b""))
        yield Case(f"name-binary-{key}", "E004", _named(raw, b"\x89PNG\r\n\x1a\n" + bytes(64)))


def _fifo(in_folder: bool) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        folder = root / "pipes" if in_folder else root
        folder.mkdir(exist_ok=True)
        path = folder / "pipe.txt"
        os.mkfifo(path)
        return Built([str(folder if in_folder else path)], str(path))

    return make


def _symlinks(kind: str) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        folder = root / "links"
        folder.mkdir()
        (root / "outside.txt").write_text(GOOD_TEXT.replace("Velmar", "Ostrava"))
        a, b = folder / "a.txt", folder / "b.txt"
        if kind == "loop":
            os.symlink(b, a)
            os.symlink(a, b)
        elif kind == "self":
            os.symlink(a, a)
        elif kind == "dangling":
            os.symlink(folder / "nowhere.txt", a)
        elif kind == "outside":
            os.symlink(root / "outside.txt", a)
        elif kind == "folder-loop":
            (folder / "sub").mkdir()
            os.symlink(folder, folder / "sub" / "up")
            return Built([str(folder)], str(folder))
        return Built([str(a)] if kind != "outside" else [str(folder)], str(a))

    return make


def _deep(levels: int) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        top = root / "deep"
        chain = [top]
        top.mkdir()
        for _ in range(levels):  # not mkdir(parents=True): pathlib recurses once per level
            chain.append(chain[-1] / "d")
            chain[-1].mkdir()
        (chain[-1] / "x.txt").write_text(GOOD_TEXT)

        def cleanup() -> None:  # pytest's shutil.rmtree recurses once per level too
            (chain[-1] / "x.txt").unlink()
            for level in reversed(chain[1:]):
                level.rmdir()

        return Built([str(top)], str(top), cleanup=cleanup)

    return make


def _given(name: str) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        return Built([name], name)

    return make


def _under(rel: str, setup: Callable[[Path], None] = lambda root: None) -> Callable[[Path], Built]:
    def make(root: Path) -> Built:
        setup(root)
        path = str(root / rel)
        return Built([path], path)

    return make


def special_cases() -> Iterator[Case]:
    """FIFOs, devices, symbolic links (loops, dangling, out of the folder), deep folders, paths
    that are missing or go through a file, refused suffixes."""
    yield Case("fifo-named", "E016", _fifo(False))
    yield Case("fifo-in-folder", "E016", _fifo(True))
    yield Case("device-null", "E016", _given("/dev/null"))
    yield Case("device-zero", "E016", _given("/dev/zero"))
    yield Case("symlink-loop", "E002", _symlinks("loop"))
    yield Case("symlink-self", "E002", _symlinks("self"))
    yield Case("symlink-dangling", "E001", _symlinks("dangling"))
    yield Case("symlink-outside", "E017", _symlinks("outside"))
    yield Case("symlink-folder-loop", None, _symlinks("folder-loop"))
    yield Case("folder-1100-deep", "E015", _deep(1_100), slow=True)
    yield Case("missing", "E001", _under("no-such-file.txt"))
    yield Case(
        "through-a-file", "E001", _under("f.txt/x.txt", lambda r: (r / "f.txt").write_text("a"))
    )
    for suffix in (".png", ".tgz", ".tar.gz", ".exe", ".docx", ".mp4"):
        yield Case(f"suffix{suffix}", "E012", _file(f"file{suffix}", GOOD_TEXT.encode()))


def all_cases() -> list[Case]:
    """Every case of the corpus, in a stable order."""
    return [
        *text_cases(),
        *html_cases(),
        *json_cases(),
        *trec_cases(),
        *gzip_cases(),
        *warc_cases(),
        *name_cases(),
        *special_cases(),
    ]
