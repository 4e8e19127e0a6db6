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


def detect(data: bytes) -> str:
    """The kind of `data` (a key of FILE_KINDS), or "" for none the readers know."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), "")
