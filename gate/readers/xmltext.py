"""The texts of an XML document, each with its place: paragraphs of a Word or OpenDocument
file, cells of a workbook, properties of an XMP packet.

XML is parsed by defusedxml: a document that declares entities (the billion laughs) or
refers to external ones is refused, not expanded. A document is read as it is parsed, a
chunk at a time, keeping only its open elements and its parts: no tree is built, so
memory does not grow with its markup, and a document nested a million levels deep is
read in time linear in its size. (An XMP packet, small, is kept as a tree.)
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import defusedxml
import defusedxml.ElementTree

from gate.readers import Budget, Part, Unread, keyed_parts

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"


def parse_xml(data: bytes, what: str) -> Element:
    return parse_with_prefixes(data, what)[0]


def parse_with_prefixes(data: bytes, what: str) -> tuple[Element, dict[str, str]]:
    """The document's root, and the prefix it declares for each namespace (for a small
    document: the tree is kept whole)."""
    builder = _Builder()
    with _unread_unless_well_formed(what):
        parser = defusedxml.ElementTree.DefusedXMLParser(target=builder)
        parser.feed(data)
        root: Element = parser.close()
    return root, builder.prefixes


def read_events(target: object, data: bytes, what: str) -> None:
    """Tells `target` (start, end, data, close: ElementTree's target) the document's
    starts, ends and texts in order, fed a chunk at a time: no tree is built (10 MB of
    empty Word paragraphs took 850 MB and 13 s as one)."""
    with _unread_unless_well_formed(what):
        parser = defusedxml.ElementTree.DefusedXMLParser(target=target)
        for offset in range(0, len(data), CHUNK_BYTES):
            parser.feed(data[offset : offset + CHUNK_BYTES])
        parser.close()


CHUNK_BYTES = 1 << 16


@contextlib.contextmanager
def _unread_unless_well_formed(what: str) -> Iterator[None]:
    try:
        yield
    except defusedxml.DefusedXmlException:
        raise Unread(
            f"{what} declares XML entities or external references", "save it again from its application"
        ) from None
    except ElementTree.ParseError as error:
        line = error.position[0]
        raise Unread(f"{what} is not well-formed XML (line {line})", "save it again from its application") from None


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
    def __init__(self, member: str, order: int, default: str) -> None:
        self.member, self.order, self.default = member, order, default
        # the paragraph's element and its nearest ancestors, which may name it (a cell)
        self.labelled_by: Sequence[tuple[str, Mapping[str, str], int]] = ()
        self.now: list[str] = []  # as it reads
        self.before: list[str] = []  # as it read before tracked changes
        self.changed = False

    @property
    def location(self) -> str:
        return f"{self.member} {_label(self.labelled_by, self.default)}"


def document_parts(member: str, data: bytes, grammar: Grammar, budget: Budget) -> list[Part]:
    """Each paragraph, each text outside paragraphs, and each text attribute of a document,
    read as it is parsed; nothing for an empty member (LibreOffice ships its files with an
    empty Configurations2/accelerator/current.xml: it holds no text to miss)."""
    if not data.strip():
        return []
    reader = _DocumentReader(member, grammar, budget)
    read_events(reader, data, member)
    return [part for _, part in sorted(reader.parts, key=lambda item: item[0])]


class _DocumentReader:
    """An XML parser's target: the document's parts, from its starts, ends and texts."""

    def __init__(self, member: str, grammar: Grammar, budget: Budget) -> None:
        self.member, self.grammar, self.budget = member, grammar, budget
        self.parts: list[tuple[int, Part]] = []
        self._owned: dict[str, list[tuple[str, str]]] = {}  # element or "*": (attribute, noun)
        for (owner, attribute), noun in grammar.attributes.items():
            self._owned.setdefault(owner, []).append((attribute, noun))
        self._texts: list[str] = []  # since the last start or end: its text, or a tail
        self._after_end = False  # the texts are a tail, not an element's own text
        self._counts: dict[str, int] = {}
        self._order = 0
        # One entry per open element: the paragraph its text goes to (None: its own part),
        # and whether it is inside an insertion or a deletion.
        self._context: list[tuple[_Paragraph | None, bool, bool]] = [(None, False, False)]
        self._ancestors: list[tuple[str, Mapping[str, str], int]] = []  # name, attributes, order

    def start(self, tag: str, attributes: Mapping[str, str]) -> None:
        self._flush()
        self._order += 1
        grammar, name, order = self.grammar, local_name(tag), self._order
        paragraph, inserted, deleted = self._context[-1]
        inserted, deleted = inserted or name in grammar.inserted, deleted or name in grammar.deleted
        if name in grammar.containers:
            noun = grammar.containers[name]
            paragraph = _Paragraph(self.member, order, f"{noun} {self._count(noun)}")
            paragraph.labelled_by = ((name, attributes, order), *reversed(self._ancestors[-3:]))
        elif name in grammar.boundaries:
            paragraph = None
        if attributes:
            for attribute, noun in (*self._owned.get("*", ()), *self._owned.get(name, ())):
                value = _attribute(attributes, attribute)
                if value:
                    self._keep([(order, Part(f"{self.member} {noun} {self._count(noun)}", value))])
        entry = (paragraph, inserted, deleted)
        self._context.append(entry)
        self._ancestors.append((name, attributes, order))
        if name in grammar.separators:
            _add(entry, grammar.separators[name])

    def end(self, tag: str) -> None:
        self._flush()
        self._order += 1
        name, _, _ = self._ancestors.pop()
        paragraph, _, _ = self._context.pop()
        if paragraph is not None and name in self.grammar.containers:
            self._keep(_paragraph_parts(paragraph))
        self._after_end = True

    def data(self, text: str) -> None:
        self._texts.append(text)

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        """The texts since the last start or end, as that element's text or tail."""
        after_end, self._after_end = self._after_end, False
        if not self._texts:
            return
        text = "".join(self._texts)
        self._texts.clear()
        if after_end:
            if self.grammar.texts is None:
                _add(self._context[-1], text)
            return
        name, attributes, order = self._ancestors[-1]
        entry = self._context[-1]
        if entry[0] is not None:
            if self.grammar.texts is None or name in self.grammar.texts:
                _add(entry, text)
        elif text.strip():
            default = name if name in NAMED_TEXTS else f"text {self._count('text')}"
            label = _label(((name, attributes, order), *reversed(self._ancestors[-4:-1])), default)
            self._keep([(order, Part(f"{self.member} {label}", text))])

    def _keep(self, parts: list[tuple[int, Part]]) -> None:
        """Parts read, counted against the file's texts as they are read."""
        self.budget.spend_texts(len(parts))
        self.parts += parts

    def _count(self, noun: str) -> int:
        self._counts[noun] = self._counts.get(noun, 0) + 1
        return self._counts[noun]


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
    parts = [(paragraph.order, Part(paragraph.location, now))] if now.strip() else []
    if paragraph.changed and before != now and before.strip():
        parts.append((paragraph.order, Part(f"{paragraph.location} before changes", before)))
    return parts


def _attribute(attributes: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in attributes.items() if local_name(key) == name), None)


