"""A metadata key is the writer's own words: a client's name written as a PNG text chunk's
keyword, a PDF's custom information key or a form field's name is a finding, and the
report's location never repeats it (it is printed without --reveal, and sent to CI logs)."""

from __future__ import annotations

import io
import json

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from gate.check import check_contents
from gate.report import REPORTERS
from gate.verdict import Verdict
from gate.wordlist import Policy
from tests.support import documents
from tests.support.documents import CONTENT_TYPES, package
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\nB,id,AB-7731,\n")


def verdict_of(path: str, data: bytes) -> Verdict:
    return check_contents(MATCHER, [decoded(path, data)], today=TODAY)


def pdf_with_custom_info(key: str, value: str) -> bytes:
    document = FPDF()
    document.add_page()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(document.output()))))
    writer.add_metadata({f"/{key}": value})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_with_xmp(declaration: str, prop: str, value: str = "", *, attributes: str = "") -> bytes:
    """A JPEG whose XMP describes it with one property `prop` (an element) holding `value`,
    or with `attributes` on the description itself."""
    element = f"<{prop}>{value}</{prop}>" if prop else ""
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {declaration} {attributes}>{element}</rdf:Description></rdf:RDF></x:xmpmeta>'
    )
    return documents.image(xmp=packet.encode())


def office(member: str, xml: str) -> bytes:
    return package({"[Content_Types].xml": CONTENT_TYPES, member: xml})


CASES = [
    ("k.png", documents.png_text("tEXt", "Kim Lowe", "case AB-7731"), [("A", "png 1 key"), ("B", "png 1")]),
    ("c.png", documents.png_text("tEXt", "Comment", "Kim Lowe"), [("A", "png:Comment")]),
    ("n.png", documents.png_text("tEXt", "Notes", "An open day"), []),
    ("i.pdf", pdf_with_custom_info("Kim Lowe", "client"), [("A", "info 2 key")]),
    # XMP: a writer's own schema (its namespace, its prefix, its property's name) is
    # numbered; a standard one is named by its usual prefix, whatever the file calls it
    ("x.jpg", jpeg_with_xmp('xmlns:Kim-Lowe="urn:a"', "Kim-Lowe:note", "a garden"), [("A", "xmp 1 key")]),
    ("y.jpg", jpeg_with_xmp('xmlns="urn:Kim Lowe"', "note", "a garden"), [("A", "xmp 1 key")]),
    (
        "z.jpg",
        jpeg_with_xmp('xmlns:d="http://purl.org/dc/elements/1.1/"', "d:Kim-Lowe", "a garden"),
        [("A", "xmp 1 key")],
    ),
    (
        "d.jpg",
        jpeg_with_xmp('xmlns:d="http://purl.org/dc/elements/1.1/"', "d:title", "Kim Lowe"),
        [("A", "xmp:dc:title")],
    ),
    ("o.jpg", jpeg_with_xmp("", "", attributes='about="Kim Lowe"'), [("A", "xmp 1")]),
    # Office XML: an element's name, a cell's reference, a property's number are printed
    # only as the formats write them
    ("e.docx", office("word/other.xml", "<r><Kim-Lowe>Kim Lowe</Kim-Lowe></r>"), [("A", "word/other.xml text 1")]),
    (
        "c.xlsx",
        office("xl/worksheets/sheet1.xml", '<w><c r="Kim-Lowe"><is><t>Kim Lowe</t></is></c></w>'),
        [("A", "xl/worksheets/sheet1.xml string 1")],  # its inline string, not the reference
    ),
    (
        "p.docx",
        office("docProps/custom.xml", '<P><property pid="Kim-Lowe" name="x"><lpwstr>Kim Lowe</lpwstr></property></P>'),
        [("A", "docProps/custom.xml property")],
    ),
]


def test_a_key_is_read_as_text_and_never_named_in_the_location() -> None:
    for path, data, expected in CASES:
        verdict = verdict_of(path, data)
        found = [(item.client_id, item.location) for item in verdict.findings]
        assert [pair for pair in found if pair[1] != "path"] == expected, path
        for report in REPORTERS.values():
            assert "Kim Lowe" not in report(verdict, Policy()), (path, report)
        assert "Kim Lowe" not in json.dumps([item.location for item in verdict.findings])
