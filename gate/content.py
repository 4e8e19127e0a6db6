"""What is checked: a file's text as the gate decodes it from its bytes."""

from __future__ import annotations

import codecs
import posixpath
from typing import NamedTuple

from gate.extract import content_format

STDIN_NAME = "<stdin>"  # the path of what standard input held: not a name anyone wrote
TEXT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".mdx")  # text, though no view reads them
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Content(NamedTuple):
    """A checked file's text (None when it cannot be read as text) and what went wrong."""

    path: str
    text: str | None
    problem: str = ""


def decode_content(path: str, data: bytes) -> Content:
    """UTF-8 with or without BOM, UTF-16/32 with BOM; NUL bytes mean a binary file.

    Bytes that do not decode are reported, and the rest of the text is still checked
    with them replaced: a name beside a stray Latin-1 byte is still a name.
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "")
    if not encoding and b"\0" in data:
        return _decode_with_nul_bytes(path, data)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        return Content(
            path,
            data.decode(encoding or "utf-8", errors="replace"),
            f"undecodable bytes from offset {error.start} (not {encoding or 'UTF-8'} text); the rest was checked",
        )
    if "\0" in text:
        return Content(path, None, "binary file (contains NUL characters)")
    return Content(path, text.removeprefix("\ufeff"))


def _decode_with_nul_bytes(path: str, data: bytes) -> Content:
    """UTF-16 without a byte-order mark, or a text file (by its name) with stray NUL bytes,
    is read as text: a browser or a Markdown renderer shows what it holds. Anything else
    with NUL bytes is binary."""
    order = _utf16_order(data)
    if order:
        text = data.decode(order, errors="replace").removeprefix("\ufeff")
        return Content(path, text, f"UTF-16 without a byte-order mark: read as {order.upper()}")
    if content_format(path) != "text" or posixpath.splitext(path.lower())[1] in TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")  # a NUL normalises to a blank
        return Content(path, text, "NUL bytes in a text file: read as text with them as blanks")
    return Content(path, None, "binary file (contains NUL bytes)")


def _utf16_order(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when one byte of nearly every pair is NUL, as in ASCII
    text written as UTF-16, else ""."""
    if len(data) < 4 or len(data) % 2:
        return ""
    pairs = len(data) // 2
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd >= 0.9 * pairs and even < 0.1 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd < 0.1 * pairs:
        return "utf-16-be"
    return ""
