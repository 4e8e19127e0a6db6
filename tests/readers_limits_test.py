"""What a reader refuses: past the organisation's [limits] (policy.toml, never a content
repository's .gate.toml), zip and XML bombs, documents nested too deep. And every reader
is linear in its input: each shape is read at n and 4n, best of 3, and the time may grow
at most 6 times (tests/linear_test.py's rule; a quadratic reader grows 16 times). Deeply nested trees
are measured past some thousands of levels, where they leave the processor's caches
(4,000 to 16,000 levels took 7 times longer; 16,000 to 64,000, 4 times)."""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.worst import growth_seconds
from gate.adapters.repository import parse_repository_config
from gate.check import check_contents
from gate.cli import main
from gate.errors import GateError
from gate.readers.limits import DEFAULT_LIMITS, LIMIT_KEYS, Limits
from gate.wordlist import parse_policy
from tests.support import documents
from tests.support.documents import CONTENT_TYPES, package
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows, write_wordlist

MATCHER = compile_rows("A,name,Kim Lowe,\n")
MAX_RATIO = 8  # as tests/linear_test.py's, and for the same reason
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word(body: str) -> bytes:
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>",
        }
    )


def refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, bool]:
    content = decoded("f", data, limits=limits)
    assert content.parts == ()
    return content.problem, content.blocks


# --- the limits, and who sets them ----------------------------------------------------------


def test_the_policy_sets_the_limits_and_keeps_the_defaults_it_does_not_name() -> None:
    policy = parse_policy("p", b"[limits]\npdf_pages = 2000\nocr_seconds_per_image = 2.5\n")
    assert policy.limits == Limits(pdf_pages=2000, ocr_seconds_per_image=2.5)
    assert parse_policy("p", b"").limits == DEFAULT_LIMITS


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (b"[limits]\npdf_pages = 0\n", "p: limits.pdf_pages must be a positive whole number"),
        (b"[limits]\narchive_bytes = 1.5e8\n", "p: limits.archive_bytes must be a positive whole number"),
        (b"[limits]\nimage_pixels = true\n", "p: limits.image_pixels must be a positive whole number"),
        (b'[limits]\narchive_members = "10"\n', "p: limits.archive_members must be a positive whole number"),
        (b"[limits]\nocr_seconds_per_request = -1\n", "p: limits.ocr_seconds_per_request must be a positive number"),
        (b"[limits]\nocr_seconds_per_image = inf\n", "p: limits.ocr_seconds_per_image must be a positive number"),
        (b"limits = 5\n", "p: [limits] must be a table"),
        (b"[limits]\npages = 5\n", f"p: an unknown key in [limits] (expected only {', '.join(LIMIT_KEYS)})"),
    ],
)
def test_a_limit_that_is_not_a_positive_number_refuses_the_list(toml: bytes, message: str) -> None:
    with pytest.raises(GateError) as raised:
        parse_policy("p", toml)
    assert str(raised.value) == message


@pytest.mark.parametrize("toml", ["[limits]\npdf_pages = 100000\n", "pdf_pages = 100000\n", "image_pixels = 1\n"])
def test_a_content_repository_cannot_set_a_limit(toml: str) -> None:
    """Its authors could raise them to let a file through unread: .gate.toml has no such keys."""
    with pytest.raises(GateError, match=r"^\.gate\.toml: unknown key '(limits|pdf_pages|image_pixels)'"):
        parse_repository_config(".gate.toml", toml)


def test_the_command_line_reads_with_the_organisations_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wordlist = write_wordlist(tmp_path / "wl", "A,name,Kim Lowe,\n", policy_toml="[limits]\npdf_pages = 2\n")
    report = tmp_path / "report.pdf"
    report.write_bytes(documents.pdf())
    assert main(["check", "--no-cache", "--wordlist", str(wordlist), str(report)]) == 1
    assert capsys.readouterr().out == (
        f"{report}: not scanned — a PDF of 3 pages, over the 2 of policy.toml's [limits] pdf_pages: "
        "not read, so not approved; ask the compliance officer, or split it\n"
        "block: 0 findings, 0 suppressed, 1 not scanned\n"
    )


# --- refusals -------------------------------------------------------------------------------


def test_a_pdf_over_its_pages_is_refused() -> None:
    assert refusal(documents.pdf(page_three="Kim Lowe"), Limits(pdf_pages=2)) == (
        "a PDF of 3 pages, over the 2 of policy.toml's [limits] pdf_pages: not read, so not approved; "
        "ask the compliance officer, or split it",
        True,
    )


