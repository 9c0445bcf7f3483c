"""Reading TREC/DUC/LDC newswire ``<DOC>`` elements (``synoptic.extract.sgml``)."""

from __future__ import annotations

import pytest

from synoptic.errors import InputError
from synoptic.extract import extract
from synoptic.extract.sgml import (
    outlet_for_docno,
    parse_trec_doc,
    parse_wire_date,
    split_dateline,
)
from synoptic.extract.text import DroppedLine
from synoptic.model import RawDocument

AP_DOC = """<DOC>
<DOCNO> APW19981016.0240 </DOCNO>
<DOCTYPE> NEWS STORY </DOCTYPE>
<DATE_TIME> 1998-10-16 14:35:12 </DATE_TIME>
<BODY>
<SLUG> BC-Arvel-Bridge </SLUG>
<HEADLINE>
Rail bridge collapses over
Tessa river
</HEADLINE>
<TEXT>
<P>
PORT ARVEL, Sestria (AP) _ A freight train brought down the old Tessa river
rail bridge early Friday, railway officials said.
</P>
<P>
``The driver did everything right,'' said Mila Oren of Sestria Rail &AMP; its union.
</P>
</TEXT>
</BODY>
<TRAILER>
AP-NY-10-16-98 1435EDT
</TRAILER>
</DOC>
"""

NYT_DOC = """<DOC>
<DOCNO> NYT19981003.0093 </DOCNO>
<DOCTYPE> NEWS </DOCTYPE>
<DATE_TIME> 10/03/1998 14:42:00 </DATE_TIME>
<HEADER>
A6270 &Cx1f; tbf-z
u i &Cx13;  &Cx11;  BC-ARVEL-BRIDGE-NYT &QL;
10-03 0812
</HEADER>
<BODY>
<SLUG> BC-ARVEL-BRIDGE-NYT </SLUG>
<HEADLINE>
&UR; Old Bridge Gives Way &LR; &QL;
</HEADLINE>
(SPAN)
By ANNA O'VELLER and JON BRICK
 &UR; c.1998 N.Y. Times News Service &QL;
<TEXT>
<P>
WASHINGTON _ The bridge, built in 1908, fell &MD; and the town asked why. &QL;
</P>
<P>
Inspectors had called it safe, said the mayor, Petr Halas, of Port Arvel &amp; Tessa.
</P>
<P>
(STORY CAN END HERE. OPTIONAL 2ND TAKE FOLLOWS.)
</P>
<P>
The minister ordered checks on 40 bridges.
</P>
<P>
NYT-10-03-98 1442EDT &QL;
</P>
</TEXT>
</BODY>
<TRAILER>
NYT-10-03-98 1442EDT &QL;
</TRAILER>
</DOC>
"""


def _reasons(dropped: tuple[DroppedLine, ...]) -> list[tuple[str, str]]:
    return [(d.line, d.reason) for d in dropped]


def test_extract_sgml_ap_variant_reads_fields_and_drops_the_dateline() -> None:
    wire = parse_trec_doc(AP_DOC)
    assert wire.docno == "APW19981016.0240"
    assert wire.title == "Rail bridge collapses over Tessa river"
    assert wire.published == "1998-10-16T14:35:12"
    assert wire.outlet == "Associated Press"
    assert wire.agency == "Associated Press"
    assert wire.dateline == "PORT ARVEL, Sestria (AP)"
    assert (wire.doctype, wire.slug) == ("NEWS STORY", "BC-Arvel-Bridge")
    first, second = wire.text.split("\n\n")
    # Hard-wrapped lines of one <P> are one paragraph, and the dateline is gone from it.
    assert first == (
        "A freight train brought down the old Tessa river rail bridge early Friday, "
        "railway officials said."
    )
    assert second == (
        "“The driver did everything right,” said Mila Oren of Sestria Rail & its union."
    )
    assert _reasons(wire.dropped) == [
        ("PORT ARVEL, Sestria (AP)", "dateline"),
        ("AP-NY-10-16-98 1435EDT", "trailer"),
    ]


