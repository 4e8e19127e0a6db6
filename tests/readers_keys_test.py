"""A metadata key is the writer's own words: a client's name written as a PNG text chunk's
keyword, a PDF's custom information key or a form field's name is a finding, and the
report's location never repeats it (it is printed without --reveal, and sent to CI logs)."""

from __future__ import annotations

import io
import json

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from gate.check import check_contents
from gate.content import decode_content
from gate.report import REPORTERS
from gate.verdict import Verdict
from gate.wordlist import Policy
from tests.support import documents
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\nB,id,AB-7731,\n")


def verdict_of(path: str, data: bytes) -> Verdict:
    return check_contents(MATCHER, [decode_content(path, data)], today=TODAY)


def pdf_with_custom_info(key: str, value: str) -> bytes:
    document = FPDF()
    document.add_page()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(document.output()))))
    writer.add_metadata({f"/{key}": value})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CASES = [
    ("k.png", documents.png_text("tEXt", "Kim Lowe", "case AB-7731"), [("A", "png 1 key"), ("B", "png 1")]),
    ("c.png", documents.png_text("tEXt", "Comment", "Kim Lowe"), [("A", "png:Comment")]),
    ("n.png", documents.png_text("tEXt", "Notes", "An open day"), []),
    ("i.pdf", pdf_with_custom_info("Kim Lowe", "client"), [("A", "info 2 key")]),
]


def test_a_key_is_read_as_text_and_never_named_in_the_location() -> None:
    for path, data, expected in CASES:
        verdict = verdict_of(path, data)
        found = [(item.client_id, item.location) for item in verdict.findings]
        assert [pair for pair in found if pair[1] != "path"] == expected, path
        for report in REPORTERS.values():
            assert "Kim Lowe" not in report(verdict, Policy()), (path, report)
        assert "Kim Lowe" not in json.dumps([item.location for item in verdict.findings])
