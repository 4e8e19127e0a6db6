"""PDF, read by pypdf: each page's text (`page 3`), its annotations' contents and authors
(`page 3 annotation 1`) and the targets of its links (`page 3 annotation 2 link`), form
fields' values (`form field Name`), the outline's titles (`outline 2`), the document
information (`info:Author`) and XMP metadata (`xmp:dc:title`); the files attached to it
(`attachment 1`, its name `attachment 1 file name`: a document or an image is read as one,
anything else as text); and the text in the images a page shows, also inside its form
XObjects (`page 3 image 1 image text`), where Tesseract is installed: a scanned letter, or a
screenshot saved as a PDF, has its text only there.

A page's text costs pypdf about a second a megabyte of drawing instructions, and a few
hundred bytes of PDF can hold a page whose instructions inflate to 75 MB, or five hundred
pages that all draw it: the instructions are counted before any is read, against
policy.toml's [limits] pdf_content_bytes, and a page that draws exactly what an earlier one
draws (the same content streams with the same resources) is read once, under the earlier
page's number.

A PDF encrypted with no password to open it (only to print or to copy: common) is
decrypted and read; one that needs a password is not read, so not approved.
"""

from __future__ import annotations

import io
import logging
import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pypdf import PageObject, PdfReader, apply_configuration
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from gate.readers import Budget, Part, Unread, beyond_pillow, keyed_parts, read_inside
from gate.readers.detect import detect
from gate.readers.ocr import image_text, ocr_engine
from gate.readers.xmltext import xmp_parts

if TYPE_CHECKING:
    from PIL import Image

WHAT = "a PDF"
# An annotation's texts: its note, author and subject, rich text (XHTML), the text a
# redaction lays over, a field widget's tooltip and the options of its list.
ANNOTATION_TEXTS = {
    "/Contents": "",
    "/T": " author",
    "/Subj": " subject",
    "/RC": " rich text",
    "/OverlayText": " overlay text",
    "/TU": " tooltip",
    "/Opt": " options",
}
MAX_FORM_DEPTH = 10  # form XObjects drawn inside form XObjects, the images' search
UNMAPPED = "\ufffd"  # what pypdf reads for a character of a font the page does not define
UNDEFINED_FONT = "text in an undefined font"
SHOWS = frozenset({b"Tj", b"TJ", b"'", b'"'})  # the operators that show strings
MOVES = frozenset({b"Td", b"TD", b"Tm", b"T*", b"'", b'"'})  # and those that move to a new place
# What pypdf lets through from a malformed file, besides its own errors.
_BROKEN = (
    PyPdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    RecursionError,
    struct.error,
    zlib.error,
    UnicodeError,
    EOFError,
    NotImplementedError,  # an image in a filter pypdf does not decode
    OSError,  # Pillow, decoding an image pypdf hands it
)

# The document information's keys of the PDF specification (14.3.3): any other is the
# writer's own words.
INFO_KEYS = frozenset(
    ["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"]
)


def read(data: bytes, kind: str, budget: Budget) -> list[Part]:
    _quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data))
        _decrypt(reader)
        pages = len(reader.pages)
        if pages > budget.limits.pdf_pages:
            raise Unread(
                f"a PDF of {pages:,} pages, over the {budget.limits.pdf_pages:,} of policy.toml's [limits] pdf_pages",
                "ask the compliance officer, or split it",
            )
        attached: set[object] = set()  # the files read, attached to an annotation or listed
        texts = [*_pages(reader, budget, attached), *_fields(reader), *_outline(reader), *_info(reader), *_xmp(reader)]
        return [*texts, *_attachments(reader, budget, attached), *_images(reader, budget)]
    except DependencyError:
        raise Unread(
            "a PDF encrypted with AES, and cryptography (which decrypts it) is not installed",
            "pip install cryptography, or save a copy without encryption",
        ) from None
    except _BROKEN as error:
        raise Unread(f"a PDF that cannot be read ({type(error).__name__})", "save it again (print it to PDF)") from None


def _quiet_pypdf() -> None:
    """pypdf logs what it repairs in a malformed file: without a handler Python would print
    it under the verdict. Whatever it could not repair raises, and blocks."""
    logger = logging.getLogger("pypdf")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _decrypt(reader: PdfReader) -> None:
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unread("a PDF that needs a password to open", "save a copy without the password")


