"""OpenDocument files (text, presentation, spreadsheet): every XML member's text.

content.xml (paragraphs and headings, tables' cells, comments, tracked changes),
styles.xml (headers and footers), meta.xml (title, author, keywords, user-defined
properties); objects and pictures inside the file are read as files of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from gate.readers import Part
from gate.readers.packages import Package
from gate.readers.xmltext import Grammar, document_parts

SKIPPED = ("META-INF/manifest.xml", "settings.xml")  # the package's own list, the editor's settings
GRAMMAR = Grammar(
    containers={"p": "paragraph", "h": "heading"},
    texts=None,  # mixed content: a paragraph's text is all the text in it
    separators={"s": " ", "tab": "\t", "line-break": "\n"},
    # A comment or a footnote inside a paragraph, or a frame anchored in it, is not part
    # of the sentence around it.
    # (A frame's alt text is its svg:title and svg:desc.)
    boundaries=frozenset({"annotation", "note", "frame"}),
    attributes={
        ("user-defined", "name"): "property name",  # meta.xml's own properties
        ("a", "href"): "link",  # where a link goes (a mailto: address)
        ("table", "name"): "sheet name",
        ("label", "value"): "list entry",
    },
)


def read_package(package: Package) -> Iterator[Part]:
    for name in package.names():
        if name == "mimetype" or name in SKIPPED or name.endswith("/settings.xml"):
            continue
        if name.endswith(".xml"):
            yield from document_parts(name, package.read(name), GRAMMAR, package.budget)
        else:
            yield from package.inside(name)
