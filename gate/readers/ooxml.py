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
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from gate.readers import Part
from gate.readers.packages import Package
from gate.readers.xmltext import Grammar, document_parts, parse_xml

XML_SUFFIXES = (".xml", ".vml")
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
        ("cmAuthor", "name"): "comment author",
        ("person", "displayName"): "person",
    },
    inserted=frozenset({"ins", "moveTo"}),
    deleted=frozenset({"del", "moveFrom"}),
)


def read_package(package: Package) -> Iterator[Part]:
    for name in package.names():
        if name.lower().endswith(".rels"):
            yield from _links(name, parse_xml(package.read(name), name))
        elif name.lower().endswith(XML_SUFFIXES) and not posixpath.basename(name).startswith("["):
            yield from document_parts(name, parse_xml(package.read(name), name), GRAMMAR)
        else:
            yield from package.inside(name)


def _links(name: str, root: Element) -> Iterator[Part]:
    """The addresses a document links to (`https://instagram.com/kimlowe_art`): the
    relationships that leave the package; the others name its own members."""
    external = [item for item in root if item.get("TargetMode") == "External" and item.get("Target")]
    for number, relationship in enumerate(external, start=1):
        yield Part(f"{name} link {number}", relationship.get("Target", ""))
