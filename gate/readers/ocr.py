"""The text in an image's pixels (`image text`): a screenshot of a client's message, an
e-mail or a direct message, read by the OCR engine the check was handed (its OcrClock's:
Tesseract through pytesseract, the `[ocr]` extra, gate/adapters/tesseract.py).

Without an engine the image's other texts are still read, and the report says that its
pixels were not (not blocking: fail_on_unscanned makes it block). Reading that does not end
within `ocr_seconds_per_image`, or past the check's or request's `ocr_seconds_per_request`,
blocks: the engine stops at its seconds, so a hook or a worker never waits longer.
"""

from __future__ import annotations

import time

from PIL import Image, ImageOps, ImageStat

from gate.readers import Budget, OcrFailed, OcrTimeout, Part, Recognise, Unread

LOCATION = "image text"
NOT_INSTALLED = "text in image not read: install Tesseract (apt-get install tesseract-ocr) and the [ocr] extra"
# Tesseract reads best at a letter height of 20-30 pixels; a phone's screenshot at one
# pixel a point, or a cropped message, has letters of 10-16. Twice the size doubled the
# text read from such screenshots; above this width an image is read as it is.
UPSCALE_BELOW_WIDTH = 1_200
UPSCALE = 2
DARK = 110  # a mean grey below this is white text on black (dark mode): inverted


def image_text(image: Image.Image, what: str, budget: Budget, frame: int = 0) -> list[Part]:
    """The text the engine reads in `image` (its first frame), or nothing, and a note in
    the budget, where there is no engine."""
    engine = ocr_engine(budget)
    if engine is None:
        return []
    clock, per_image = budget.ocr, budget.limits.ocr_seconds_per_image
    if clock.seconds <= 0:
        raise Unread(f"the text in {what}, past {clock.setting}", "check fewer images at once")
    allowed = min(per_image, clock.seconds)
    started = time.monotonic()
    try:
        # Decoding and preparing a large image takes seconds of its own: they count.
        prepared = screen_image(image, budget.limits.image_pixels, frame)
        seconds = allowed - (time.monotonic() - started)
        if seconds <= 0:
            raise OcrTimeout
        text = engine(prepared, seconds)
    except OcrFailed as error:
        raise Unread(
            f"the text in {what}, which Tesseract could not read (status {error.status})", "save it again"
        ) from None
    except OcrTimeout:
        if allowed < per_image:
            raise Unread(f"the text in {what}, past {clock.setting}", "check fewer images at once") from None
        raise Unread(
            f"the text in {what}, not read within the {per_image:g} s of policy.toml's [limits] ocr_seconds_per_image",
            "crop it to the text, or make it smaller",
        ) from None
    finally:
        clock.seconds -= time.monotonic() - started
    return [Part(LOCATION, text)]


def ocr_engine(budget: Budget) -> Recognise | None:
    """The check's OCR engine; where it has none, the budget notes it."""
    if budget.ocr.engine is None:
        budget.note(NOT_INSTALLED)
    return budget.ocr.engine


def screen_image(image: Image.Image, max_pixels: int, frame: int = 0) -> Image.Image:
    """`image` as Tesseract reads a screenshot best: its first frame, upright, on white where
    it is transparent, grey, dark text on light, and small ones twice the size (within
    `max_pixels`)."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(frame)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    grey = image.convert("L")
    if ImageStat.Stat(grey).mean[0] < DARK:
        grey = ImageOps.invert(grey)
    if grey.width < UPSCALE_BELOW_WIDTH and grey.width * grey.height * UPSCALE**2 <= max_pixels:
        grey = grey.resize((grey.width * UPSCALE, grey.height * UPSCALE), Image.Resampling.LANCZOS)
    return grey