def test_extract_sgml_nyt_variant_removes_control_entities_and_boilerplate() -> None:
    wire = parse_trec_doc(NYT_DOC)
    assert wire.outlet == "New York Times"
    assert wire.published == "1998-10-03T14:42:00"
    assert wire.title == "Old Bridge Gives Way"
    assert wire.byline == "Anna O'Veller and Jon Brick"
    assert wire.dateline == "WASHINGTON"
    assert wire.agency is None  # no credit in the dateline
    assert wire.text.split("\n\n") == [
        "The bridge, built in 1908, fell — and the town asked why.",
        "Inspectors had called it safe, said the mayor, Petr Halas, of Port Arvel & Tessa.",
        "The minister ordered checks on 40 bridges.",
    ]
    assert _reasons(wire.dropped) == [
        ("(SPAN)", "wire-code"),
        ("By ANNA O'VELLER and JON BRICK", "byline"),
        ("c.1998 N.Y. Times News Service", "copyright"),
        ("WASHINGTON", "dateline"),
        ("(STORY CAN END HERE. OPTIONAL 2ND TAKE FOLLOWS.)", "wire-code"),
        ("NYT-10-03-98 1442EDT", "trailer"),
        ("NYT-10-03-98 1442EDT", "trailer"),
    ]
    for residue in ("<", "&Cx", "&QL;", "&UR;", "&LR;", "&MD;", "&amp;"):
        assert residue not in wire.text
        assert all(residue not in d.line for d in wire.dropped)


def test_extract_sgml_text_without_p_tags_splits_on_indents_and_blank_lines() -> None:
    indented = """<DOC><DOCNO> NYT19981017.0044 </DOCNO><TEXT>
   &UR; EDITORS: This story moved Friday as a sidebar. &LR; &QL;
   &UR; By JON BRICK &QL;
   &UR; PORT ARVEL, Sestria _ Sestria Rail stopped freight traffic on
old bridges on Saturday. &QL;
   &HT; Mila Oren said passenger trains would keep
running at reduced speed. &QL;
</TEXT></DOC>"""
    wire = parse_trec_doc(indented)
    assert wire.byline == "Jon Brick"
    assert _reasons(wire.dropped)[:2] == [
        ("EDITORS: This story moved Friday as a sidebar.", "editors-note"),
        ("By JON BRICK", "byline"),
    ]
    assert wire.text.split("\n\n") == [
        "Sestria Rail stopped freight traffic on old bridges on Saturday.",
        "Mila Oren said passenger trains would keep running at reduced speed.",
    ]
    blank_lines = """<DOC><DOCNO> AP880212-0001 </DOCNO><TEXT>
The first paragraph runs
over two lines.

The second paragraph.
</TEXT></DOC>"""
    wire = parse_trec_doc(blank_lines)
    assert wire.text == "The first paragraph runs over two lines.\n\nThe second paragraph."
    assert (wire.outlet, wire.published) == ("Associated Press", "1988-02-12")