def test_an_image_over_its_pixels_is_refused() -> None:
    expected = (
        "a PNG image of over the 63 pixels of policy.toml's [limits] image_pixels: not read, so not approved; "
        "make it smaller",
        True,
    )
    assert refusal(documents.png_text("tEXt", "Comment", "Kim Lowe"), Limits(image_pixels=63)) == expected


def test_an_image_whose_header_claims_billions_of_pixels_is_refused_unread() -> None:
    """Pillow refuses past about 179 million pixels whatever the policy says."""
    data = bytearray(documents.image("PNG"))
    header = struct.pack(">II", 100_000, 100_000) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    problem, blocks = refusal(bytes(data), Limits(image_pixels=10**12))
    assert (problem, blocks) == (
        "a PNG image of over the 178,956,970 pixels Pillow reads, whatever policy.toml says: "
        "not read, so not approved; make it smaller",
        True,
    )


def test_a_zip_bomb_is_refused_past_the_bytes_it_unpacks_to() -> None:
    """200 MB of zeros pack to 200 KB; the directory's sizes are not believed, the bytes
    unpacked are counted."""
    bomb = package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"\0" * 200_000_000})
    assert len(bomb) < 300_000
    assert refusal(bomb) == (
        "a document that unpacks to over the 100,000,000 bytes of policy.toml's [limits] archive_bytes: "
        "not read, so not approved; ask the compliance officer, or make it smaller",
        True,
    )


def test_an_archive_of_too_many_members_is_refused() -> None:
    members: dict[str, bytes | str] = {"[Content_Types].xml": CONTENT_TYPES}
    members.update({f"word/media/{number}.bin": b"" for number in range(20)})
    assert refusal(package(members), Limits(archive_members=20)) == (
        "a ZIP archive of 21 members, over the 20 of policy.toml's [limits] archive_members: "
        "not read, so not approved; ask the compliance officer, or split it",
        True,
    )


def test_an_xml_bomb_is_refused_not_expanded() -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "Kim Lowe">' + "".join(
        f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">' for level in range(9)
    )
    bomb = package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": laughs + "]><d>&j;</d>"})
    assert refusal(bomb) == (
        "word/document.xml declares XML entities or external references: not read, so not approved; "
        "save it again from its application",
        True,
    )


def test_a_document_inside_a_document_inside_another_is_refused() -> None:
    inner = package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/media/photo.png": documents.png_text("tEXt", "Comment", "Kim Lowe"),
        }
    )
    middle = package({"[Content_Types].xml": CONTENT_TYPES, "word/embeddings/inner.docx": inner})
    one_deep = decoded("f", middle)
    assert [part.location for part in one_deep.parts] == ["word/embeddings/inner.docx word/media/photo.png png:Comment"]
    outer = package({"[Content_Types].xml": CONTENT_TYPES, "word/embeddings/middle.docx": middle})
    assert refusal(outer) == (
        "word/embeddings/middle.docx: word/embeddings/inner.docx: a PNG image inside a document inside another: "
        "not read, so not approved; save the innermost file on its own",
        True,
    )


def test_a_refusal_blocks_the_verdict_without_fail_on_unscanned() -> None:
    content = decoded("report.pdf", documents.pdf(), limits=Limits(pdf_pages=1))
    verdict = check_contents(MATCHER, [content], today=TODAY)
    assert verdict.decision == "block" and [item.blocks for item in verdict.not_scanned] == [True]


# --- linear time ------------------------------------------------------------------------------


def _png_chunks(n: int) -> bytes:
    data = documents.png_text("tEXt", "Comment", "Kim Lowe")
    chunk = data[33 : data.index(b"IDAT") - 4]  # the tEXt chunk after the 25-byte IHDR
    return data[:33] + chunk * n + data[33:]


def _xmp_items(n: int) -> bytes:
    return documents.image("PNG", pnginfo=_png_xmp(documents.xmp("subject", "</rdf:li><rdf:li>Kim Lowe" * n)))


def _xmp_depth(n: int) -> bytes:
    nested = "<rdf:Bag><rdf:li>" * n + "Kim" + "</rdf:li></rdf:Bag>" * n
    return documents.image("PNG", pnginfo=_png_xmp(documents.xmp("subject", nested)))


