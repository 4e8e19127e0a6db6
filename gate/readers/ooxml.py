"""Office files (Word, Excel, PowerPoint): every XML member's text.

A Word file's body, headers and footers, footnotes, comments and tracked changes; a
deck's slides and notes; a workbook's strings, cells and sheet names; the alt text of
every picture; the document's properties (`docProps/core.xml creator`). Pictures and
documents inside the file are read as files of their own (`word/media/image1.jpeg
exif:Artist`). python-docx and the like would give less (no tracked changes, no alt
text) and none reads all three; the members are plain XML.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from gate.readers import Part
from gate.readers.packages import Package
from gate.readers.xmltext import Grammar, document_parts, parse_xml

XML_SUFFIXES = (".xml", ".vml")
# How an XML member starts, whatever its name: a package's relationships and content
# types may give a part any name (word/document.dat), and Word opens it.
_XML_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<\x00", b"\xfe\xff\x00<")
# A worksheet's header and footer, written with Excel's codes: `&CKim Lowe` is "Kim
# Lowe", centred.
HEADERS_FOOTERS = frozenset(f"{page}{place}" for page in ("odd", "even", "first") for place in ("Header", "Footer"))
# &L &C &R (sections: apart), &"font,style", &K and a colour, &12 (a size), and the
# one-letter codes (&P page, &B bold...); `&&` is an ampersand.
_SECTION_CODE = re.compile("&[LCR]")
_FORMAT_CODE = re.compile(r'&(?:"[^"]*+"?+|K(?:[0-9A-Fa-f]{6}|[0-9]{2}[+-][0-9]{3})|[0-9]++|[A-Za-z+-])')
GRAMMAR = Grammar(
    containers={
        "p": "paragraph",  # w:p (Word), a:p (slides, charts, shapes)
        "si": "string",  # a workbook's shared string
        "is": "string",  # a cell's own (inline) string
        "text": "comment",  # a workbook's comment, a deck's legacy comment
    },
    texts=frozenset({"t", "delText", "instrText", "text"}),
    separators={"tab": "\t", "br": "\n", "cr": "\n"},
    attributes={
        ("*", "descr"): "alt text",
        ("*", "title"): "alt title",
        ("*", "author"): "author",  # of a comment or a tracked change
        ("sheet", "name"): "sheet name",
        ("property", "name"): "property name",  # a custom property's, in docProps/custom.xml
        ("cmAuthor", "name"): "comment author",
        ("person", "displayName"): "person",
        # what a cell's data validation shows as its prompt, and on a wrong entry
        ("dataValidation", "promptTitle"): "prompt title",
        ("dataValidation", "prompt"): "prompt",
        ("dataValidation", "errorTitle"): "error title",
        ("dataValidation", "error"): "error message",
        # text a reader sees that Word keeps in attributes: WordArt, a field's code (a
        # hyperlink's address), a form field's entries and help, a content control's title
        # and its list's items
        ("textpath", "string"): "shape text",
        ("fldSimple", "instr"): "field",
        ("listEntry", "val"): "list entry",
        ("helpText", "val"): "help text",
        ("statusText", "val"): "status text",
        ("alias", "val"): "control title",
        ("listItem", "displayText"): "list item",
    },
    inserted=frozenset({"ins", "moveTo"}),
    deleted=frozenset({"del", "moveFrom"}),
)


def read_package(package: Package) -> Iterator[Part]:
    for name in package.names():
        if name.lower().endswith(".rels"):
            yield from _links(name, parse_xml(package.read(name), name))
        elif posixpath.basename(name).startswith("["):
            continue  # [Content_Types].xml: the package's own list
        elif name.lower().endswith(XML_SUFFIXES) or package.head(name, 64).lstrip(b" \t\r\n").startswith(_XML_STARTS):
            yield from map(_without_codes, document_parts(name, package.read(name), GRAMMAR, package.budget))
        else:
            yield from package.inside(name)


def _without_codes(part: Part) -> Part:
    """A worksheet's header or footer as printed: its sections apart, its codes gone."""
    if part.location.rpartition(" ")[2] not in HEADERS_FOOTERS:
        return part
    sections = _SECTION_CODE.split(part.text.replace("&&", "\0"))
    text = "\n\n".join(_FORMAT_CODE.sub("", section) for section in sections if section)
    return Part(part.location, text.replace("\0", "&"))


def _links(name: str, root: Element) -> Iterator[Part]:
    """The addresses a document links to (`https://instagram.com/kimlowe_art`): the
    relationships that leave the package; the others name its own members."""
    external = [item for item in root if item.get("TargetMode") == "External" and item.get("Target")]
    for number, relationship in enumerate(external, start=1):
        yield Part(f"{name} link {number}", relationship.get("Target", ""))