def test_extract_sgml_ldc_layout_reads_id_type_and_dateline() -> None:
    ldc = """<DOC id="XIN_ENG_20050102.0007" type="story" >
<HEADLINE>
Ferry service resumes on Lake Orsen
</HEADLINE>
<DATELINE>
KORVA, Jan. 2 (Xinhua)
</DATELINE>
<TEXT>
<P>
KORVA, Jan. 2 (Xinhua) -- Ferries returned to Lake Orsen on Sunday after a week of storms.
</P>
</TEXT>
</DOC>"""
    wire = parse_trec_doc(ldc)
    assert wire.docno == "XIN_ENG_20050102.0007"
    assert (wire.doctype, wire.outlet, wire.published) == ("story", "Xinhua", "2005-01-02")
    assert (wire.dateline, wire.agency) == ("KORVA, Jan. 2 (Xinhua)", "Xinhua")
    assert wire.text == "Ferries returned to Lake Orsen on Sunday after a week of storms."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1998-10-16 14:35:12", "1998-10-16T14:35:12"),
        (" 10/03/1998 14:42:00 ", "1998-10-03T14:42:00"),
        ("10/03/98 14:42", "1998-10-03T14:42:00"),
        ("1998-10-16", "1998-10-16"),
        ("19981016", "1998-10-16"),
        ("880212", "1988-02-12"),
        ("13/45/1998", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_extract_sgml_parse_wire_date(value: str, expected: str | None) -> None:
    assert parse_wire_date(value) == expected


def test_extract_sgml_date_falls_back_to_the_docno() -> None:
    doc = "<DOC><DOCNO> NYT19981003.0093 </DOCNO><TEXT>Some text here.</TEXT></DOC>"
    assert parse_trec_doc(doc).published == "1998-10-03"


@pytest.mark.parametrize(
    ("docno", "outlet"),
    [
        ("APW19981016.0240", "Associated Press"),
        ("APE19981016.0001", "Associated Press"),
        ("AP880212-0001", "Associated Press"),
        ("NYT19981003.0093", "New York Times"),
        ("nyt_eng_20050101.0001", "New York Times"),
        ("XIE19981203.0012", "Xinhua"),
        ("FT911-3", "Financial Times"),
        ("ZZZ19981016.0001", None),
        (None, None),
    ],
)
def test_extract_sgml_outlet_for_docno(docno: str | None, outlet: str | None) -> None:
    assert outlet_for_docno(docno) == outlet


@pytest.mark.parametrize(
    ("paragraph", "lead", "rest"),
    [
        ("PHNOM PENH, Cambodia (AP) _ Cambodia's party won.", "PHNOM PENH, Cambodia (AP)", None),
        ("WASHINGTON _ The Senate voted.", "WASHINGTON", None),
        ("UNITED NATIONS (AP) -- The council met.", "UNITED NATIONS (AP)", None),
        ("BEIJING, Dec. 3 (Xinhua) -- Talks began.", "BEIJING, Dec. 3 (Xinhua)", None),
        ("SAN JUAN, Puerto Rico (AP) The storm passed.", "SAN JUAN, Puerto Rico (AP)", None),
        ("NATO officials said on Friday - as expected - little.", None, None),
        ("The U.S. _ and its allies _ agreed.", None, None),
        ("AIDS - the disease - spread.", None, None),
        ("WASHINGTON _", None, None),
    ],
)
def test_extract_sgml_split_dateline(paragraph: str, lead: str | None, rest: str | None) -> None:
    found, remainder = split_dateline(paragraph)
    assert found == lead
    if lead is None:
        assert remainder == paragraph
    else:
        assert paragraph.endswith(remainder) and remainder[0].isupper()
        assert not remainder.startswith(("_", "-"))


def test_extract_sgml_missing_text_or_close_is_e014() -> None:
    with pytest.raises(InputError) as info:
        parse_trec_doc("<DOC><DOCNO> APW1 </DOCNO><HEADLINE>Only a head</HEADLINE></DOC>")
    assert info.value.code == "E014" and "TEXT" in info.value.message
    with pytest.raises(InputError) as info:
        parse_trec_doc("<DOC><DOCNO> APW1 </DOCNO><TEXT>Body")
    assert info.value.code == "E014" and "</DOC>" in info.value.message


def test_extract_sgml_core_builds_the_article() -> None:
    doc = RawDocument(source="d1/APW19981016.0240", content=AP_DOC, kind="sgml", group="d1")
    art = extract(doc)
    assert (art.outlet, art.title, art.published) == (
        "Associated Press",
        "Rail bridge collapses over Tessa river",
        "1998-10-16T14:35:12",
    )
    assert art.language == "en" and art.group == "d1"
    assert art.text.startswith("A freight train")
    assert art.meta["docno"] == "APW19981016.0240"
    assert art.meta["dateline"] == "PORT ARVEL, Sestria (AP)"
    assert {"line": "PORT ARVEL, Sestria (AP)", "reason": "dateline"} in art.meta["dropped"]


def test_extract_sgml_core_empty_text_is_e011() -> None:
    doc = RawDocument(
        source="x", content="<DOC><DOCNO> APW1 </DOCNO><TEXT>\n(SPAN)\n</TEXT></DOC>", kind="sgml"
    )
    with pytest.raises(InputError) as info:
        extract(doc)
    assert info.value.code == "E011"
