"""What is checked: a file's text as the gate decodes it from its bytes."""

from __future__ import annotations

import bisect
import codecs
import itertools
import operator
import posixpath
from typing import NamedTuple

import charset_normalizer

from gate.extract import View, content_format
from gate.normalize import OffsetMap
from gate.readers import OcrClock, Part, read_file
from gate.readers.detect import detect
from gate.readers.limits import DEFAULT_LIMITS, Limits
from gate.views import sparse_map

STDIN_NAME = "<stdin>"  # the path of what standard input held: not a name anyone wrote
# Read besides a detected single-byte encoding: what spreadsheets and editors on Windows
# write in western and central Europe (each reads one character a byte, undefined bytes
# as U+FFFD).
LEGACY_ENCODINGS = ("cp1252", "cp1250")
MAX_DETECTION_BYTES = 1_000_000  # charset-normalizer reads a sample; more would only cost time
MAX_STRAY_BYTES = 3  # undecodable bytes that leave a file UTF-8 (a tenth of its good characters, if more)
RUNNERS_UP = 1  # of the detector's candidates, read besides the best
# Past this, readings of several bytes a character are left out: mapping one onto the
# text costs a step of Python a character or a byte (about 2 s a megabyte of Shift JIS).
MAX_READING_BYTES = 500_000
_SAME_PLACE = OffsetMap([], [])  # a reading of one character a byte: each where the text has it
TEXT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".mdx")  # text, though no view reads them
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Content(NamedTuple):
    """A checked file's text (None when it cannot be read as text) and what went wrong.

    `encoding`: the encoding the text was read in where the file is not UTF-8 and no
    byte-order mark says what it is (so it was detected: the verdict says so).
    `readings`: the same bytes read in other encodings, checked as views of the text.
    `parts`: texts inside a file that is not text (an image's caption, a PDF's pages),
    each with where it is (gate/readers).
    `blocks`: the problem is a file of a kind the gate reads that it could not read, so
    it is not approved.
    `data`: the bytes of a file of a kind the readers read, left unread for a server to
    read them (else empty).
    """

    path: str
    text: str | None
    problem: str = ""
    encoding: str = ""
    readings: tuple[View, ...] = ()
    parts: tuple[Part, ...] = ()
    blocks: bool = False
    data: bytes = b""


