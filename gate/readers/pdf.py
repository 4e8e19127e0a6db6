"""PDF, read by pypdf: each page's text (`page 3`), its annotations' contents and authors
(`page 3 annotation 1`), form fields' values (`form field Name`), the outline's titles
(`outline 2`), the document information (`info:Author`) and XMP metadata (`xmp:dc:title`);
and the text in the images a page shows (`page 3 image 1 image text`), where Tesseract is
installed: a scanned letter, or a screenshot saved as a PDF, has its text only there. The
images of a page's own resources are read, not those inside its form XObjects.

A PDF encrypted with no password to open it (only to print or to copy: common) is
decrypted and read; one that needs a password is not read, so not approved.
"""

from __future__ import annotations

import io
import logging
import struct
import zlib
from collections.abc import Iterator

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject, StreamObject

from gate.readers import Budget, Part, Unread, keyed_parts
from gate.readers.ocr import image_text, ocr_installed
from gate.readers.xmltext import xmp_parts

WHAT = "a PDF"
ANNOTATION_TEXTS = {"/Contents": "", "/T": " author", "/Subj": " subject"}
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
        texts = [*_pages(reader), *_fields(reader), *_outline(reader), *_info(reader), *_xmp(reader)]
        return [*texts, *_images(reader, budget)]
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


def _pages(reader: PdfReader) -> Iterator[Part]:
    for number, page in enumerate(reader.pages, start=1):
        yield Part(f"page {number}", page.extract_text())
        for index, annotation in enumerate(_array(page.get("/Annots")), start=1):
            entry = annotation.get_object()
            for key, suffix in ANNOTATION_TEXTS.items():
                if isinstance(entry, DictionaryObject) and entry.get(key) is not None:
                    yield Part(f"page {number} annotation {index}{suffix}", str(entry[key].get_object()))


def _images(reader: PdfReader, budget: Budget) -> Iterator[Part]:
    """The text in each image of each page, read once its size is known to be within the
    policy's image_pixels (pypdf decodes it whole)."""
    for number, page in enumerate(reader.pages, start=1):
        for index, (name, pixels) in enumerate(_image_sizes(page), start=1):
            if not ocr_installed(budget):
                return
            what = f"an image on page {number} of a PDF"
            if pixels > budget.limits.image_pixels:
                raise Unread(
                    f"{what} of over the {budget.limits.image_pixels:,} pixels of policy.toml's [limits] image_pixels",
                    "make it smaller",
                )
            image = page.images[name].image
            if image is None:
                raise Unread(f"{what} that cannot be read", "save it again (print it to PDF)")
            for part in image_text(image, what, budget):
                yield Part(f"page {number} image {index} {part.location}", part.text)


def _image_sizes(page: PageObject) -> Iterator[tuple[str, int]]:
    """(name, width × height) of each image XObject of the page's resources."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return
    for name, value in xobjects.items():
        xobject = value.get_object()
        if isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Image":
            yield str(name), int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))


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
