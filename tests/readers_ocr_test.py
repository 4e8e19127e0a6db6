"""The text in an image's pixels, read by the real Tesseract: a screenshot of a client's
message blocks at `image text`, a clean one and a near miss approve; without Tesseract
(no engine: gate/adapters/tesseract.py finds none) the image is reported as not scanned,
and reading past its seconds blocks."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from PIL import Image

import gate.adapters.tesseract
from gate.check import check_contents
from gate.cli import main
from gate.readers import OcrClock, OcrTimeout, Recognise
from gate.readers.limits import DEFAULT_LIMITS, Limits
from gate.readers.ocr import NOT_INSTALLED
from gate.verdict import Verdict
from tests.support import documents
from tests.support.documents import exif, screenshot
from tests.support.reading import decoded
from tests.support.wordlists import TODAY, compile_rows, write_wordlist

MATCHER = compile_rows("A,name,Kim Lowe,\n")
MESSAGE = ["Hi! Just wanted to say", "Thank you so much! — Kim Lowe"]
CLEAN = ["Hi! Just wanted to say", "Thank you so much! — the team"]
NEAR_MISS = ["Hi! Just wanted to say", "Thank you so much! — Kim Lowell"]
PER_IMAGE = (
    "the text in a PNG image, not read within the 0.001 s of policy.toml's [limits] ocr_seconds_per_image: "
    "not read, so not approved; crop it to the text, or make it smaller"
)
PER_REQUEST = (
    "the text in a PNG image, past the 0.001 s of policy.toml's [limits] ocr_seconds_per_request: "
    "not read, so not approved; check fewer images at once"
)


def verdict_on(
    data: bytes, engine: Recognise | None, *, limits: Limits = DEFAULT_LIMITS, block_unscanned: bool = False
) -> Verdict:
    content = decoded("message.png", data, limits=limits, engine=engine)
    return check_contents(MATCHER, [content], today=TODAY, block_unscanned=block_unscanned)


def found(verdict: Verdict) -> list[tuple[str, int, str]]:
    return [(item.location, item.line, item.client_id) for item in verdict.findings]


SCREENSHOTS = [
    ("PNG", {}),
    ("JPEG", {}),
    ("WEBP", {}),
    ("GIF", {}),
    ("TIFF", {}),
    ("PNG", {"dark": True}),
    ("PNG", {"font_size": 11, "width": 400}),  # a phone's screenshot at one pixel a point
    ("PNG", {"font_size": 40, "width": 1300}),  # a large one, read as it is
]


@pytest.mark.parametrize(("kind", "options"), SCREENSHOTS, ids=[f"{kind} {options}" for kind, options in SCREENSHOTS])
def test_a_name_in_a_screenshot_blocks_as_image_text(
    kind: str, options: dict[str, object], tesseract: Recognise
) -> None:
    verdict = verdict_on(screenshot(MESSAGE, kind, **options), tesseract)  # type: ignore[arg-type]
    assert (verdict.decision, found(verdict), verdict.not_scanned) == ("block", [("image text", 2, "A")], ())


@pytest.mark.parametrize("lines", [CLEAN, NEAR_MISS], ids=["clean", "near miss"])
def test_a_screenshot_without_the_name_approves(lines: list[str], tesseract: Recognise) -> None:
    verdict = verdict_on(screenshot(lines), tesseract)
    assert (verdict.decision, verdict.findings, verdict.not_scanned) == ("approve", (), ())


def test_a_screenshot_inside_a_word_file_is_read_with_its_member(tesseract: Recognise) -> None:
    document = docx.Document()
    document.add_paragraph("A lovely message from a client:")
    document.add_picture(io.BytesIO(screenshot(MESSAGE)))
    out = io.BytesIO()
    document.save(out)
    verdict = check_contents(MATCHER, [decoded("story.docx", out.getvalue(), engine=tesseract)], today=TODAY)
    assert found(verdict) == [("word/media/image1.png image text", 2, "A")]


def test_a_screenshot_saved_as_a_pdf_is_read_on_its_page(tesseract: Recognise) -> None:
    document = FPDF()
    document.add_page()
    document.image(io.BytesIO(screenshot(MESSAGE)), w=120)
    verdict = check_contents(MATCHER, [decoded("message.pdf", bytes(document.output()), engine=tesseract)], today=TODAY)
    assert (verdict.decision, found(verdict)) == ("block", [("page 1 image 1 image text", 2, "A")])


def test_without_an_engine_the_image_is_not_scanned_and_its_caption_still_read() -> None:
    data = screenshot(MESSAGE, "JPEG")
    with_caption = documents.image(exif=exif(0x010E, "Kim Lowe at the open day"))
    verdict = verdict_on(data, None)
    assert (verdict.decision, verdict.findings) == ("approve", ())
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [(NOT_INSTALLED, False)]
    assert verdict_on(data, None, block_unscanned=True).decision == "block"  # fail_on_unscanned
    captioned = verdict_on(with_caption, None)
    assert (found(captioned), [item.reason for item in captioned.not_scanned]) == (
        [("exif:ImageDescription", 1, "A")],
        [NOT_INSTALLED],
    )


def test_there_is_no_engine_without_pytesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pytesseract", None)  # import pytesseract raises ImportError
    assert gate.adapters.tesseract.tesseract() is None


@pytest.mark.usefixtures("tesseract")
def test_there_is_no_engine_without_tesseract_on_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert gate.adapters.tesseract.tesseract() is None


def test_without_tesseract_gate_check_says_the_text_in_an_image_was_not_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pytesseract", None)
    wordlist = write_wordlist(tmp_path / "list", "A,name,Kim Lowe,\n")
    (tmp_path / "message.png").write_bytes(screenshot(MESSAGE))
    assert main(["check", "--wordlist", str(wordlist), str(tmp_path / "message.png")]) == 0
    assert f"{tmp_path / 'message.png'}: not scanned — {NOT_INSTALLED}" in capsys.readouterr().out


def test_reading_past_the_seconds_of_an_image_blocks_and_ends_the_process(tesseract: Recognise) -> None:
    # The reason says the per-image timeout fired: pytesseract killed Tesseract there.
    verdict = verdict_on(screenshot(MESSAGE), tesseract, limits=Limits(ocr_seconds_per_image=0.001))
    assert (verdict.decision, [(item.reason, item.blocks) for item in verdict.not_scanned]) == (
        "block",
        [(PER_IMAGE, True)],
    )


def slow_engine(image: Image.Image, seconds: float) -> str:
    """An engine that needs 0.3 s an image, and stops past its seconds, as Tesseract does."""
    if seconds < SLOW:
        raise OcrTimeout
    time.sleep(SLOW)
    return ""


SLOW = 0.3


def test_the_images_of_a_check_share_its_seconds() -> None:
    """Enough for one image, not two: the first is read, the second is past the check's."""
    clock = OcrClock.of(Limits(ocr_seconds_per_request=0.5), slow_engine)
    contents = [decoded(f"{name}.png", screenshot(CLEAN), ocr=clock) for name in ("a", "b")]
    verdict = check_contents(MATCHER, contents, today=TODAY)
    assert [(item.path, item.reason) for item in verdict.not_scanned] == [
        ("b.png", PER_REQUEST.replace("0.001", "0.5"))
    ]