# A text outside paragraphs is located by its element where the formats name that element
# (a document's properties, a worksheet's header); any other element's name is its writer's
# own words, so such a text is numbered instead (`text 3`).
NAMED_TEXTS = frozenset(
    {
        # docProps/core.xml, and OpenDocument's meta.xml
        *("title", "subject", "creator", "keywords", "description", "lastModifiedBy", "category"),
        *("contentStatus", "identifier", "language", "revision", "version", "keyword", "initial-creator"),
        "generator",
        # docProps/app.xml
        *("Company", "Manager", "Application", "AppVersion", "Template", "HyperlinkBase", "lpstr", "lpwstr"),
        # a worksheet's headers and footers
        *("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"),
    }
)
_CELL = re.compile(r"[A-Z]{1,3}[0-9]{1,7}")  # a cell's reference: B4, XFD1048576


def _label(elements: Sequence[tuple[str, Mapping[str, str], int]], default: str) -> str:
    """A workbook's cell by its reference (`cell B4`), a custom property by its number
    (`property 2`: its name is the writer's own words, read as a text of its own and never
    printed as a location), anything else by `default`: `elements`, an element and its
    nearest ancestors, nearest first."""
    for name, attributes, _ in elements:
        if name == "c" and _CELL.fullmatch(_attribute(attributes, "r") or ""):
            return f"cell {_attribute(attributes, 'r')}"
        if name == "property" and (_attribute(attributes, "pid") or "").isdigit():
            return f"property {_attribute(attributes, 'pid')}"
        if name in ("property", "user-defined"):
            return "property"
    return default


def xmp_parts(data: bytes, what: str) -> list[Part]:
    """An XMP packet's properties, `xmp:dc:description`, each with all its values (the
    items of a list one a line) and the fields of a structure."""
    root, prefixes = parse_with_prefixes(data.strip(b"\0 \t\r\n"), f"{what}'s XMP metadata")
    # The descriptions of the resource, under rdf:RDF; not a structure inside a property.
    described = [child for rdf in root.iter(f"{{{RDF}}}RDF") for child in rdf if child.tag == f"{{{RDF}}}Description"]
    items: list[tuple[str, str]] = []
    for element in described:
        for key, value in element.attrib.items():
            if not key.startswith((f"{{{RDF}}}", f"{{{XML}}}")):
                items.append((_prefixed(key, prefixes), value))
        for prop in element:
            if isinstance(prop.tag, str):
                items.append((_prefixed(prop.tag, prefixes), "\n".join(_values(prop))))
    # A property of a schema the standards publish is named by its usual prefix; any other
    # (a writer's own schema, prefix or name) is numbered, its name read as a part.
    known = {key for key, _ in items if _standard_property(key)}
    return list(keyed_parts("xmp", items, known))


# The namespaces of the XMP, IPTC and EXIF standards, by their usual prefixes; the file's own
# prefix for them is its writer's choice, and is not printed.
XMP_NAMESPACES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/lightroom/1.0/": "lr",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
}
_PROPERTY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,40}")


def _standard_property(key: str) -> bool:
    prefix, _, name = key.partition(":")
    return prefix in _STANDARD_PREFIXES and bool(_PROPERTY_NAME.fullmatch(name))


_STANDARD_PREFIXES = frozenset(XMP_NAMESPACES.values())


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
    """`prefix:name`: a standard namespace's usual prefix, else the file's own (or its URI)."""
    if not tag.startswith("{"):  # an attribute of no namespace (old XMP: about="")
        return tag
    namespace, _, name = tag[1:].rpartition("}")
    return f"{XMP_NAMESPACES.get(namespace) or prefixes.get(namespace) or namespace}:{name}"