def _pages(reader: PdfReader, budget: Budget, seen: set[object]) -> Iterator[Part]:
    firsts = _first_drawings(reader)
    _check_drawing(reader, firsts, budget)
    count = _Operators(budget.limits.pdf_operators)
    # pypdf stops drawing a page's form XObjects past 5,000 and leaves the rest unread
    # (a warning, no error): here the operators are counted and bounded instead.
    with apply_configuration(xform_maximum_invocations_per_extraction=sys.maxsize), _Skipped() as skipped:
        for number, page in enumerate(reader.pages, start=1):
            if number in firsts:
                text = page.extract_text(visitor_operand_before=count)
                count.check()
                skipped.check(f"a PDF with a form XObject on page {number} that cannot be read")
                yield Part(f"page {number}", text)
                if UNMAPPED in text or _shows_without_fonts(page):
                    yield Part(f"page {number} {UNDEFINED_FONT}", _strings_shown(page, reader, count))
            yield from _annotations(page, number, budget, seen, count)


def _shows_without_fonts(page: PageObject) -> bool:
    """Whether the page, or a form it draws, shows text with no fonts in its resources:
    pypdf then reads nothing (no font, no text), while a viewer shows the text in a font
    of its own."""
    holders: list[tuple[DictionaryObject, list[StreamObject]]] = [(page, _contents(page))]
    holders += [(form, [form]) for form in _forms(page)]
    for holder, streams in holders:
        resources = _resolve(holder.get("/Resources"))
        fonts = _resolve(resources.get("/Font")) if isinstance(resources, DictionaryObject) else None
        if not (isinstance(fonts, DictionaryObject) and fonts) and any(_shows(stream) for stream in streams):
            return True
    return False


def _shows(stream: StreamObject) -> bool:
    data = stream.get_data()
    return b"Tj" in data or b"TJ" in data or b"'" in data or b'"' in data


def _strings_shown(page: PageObject, reader: PdfReader, count: _Operators) -> str:
    """The strings the page and its forms show, their bytes read as Windows-1252 (a
    viewer's substitute font draws them so): what pypdf leaves out, or reads as U+FFFD, where
    a font is not defined. Strings one after another are joined; a move starts a word, the
    end of a text object a line."""
    pieces: list[str] = []
    for stream in [*_contents(page), *_forms(page)]:
        operations = ContentStream(stream, reader).operations
        count.count += len(operations)
        count.check()
        for operands, operator in operations:
            if operator in MOVES:  # ' and " move to the next line, then show
                pieces.append(" ")
            if operator in SHOWS:
                pieces += [_shown(operand) for operand in operands]
            elif operator == b"ET":
                pieces.append("\n")
    return "".join(pieces)


def _shown(operand: object) -> str:
    """A string operand's bytes as Windows-1252; a TJ array's strings, joined."""
    if isinstance(operand, list):
        return "".join(_shown(item) for item in operand)
    if isinstance(operand, (TextStringObject, ByteStringObject)):
        raw = operand.original_bytes if isinstance(operand, TextStringObject) else bytes(operand)
        return raw.decode("cp1252", errors="replace")
    return ""


