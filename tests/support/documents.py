"""Images and documents written by the tools people use (Pillow, fpdf2, python-docx,
openpyxl, python-pptx, odfpy), with a text where a reader of the gate should find it.

Where a tool cannot write a field (IPTC, a tracked change), the field is added to what
the tool wrote, in the shape the standard gives it.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Mapping

import docx
import openpyxl
import pptx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from odf import meta, office, opendocument, style, text
from odf.dc import Creator
from openpyxl.comments import Comment
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Headline="{headline}">
 <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>
 <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
 <dc:subject><rdf:Bag><rdf:li>open day</rdf:li><rdf:li>{subject}</rdf:li></rdf:Bag></dc:subject>
 <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
 <Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>{person}</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
XMP_FIELDS = ("headline", "description", "title", "subject", "creator", "person")
IPTC_DATASETS = {"ObjectName": 5, "Keywords": 25, "Byline": 80, "Headline": 105, "Caption": 120}


def xmp(field: str = "", value: str = "") -> bytes:
    values = {name: "a garden" for name in XMP_FIELDS}
    if field:
        values[field] = value
    return XMP.format(**values).encode()


def image(kind: str = "JPEG", size: tuple[int, int] = (8, 8), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind, **options)
    return out.getvalue()


def exif(tag: int, value: str | bytes, *, in_exif_directory: bool = False, endian: str = "<") -> Image.Exif:
    """EXIF with one tag; `endian` ">" writes it big-endian, as Motorola-order cameras do."""
    tags = Image.Exif()
    tags.endian = endian
    if in_exif_directory:
        tags.get_ifd(0x8769)[tag] = value
    else:
        tags[tag] = value
    return tags


def png_text(chunk: str, keyword: str, value: str, *, after_data: bool = False) -> bytes:
    """A PNG with one text chunk (tEXt, zTXt or iTXt), before or after the image data."""
    info = PngImagePlugin.PngInfo()
    if chunk == "iTXt":
        info.add_itxt(keyword, value, zip=True)
    else:
        info.add_text(keyword, value, zip=chunk == "zTXt")
    data = image("PNG", pnginfo=info)
    if not after_data:
        return data
    start = data.index(chunk.encode()) - 4
    length = struct.unpack(">I", data[start : start + 4])[0]
    chunk_bytes = data[start : start + 12 + length]
    without = data[:start] + data[start + 12 + length :]
    end = without.index(b"IEND") - 4
    return without[:end] + chunk_bytes + without[end:]


def jpeg_with_iptc(dataset: str, value: str) -> bytes:
    """A JPEG with an IPTC record in Photoshop's APP13 segment, as Photoshop and
    Lightroom write it: IPTC-IIM datasets (1:90 says UTF-8) in resource 0x0404."""
    records = b"\x1c\x01\x5a\x00\x03\x1b%G"
    for number, text_value in ((IPTC_DATASETS[dataset], value), (25, "open day")):
        encoded = text_value.encode()
        records += b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(encoded)) + encoded
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(records)) + records + b"\0" * (len(records) % 2)
    segment = b"Photoshop 3.0\0" + resource
    plain = image("JPEG")
    return plain[:2] + b"\xff\xed" + struct.pack(">H", len(segment) + 2) + segment + plain[2:]


def gif_with_comment(comment: str) -> bytes:
    return image("GIF", comment=comment.encode())


def pdf(
    *, page_three: str = "", author: str = "", annotation: str = "", outline: str = "", xmp_field: str = ""
) -> bytes:
    """Three pages written by fpdf2, with texts where asked."""
    document = FPDF()
    document.set_font("helvetica", size=12)
    document.set_author(author or "Harbourside")
    document.set_title("Open day")
    if xmp_field:
        packet = xmp(xmp_field, "Kim Lowe").decode()  # fpdf2 writes the <?xpacket?> itself
        document.set_xmp_metadata(packet[packet.index("<x:") : packet.index("<?xpacket end")])
    for number in (1, 2, 3):
        document.add_page()
        if outline and number == 2:
            document.start_section(outline)
        document.cell(text=f"Page {number}. " + (page_three if number == 3 else "An open day."))
        if annotation and number == 3:
            document.text_annotation(10, 10, annotation)
    return bytes(document.output())


def docx_file(place: str, value: str) -> bytes:
    """A Word file by python-docx with `value` in one place: body, header, footer, comment,
    deleted (a tracked deletion), alt text, author (the core properties)."""
    document = docx.Document()
    document.add_paragraph("An open day.")
    paragraph = document.add_paragraph("Thanks to " + (value if place == "body" else "everyone") + " for coming.")
    section = document.sections[0]
    section.header.paragraphs[0].text = value if place == "header" else "Harbourside"
    section.footer.paragraphs[0].text = value if place == "footer" else "Page 1"
    if place == "comment":
        document.add_comment(paragraph.runs[0], text=f"Ask {value} first", author="Editor", initials="E")
    if place == "deleted":
        _tracked_change(document.add_paragraph("Thanks "), deleted=value, inserted="a client")
    picture = document.add_picture(io.BytesIO(image("PNG")))
    if place == "alt text":
        picture._inline.docPr.set("descr", value)
    document.core_properties.author = value if place == "author" else "Harbourside"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _tracked_change(paragraph: Paragraph, *, deleted: str, inserted: str) -> None:
    for tag, text_tag, value in (("w:del", "w:delText", deleted), ("w:ins", "w:t", inserted)):
        change = OxmlElement(tag)
        change.set(qn("w:id"), str(len(paragraph._p)))
        change.set(qn("w:author"), "Editor")
        run, run_text = OxmlElement("w:r"), OxmlElement(text_tag)
        run_text.text = value
        run.append(run_text)
        change.append(run)
        paragraph._p.append(change)


def xlsx_file(place: str, value: str) -> bytes:
    """A workbook by openpyxl with `value` in a cell, a sheet's name, a comment or its
    creator."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = value if place == "sheet name" else "Volunteers"
    sheet["A1"] = "Name"
    sheet["B4"] = value if place == "cell" else "Open day"
    if place == "comment":
        sheet["A1"].comment = Comment(f"ask {value}", "Editor")
    workbook.properties.creator = value if place == "creator" else "Harbourside"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_file(place: str, value: str) -> bytes:
    """A deck by python-pptx with `value` in a slide's title, its notes, a picture's alt
    text or the author."""
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    title = slide.shapes.title
    assert title is not None
    title.text = f"Thanks {value}" if place == "slide" else "Open day"
    slide.notes_slide.notes_text_frame.text = value if place == "notes" else "Smile"
    picture = slide.shapes.add_picture(io.BytesIO(image("PNG")), 0, 0)
    if place == "alt text":
        picture._element.nvPicPr.cNvPr.set("descr", value)
    deck.core_properties.author = value if place == "author" else "Harbourside"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def odt_file(place: str, value: str) -> bytes:
    """A text document by odfpy with `value` in the body, a comment, the header or the
    metadata."""
    document = opendocument.OpenDocumentText()
    document.text.addElement(text.H(outlinelevel=1, text="Open day"))
    paragraph = text.P(text="Thanks to " + (value if place == "body" else "everyone"))
    if place == "comment":
        comment = office.Annotation()
        comment.addElement(Creator(text="Editor"))
        comment.addElement(text.P(text=f"ask {value}"))
        paragraph.addElement(comment)
    paragraph.addText(" for coming.")
    document.text.addElement(paragraph)
    layout = style.PageLayout(name="page")
    document.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(text=value if place == "header" else "Harbourside"))
    master.addElement(header)
    document.masterstyles.addElement(master)
    document.meta.addElement(meta.InitialCreator(text=value if place == "creator" else "Harbourside"))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


DOCUMENTS: dict[str, Callable[[str, str], bytes]] = {
    "docx": docx_file,
    "xlsx": xlsx_file,
    "pptx": pptx_file,
    "odt": odt_file,
}


def screenshot(
    lines: list[str], kind: str = "PNG", *, width: int = 750, font_size: int = 28, dark: bool = False
) -> bytes:
    """A message as a phone shows it: `lines` in a TrueType font (Pillow's own, scalable),
    dark grey on white, or white on near-black in dark mode."""
    font = ImageFont.load_default(size=font_size)
    spacing = int(font_size * 1.6)
    picture = Image.new("RGB", (width, 80 + spacing * len(lines)), (18, 18, 18) if dark else "white")
    draw = ImageDraw.Draw(picture)
    for number, line in enumerate(lines):
        draw.text((30, 40 + spacing * number), line, fill="white" if dark else (30, 30, 30), font=font)
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


CONTENT_TYPES = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def package(members: Mapping[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive of `members` as written: with CONTENT_TYPES as `[Content_Types].xml`,
    an Office file as far as a reader of its bytes can tell."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()
