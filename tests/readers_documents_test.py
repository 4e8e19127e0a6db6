"""PDF, Office and OpenDocument files are read for every text they ship: pages, metadata,
annotations, outlines; body, headers and footers, comments, tracked changes, alt text,
cells, sheet names, notes, properties. Each file is written by the tool people use
(fpdf2, python-docx, openpyxl, python-pptx, odfpy). Both ways: the name blocks with its
exact place, a clean file and a near miss approve."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

from gate.check import check_contents
from gate.verdict import Verdict
from tests.support import documents
from tests.support.documents import CONTENT_TYPES, package
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\n")
NAME, NEAR_MISS, CLEAN = "Kim Lowe", "Kim Lowell", "everyone"

# (what, a function that writes a file with `value` in one place, (location, line, column))
FILES: list[tuple[str, Callable[[str], bytes], tuple[str, int, int]]] = [
    ("pdf page 3", lambda value: documents.pdf(page_three=value), ("page 3", 1, 9)),
    ("pdf author", lambda value: documents.pdf(author=value), ("info:Author", 1, 1)),
    ("pdf annotation", lambda value: documents.pdf(annotation=f"Ask {value}"), ("page 3 annotation 1", 1, 5)),
    ("pdf outline", lambda value: documents.pdf(outline=f"About {value}"), ("outline 1", 1, 7)),
    (
        "pdf xmp",
        lambda value: documents.pdf(xmp_field="title") if value == NAME else documents.pdf(),
        ("xmp:dc:title", 1, 1),
    ),
    ("docx body", lambda value: documents.docx_file("body", value), ("word/document.xml paragraph 2", 1, 11)),
    ("docx header", lambda value: documents.docx_file("header", value), ("word/header1.xml paragraph 1", 1, 1)),
    ("docx footer", lambda value: documents.docx_file("footer", value), ("word/footer1.xml paragraph 1", 1, 1)),
    ("docx comment", lambda value: documents.docx_file("comment", value), ("word/comments.xml paragraph 1", 1, 5)),
    (
        "docx tracked deletion",
        lambda value: documents.docx_file("deleted", value),
        ("word/document.xml paragraph 3 before changes", 1, 8),
    ),
    ("docx alt text", lambda value: documents.docx_file("alt text", value), ("word/document.xml alt text 1", 1, 1)),
    ("docx author", lambda value: documents.docx_file("author", value), ("docProps/core.xml creator", 1, 1)),
    ("xlsx cell", lambda value: documents.xlsx_file("cell", value), ("xl/worksheets/sheet1.xml cell B4", 1, 1)),
    ("xlsx sheet name", lambda value: documents.xlsx_file("sheet name", value), ("xl/workbook.xml sheet name 1", 1, 1)),
    ("xlsx comment", lambda value: documents.xlsx_file("comment", value), ("xl/comments/comment1.xml comment 1", 1, 5)),
    ("xlsx creator", lambda value: documents.xlsx_file("creator", value), ("docProps/core.xml creator", 1, 1)),
    ("pptx slide", lambda value: documents.pptx_file("slide", value), ("ppt/slides/slide1.xml paragraph 1", 1, 8)),
    (
        "pptx notes",
        lambda value: documents.pptx_file("notes", value),
        ("ppt/notesSlides/notesSlide1.xml paragraph 1", 1, 1),
    ),
    ("pptx alt text", lambda value: documents.pptx_file("alt text", value), ("ppt/slides/slide1.xml alt text 1", 1, 1)),
    ("pptx author", lambda value: documents.pptx_file("author", value), ("docProps/core.xml creator", 1, 1)),
    ("odt body", lambda value: documents.odt_file("body", value), ("content.xml paragraph 1", 1, 11)),
    ("odt comment", lambda value: documents.odt_file("comment", value), ("content.xml paragraph 2", 1, 5)),
    ("odt header", lambda value: documents.odt_file("header", value), ("styles.xml paragraph 1", 1, 1)),
    ("odt creator", lambda value: documents.odt_file("creator", value), ("meta.xml initial-creator", 1, 1)),
]


def verdict_on(path: str, data: bytes) -> Verdict:
    return check_contents(MATCHER, [decoded(path, data)], today=TODAY)


@pytest.mark.parametrize(("what", "make", "place"), FILES, ids=[what for what, _, _ in FILES])
def test_a_name_in_a_document_blocks_where_it_is(
    what: str, make: Callable[[str], bytes], place: tuple[str, int, int]
) -> None:
    verdict = verdict_on("site/report.bin", make(NAME))
    assert verdict.decision == "block"
    assert [(item.location, item.line, item.column) for item in verdict.findings] == [place]
    assert verdict.not_scanned == ()


@pytest.mark.parametrize(("what", "make", "place"), FILES, ids=[what for what, _, _ in FILES])
@pytest.mark.parametrize("value", [CLEAN, NEAR_MISS])
def test_a_document_without_the_name_is_approved(
    what: str, make: Callable[[str], bytes], place: tuple[str, int, int], value: str
) -> None:
    verdict = verdict_on("site/report.bin", make(value))
    assert (verdict.decision, verdict.findings, verdict.not_scanned) == ("approve", (), ())


def test_a_tracked_change_is_read_as_it_is_and_as_it_was() -> None:
    """Deleted and inserted text side by side would glue words ("Kim Lowea client")."""
    parts = dict(decoded("a.docx", documents.docx_file("deleted", NAME)).parts)
    assert parts["word/document.xml paragraph 3"] == "Thanks a client"
    assert parts["word/document.xml paragraph 3 before changes"] == f"Thanks {NAME}"


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_a_workbooks_shared_strings_and_links_are_read() -> None:
    """Excel keeps a cell's text in xl/sharedStrings.xml (openpyxl writes it in the cell),
    runs of one string split as they were formatted."""
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    data = package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>Open day</t></si>'
            f"<si><r><t>Kim Lo</t></r><r><t>we</t></r></si></sst>",
            "xl/worksheets/_rels/sheet1.xml.rels": f'<Relationships xmlns="{rels}"><Relationship Id="r1" '
            'Type="hyperlink" Target="https://example.org/kim-lowe" TargetMode="External"/></Relationships>',
        }
    )
    verdict = verdict_on("volunteers.xlsx", data)
    assert [item.location for item in verdict.findings] == [
        "xl/sharedStrings.xml string 2",
        "xl/worksheets/_rels/sheet1.xml.rels link 1",
    ]


def test_a_photograph_inside_a_document_is_read_as_an_image() -> None:
    photo = documents.image("JPEG", exif=documents.exif(0x013B, NAME))
    data = package({"[Content_Types].xml": CONTENT_TYPES, "word/media/image1.jpeg": photo})
    assert [item.location for item in verdict_on("a.docx", data).findings] == ["word/media/image1.jpeg exif:Artist"]


def test_an_archive_that_is_not_a_document_is_not_scanned_and_approved() -> None:
    verdict = verdict_on("photos.zip", package({"notes.txt": NAME}))
    assert verdict.decision == "approve"
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [
        ("a ZIP archive, not an Office or OpenDocument file: not read", False)
    ]


# (what, the file, its reason): files of a kind the gate reads that it cannot read
UNREADABLE = [
    ("damaged pdf", documents.pdf(page_three=NAME)[:200], "a PDF that cannot be read ("),
    ("damaged zip", package({"[Content_Types].xml": CONTENT_TYPES})[:30], "a ZIP archive that cannot be opened ("),
    (
        "xml that does not parse",
        package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document>"}),
        "word/document.xml is not well-formed XML (line 1)",
    ),
]


@pytest.mark.parametrize(("what", "data", "reason"), UNREADABLE, ids=[what for what, _, _ in UNREADABLE])
def test_a_document_that_cannot_be_read_is_not_approved(what: str, data: bytes, reason: str) -> None:
    verdict = verdict_on("report.docx", data)
    assert verdict.decision == "block"
    ((found, blocks),) = [(item.reason, item.blocks) for item in verdict.not_scanned]
    assert found.startswith(reason) and blocks
    assert ": not read, so not approved; " in found


def test_a_pdf_that_needs_a_password_is_not_approved() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(documents.pdf(page_three=NAME))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    verdict = verdict_on("report.pdf", out.getvalue())
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [
        ("a PDF that needs a password to open: not read, so not approved; save a copy without the password", True)
    ]


def test_a_pdf_encrypted_with_no_password_to_open_is_read() -> None:
    """Only printing or copying restricted: any viewer opens it, so the gate reads it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(documents.pdf(page_three=NAME))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert [item.location for item in verdict_on("report.pdf", out.getvalue()).findings] == ["page 3"]


