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
import zlib
from collections.abc import Iterator

from pypdf import PageObject, PdfReader, apply_configuration
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, PdfObject, StreamObject

from gate.readers import Budget, Part, Unread, keyed_parts, read_inside
from gate.readers.detect import detect
from gate.readers.ocr import image_text, ocr_installed
from gate.readers.xmltext import xmp_parts

WHAT = "a PDF"
ANNOTATION_TEXTS = {"/Contents": "", "/T": " author", "/Subj": " subject"}
MAX_FORM_DEPTH = 10  # form XObjects drawn inside form XObjects, the images' search
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
    _check_drawing(reader, budget)
    drawn: set[tuple[object, ...]] = set()
    count = _Operators(budget.limits.pdf_operators)
    # pypdf stops drawing a page's form XObjects past 5,000 and leaves the rest unread
    # (a warning, no error): here the operators are counted and bounded instead.
    with apply_configuration(xform_maximum_invocations_per_extraction=sys.maxsize), _Skipped() as skipped:
        for number, page in enumerate(reader.pages, start=1):
            key = _drawing_key(page)
            if key not in drawn:
                drawn.add(key)
                text = page.extract_text(visitor_operand_before=count)
                count.check()
                skipped.check(f"a PDF with a form XObject on page {number} that cannot be read")
                yield Part(f"page {number}", text)
            yield from _annotations(page, number, budget, seen)


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

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = self.seen or str(record.msg).startswith(self.SIGN)

    def check(self, what: str) -> None:
        if self.seen:
            raise Unread(what, "save it again (print it to PDF)")

    def __enter__(self) -> _Skipped:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *exception: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _annotations(page: PageObject, number: int, budget: Budget, seen: set[object]) -> Iterator[Part]:
    for index, annotation in enumerate(_array(page.get("/Annots")), start=1):
        entry = annotation.get_object()
        if not isinstance(entry, DictionaryObject):
            continue
        for key, suffix in ANNOTATION_TEXTS.items():
            if entry.get(key) is not None:
                yield Part(f"page {number} annotation {index}{suffix}", str(entry[key].get_object()))
        yield from _link(entry, f"page {number} annotation {index}")
        yield from _attached(entry, f"page {number} annotation {index} attachment", budget, seen)


def _check_drawing(reader: PdfReader, budget: Budget) -> None:
    """The bytes of drawing instructions the pages' texts would be read from (each page's
    content streams and the form XObjects it draws, a page drawn before not again), within
    the policy's pdf_content_bytes; unpacked one stream at a time, so a bomb stops early."""
    limit, spent, drawn = budget.limits.pdf_content_bytes, 0, set()
    sizes: dict[object, int] = {}
    for page in reader.pages:
        key = _drawing_key(page)
        if key in drawn:
            continue
        drawn.add(key)
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
    for number, (name, specification) in enumerate(_name_tree(tree), start=1):
        holder = DictionaryObject({NameObject("/FS"): specification})
        yield from _attached(holder, f"attachment {number}", budget, seen, name)


def _name_tree(node: PdfObject | None, depth: int = 0) -> Iterator[tuple[str, PdfObject]]:
    """A name tree's (name, value) pairs, its /Kids walked to a bounded depth."""
    if not isinstance(node, DictionaryObject) or depth > MAX_FORM_DEPTH:
        return
    pairs = _array(node.get("/Names"))
    for index in range(0, len(pairs) - 1, 2):
        yield str(pairs[index].get_object()), pairs[index + 1]
    for kid in _array(node.get("/Kids")):
        yield from _name_tree(kid.get_object(), depth + 1)


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
            if not ocr_installed(budget):
                return
            what = f"an image on page {number} of a PDF"
            pixels = int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
            if pixels > budget.limits.image_pixels:
                raise Unread(
                    f"{what} of over the {budget.limits.image_pixels:,} pixels of policy.toml's [limits] image_pixels",
                    "make it smaller",
                )
            image = page.images[list(path) if len(path) > 1 else path[0]].image
            if image is None:
                raise Unread(f"{what} that cannot be read", "save it again (print it to PDF)")
            for part in image_text(image, what, budget):
                yield Part(f"page {number} image {index} {part.location}", part.text)


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