class _Operators:
    """Counts the drawing operators pypdf reads, the texts' work (about 10 to 40
    microseconds each): a form XObject drawn a thousand times is read a thousand times.
    Past the limit it raises, to stop pypdf; pypdf takes an error inside a form XObject
    for a broken form and goes on, so `check` raises it again after each page."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0

    def __call__(self, operator: bytes, operands: object, cm: object, tm: object) -> None:
        self.count += 1
        if self.count > self.limit:
            raise self.refusal()

    def check(self) -> None:
        if self.count > self.limit:
            raise self.refusal()

    def refusal(self) -> Unread:
        return Unread(
            f"a PDF whose pages draw over the {self.limit:,} operators of policy.toml's [limits] pdf_operators",
            "ask the compliance officer, or split it",
        )


class _Skipped(logging.Handler):
    """pypdf's word that it left a form XObject of a page unread (it logs the error and
    reads on): what is drawn there is not read, so the file is not approved."""

    SIGN = "Impossible to decode XFormObject"

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False
        self.thread = threading.get_ident()  # a server's other threads read other files

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and str(record.msg).startswith(self.SIGN):
            self.seen = True

    def check(self, what: str) -> None:
        if self.seen:
            raise Unread(what, "save it again (print it to PDF)")

    def __enter__(self) -> _Skipped:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *exception: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _annotations(page: PageObject, number: int, budget: Budget, seen: set[object], count: _Operators) -> Iterator[Part]:
    for index, annotation in enumerate(_array(page.get("/Annots")), start=1):
        entry = annotation.get_object()
        if not isinstance(entry, DictionaryObject) or _identity(annotation) in seen:
            continue  # pages may share annotations: each is read once, on its first page
        seen.add(_identity(annotation))
        for key, suffix in ANNOTATION_TEXTS.items():
            # A widget's /T is its form field's name: read with the field (_fields).
            if entry.get(key) is not None and not (key == "/T" and entry.get("/Subtype") == "/Widget"):
                yield Part(f"page {number} annotation {index}{suffix}", _text(entry[key].get_object()))
        yield from _link(entry, f"page {number} annotation {index}")
        yield from _attached(entry, f"page {number} annotation {index} attachment", budget, seen)
        yield from _appearances(page, entry, f"page {number} annotation {index} appearance", seen, count)


def _appearances(
    page: PageObject, annotation: DictionaryObject, location: str, seen: set[object], count: _Operators
) -> Iterator[Part]:
    """What an annotation draws (its normal appearance, /AP /N, a form XObject; or one
    for each state of a check box): a stamp's or a free text's words, a filled field's
    value as shown, which may differ from its /V. Each appearance is read once."""
    appearance = _resolve(annotation.get("/AP"))
    normal = _resolve(appearance.get("/N")) if isinstance(appearance, DictionaryObject) else None
    states = (
        list(normal.values())
        if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject)
        else [normal]
    )
    for state in states:
        form = _resolve(state)
        if not isinstance(form, StreamObject) or _identity(form) in seen:
            continue
        seen.add(_identity(form))
        count.count += 1
        yield Part(location, page.extract_xform_text(form, visitor_operand_before=count))  # type: ignore[arg-type]
        count.check()


def _first_drawings(reader: PdfReader) -> set[int]:
    """The numbers (from 1) of the pages that draw what no page before them draws: the
    others' text is theirs, and is read once."""
    firsts: dict[tuple[object, ...], int] = {}
    for number, page in enumerate(reader.pages, start=1):
        firsts.setdefault(_drawing_key(page), number)
    return set(firsts.values())


