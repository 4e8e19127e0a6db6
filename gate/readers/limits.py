"""How much of a file the readers take before they refuse it: set by the organisation
in policy.toml's [limits], never by a content repository (its .gate.toml has no such keys).
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Each a count, or seconds, past which a file is refused (not read, so not approved)."""

    # A Word file holds a few dozen members, a large workbook or deck a few hundred.
    archive_members: int = 5_000
    # What the members of an Office or OpenDocument file (and the documents and images
    # inside it) unpack to, together: a zip bomb unpacks to gigabytes from kilobytes.
    # ElementTree holds about ten times an XML member's size while it is read.
    archive_bytes: int = 100_000_000
    # Width × height (× frames): 50 megapixels is beyond a phone's photograph (12 to 48)
    # and a screenshot (under 10); the text in an image is read from its pixels (OCR), and
    # preparing 100 million of them for it took 16 s and 2 GB.
    image_pixels: int = 50_000_000
    # pypdf extracts a page's text in tens of milliseconds: 500 pages is half a minute.
    pdf_pages: int = 500
    # What the pages' texts are read from: their drawing instructions, unpacked (a
    # 311-page manual holds 2.9 MB of them), and the operators in them as pypdf reads them
    # (that manual: 125,000, in 4 s). A few hundred bytes of PDF can inflate to far more.
    pdf_content_bytes: int = 20_000_000
    pdf_operators: int = 1_000_000
    # The texts of one file (paragraphs, cells, properties, pages, fields…): a 1,000-page
    # book has about 20,000 paragraphs; 230 KB of Word file unpacked to 4.3 million, and
    # took minutes and gigabytes to check.
    texts_per_file: int = 200_000
    # Seconds of OCR (the text in images' pixels): one image's, and a check's or a request's
    # for all its images.
    ocr_seconds_per_image: float = 10.0
    ocr_seconds_per_request: float = 60.0


DEFAULT_LIMITS = Limits()
LIMIT_KEYS = tuple(field.name for field in fields(Limits))