def decode_content(
    path: str, data: bytes, *, limits: Limits = DEFAULT_LIMITS, ocr: OcrClock | None = None, send_up_to: int = 0
) -> Content:
    """An image, a PDF, an Office or OpenDocument file (by its first bytes, whatever its
    name) is read for the texts it holds, within `limits` (the organisation's policy) and
    the check's seconds of OCR (`ocr`; else the file's own); one of at most `send_up_to`
    bytes is not read here but kept as its bytes, for the server to read (--server).
    Else: UTF-8 with or without BOM, UTF-16/32 with BOM; NUL bytes mean a binary file.
    Anything else is read in the encoding detected for it (_decode_legacy).
    """
    if 0 < len(data) <= send_up_to and detect(data):
        return Content(path, None, data=data)
    reading = read_file(data, limits, ocr)
    if reading is not None:
        return Content(path, None, reading.problem, parts=reading.parts, blocks=reading.blocks)
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "")
    if not encoding and b"\0" in data:
        return _decode_with_nul_bytes(path, data)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        if not encoding and not _mostly_utf8(data):
            return _decode_legacy(path, data, error.start)
        return Content(
            path,
            data.decode(encoding or "utf-8", errors="replace"),
            f"undecodable bytes from offset {error.start} (not {encoding or 'UTF-8'} text); the rest was checked",
        )
    if "\0" in text:
        return Content(path, None, "binary file (contains NUL characters)")
    return Content(path, text.removeprefix("\ufeff"))


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a stray byte or two (a paste from elsewhere, a truncated character), not
    a file in another encoding: its other non-ASCII characters are whole UTF-8 sequences.
    A browser shows such a page as UTF-8, a replacement character where the bytes are."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad  # the non-ASCII characters, at memory speed
    return good >= 1 and bad <= max(MAX_STRAY_BYTES, good // 10)


def _decode_legacy(path: str, data: bytes, first_bad: int) -> Content:
    """Text that is not UTF-8: a spreadsheet's CSV in Windows-1252, a page in Latin-1 or
    Shift JIS. charset-normalizer (a well-kept detector, the one requests uses) names the
    encoding; the text is read in it, and the verdict says which was assumed.

    A guess can be wrong where it matters most: on a line or two it took Windows-1252 for
    Windows-1250 (which reads "Håkansson" as "Hĺkansson") and Shift JIS for a Korean
    encoding. So the bytes are also read in the detector's runner-up and in the legacy
    encodings most such files are written in, each reading mapped byte for byte onto the
    text: a name in any reading is a finding where its bytes are.
    """
    candidates = [match.encoding for match in charset_normalizer.from_bytes(data[:MAX_DETECTION_BYTES])]
    encoding = next((name for name in candidates if not name.startswith("utf")), "")
    if not encoding:
        return Content(
            path,
            data.decode("utf-8", errors="replace"),
            f"undecodable bytes from offset {first_bad} (not UTF-8 text, and no encoding fits); the rest was checked",
        )
    others = [name for name in [*candidates[1 : RUNNERS_UP + 1], *LEGACY_ENCODINGS] if not name.startswith("utf")]
    if len(data) > MAX_READING_BYTES:  # only readings of one character a byte, which cost no map
        others = [name for name in others if _single_byte(name)] if _single_byte(encoding) else []
    if not others:
        return Content(path, data.decode(encoding, errors="replace"), encoding=_display_name(encoding))
    text, starts = _read(data, encoding)
    readings = []
    for other in dict.fromkeys(codecs.lookup(name).name for name in others):
        reading, reading_starts = _read(data, other)
        if other != codecs.lookup(encoding).name and reading != text:
            readings.append(_aligned(reading, reading_starts, starts, len(data)))
    return Content(path, text, encoding=_display_name(encoding), readings=tuple(readings))


def _read(data: bytes, encoding: str) -> tuple[str, list[int] | None]:
    """`data` decoded (undecodable bytes as U+FFFD), and the offset of the byte where each
    character starts; None where each character is one byte."""
    text = data.decode(encoding, errors="replace")
    if len(text) == len(data) and _single_byte(encoding):
        return text, None
    if "\ufffd" not in text:  # each character encodes back to the bytes it came from
        length = {char: len(char.encode(encoding)) for char in set(text)}  # a character once, not each time
        lengths = list(map(length.__getitem__, text))
        if sum(lengths) == len(data):
            return text, [0, *itertools.accumulate(lengths[:-1])]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pieces: list[str] = []
    starts: list[int] = []
    pending = 0  # the first byte of the characters the decoder has not yet given
    for index in range(len(data)):
        piece = decoder.decode(data[index : index + 1])
        if piece:
            pieces.append(piece)
            starts += [pending] * len(piece)
            pending = index + 1
    piece = decoder.decode(b"", final=True)
    pieces.append(piece)
    starts += [pending] * len(piece)
    return "".join(pieces), starts


def _single_byte(encoding: str) -> bool:
    return len(bytes(range(256)).decode(encoding, errors="replace")) == 256


def _aligned(reading: str, starts: list[int] | None, text_starts: list[int] | None, size: int) -> View:
    """`reading` as a view of the text: each character at the text's character that holds
    its first byte (start) and its last byte (end)."""
    if starts is None and text_starts is None:
        return View(reading, _SAME_PLACE, _SAME_PLACE)
    if starts is None and text_starts is not None and size:  # one byte a character: it starts and ends there
        places = _byte_owners(text_starts, size)
        return View(reading, places, places)
    # The text's character of each byte, one past the end too: looked up where a search
    # for each byte (bisect) took most of the time of reading a spam folder.
    owner = _owners(text_starts, size) if text_starts is not None else [*range(size), size - 1]
    reading_starts = starts if starts is not None else range(size)
    first = [owner[byte] for byte in reading_starts]
    last = [owner[byte - 1] if byte else -1 for byte in itertools.islice(reading_starts, 1, None)]
    last.append(owner[size - 1] if size else -1)
    return View(reading, sparse_map(first), sparse_map(last))


def _byte_owners(text_starts: list[int], size: int) -> OffsetMap:
    """_sparse of each byte's character (the last that starts at or before it), made
    from the text's characters of other than one byte, where the offset between the
    two can change: a step of Python for each of those, not for each byte (most mail
    in a legacy encoding is ASCII but for a few characters)."""
    lengths = map(operator.sub, [*text_starts[1:], size], text_starts)
    uneven = itertools.compress(text_starts, map(operator.ne, lengths, itertools.repeat(1)))
    edges = sorted({0, *(byte for start in uneven for byte in range(start, _next_start(text_starts, start, size) + 1))})
    targets: list[int] = []
    sources: list[int] = []
    for byte in edges:
        if byte >= size:
            break
        owner = bisect.bisect_right(text_starts, byte) - 1
        if not targets or owner - byte != sources[-1] - targets[-1]:
            targets.append(byte)
            sources.append(owner)
    return OffsetMap(targets, sources)


def _next_start(text_starts: list[int], start: int, size: int) -> int:
    """Where the first character that starts after `start` starts (`size` if none)."""
    index = bisect.bisect_right(text_starts, start)
    return text_starts[index] if index < len(text_starts) else size


def _owners(text_starts: list[int], size: int) -> list[int]:
    """For each byte (and one past the last), the last character of the text that starts
    at or before it."""
    lengths = map(operator.sub, [*text_starts[1:], size], text_starts)
    owner = [*itertools.chain.from_iterable(map(itertools.repeat, itertools.count(), lengths))]
    return [*owner, len(text_starts) - 1]


def _display_name(encoding: str) -> str:
    """The encoding as people know it: Python's cp1252 is windows-1252."""
    name = codecs.lookup(encoding).name
    return f"windows-{name[2:]}" if name.startswith("cp125") else name


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
