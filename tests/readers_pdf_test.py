"""What a PDF ships besides its pages' text: where its links go, the files attached to it,
images drawn inside form XObjects; and what a small hostile PDF costs to read: pages that
all draw one content stream, instructions that inflate from a few hundred bytes, a form
drawn thousands of times (pypdf leaves a page's forms past 5,000 unread, silently). The
files are written by fpdf2 or pypdf, as people's tools write them."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject

from gate.check import check_contents
from gate.readers import Recognise
from gate.readers.limits import DEFAULT_LIMITS, Limits
from gate.verdict import Verdict
from tests.support import documents
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\n")
NAME = "Kim Lowe"


def verdict_on(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Verdict:
    return check_contents(MATCHER, [decoded("site/report.pdf", data, limits=limits)], today=TODAY)


def refusal(data: bytes, limits: Limits) -> tuple[str, bool]:
    """Why the file was not read, and whether that blocks."""
    content = decoded("site/report.pdf", data, limits=limits)
    return content.problem, content.blocks


def places(verdict: Verdict) -> list[str]:
    return [finding.location for finding in verdict.findings]


def fpdf_document() -> FPDF:
    document = FPDF()
    document.set_font("helvetica", size=12)
    document.add_page()
    document.cell(text="An open day at the garden.")
    return document


def linked(target: str) -> bytes:
    document = fpdf_document()
    document.link(10, 10, 50, 10, target)
    return bytes(document.output())


def attached(data: bytes, name: str = "notes.txt", description: str = "") -> bytes:
    document = fpdf_document()
    document.embed_file(bytes=data, basename=name, desc=description)
    return bytes(document.output())


# --- links and attachments: both ways ---------------------------------------------------

CASES: list[tuple[str, Callable[[str], bytes], str]] = [
    ("a link's web address", lambda value: linked(f"https://example.org/stories/{value}"), "page 1 annotation 1 link"),
    ("an attached text file", lambda value: attached(f"id,name\n7,{value}\n".encode()), "attachment 1"),
    (
        "an attached file in Windows-1252",
        lambda value: attached(f"name;town\n{value};Måløv\n".encode("cp1252")),
        "attachment 1",
    ),
    ("an attached file's name", lambda value: attached(b"a garden", name=f"{value}.txt"), "attachment 1 file name"),
    (
        "an attached file's description",
        lambda value: attached(b"a garden", description=f"from {value}"),
        "attachment 1 description",
    ),
    (
        "a Word file attached",
        lambda value: attached(documents.docx_file("body", value), name="story.docx"),
        "attachment 1 word/document.xml paragraph 2",
    ),
    (
        "a photograph attached, its caption",
        lambda value: attached(documents.image(exif=documents.exif(0x010E, value)), name="p.jpg"),
        "attachment 1 exif:ImageDescription",
    ),
]


@pytest.mark.parametrize(("what", "make", "location"), CASES, ids=[what for what, _, _ in CASES])
def test_a_name_in_a_pdfs_link_or_attachment_blocks_where_it_is(
    what: str, make: Callable[[str], bytes], location: str
) -> None:
    verdict = verdict_on(make("kim-lowe" if "link" in what or "name" in what else NAME))
    assert verdict.decision == "block"
    assert places(verdict) == [location]


@pytest.mark.parametrize(("what", "make", "location"), CASES, ids=[what for what, _, _ in CASES])
def test_the_same_pdf_without_the_name_approves(what: str, make: Callable[[str], bytes], location: str) -> None:
    verdict = verdict_on(make("kim-lowell"))
    assert (verdict.decision, places(verdict), verdict.not_scanned) == ("approve", [], ())


def test_a_file_attached_to_an_annotation_is_read_once(tmp_path: Path) -> None:
    """fpdf2 lists it among the document's attachments too: it is one file, read once."""
    notes = tmp_path / "notes.txt"
    notes.write_text(f"Called {NAME} on Tuesday.\n", encoding="utf-8")
    document = fpdf_document()
    document.file_attachment_annotation(str(notes), 10, 10, 10, 10)
    assert places(verdict_on(bytes(document.output()))) == ["page 1 annotation 1 attachment"]


