"""A file's kind, by its first bytes: a file's name says what its author meant, its bytes
what every program that opens it will read (a `.md` that is a PNG shows as an image)."""

from __future__ import annotations

from typing import NamedTuple


class FileKind(NamedTuple):
    name: str  # as a reason says it: "a PNG image"
    reader: str  # its module in gate.readers


FILE_KINDS = {
    "png": FileKind("a PNG image", "images"),
    "jpeg": FileKind("a JPEG image", "images"),
    "gif": FileKind("a GIF image", "images"),
    "webp": FileKind("a WebP image", "images"),
    "tiff": FileKind("a TIFF image", "images"),
    "bmp": FileKind("a BMP image", "images"),
    "ico": FileKind("an ICO image", "images"),
    "pdf": FileKind("a PDF", "pdf"),
    # A ZIP archive: an Office or OpenDocument file is read, any other is not (packages.py).
    "zip": FileKind("a ZIP archive", "packages"),
}

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
)


# PDF readers look for the header in the first 1024 bytes: a server that writes a newline
# or a byte-order mark before it still serves a PDF every viewer opens.
PDF_HEADER, PDF_HEADER_WITHIN = b"%PDF-", 1024
_PADDING = b" \t\r\n\0\xef\xbb\xbf\xfe\xff"
# A ZIP archive is read from its end (the central directory): bytes before it do not stop
# an Office program, nor Python's zipfile, from opening it.
ZIP_END, ZIP_END_WITHIN = b"PK\x05\x06", 22 + 0xFFFF
# The sizes of a BMP's header (BITMAPCOREHEADER … BITMAPV5HEADER): "BM" alone begins text.
_BMP_HEADERS = frozenset({12, 40, 52, 56, 64, 108, 124})


def detect(data: bytes) -> str:
    """The kind of `data` (a key of FILE_KINDS), or "" for none the readers know."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] == b"BM" and data[6:10] == b"\0\0\0\0" and int.from_bytes(data[14:18], "little") in _BMP_HEADERS:
        return "bmp"
    if data[:4] == b"\0\0\1\0" and data[4:6] != b"\0\0":
        return "ico"
    kind = next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), "")
    if not kind and _pdf_after_padding(data):
        return "pdf"
    return kind


def _pdf_after_padding(data: bytes) -> bool:
    """A PDF header within the first 1024 bytes, after padding, or anywhere there in a
    binary file (a text that mentions `%PDF-` is not one)."""
    at = data.find(PDF_HEADER, 0, PDF_HEADER_WITHIN)
    return at > 0 and (not data[:at].strip(_PADDING) or b"\0" in data)


def zip_inside(data: bytes) -> bool:
    """Whether a file of another kind (a PDF, or bytes put in front) ends as a ZIP archive
    does, with its end record and that record's comment: an Office file can be glued behind
    a PDF and open in both programs. (A file merely holding one, uncompressed, does not end
    so.)"""
    at = data.rfind(ZIP_END, max(0, len(data) - ZIP_END_WITHIN))
    return at >= 0 and at + 22 + int.from_bytes(data[at + 20 : at + 22], "little") == len(data)
