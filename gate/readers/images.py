"""Images: the texts an image carries besides its pixels, which any viewer, a photo site
or a search engine shows. EXIF (`exif:ImageDescription`, `exif:Artist`, `exif:XPComment`…),
XMP (`xmp:dc:description`, `xmp:Iptc4xmpExt:PersonInImage`…), IPTC (`iptc:Caption`,
`iptc:Keywords`…), PNG text chunks (`png:Comment`), GIF and JPEG comments. Then the text in
its pixels (`image text`, ocr.py: the first frame of a GIF, an animated WebP or a TIFF of
several pages), where Tesseract is installed.

Pillow reads the texts without decoding pixels, but for a GIF's later frames; a PNG's text
chunks are walked with Pillow's own chunk reader, since Pillow reads those after the
image data only by decoding it.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Iterator, Mapping

from PIL import ExifTags, Image, ImageFile, IptcImagePlugin, PngImagePlugin

from gate.readers import Budget, Part, Unread, beyond_pillow, keyed_parts
from gate.readers.detect import FILE_KINDS
from gate.readers.ocr import image_text
from gate.readers.xmltext import xmp_parts

PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP", "tiff": "TIFF", "bmp": "BMP", "ico": "ICO"}
# Windows' Properties dialog writes these as UTF-16: XPTitle, XPComment, XPAuthor,
# XPKeywords, XPSubject.
XP_TAGS = frozenset({0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F})
USER_COMMENT = 0x9286
# An EXIF UserComment starts with 8 bytes naming its encoding; UNICODE is UCS-2 in the
# byte order of the file's EXIF (`<` little-endian, `>` big-endian), unless it has a BOM.
USER_COMMENT_CODES = {b"ASCII\0\0\0": "latin-1", b"JIS\0\0\0\0\0": "shift_jis"}
USER_COMMENT_UNICODE = b"UNICODE\0"
BOMS = (b"\xff\xfe", b"\xfe\xff")
IPTC_NAMES = {
    (2, 5): "ObjectName",
    (2, 25): "Keywords",
    (2, 80): "Byline",
    (2, 85): "BylineTitle",
    (2, 90): "City",
    (2, 92): "Sublocation",
    (2, 95): "ProvinceState",
    (2, 101): "Country",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "Copyright",
    (2, 118): "Contact",
    (2, 120): "Caption",
    (2, 122): "Writer",
}
PNG_XMP_KEY = "XML:com.adobe.xmp"  # read as XMP, not as a text chunk
# The PNG specification's keywords (section 11.3.4.2): any other is the writer's own words.
PNG_KEYWORDS = frozenset(
    [
        "Title",
        "Author",
        "Description",
        "Copyright",
        "Creation Time",
        "Software",
        "Disclaimer",
        "Warning",
        "Source",
        "Comment",
    ]
)
# What Pillow raises on a broken image (its chunk and segment readers, zlib, struct).
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError, TypeError, struct.error, zlib.error)


def read(data: bytes, kind: str, budget: Budget) -> list[Part]:
    what = FILE_KINDS[kind].name
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own pixel limit; ours, the policy's, is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]])
            _check_pixels(image, what, budget)
            parts = [*_metadata(image, kind, what), *_comments(image, kind, data, what)]
            return [*parts, *image_text(image, what, budget), *_later_pages(image, kind, what, budget)]
    except Image.DecompressionBombError:
        raise beyond_pillow(what, 2 * (Image.MAX_IMAGE_PIXELS or 0)) from None
    except _BROKEN as error:
        raise Unread(f"{what} that cannot be read ({type(error).__name__})", "save it again") from None


def _later_pages(image: Image.Image, kind: str, what: str, budget: Budget) -> list[Part]:
    """The text of a TIFF's later pages (a scanned letter or fax of several), each
    `page N image text`, within the same seconds of OCR. An animation's later frames are
    not read: a GIF or a WebP is read by its first."""
    if kind != "tiff":
        return []
    parts = []
    for frame in range(1, getattr(image, "n_frames", 1)):
        parts += [
            Part(f"page {frame + 1} {part.location}", part.text) for part in image_text(image, what, budget, frame)
        ]
    return parts


def _check_pixels(image: Image.Image, what: str, budget: Budget) -> None:
    frames = getattr(image, "n_frames", 1)
    if image.width * image.height * frames > budget.limits.image_pixels:
        raise _too_many_pixels(what, budget)


def _too_many_pixels(what: str, budget: Budget) -> Unread:
    return Unread(
        f"{what} of over the {budget.limits.image_pixels:,} pixels of policy.toml's [limits] image_pixels",
        "make it smaller",
    )


def _metadata(image: Image.Image, kind: str, what: str) -> list[Part]:
    xmp = image.info.get("xmp") if kind != "png" else None  # a PNG's: png_text_parts
    return [
        *exif_parts(image.getexif()),
        *(xmp_parts(xmp if isinstance(xmp, bytes) else xmp.encode(), what) if xmp else []),
        *iptc_parts(image),
    ]


def exif_parts(exif: Image.Exif) -> Iterator[Part]:
    """Every text of the image's own directory and of its EXIF directory."""
    for tags in (exif, exif.get_ifd(ExifTags.IFD.Exif)):
        for tag, value in tags.items():
            text = _exif_text(tag, value, exif.endian or "<")
            if text:
                yield Part(f"exif:{ExifTags.TAGS.get(tag, f'0x{tag:04X}')}", text)