def test_attached_files_count_against_the_bytes_a_document_unpacks_to() -> None:
    data = attached(b"a garden. " * 20_000)
    assert refusal(data, Limits(archive_bytes=100_000)) == (
        "a PDF whose attached files unpack to over the 100,000 bytes of policy.toml's [limits] archive_bytes: "
        "not read, so not approved; ask the compliance officer, or send the attached files apart",
        True,
    )


# --- the cost of a page's text ----------------------------------------------------------


def helvetica(writer: PdfWriter) -> object:
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    return writer._add_object(font)


def pdf_of_pages(pages: int, content: bytes, *, shared: bool = True, fonts: int = 1) -> bytes:
    """`pages` pages drawing `content` (Helvetica as /F1), all from one content stream, or
    each from its own; `fonts`: how many font dictionaries the pages take turns with."""
    writer = PdfWriter()
    resources = []
    for _ in range(fonts):
        resource = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica(writer)})})
        resources.append(writer._add_object(resource))

    def stream() -> object:
        encoded = StreamObject()
        encoded._data = zlib.compress(content)
        encoded[NameObject("/Filter")] = NameObject("/FlateDecode")
        return writer._add_object(encoded)

    shared_stream = stream()
    for number in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = resources[number % fonts]
        page[NameObject("/Contents")] = shared_stream if shared else stream()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def shows(text: str) -> bytes:
    return f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n".encode()


def test_pages_that_draw_one_content_stream_are_read_once_under_the_first() -> None:
    content = shows("An open day at the garden.") * 2_000 + shows(NAME)  # 100 KB, 0.1 s a page
    data = pdf_of_pages(400, content)
    assert len(data) < 100_000
    assert places(verdict_on(data)) == ["page 1"]


def test_the_same_instructions_with_other_resources_are_read_again() -> None:
    data = pdf_of_pages(4, shows(NAME), fonts=2)
    assert places(verdict_on(data)) == ["page 1", "page 2"]


def test_instructions_that_inflate_past_the_limit_are_refused_before_any_is_read() -> None:
    data = pdf_of_pages(3, shows("a garden") * 10_000, shared=False)  # 3 × 410 KB
    assert refusal(data, Limits(pdf_content_bytes=500_000)) == (
        "a PDF whose pages draw over the 500,000 bytes of policy.toml's [limits] pdf_content_bytes: "
        "not read, so not approved; ask the compliance officer, or split it",
        True,
    )
    assert verdict_on(data, Limits(pdf_content_bytes=1_300_000)).decision == "approve"


def pdf_drawing_forms(times: int, then: str) -> bytes:
    """One page that draws an empty form XObject `times` times, then a form that shows
    `then`."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    fonts = DictionaryObject({NameObject("/F1"): helvetica(writer)})

    def form(content: bytes) -> object:
        xobject = StreamObject()
        xobject._data = content
        xobject.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [NumberObject(0), NumberObject(0), NumberObject(612), NumberObject(792)]
                ),
                NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
            }
        )
        return writer._add_object(xobject)

    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/Blank"): form(b"q Q\n"), NameObject("/Said"): form(shows(then))}
            ),
            NameObject("/Font"): fonts,
        }
    )
    contents = StreamObject()
    contents._data = b"/Blank Do\n" * times + b"/Said Do\n"
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_name_drawn_after_five_thousand_forms_is_still_read() -> None:
    data = pdf_drawing_forms(6_000, NAME)
    assert "Kim Lowe" not in PdfReader(io.BytesIO(data)).pages[0].extract_text()  # pypdf alone skips it
    assert places(verdict_on(data)) == ["page 1"]


def test_operators_past_the_limit_are_refused() -> None:
    assert refusal(pdf_drawing_forms(6_000, "a garden"), Limits(pdf_operators=5_000)) == (
        "a PDF whose pages draw over the 5,000 operators of policy.toml's [limits] pdf_operators: "
        "not read, so not approved; ask the compliance officer, or split it",
        True,
    )


def test_reading_pages_that_share_one_stream_grows_with_the_stream_not_the_pages() -> None:
    """Counted, not timed: the operators pypdf reads for 50 and for 400 pages that draw the
    same content stream are the same."""
    content = shows("An open day.") * 100
    for pages in (50, 400):
        verdict = verdict_on(pdf_of_pages(pages, content), Limits(pdf_operators=600))  # 100 × 5 operators + 1
        assert verdict.decision == "approve", pages


# --- images inside form XObjects ----------------------------------------------------------


def test_a_screenshot_drawn_inside_a_form_xobject_is_read(tesseract: Recognise) -> None:
    document = FPDF()
    document.add_page()
    document.image(io.BytesIO(documents.screenshot(["Thank you so much!", f"— {NAME}"])), w=120)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(document.output()))))
    page = writer.pages[0]
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    form = StreamObject()
    form._data = page.get_contents().get_data()  # type: ignore[union-attr]
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(612), NumberObject(792)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/XObject"): resources["/XObject"]}),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Fm0"): writer._add_object(form)})}
    )
    contents = StreamObject()
    contents._data = b"/Fm0 Do\n"
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    content = decoded("site/report.pdf", out.getvalue(), engine=tesseract)
    assert places(check_contents(MATCHER, [content], today=TODAY)) == ["page 1 image 1 image text"]


# --- text in a font the page does not define ---------------------------------------------


def page_showing(content: bytes, *, fonts: bool) -> bytes:
    """One page drawing `content`, with Helvetica as /F1 in its resources or no fonts."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if fonts:
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica(writer)})}
        )
    contents = StreamObject()
    contents._data = content
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