@pytest.mark.usefixtures("tesseract")
def test_gate_check_stops_reading_images_past_the_policys_seconds_a_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wordlist = write_wordlist(
        tmp_path / "list", "A,name,Kim Lowe,\n", policy_toml="[limits]\nocr_seconds_per_request = 0.5\n"
    )
    for number in range(8):
        (tmp_path / f"{number}.png").write_bytes(screenshot(CLEAN))
    code = main(["check", "--wordlist", str(wordlist), *(str(tmp_path / f"{number}.png") for number in range(8))])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{tmp_path / '7.png'}: not scanned — the text in a PNG image, past the 0.5 s of policy.toml's" in out


def two_page_tiff(second: list[str]) -> bytes:
    """A scanned letter of two pages, as a fax or a scanner saves it: one TIFF."""
    first = Image.open(io.BytesIO(screenshot(CLEAN)))
    later = Image.open(io.BytesIO(screenshot(second)))
    out = io.BytesIO()
    first.save(out, "TIFF", save_all=True, append_images=[later])
    return out.getvalue()


def test_a_name_on_a_later_page_of_a_scanned_tiff_blocks_there(tesseract: Recognise) -> None:
    verdict = check_contents(MATCHER, [decoded("letter.tiff", two_page_tiff(MESSAGE), engine=tesseract)], today=TODAY)
    assert found(verdict) == [("page 2 image text", 2, "A")]
    clean = check_contents(MATCHER, [decoded("letter.tiff", two_page_tiff(NEAR_MISS), engine=tesseract)], today=TODAY)
    assert (clean.decision, clean.not_scanned) == ("approve", ())