def _exif_text(tag: int, value: object, endian: str) -> str:
    if isinstance(value, str):
        return value.strip("\0")
    if isinstance(value, tuple) and tag in XP_TAGS:  # some writers store the bytes as numbers
        value = bytes(value) if all(isinstance(item, int) and 0 <= item < 256 for item in value) else b""
    if not isinstance(value, bytes):
        return ""
    if tag in XP_TAGS:
        return value.decode("utf-16-le", errors="replace").strip("\0")
    if tag == USER_COMMENT:
        code, text = value[:8], value[8:]
        if code == USER_COMMENT_UNICODE:
            encoding = "utf-16" if text[:2] in BOMS else "utf-16-be" if endian == ">" else "utf-16-le"
        else:
            encoding = USER_COMMENT_CODES.get(code, "utf-8")
        return text.decode(encoding, errors="replace").strip("\0 ")
    return ""


def iptc_parts(image: Image.Image) -> Iterator[Part]:
    """The IPTC datasets of record 2 (the editorial ones: caption, keywords, by-line…)."""
    if not isinstance(image, ImageFile.ImageFile):
        return
    datasets: Mapping[tuple[int, int], bytes | list[bytes]] = IptcImagePlugin.getiptcinfo(image) or {}
    for (record, dataset), value in datasets.items():
        if record == 2 and dataset != 0:  # 2:0 is the record's version number
            name = IPTC_NAMES.get((record, dataset), f"{record}:{dataset}")
            values = value if isinstance(value, list) else [value]
            yield Part(f"iptc:{name}", "\n".join(_iptc_text(item) for item in values))


def _iptc_text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def _comments(image: Image.Image, kind: str, data: bytes, what: str) -> list[Part]:
    if kind == "png":
        return png_text_parts(data, what)
    if kind == "jpeg":
        applist: list[tuple[str, bytes]] = getattr(image, "applist", [])
        return [Part("jpeg:Comment", _iptc_text(segment)) for marker, segment in applist if marker == "COM"]
    if kind == "gif":
        comments = []
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)  # decodes the frame before: within the pixel limit
            comments.append(image.info.get("comment", b""))
        return [Part("gif:Comment", _iptc_text(comment)) for comment in dict.fromkeys(comments) if comment]
    return []


def png_text_parts(data: bytes, what: str) -> list[Part]:
    """tEXt, zTXt and iTXt chunks, wherever they stand (also after the image data), and
    the XMP packet an iTXt chunk may hold. Pillow limits what a compressed chunk unpacks
    to (1 MB a chunk, 64 MB in all) and raises ValueError past it."""
    stream = PngImagePlugin.PngStream(io.BytesIO(data[8:]))  # after the signature
    assert stream.fp is not None
    size = len(data) - 8
    # Up to IEND, or the end of the file: some writers leave IEND out (LibreOffice's own
    # templates ship such PNGs), and viewers show them.
    while stream.fp.tell() + 8 <= size:
        chunk, position, length = stream.read()
        if chunk == b"IEND":
            break
        if chunk in (b"tEXt", b"zTXt", b"iTXt"):
            if position + length + 4 > size:
                raise EOFError("a text chunk runs past the end of the file")
            stream.call(chunk, position, length)
            stream.fp.seek(4, io.SEEK_CUR)  # its CRC
        else:
            stream.fp.seek(position + length + 4)
    xmp = stream.im_info.get("xmp")
    return [
        *keyed_parts(
            "png", ((key, str(value)) for key, value in stream.im_text.items() if key != PNG_XMP_KEY), PNG_KEYWORDS
        ),
        *(xmp_parts(xmp, what) if isinstance(xmp, bytes) else []),
    ]