UNDEFINED = [
    ("a page with no fonts", b"BT /F9 12 Tf 72 720 Td (Kim Lowe) Tj ET\n", False),
    ("a font the page does not define", b"BT /F1 12 Tf 72 720 Td (Hello ) Tj /F9 12 Tf (Kim Lowe) Tj ET\n", True),
    ("a TJ array in an undefined font", b"BT /F9 12 Tf 72 720 Td [(Ki) -20 (m L) 5 (o) (we)] TJ ET\n", False),
    ("two strings and a move", b"BT /F9 12 Tf 72 720 Td (Kim) Tj 30 0 Td (Lowe) Tj ET\n", False),
]


@pytest.mark.parametrize(("what", "content", "fonts"), UNDEFINED, ids=[what for what, _, _ in UNDEFINED])
def test_text_in_a_font_the_page_does_not_define_is_read_as_a_viewer_shows_it(
    what: str, content: bytes, fonts: bool
) -> None:
    """pypdf reads nothing there (or U+FFFD); a viewer draws the bytes in a font of its own."""
    data = page_showing(content, fonts=fonts)
    assert "Kim Lowe" not in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert places(verdict_on(data)) == ["page 1 text in an undefined font"]
    near_miss = content.replace(b"Lowe)", b"Lowell)").replace(b"(we)", b"(well)")
    assert verdict_on(page_showing(near_miss, fonts=fonts)).decision == "approve"


def test_text_in_a_defined_font_is_read_once() -> None:
    data = page_showing(b"BT /F1 12 Tf 72 720 Td (Kim Lowe) Tj ET\n", fonts=True)
    assert places(verdict_on(data)) == ["page 1"]


def test_a_form_fields_name_is_read_once_as_the_fields_not_as_an_annotations_author() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("Kim Lowe"),
            NameObject("/V"): TextStringObject("a garden"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
        }
    )
    reference = writer._add_object(widget)
    page[NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})
    out = io.BytesIO()
    writer.write(out)
    assert places(verdict_on(out.getvalue())) == ["form field 1 key"]


def pdf_with_appearance(shows: str, *, states: bool = False) -> bytes:
    """A page with a stamp annotation whose note says "approved" and whose appearance (a
    form XObject) draws `shows`; with `states`, as a check box's two appearances."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    form = StreamObject()
    form._data = f"BT /F1 12 Tf 2 2 Td ({shows}) Tj ET\n".encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200), NumberObject(20)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica(writer)})}
            ),
        }
    )
    drawn = writer._add_object(form)
    normal = DictionaryObject({NameObject("/Yes"): drawn}) if states else drawn
    stamp = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Stamp"),
            NameObject("/Contents"): TextStringObject("approved"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200), NumberObject(20)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): normal}),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(stamp)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("states", [False, True], ids=["one appearance", "a check box's states"])
def test_what_an_annotation_draws_is_read(states: bool) -> None:
    assert places(verdict_on(pdf_with_appearance("Kim Lowe", states=states))) == ["page 1 annotation 1 appearance"]
    assert verdict_on(pdf_with_appearance("Kim Lowell", states=states)).decision == "approve"
