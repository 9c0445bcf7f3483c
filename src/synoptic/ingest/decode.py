"""Bytes to text: binary sniffing and character-encoding detection for ingested inputs.

Scraped news arrives in every encoding the web ever used, often mislabelled. ``decode`` turns
raw bytes into ``str`` through a documented cascade and refuses content that is not text at
all (images, PDFs, archives) with a coded ``InputError`` that says what it looks like.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from synoptic.errors import InputError

#: How much of the start of an input the sniffers look at.
HEAD_BYTES = 16 * 1024

# Magic numbers of formats people drop into article folders by mistake. Each entry is
# (offset, signature, what to call it); the first match names the content in E004.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive (or .docx/.xlsx/.epub)"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"BZh91AY&SY", "bzip2 data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"(\xb5/\xfd", "zstd data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (0, b"wOFF\x00\x01\x00\x00", "WOFF font"),
    (0, b"wOF2\x00\x01\x00\x00", "WOFF2 font"),
    (0, b"ID3\x03", "MP3 audio"),
    (0, b"ID3\x04", "MP3 audio"),
    (0, b"OggS\x00", "Ogg media"),
    (0, b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (4, b"ftyp", "MP4/QuickTime media"),
    (257, b"ustar\x00", "tar archive"),
    (257, b"ustar ", "tar archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"']", re.I)

# Labels the WHATWG Encoding Standard decodes as a superset, because pages that declare them
# routinely contain the superset's extra characters (curly quotes declared as ISO-8859-1).
_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}

# Python text codecs that no web page can be written in: decoding with them fails always
# (``undefined``), turns escapes into characters (``unicode_escape``), or is refused by browsers
# for safety (``utf-7``).
_NOT_CHARSETS = frozenset(
    {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7"}
)

# Tie-break order for detection: the legacy encodings most common on the web first
# (charset-normalizer's codec names).
_WEB_PREFERENCE = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "gb18030")

# C0 control bytes that never occur in text (tab, newlines, form feed and escape excluded).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b")


def binary_kind(head: bytes) -> str | None:
    """Say what ``head`` (the first bytes of an input) is if it is not text, else ``None``.

    Checks known magic numbers first so the message can name the format, then NUL bytes, then
    a high share of control bytes. UTF-16/32 text (which is full of NUL bytes) is recognised
    by its BOM or byte pattern and is not binary.
    """
    for offset, magic, name in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return name
    if _bom_encoding(head) or _nul_pattern_encoding(head):
        return None
    if b"\x00" in head:
        return "NUL bytes"
    sample = head[:HEAD_BYTES]
    if sample and sum(sample.count(c) for c in _CONTROL) > len(sample) // 10:
        return "control bytes"
    return None


def declared_charset(head: bytes) -> str | None:
    """Return the Python codec an HTML/XML document declares in ``head``, if any and known.

    Reads ``<meta charset=...>``, ``<meta http-equiv="Content-Type" content="...; charset=...">``
    and the XML declaration, mapping labels to the supersets browsers use.
    """
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head[:HEAD_BYTES])
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    name = info.name
    # ``rot13``, ``base64``, ``zlib``... are Python codecs, not character sets: a page that
    # names one has declared nothing usable, and decoding with it would raise LookupError.
    if not getattr(info, "_is_text_encoding", True) or name in _NOT_CHARSETS:
        return None
    # A page read as ASCII-compatible bytes cannot really be UTF-16 (WHATWG rule).
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return _SUPERSETS.get(name, name)


def decode(data: bytes, *, html: bool = False) -> str:
    """Decode ``data`` to text, stripping any byte order mark.

    The cascade, first success wins:

    1. A byte order mark (UTF-8/16/32) is authoritative: it is how the writer said what it
       wrote. Bytes that then fail to decode are corrupt (``E010``).
    2. Binary content (magic numbers, NUL bytes, control bytes) is refused (``E004``) so that
       an image is never "decoded" into mojibake.
    3. UTF-16/32 without a BOM, recognised by the NUL byte in every second (fourth) byte.
    4. Strict UTF-8: valid UTF-8 with non-ASCII bytes essentially never happens by accident,
       so it beats a declaration (pages often declare ISO-8859-1 and serve UTF-8).
    5. For HTML, the declared ``<meta charset>``/XML encoding, when the bytes decode with it.
    6. Detection by charset-normalizer (statistical, needs no declaration).

    Args:
        data: The raw bytes of one input (already decompressed).
        html: Whether the input is (or may be) HTML, so its declared charset is honoured.

    Raises:
        InputError: ``E004`` for binary content, ``E010`` when no encoding fits.
    """
    bom = _bom_encoding(data)
    if bom:
        try:
            return data.decode(bom).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError("E010", reason=f"invalid {bom} after its byte order mark") from exc
    kind = binary_kind(data[:HEAD_BYTES])
    if kind:
        raise InputError("E004", detail=kind)
    wide = _nul_pattern_encoding(data[:HEAD_BYTES])
    if wide:
        try:
            return data.decode(wide).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError("E010", reason=f"invalid {wide}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data[:HEAD_BYTES]) if html else None
    if declared:
        try:
            return data.decode(declared).removeprefix("\ufeff")
        except (UnicodeError, LookupError):
            pass  # a wrong declaration is common; detection below has the last word
    return _detect(data, declared)


def _detect(data: bytes, declared: str | None) -> str:
    """Decode with the encoding charset-normalizer finds most plausible.

    Western European text fits several single-byte code pages equally well (an accented
    letter is rare enough that cp1250 and cp1252 score the same); among equally good
    candidates the ones most used on the web win, so "à" does not come back as "ŕ".
    """
    # Declarations were weighed in step 5 (for HTML only, with browser supersets); the
    # library's own look at them would also trust "charset=" written in a plain text.
    matches = charset_normalizer.from_bytes(data, preemptive_behaviour=False)
    best = matches.best()
    if best is None:
        tried = "UTF-8" + (f", declared {declared}" if declared else "") + " and detection"
        raise InputError("E010", reason=f"no character encoding fits (tried {tried})")
    tied = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    rank = {name: i for i, name in enumerate(_WEB_PREFERENCE)}
    pick = min(tied, key=lambda m: rank.get(m.encoding, len(rank)), default=best)
    return str(pick).removeprefix("\ufeff")


def wide_encoding(head: bytes) -> str | None:
    """Return the UTF-16/32 codec ``head`` is written in (by BOM or NUL pattern), else ``None``.

    Such text cannot be split into lines or sniffed byte-wise, so callers decode it first.
    """
    bom = _bom_encoding(head)
    if bom:
        return None if bom == "utf-8" else bom
    return _nul_pattern_encoding(head)


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            # ``utf-8-sig`` etc. strip the BOM themselves; the plain names keep it as U+FEFF,
            # which the callers remove, so one code path serves all five.
            return name
    return None


def _nul_pattern_encoding(head: bytes) -> str | None:
    """Recognise BOM-less UTF-16/32 of mostly-ASCII text by where its NUL bytes fall."""
    sample = head[: len(head) - len(head) % 4][:4096]
    if len(sample) < 8:
        return None

    def share(offset: int, step: int) -> float:
        column = sample[offset::step]
        return column.count(0) / len(column)

    if share(1, 4) > 0.9 and share(2, 4) > 0.9 and share(3, 4) > 0.9 and share(0, 4) < 0.5:
        return "utf-32-le"
    if share(0, 4) > 0.9 and share(1, 4) > 0.9 and share(2, 4) > 0.9 and share(3, 4) < 0.5:
        return "utf-32-be"
    if share(1, 2) > 0.6 and share(0, 2) < 0.1:
        return "utf-16-le"
    if share(0, 2) > 0.6 and share(1, 2) < 0.1:
        return "utf-16-be"
    return None
