"""Files made to slip a client's name past the readers, or to stall them, as an outsider
tried them: a PDF behind padding, an Office file glued behind a PDF or junk, an
OpenDocument file that also claims to be an Office one, members of one name, shared PDF
name trees and annotation arrays, and the texts Word, LibreOffice and PDF keep in
attributes. Each blocks where it names a client and approves where it does not."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from gate.check import check_contents
from gate.verdict import Verdict
from tests.support import documents
from tests.support.documents import CONTENT_TYPES, package
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\nA,email,kim.lowe@example.org,\n")
NAME, NEAR_MISS = "Kim Lowe", "Kim Lowell"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def verdict_on(path: str, data: bytes) -> Verdict:
    return check_contents(MATCHER, [decoded(path, data)], today=TODAY)


def places(verdict: Verdict) -> list[str]:
    return [finding.location for finding in verdict.findings]


def word(body: str) -> bytes:
    document = f"<w:document {W} {V}><w:body>{body}</w:body></w:document>"
    return package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document})


def odt(body: str) -> bytes:
    """An OpenDocument text whose content.xml's body is `body` (odfpy's namespaces)."""
    data = documents.odt_file("body", "everyone")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    content = members["content.xml"].decode()
    at = content.index("<office:text>") + len("<office:text>")
    members["content.xml"] = (content[:at] + body + content[at:]).encode()
    return package(members)


# (what, a file with `value` in one place, where the finding is)
CASES: list[tuple[str, Callable[[str], bytes], str]] = [
    ("a PDF behind a newline", lambda value: b"\n" + documents.pdf(page_three=value), "page 3"),
    ("a PDF behind NULs", lambda value: b"\0\0" + documents.pdf(page_three=value), "page 3"),
    (
        "a Word file glued behind a PDF",
        lambda value: documents.pdf() + documents.docx_file("body", value),
        "archive word/document.xml paragraph 2",
    ),
    (
        "a Word file behind junk",
        lambda value: b"junk\0" + documents.docx_file("body", value),
        "word/document.xml paragraph 2",
    ),
    (
        "an OpenDocument file that also has [Content_Types].xml",
        lambda value: package(
            {**dict(_members(odt(f"<text:p>Thanks {value}</text:p>"))), "[Content_Types].xml": CONTENT_TYPES.encode()}
        ),
        "content.xml paragraph 1",
    ),
    (
        "an OpenDocument file without its mimetype member",
        lambda value: package(
            {name: data for name, data in _members(odt(f"<text:p>Thanks {value}</text:p>")) if name != "mimetype"}
        ),
        "content.xml paragraph 1",
    ),
    (
        "WordArt",
        lambda value: word(f'<w:p><w:r><v:shape><v:textpath string="{value}"/></v:shape></w:r></w:p>'),
        "word/document.xml shape text 1",
    ),
    (
        "a field's code",
        lambda value: word(
            f"<w:p><w:fldSimple w:instr=' HYPERLINK \"mailto:{value.lower().replace(' ', '.')}@example.org\" '/></w:p>"
        ),
        "word/document.xml field 1",
    ),
    (
        "a drop-down form field's entries",
        lambda value: word(f'<w:p><w:ffData><w:ddList><w:listEntry w:val="{value}"/></w:ddList></w:ffData></w:p>'),
        "word/document.xml list entry 1",
    ),
    (
        "a content control's title",
        lambda value: word(f'<w:sdt><w:sdtPr><w:alias w:val="{value}"/></w:sdtPr></w:sdt>'),
        "word/document.xml control title 1",
    ),
    (
        "a content control's list",
        lambda value: word(
            f'<w:sdt><w:sdtPr><w:comboBox><w:listItem w:displayText="{value}" w:value="1"/></w:comboBox></w:sdtPr></w:sdt>'
        ),
        "word/document.xml list item 1",
    ),
    (
        "an OpenDocument link's address",
        lambda value: odt(
            f'<text:p><text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" xlink:href="mailto:{value.lower().replace(" ", ".")}@example.org">'
            "write</text:a></text:p>"
        ),
        "content.xml link 1",
    ),
]


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


@pytest.mark.parametrize(("what", "make", "location"), CASES, ids=[what for what, _, _ in CASES])
def test_a_name_hidden_so_blocks_where_it_is(what: str, make: Callable[[str], bytes], location: str) -> None:
    verdict = verdict_on("upload.bin", make(NAME))
    assert (verdict.decision, location in places(verdict)) == ("block", True), places(verdict)


@pytest.mark.parametrize(("what", "make", "location"), CASES, ids=[what for what, _, _ in CASES])
def test_the_same_file_without_the_name_approves(what: str, make: Callable[[str], bytes], location: str) -> None:
    verdict = verdict_on("upload.bin", make(NEAR_MISS))
    assert (verdict.decision, places(verdict), [item.reason for item in verdict.not_scanned]) == ("approve", [], [])


def test_a_text_that_mentions_the_pdf_header_is_read_as_text() -> None:
    data = b"# How we make PDFs\n\nEvery file begins with %PDF-1.7, then its objects. Thanks Kim Lowe!\n"
    verdict = verdict_on("post.md", data)
    assert (places(verdict), verdict.not_scanned) == ([""], ())


def test_two_members_of_one_name_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            f"<w:document {W}><w:body><w:p><w:r><w:t>{NAME}</w:t></w:r></w:p></w:body></w:document>",
        )
        with pytest.warns(UserWarning, match="Duplicate name"):  # zipfile's, writing it
            archive.writestr("word/document.xml", f"<w:document {W}/>")
    verdict = verdict_on("story.docx", out.getvalue())
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [
        (
            "a document with two members of one name: not read, so not approved; save it again from its application",
            True,
        )
    ]


def pdf_with(setup: Callable[[PdfWriter], None], pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    setup(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_name_tree_of_shared_kids_is_walked_once_per_node() -> None:
    """Ten nodes of five shared kids each: ten million paths, ten nodes."""

    def setup(writer: PdfWriter) -> None:
        specification = DictionaryObject({NameObject("/F"): TextStringObject("Kim Lowe.txt")})
        leaf = writer._add_object(
            DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(specification)])}
            )
        )
        node = leaf
        for _ in range(10):
            node = writer._add_object(DictionaryObject({NameObject("/Kids"): ArrayObject([node] * 5)}))
        names = DictionaryObject({NameObject("/EmbeddedFiles"): node})
        writer._root_object[NameObject("/Names")] = names

    # its name in the tree ("a"), then the file's own: one attachment, read once
    assert places(verdict_on("report.pdf", pdf_with(setup))) == ["attachment 1 file name (2)"]


def test_pages_sharing_one_array_of_annotations_read_each_annotation_once() -> None:
    def setup(writer: PdfWriter) -> None:
        note = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Text"),
                    NameObject("/Contents"): TextStringObject(NAME),
                    NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                }
            )
        )
        annotations = writer._add_object(ArrayObject([note] * 2_000))
        for page in writer.pages:
            page[NameObject("/Annots")] = annotations

    assert places(verdict_on("report.pdf", pdf_with(setup, pages=100))) == ["page 1 annotation 1"]


@pytest.mark.parametrize("member", ["word/embeddings/oleObject1.bin", "word/media/image1.emf"])
def test_an_embedded_object_the_gate_cannot_read_is_reported_not_scanned(member: str) -> None:
    data = package({"[Content_Types].xml": CONTENT_TYPES, member: b"\xd0\xcf\x11\xe0 an OLE or metafile"})
    verdict = verdict_on("story.docx", data)
    assert (verdict.decision, [(item.reason, item.blocks) for item in verdict.not_scanned]) == (
        "approve",
        [(f"{member}: an embedded object the gate does not read: not read", False)],
    )
    blocked = check_contents(MATCHER, [decoded("story.docx", data)], today=TODAY, block_unscanned=True)
    assert blocked.decision == "block"  # fail_on_unscanned
