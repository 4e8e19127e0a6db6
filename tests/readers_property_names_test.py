"""A custom property's name is the writer's own words: a client's name written there is a
finding, and the location never repeats it (it is printed in every report)."""

from __future__ import annotations

import io
import zipfile

import docx
from odf.meta import UserDefined
from odf.opendocument import OpenDocumentText
from odf.text import P

from gate.check import check_contents
from gate.report import REPORTERS
from gate.wordlist import Policy
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\n")
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="{name}">'
    "<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
)


def docx_with_custom_property(name: str, value: str) -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as package:
        for item in source.infolist():
            package.writestr(item, source.read(item.filename))
        package.writestr("docProps/custom.xml", CUSTOM.replace("{name}", name).replace("{value}", value))
    return result.getvalue()


def odt_with_user_defined(name: str, value: str) -> bytes:
    document = OpenDocumentText()
    document.meta.addElement(UserDefined(name=name, text=value))
    document.text.addElement(P(text="An open day."))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


CASES = [
    ("a.docx", docx_with_custom_property("Kim Lowe", "client"), [("A", "docProps/custom.xml property name 1")]),
    ("b.docx", docx_with_custom_property("Client", "Kim Lowe"), [("A", "docProps/custom.xml property 2")]),
    ("c.docx", docx_with_custom_property("Client", "Kim Lowell"), []),
    ("d.odt", odt_with_user_defined("Kim Lowe", "client"), [("A", "meta.xml property name 1")]),
    ("e.odt", odt_with_user_defined("Client", "Kim Lowe"), [("A", "meta.xml property")]),
]


def test_a_property_name_is_read_and_never_printed_as_a_location() -> None:
    for path, data, expected in CASES:
        verdict = check_contents(MATCHER, [decoded(path, data)], today=TODAY)
        assert [(item.client_id, item.location) for item in verdict.findings] == expected, path
        assert not any("Kim" in item.location for item in verdict.findings)
        assert "Kim Lowe" not in REPORTERS["text"](verdict, Policy())
