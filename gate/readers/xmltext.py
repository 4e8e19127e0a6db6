"""The texts of an XML document, each with its place: paragraphs of a Word or OpenDocument
file, cells of a workbook, properties of an XMP packet.

XML is parsed by defusedxml: a document that declares entities (the billion laughs) or
refers to external ones is refused, not expanded. Trees are walked with a stack, never by
recursion: a document nested a million levels deep is read in time linear in its size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import defusedxml
import defusedxml.ElementTree

from gate.readers import Part, Unread

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"


def parse_xml(data: bytes, what: str) -> Element:
    return parse_with_prefixes(data, what)[0]


def parse_with_prefixes(data: bytes, what: str) -> tuple[Element, dict[str, str]]:
    """The document's root, and the prefix it declares for each namespace."""
    builder = _Builder()
    try:
        parser = defusedxml.ElementTree.DefusedXMLParser(target=builder)
        parser.feed(data)
        root: Element = parser.close()
    except defusedxml.DefusedXmlException:
        raise Unread(
            f"{what} declares XML entities or external references", "save it again from its application"
        ) from None
    except ElementTree.ParseError as error:
        line = error.position[0]
        raise Unread(f"{what} is not well-formed XML (line {line})", "save it again from its application") from None
    return root, builder.prefixes


class _Builder(ElementTree.TreeBuilder):
    """ElementTree's own, also keeping the prefixes (a namespace's first)."""

    def __init__(self) -> None:
        super().__init__()
        self.prefixes: dict[str, str] = {}

    def start_ns(self, prefix: str, uri: str) -> None:
        self.prefixes.setdefault(uri, prefix)


def local_name(tag: object) -> str:
    """`{namespace}name` without its namespace (comments and processing instructions: "")."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def walk(root: Element) -> Iterator[tuple[bool, Element]]:
    """(ended, element) for each element's start and end, in document order."""
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, ended = stack.pop()
        yield ended, element
        if not ended:
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))


@dataclass(frozen=True)
class Grammar:
    """Where a kind of XML document keeps its text (by local names, whatever namespace).

    `containers`: elements whose text is one part (a paragraph), and what they are called.
    `texts`: the elements whose text is content (Office); None: all text and tails are
    (OpenDocument's mixed content). `separators`: empty elements that stand for a blank.
    `boundaries`: elements inside a paragraph that are not part of it (a comment in it).
    `attributes`: (element or "*", attribute) whose value is a text, and what it is.
    `inserted`, `deleted`: tracked changes; a paragraph with a deletion is read twice, as
    it is and as it was (`… before changes`), so that neither glues words together.
    """

    containers: Mapping[str, str]
    texts: frozenset[str] | None
    separators: Mapping[str, str] = field(default_factory=dict)
    boundaries: frozenset[str] = frozenset()
    attributes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    inserted: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()


class _Paragraph:
    def __init__(self, location: str, order: int) -> None:
        self.location, self.order = location, order
        self.now: list[str] = []  # as it reads
        self.before: list[str] = []  # as it read before tracked changes
        self.changed = False