def _check_drawing(reader: PdfReader, firsts: set[int], budget: Budget) -> None:
    """The bytes of drawing instructions the pages' texts would be read from (the content
    streams and form XObjects of each page of `firsts`), within the policy's
    pdf_content_bytes; unpacked one stream at a time, so a bomb stops early."""
    limit, spent = budget.limits.pdf_content_bytes, 0
    sizes: dict[object, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        if number not in firsts:
            continue
        for stream in [*_contents(page), *_forms(page)]:
            identity = _identity(stream)
            if identity not in sizes:
                sizes[identity] = len(stream.get_data())
            spent += sizes[identity]
            if spent > limit:
                raise Unread(
                    f"a PDF whose pages draw over the {limit:,} bytes of policy.toml's [limits] pdf_content_bytes",
                    "ask the compliance officer, or split it",
                )


def _drawing_key(page: PageObject) -> tuple[object, ...]:
    """What a page's text is read from: its content streams and its resources (the same
    instructions with other fonts are other text), each by its object number."""
    resources = page.get("/Resources")
    return (*(_identity(stream) for stream in _contents(page)), _identity(resources))


def _identity(value: object) -> object:
    reference = getattr(value, "indirect_reference", None) or value
    idnum = getattr(reference, "idnum", None)
    return ("object", idnum, getattr(reference, "generation", 0)) if idnum is not None else ("direct", id(value))


def _contents(page: PageObject) -> list[StreamObject]:
    contents = page.get("/Contents")
    resolved = contents.get_object() if contents is not None else None
    items = list(resolved) if isinstance(resolved, ArrayObject) else [contents] if contents is not None else []
    return [stream for item in items if isinstance(stream := item.get_object(), StreamObject)]


def _forms(page: PageObject) -> list[StreamObject]:
    """The form XObjects a page's resources hold, and those inside them."""
    return [xobject for _, xobject in _xobjects(page, "/Form")]


def _xobjects(page: PageObject, subtype: str) -> Iterator[tuple[tuple[str, ...], StreamObject]]:
    """(path of names, object) of each XObject of `subtype` in the page's resources and in
    its form XObjects' (pypdf's key of an image inside a form), each form entered once."""
    entered: set[object] = set()
    stack: list[tuple[tuple[str, ...], DictionaryObject]] = [((), page)]
    while stack:
        path, holder = stack.pop()
        resources = _resolve(holder.get("/Resources"))
        xobjects = _resolve(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for name, value in xobjects.items():
            xobject = value.get_object()
            if not isinstance(xobject, StreamObject):
                continue
            if xobject.get("/Subtype") == subtype:
                yield (*path, str(name)), xobject
            identity = _identity(value)
            if xobject.get("/Subtype") == "/Form" and identity not in entered and len(path) < MAX_FORM_DEPTH:
                entered.add(identity)
                stack.append(((*path, str(name)), xobject))


def _resolve(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if value is not None else None


def _link(annotation: DictionaryObject, location: str) -> Iterator[Part]:
    """Where a link goes: a web address, or a file (another PDF, a document to launch)."""
    action = _resolve(annotation.get("/A"))
    if annotation.get("/Subtype") != "/Link" or not isinstance(action, DictionaryObject):
        return
    for key in ("/URI", "/F"):
        target = _resolve(action.get(key))
        if isinstance(target, DictionaryObject):  # a file specification
            target = target.get("/UF") or target.get("/F")
        yield Part(f"{location} link", _string(target))


def _attachments(reader: PdfReader, budget: Budget, seen: set[object]) -> Iterator[Part]:
    """The files of the document's EmbeddedFiles name tree, but those in `seen`."""
    root = _resolve(reader.trailer.get("/Root"))
    names = _resolve(root.get("/Names")) if isinstance(root, DictionaryObject) else None
    tree = _resolve(names.get("/EmbeddedFiles")) if isinstance(names, DictionaryObject) else None
    for number, (name, specification) in enumerate(_name_tree(tree, budget.limits.archive_members), start=1):
        holder = DictionaryObject({NameObject("/FS"): specification})
        yield from _attached(holder, f"attachment {number}", budget, seen, name)


def _name_tree(root: PdfObject | None, limit: int) -> Iterator[tuple[str, PdfObject]]:
    """A name tree's (name, value) pairs, each node visited once (its /Kids may be shared:
    ten nodes of five shared kids each are 10 million paths), at most `limit` of them."""
    stack, visited, count = [root], set(), 0
    while stack:
        node = stack.pop()
        resolved = _resolve(node)
        if not isinstance(resolved, DictionaryObject) or _identity(node) in visited:
            continue
        visited.add(_identity(node))
        pairs = _array(resolved.get("/Names"))
        for index in range(0, len(pairs) - 1, 2):
            count += 1
            if count > limit:
                raise Unread(
                    f"a PDF of over the {limit:,} attached files of policy.toml's [limits] archive_members",
                    "ask the compliance officer, or send the attached files apart",
                )
            yield str(pairs[index].get_object()), pairs[index + 1]
        stack += reversed(_array(resolved.get("/Kids")))


def _attached(
    holder: DictionaryObject, location: str, budget: Budget, seen: set[object], name: str = ""
) -> Iterator[Part]:
    """The file of a file specification (`holder`'s /FS: a FileAttachment annotation's, or
    an attachment's, `name` in the document's list of them): its names (each once) and
    description, then what it holds; nothing for a file in `seen` (read already)."""
    specification = _resolve(holder.get("/FS"))
    if not isinstance(specification, DictionaryObject):
        return
    files = _resolve(specification.get("/EF"))
    stream = _resolve(files.get("/UF") or files.get("/F")) if isinstance(files, DictionaryObject) else None
    if isinstance(stream, StreamObject) and _identity(stream) in seen:
        return  # attached to an annotation and listed among the document's attachments
    names = [name, *(_string(specification.get(key)) for key in ("/UF", "/F"))]
    for each in dict.fromkeys(each for each in names if each):
        yield Part(f"{location} file name", each)
    yield Part(f"{location} description", _string(specification.get("/Desc")))
    if not isinstance(stream, StreamObject):
        return
    seen.add(_identity(stream))
    data = stream.get_data()
    if len(data) > budget.bytes:
        raise Unread(
            f"a PDF whose attached files unpack to over the {budget.limits.archive_bytes:,} bytes "
            "of policy.toml's [limits] archive_bytes",
            "ask the compliance officer, or send the attached files apart",
        )
    budget.bytes -= len(data)
    if detect(data):
        yield from read_inside(data, location, budget)
    else:
        yield Part(location, _attached_text(data))


def _string(value: PdfObject | None) -> str:
    """A string or a name; "" for anything else (a dictionary, an array, nothing)."""
    resolved = _resolve(value)
    return "" if resolved is None or isinstance(resolved, (DictionaryObject, ArrayObject)) else str(resolved)


def _attached_text(data: bytes) -> str:
    """A file that is not a document nor an image, as text: by its byte-order mark, else
    UTF-8, else Windows-1252 (every byte a character: a name in it is still read)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _images(reader: PdfReader, budget: Budget) -> Iterator[Part]:
    """The text in each image of each page (its own, and those inside its form XObjects),
    read once its size is known to be within the policy's image_pixels (pypdf decodes it
    whole)."""
    for number, page in enumerate(reader.pages, start=1):
        for index, (path, xobject) in enumerate(_xobjects(page, "/Image"), start=1):
            if ocr_engine(budget) is None:
                return
            what = f"an image on page {number} of a PDF"
            pixels = int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
            if pixels > budget.limits.image_pixels:
                raise Unread(
                    f"{what} of over the {budget.limits.image_pixels:,} pixels of policy.toml's [limits] image_pixels",
                    "make it smaller",
                )
            image = _decoded(page, path, what)
            if image is None:
                raise Unread(f"{what} that cannot be read", "save it again (print it to PDF)")
            for part in image_text(image, what, budget):
                yield Part(f"page {number} image {index} {part.location}", part.text)


def _decoded(page: PageObject, path: tuple[str, ...], what: str) -> Image.Image | None:
    """The image at `path` (a name, or the names of the forms it is inside, then its own),
    as pypdf decodes it; one whose data is larger than its dictionary says is refused as
    Pillow refuses it."""
    from PIL import Image  # with OCR only: the [ocr] extra's

    try:
        return page.images[list(path) if len(path) > 1 else path[0]].image
    except Image.DecompressionBombError:
        raise beyond_pillow(what, 2 * (Image.MAX_IMAGE_PIXELS or 0)) from None


def _array(value: PdfObject | None) -> list[PdfObject]:
    resolved = value.get_object() if value is not None else None
    return list(resolved) if isinstance(resolved, ArrayObject) else []


def _fields(reader: PdfReader) -> Iterator[Part]:
    values = [(str(name), _text(field.get("/V"))) for name, field in (reader.get_fields() or {}).items()]
    yield from keyed_parts("form field", [(name, value) for name, value in values if value], ())


def _text(value: object) -> str:
    """A field's value: a string, a name (a checkbox's /Yes), or a list of them."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    return str(value).removeprefix("/")


def _outline(reader: PdfReader) -> Iterator[Part]:
    stack: list[object] = list(reversed(reader.outline))
    number = 0
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack += reversed(item)
        elif isinstance(item, DictionaryObject):
            number += 1
            yield Part(f"outline {number}", str(item.get("/Title", "")))


def _info(reader: PdfReader) -> Iterator[Part]:
    items = [(str(key).removeprefix("/"), str(value)) for key, value in (reader.metadata or {}).items()]
    yield from keyed_parts("info", items, INFO_KEYS)


def _xmp(reader: PdfReader) -> list[Part]:
    root = reader.trailer["/Root"].get_object()
    metadata = root.get("/Metadata") if isinstance(root, DictionaryObject) else None
    stream = metadata.get_object() if metadata is not None else None
    if not isinstance(stream, StreamObject):
        return []
    return xmp_parts(stream.get_data(), WHAT)
