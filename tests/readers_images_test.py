"""Images are read for the texts they carry (EXIF, XMP, IPTC, PNG text chunks, GIF and
JPEG comments), written by Pillow; a finding names the field. Both ways: the client's
name blocks there, a clean image and a near miss approve."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gate.check import check_contents
from gate.verdict import Verdict
from tests.support import documents
from tests.support.documents import exif, image
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\n")
NAME, NEAR_MISS, CLEAN = "Kim Lowe", "Kim Lowell", "A garden party"
XP_COMMENT, USER_COMMENT = 0x9C9C, 0x9286

# (what, a function that writes an image with a text in one field, that field's location)
IMAGES: list[tuple[str, Callable[[str], bytes], str]] = [
    ("exif description", lambda value: image(exif=exif(0x010E, value)), "exif:ImageDescription"),
    ("exif artist", lambda value: image(exif=exif(0x013B, value)), "exif:Artist"),
    ("exif copyright", lambda value: image(exif=exif(0x8298, value)), "exif:Copyright"),
    (
        "exif user comment",
        lambda value: image(exif=exif(USER_COMMENT, b"ASCII\0\0\0" + value.encode(), in_exif_directory=True)),
        "exif:UserComment",
    ),
    (
        "exif user comment, UCS-2 little-endian",
        lambda value: image(exif=exif(USER_COMMENT, b"UNICODE\0" + value.encode("utf-16-le"), in_exif_directory=True)),
        "exif:UserComment",
    ),
    (
        "exif user comment, UCS-2 big-endian in a big-endian file",
        lambda value: image(
            exif=exif(USER_COMMENT, b"UNICODE\0" + value.encode("utf-16-be"), in_exif_directory=True, endian=">")
        ),
        "exif:UserComment",
    ),
    (
        "exif user comment, UCS-2 with a byte-order mark against the file's order",
        lambda value: image(
            exif=exif(USER_COMMENT, b"UNICODE\0" + value.encode("utf-16"), in_exif_directory=True, endian=">")
        ),
        "exif:UserComment",
    ),
    (
        "windows comment",
        lambda value: image(exif=exif(XP_COMMENT, value.encode("utf-16-le") + b"\0\0")),
        "exif:XPComment",
    ),
    ("windows title", lambda value: image(exif=exif(0x9C9B, value.encode("utf-16-le"))), "exif:XPTitle"),
    ("windows subject", lambda value: image(exif=exif(0x9C9F, value.encode("utf-16-le"))), "exif:XPSubject"),
    ("windows keywords", lambda value: image(exif=exif(0x9C9E, value.encode("utf-16-le"))), "exif:XPKeywords"),
    ("windows author", lambda value: image(exif=exif(0x9C9D, value.encode("utf-16-le"))), "exif:XPAuthor"),
    ("xmp description", lambda value: image(xmp=documents.xmp("description", value)), "xmp:dc:description"),
    ("xmp title", lambda value: image(xmp=documents.xmp("title", value)), "xmp:dc:title"),
    ("xmp creator", lambda value: image(xmp=documents.xmp("creator", value)), "xmp:dc:creator"),
    ("xmp person", lambda value: image(xmp=documents.xmp("person", value)), "xmp:Iptc4xmpExt:PersonInImage"),
    ("xmp headline", lambda value: image(xmp=documents.xmp("headline", value)), "xmp:photoshop:Headline"),
    ("iptc caption", lambda value: documents.jpeg_with_iptc("Caption", value), "iptc:Caption"),
    ("iptc by-line", lambda value: documents.jpeg_with_iptc("Byline", value), "iptc:Byline"),
    ("iptc headline", lambda value: documents.jpeg_with_iptc("Headline", value), "iptc:Headline"),
    ("iptc object name", lambda value: documents.jpeg_with_iptc("ObjectName", value), "iptc:ObjectName"),
    ("jpeg comment", lambda value: image(comment=value.encode()), "jpeg:Comment"),
    ("png tEXt", lambda value: documents.png_text("tEXt", "Comment", value), "png:Comment"),
    ("png zTXt", lambda value: documents.png_text("zTXt", "Description", value), "png:Description"),
    ("png iTXt", lambda value: documents.png_text("iTXt", "Title", value), "png:Title"),
    (
        "png text after the pixels",
        lambda value: documents.png_text("tEXt", "Comment", value, after_data=True),
        "png:Comment",
    ),
    ("png xmp", lambda value: image("PNG", pnginfo=_png_xmp(value)), "xmp:dc:description"),
    ("gif comment", documents.gif_with_comment, "gif:Comment"),
    ("webp exif", lambda value: image("WEBP", exif=exif(0x010E, value)), "exif:ImageDescription"),
    ("webp xmp", lambda value: image("WEBP", xmp=documents.xmp("description", value)), "xmp:dc:description"),
    ("tiff exif", lambda value: image("TIFF", exif=exif(0x013B, value)), "exif:Artist"),
]


def _png_xmp(value: str) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", documents.xmp("description", value).decode())
    return info


def verdict_on(path: str, data: bytes) -> Verdict:
    return check_contents(MATCHER, [decoded(path, data)], today=TODAY)


@pytest.mark.parametrize(("what", "make", "location"), IMAGES, ids=[what for what, _, _ in IMAGES])
def test_a_name_in_an_image_blocks_where_it_is(what: str, make: Callable[[str], bytes], location: str) -> None:
    verdict = verdict_on("photos/open-day.jpg", make(NAME))
    assert verdict.decision == "block"
    assert [(item.location, item.client_id) for item in verdict.findings] == [(location, "A")]
    assert verdict.not_scanned == ()


@pytest.mark.parametrize(("what", "make", "location"), IMAGES, ids=[what for what, _, _ in IMAGES])
@pytest.mark.parametrize("value", [CLEAN, NEAR_MISS])
def test_an_image_without_the_name_is_approved(
    what: str, make: Callable[[str], bytes], location: str, value: str
) -> None:
    verdict = verdict_on("photos/open-day.jpg", make(value))
    assert (verdict.decision, verdict.findings, verdict.not_scanned) == ("approve", (), ())


def test_a_finding_in_a_field_counts_lines_and_columns_within_the_field() -> None:
    """XMP keywords (dc:subject) are one a line: the second is on line 2."""
    verdict = verdict_on("photo.jpg", image(xmp=documents.xmp("subject", NAME)))
    (finding,) = verdict.findings
    assert (finding.location, finding.line, finding.column, finding.end_line, finding.end_column) == (
        "xmp:dc:subject",
        2,
        1,
        2,
        8,
    )


def test_the_kind_is_told_by_the_bytes_not_the_name() -> None:
    """A PNG named .md is read as an image; text named .png is read as text."""
    as_markdown = verdict_on("posts/open-day.md", documents.png_text("tEXt", "Comment", f"with {NAME}"))
    assert [(item.location, item.column) for item in as_markdown.findings] == [("png:Comment", 6)]
    as_png = verdict_on("photos/open-day.png", f"Thanks\nto {NAME}".encode())
    assert [(item.location, item.line, item.column) for item in as_png.findings] == [("", 2, 4)]


def test_an_image_that_cannot_be_read_is_not_approved() -> None:
    broken = image("JPEG", exif=exif(0x010E, NAME))[:40]
    verdict = verdict_on("photo.jpg", broken)
    assert verdict.decision == "block"
    ((path, reason, blocks),) = [(item.path, item.reason, item.blocks) for item in verdict.not_scanned]
    assert (path, blocks) == ("photo.jpg", True)
    assert reason.startswith("a JPEG image that cannot be read (") and reason.endswith(
        ": not read, so not approved; save it again"
    )


def test_a_kind_without_a_reader_is_not_scanned_and_approved() -> None:
    verdict = verdict_on("clip.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 100)
    assert verdict.decision == "approve"
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [("binary file (contains NUL bytes)", False)]
    unread = check_contents(MATCHER, [decoded("clip.mp4", b"\0\0\0\x18ftypmp42")], today=TODAY, block_unscanned=True)
    assert unread.decision == "block"


def without_iend(data: bytes) -> bytes:
    end = data.index(b"IEND") - 4
    return data[:end]


def test_a_png_without_its_iend_chunk_is_read_as_viewers_show_it() -> None:
    """LibreOffice's own templates ship PNGs that end after their image data."""
    data = without_iend(documents.png_text("tEXt", "Comment", NAME))
    assert [(item.location, item.client_id) for item in verdict_on("p.png", data).findings] == [("png:Comment", "A")]
    assert verdict_on("p.png", without_iend(documents.png_text("tEXt", "Comment", "a garden"))).decision == "approve"


def test_a_png_text_chunk_cut_short_is_not_approved() -> None:
    data = documents.png_text("tEXt", "Comment", NAME, after_data=True)
    cut = without_iend(data)[:-6]  # into the text chunk's value
    verdict = verdict_on("p.png", cut)
    assert verdict.decision == "block"
    assert verdict.not_scanned[0].reason.startswith("a PNG image that cannot be read (")