def with_main_part_renamed(data: bytes, name: str, new_name: str) -> bytes:
    """The package with a part under another name, its content type and relationships
    following it: Word opens it as before."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
                content = content.replace(f"/{name}".encode(), f"/{new_name}".encode())
                content = content.replace(posixpath.basename(name).encode(), posixpath.basename(new_name).encode())
            renamed = {name: new_name, "word/_rels/document.xml.rels": "word/_rels/document.dat.rels"}
            target.writestr(renamed.get(info.filename, info.filename), content)
    return out.getvalue()


def header_footer_xlsx(value: str) -> bytes:
    """openpyxl writes a centred header as Excel's codes: `&CKim Lowe`."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None
    header.center.text = value
    footer.left.text = "Page &P"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def validation_xlsx(attribute: str, value: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    validation = DataValidation(type="list", formula1='"yes,no"')
    setattr(validation, attribute, value)
    validation.add("B2")
    sheet.add_data_validation(validation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# (what, a function that writes a file with `value` in one place, its location): both ways
ELSEWHERE: list[tuple[str, Callable[[str], bytes], str]] = [
    (
        "docx main part renamed",
        lambda value: with_main_part_renamed(
            documents.docx_file("body", value), "word/document.xml", "word/document.dat"
        ),
        "word/document.dat paragraph 2",
    ),
    ("xlsx header", header_footer_xlsx, "xl/worksheets/sheet1.xml oddHeader"),
    ("xlsx validation prompt", lambda value: validation_xlsx("prompt", value), "xl/worksheets/sheet1.xml prompt 1"),
    (
        "xlsx validation prompt title",
        lambda value: validation_xlsx("promptTitle", value),
        "xl/worksheets/sheet1.xml prompt title 1",
    ),
    (
        "xlsx validation error",
        lambda value: validation_xlsx("error", value),
        "xl/worksheets/sheet1.xml error message 1",
    ),
    (
        "xlsx validation error title",
        lambda value: validation_xlsx("errorTitle", value),
        "xl/worksheets/sheet1.xml error title 1",
    ),
]


@pytest.mark.parametrize(("what", "make", "location"), ELSEWHERE, ids=[what for what, _, _ in ELSEWHERE])
@pytest.mark.parametrize(("value", "decision"), [(NAME, "block"), (NEAR_MISS, "approve")])
def test_text_an_office_file_keeps_elsewhere_is_read(
    what: str, make: Callable[[str], bytes], location: str, value: str, decision: str
) -> None:
    verdict = verdict_on("site/report.bin", make(value))
    assert verdict.decision == decision
    assert [item.location for item in verdict.findings] == ([location] if decision == "block" else [])
    assert verdict.not_scanned == ()


def test_excel_header_codes_are_read_as_printed() -> None:
    parts = dict(decoded("a.xlsx", header_footer_xlsx("Ki&&m &B&14Lowe")).parts)
    assert parts["xl/worksheets/sheet1.xml oddHeader"] == "Ki&m Lowe"
    assert parts["xl/worksheets/sheet1.xml oddFooter"] == "Page "


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_an_empty_xml_member_holds_no_text_and_is_no_reason_to_block(content: bytes) -> None:
    """LibreOffice saves every file with an empty Configurations2/accelerator/current.xml."""
    for value, decision in ((NAME, "block"), (CLEAN, "approve")):
        data = with_member(documents.odt_file("body", value), "Configurations2/accelerator/current.xml", content)
        assert verdict_on("letter.odt", data).decision == decision
    broken = with_member(documents.odt_file("body", CLEAN), "Configurations2/accelerator/current.xml", b"<a>")
    assert verdict_on("letter.odt", broken).decision == "block"


def test_a_file_inside_a_document_that_cannot_be_read_is_named_in_the_reason() -> None:
    broken = documents.image("JPEG", exif=documents.exif(0x010E, NAME))[:40]  # cut in its EXIF
    data = with_member(documents.docx_file("body", CLEAN), "word/media/image9.jpeg", broken)
    verdict = verdict_on("story.docx", data)
    assert verdict.decision == "block"
    assert verdict.not_scanned[0].reason.startswith("word/media/image9.jpeg: a JPEG image that cannot be read (")


def test_an_archive_inside_a_document_is_noted_as_not_read() -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("notes.txt", "a garden")
    data = with_member(documents.docx_file("body", CLEAN), "word/embeddings/extra.zip", inner.getvalue())
    verdict = verdict_on("story.docx", data)
    assert (verdict.decision, [item.reason for item in verdict.not_scanned]) == (
        "approve",
        ["word/embeddings/extra.zip: an archive inside, not a document: not read"],
    )