def _png_xmp(packet: bytes) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet.decode())
    return info


def _pdf_pages(n: int) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.set_font("helvetica", size=12)
    for number in range(n):
        document.add_page()
        document.cell(text=f"Page {number}: Kim Lowe and Ed Marsh")
        document.text_annotation(10, 10, "Kim Lowe")
    return bytes(document.output())


# (shape, n, a function that writes a file of n repetitions)
SHAPES: list[tuple[str, int, Callable[[int], bytes]]] = [
    ("PNG: many text chunks", 8_000, _png_chunks),
    (
        "PNG: one long text chunk",
        400_000,
        lambda n: documents.png_text("tEXt", "Comment", "Open day. " * n + "Kim Lowe"),
    ),
    ("JPEG: many comments", 3_000, lambda n: _jpeg_comments(n)),
    ("XMP: many list items", 20_000, _xmp_items),
    ("XMP: deep nesting", 32_000, _xmp_depth),
    ("Word: many paragraphs", 5_000, lambda n: word("<w:p><w:r><w:t>Kim Lowe</w:t></w:r></w:p>" * n)),
    ("Word: one paragraph of many runs", 5_000, lambda n: word("<w:p>" + "<w:r><w:t>Kim </w:t></w:r>" * n + "</w:p>")),
    (
        "Word: nested text boxes",
        12_000,
        lambda n: word("<w:p><w:txbxContent>" * n + "Kim" + "</w:txbxContent></w:p>" * n),
    ),
    (
        "Word: tracked changes",
        8_000,
        lambda n: word(
            "<w:p>"
            + "<w:del><w:r><w:delText>Kim</w:delText></w:r></w:del><w:ins><w:r><w:t>x</w:t></w:r></w:ins>" * n
            + "</w:p>"
        ),
    ),
    ("Word: many alt texts", 5_000, lambda n: word('<w:p><wp:docPr xmlns:wp="urn:wp" descr="Kim Lowe"/></w:p>' * n)),
    (
        "Office: many members",
        600,
        lambda n: package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                **{f"word/header{i}.xml": f"<w:hdr {W}><w:p><w:r><w:t>Kim</w:t></w:r></w:p></w:hdr>" for i in range(n)},
            }
        ),
    ),
    ("PDF: many pages", 40, _pdf_pages),
]


def _jpeg_comments(n: int) -> bytes:
    plain = documents.image("JPEG")
    comment = b"Open day. " * 20 + b"Kim Lowe"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return plain[:2] + segment * n + plain[2:]


@pytest.mark.parametrize(("shape", "n", "make"), SHAPES, ids=[shape for shape, _, _ in SHAPES])
def test_reading_grows_with_the_input_and_no_faster(shape: str, n: int, make: Callable[[int], bytes]) -> None:
    small, large = make(n), make(4 * n)
    assert decoded("f", small).problem == "", shape

    def check(data: bytes) -> None:
        check_contents(MATCHER, [decoded("f", data)], today=TODAY)

    seconds, seconds_4n = (growth_seconds(3, functools.partial(check, data)) for data in (small, large))
    assert seconds_4n / seconds <= MAX_RATIO, f"{shape}: {seconds:.3f} s at n, {seconds_4n:.3f} s at 4n"


def test_a_document_of_more_texts_than_the_policy_allows_is_refused_as_it_is_read() -> None:
    """230 KB of Word file held 4.3 million paragraphs naming a client: minutes and
    gigabytes of findings. Refused at the policy's texts_per_file, while being read."""
    paragraphs = "<w:p><w:r><w:t>Kim Lowe</w:t></w:r></w:p>" * 1_001
    data = package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": f"<w:document {W}><w:body>{paragraphs}</w:body></w:document>",
        }
    )
    assert refusal(data, Limits(texts_per_file=1_000)) == (
        "a file of over the 1,000 texts of policy.toml's [limits] texts_per_file: "
        "not read, so not approved; ask the compliance officer, or split it",
        True,
    )
    assert len(decoded("f", data, limits=Limits(texts_per_file=1_001)).parts) == 1_001


def test_a_pdf_of_more_texts_than_the_policy_allows_is_refused() -> None:
    data = documents.pdf(page_three="Kim Lowe", author="Ann Lee")  # three pages, its information
    assert refusal(data, Limits(texts_per_file=2))[0].startswith("a file of over the 2 texts of policy.toml's")