def document_parts(member: str, root: Element, grammar: Grammar) -> list[Part]:
    """Each paragraph, each text outside paragraphs, and each text attribute of a document."""
    parts: list[tuple[int, Part]] = []
    counts: dict[str, int] = {}
    # One entry per open element: the paragraph its text goes to (None: its own part),
    # and whether it is inside an insertion or a deletion.
    context: list[tuple[_Paragraph | None, bool, bool]] = [(None, False, False)]
    ancestors: list[Element] = []
    for order, (ended, element) in enumerate(walk(root)):
        name = local_name(element.tag)
        if ended:
            ancestors.pop()
            paragraph, _, _ = context.pop()
            if name in grammar.containers and paragraph is not None:
                parts += _paragraph_parts(paragraph)
            if grammar.texts is None and element.tail:
                _add(context[-1], element.tail)
            continue
        paragraph, inserted, deleted = context[-1]
        inserted, deleted = inserted or name in grammar.inserted, deleted or name in grammar.deleted
        if name in grammar.containers:
            noun = grammar.containers[name]
            counts[noun] = counts.get(noun, 0) + 1
            paragraph = _Paragraph(f"{member} {_label(ancestors, element, f'{noun} {counts[noun]}')}", order)
        elif name in grammar.boundaries:
            paragraph = None
        for (owner, attribute), noun in grammar.attributes.items():
            value = _attribute(element, attribute) if owner in ("*", name) else None
            if value:
                counts[noun] = counts.get(noun, 0) + 1
                parts.append((order, Part(f"{member} {noun} {counts[noun]}", value)))
        entry = (paragraph, inserted, deleted)
        context.append(entry)
        ancestors.append(element)
        if name in grammar.separators:
            _add(entry, grammar.separators[name])
        if paragraph is not None:
            if element.text and (grammar.texts is None or name in grammar.texts):
                _add(entry, element.text)
        elif element.text and element.text.strip():
            parts.append((order, Part(f"{member} {_label(ancestors[:-1], element, name)}", element.text)))
    return [part for _, part in sorted(parts, key=lambda item: item[0])]


def _add(entry: tuple[_Paragraph | None, bool, bool], text: str) -> None:
    paragraph, inserted, deleted = entry
    if paragraph is None:
        return
    if not deleted:
        paragraph.now.append(text)
    if not inserted:
        paragraph.before.append(text)
    paragraph.changed = paragraph.changed or inserted or deleted


def _paragraph_parts(paragraph: _Paragraph) -> list[tuple[int, Part]]:
    now, before = "".join(paragraph.now), "".join(paragraph.before)
    parts = [(paragraph.order, Part(paragraph.location, now))]
    if paragraph.changed and before != now:
        parts.append((paragraph.order, Part(f"{paragraph.location} before changes", before)))
    return parts


def _attribute(element: Element, name: str) -> str | None:
    return next((value for key, value in element.attrib.items() if local_name(key) == name), None)


def _label(ancestors: list[Element], element: Element, default: str) -> str:
    """A workbook's cell by its reference (`cell B4`), a custom property by its name
    (`property Client`), anything else by `default`."""
    for candidate in (element, *reversed(ancestors[-3:])):
        name = local_name(candidate.tag)
        if name == "c" and _attribute(candidate, "r"):
            return f"cell {_attribute(candidate, 'r')}"
        if name in ("property", "user-defined") and _attribute(candidate, "name"):
            return f"property {_attribute(candidate, 'name')}"
    return default


def xmp_parts(data: bytes, what: str) -> list[Part]:
    """An XMP packet's properties, `xmp:dc:description`, each with all its values (the
    items of a list one a line) and the fields of a structure."""
    root, prefixes = parse_with_prefixes(data.strip(b"\0 \t\r\n"), f"{what}'s XMP metadata")
    # The descriptions of the resource, under rdf:RDF; not a structure inside a property.
    described = [child for rdf in root.iter(f"{{{RDF}}}RDF") for child in rdf if child.tag == f"{{{RDF}}}Description"]
    parts = []
    for element in described:
        for key, value in element.attrib.items():
            if not key.startswith((f"{{{RDF}}}", f"{{{XML}}}")):
                parts.append(Part(f"xmp:{_prefixed(key, prefixes)}", value))
        for prop in element:
            if isinstance(prop.tag, str):
                parts.append(Part(f"xmp:{_prefixed(prop.tag, prefixes)}", "\n".join(_values(prop))))
    return parts


def _values(prop: Element) -> Iterator[str]:
    for ended, element in walk(prop):
        if ended:
            continue
        if element.text and element.text.strip():
            yield element.text.strip()
        for key, value in element.attrib.items():
            if not key.startswith((f"{{{RDF}}}", f"{{{XML}}}")) and value.strip():
                yield value.strip()


def _prefixed(tag: str, prefixes: Mapping[str, str]) -> str:
    namespace, _, name = tag[1:].rpartition("}")
    return f"{prefixes.get(namespace) or namespace}:{name}"
