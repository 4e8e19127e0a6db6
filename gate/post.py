"""A scheduler's post: its shape, its fields as JSON pointers, and its verdict."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
import functools
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, NamedTuple

from gate.audience import AudienceError, apply_audience, parse_audience
from gate.check import FileCheck, check_file, check_path, check_text
from gate.clues import Clue, ClueWindow, combine
from gate.content import decode_content
from gate.errors import GateError
from gate.extract import CONTENT_FORMATS, MARKDOWN_TOO_MANY_LINKS, MAX_MARKDOWN_BRACKETS, content_views
from gate.matcher import GivenNames, Matcher, find_matches
from gate.readers import OcrClock
from gate.verdict import Finding, NotScanned, Suppression, Verdict, build_verdict

MAX_DEPTH = 32
FORMAT_KEY = "format"  # optional: how to read the post's text (the remote check sends files)
AUDIENCE_KEY = "audience"  # who will see the post: staff identities, not client data
UNSCANNED_KEYS = ("id", FORMAT_KEY, AUDIENCE_KEY)
MEDIA_KEY = "media"  # a list of items; one with `data` carries a file (base64), read as a file
FILE_KEYS = ("data", "filename", "content_type")
# A field whose name says it holds tags, handles, links, file names or people's names:
# small letters are how names are written there, so common words in them are not prose.
_NOT_PROSE = re.compile(r"tag|handle|slug|url|uri|link|href|path|file|name|user|mention|mail", re.IGNORECASE)
_BASE64_BREAKS = str.maketrans("", "", " \t\r\n")  # MIME's line breaks, allowed


class PostError(GateError):
    """A post of the wrong shape (the webhook answers 422)."""


class MediaError(PostError):
    """A media item whose file cannot be decoded: `data` not base64, or a member of the
    wrong type (the webhook answers 422 invalid_media)."""


DUPLICATE_KEY = "an object in the JSON has the same key twice"  # not the key: it could be a client's name


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads's object_pairs_hook for posts. json.loads keeps the last of two equal
    keys, a scheduler may keep the first: the gate would then check a text other than the
    one published. PostError where a key repeats."""
    members = dict(pairs)
    if len(members) != len(pairs):
        raise PostError(DUPLICATE_KEY)
    return members


class PostVerdict(NamedTuple):
    post_id: str
    content_sha256: str
    verdict: Verdict


def check_post(
    matcher: Matcher,
    post: object,
    *,
    today: datetime.date,
    max_depth: int = MAX_DEPTH,
    ocr: OcrClock | None = None,
) -> PostVerdict:
    """Every string of a post but its id, as written and as Markdown/HTML would render it,
    and every file in its media, read as a file; each finding names its field as a JSON
    pointer. `ocr`: the request's seconds of OCR, shared by its posts."""
    post_id, fields = validate_post(post, max_depth=max_depth)
    files = media_files(post_id, fields)
    text_format = fields.get(FORMAT_KEY) or "markdown"
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    not_scanned: list[NotScanned] = []
    # A file's bytes are not text, and its name is checked as a path (check_media).
    strings = list(post_strings(fields, unscanned={f"{file.pointer}/{key}" for file in files for key in FILE_KEYS[:2]}))
    # Every field is rendered as Markdown: the limit on links holds for the post as a whole.
    too_many_links = sum(text.count("[") for _, text, _ in strings) > MAX_MARKDOWN_BRACKETS
    if too_many_links:
        not_scanned.append(NotScanned("", MARKDOWN_TOO_MANY_LINKS, blocks=True))
    clues = ClueWindow()  # of every field and file: the post is one window (gate/clues.py)
    for pointer, text, is_key in strings:
        kind = text_format if pointer == "/text" and not is_key else "markdown"
        kind = "text" if too_many_links else kind
        views, problems = content_views(pointer, text, kind=kind)
        prose = _NOT_PROSE.search(pointer) is None
        found, quiet = check_text(matcher, text, path=pointer, today=today, views=views, prose=prose, clues=clues)
        findings += found
        suppressed += quiet
        not_scanned += [NotScanned(pointer, problem.reason, problem.blocks) for problem in problems]
    ocr = ocr or OcrClock.of(matcher.policy.limits)
    for file in files:
        checked = check_media(matcher, file, today=today, ocr=ocr, clues=clues)
        findings += checked.findings
        suppressed += checked.suppressed
        not_scanned += checked.not_scanned
    combined, quiet = combine(matcher, clues, today=today)
    findings += combined
    suppressed += quiet
    try:
        audience = parse_audience(fields.get(AUDIENCE_KEY))
    except AudienceError as error:
        raise PostError(f"post {json.dumps(post_id)}: {error}") from None
    findings, suppressed, report = apply_audience(matcher.staff, audience, findings, suppressed)
    verdict = build_verdict(
        matcher.org,
        matcher.version,
        findings,
        suppressed,
        not_scanned,
        guidance=matcher.policy.guidance,
        policy_url=matcher.policy.policy_url,
        audience=report,
    )
    return PostVerdict(post_id, content_sha256(post), verdict)


class MediaFile(NamedTuple):
    pointer: str  # the media item's: /media/0
    data: bytes
    filename: str


def media_files(post_id: str, post: Mapping[str, Any]) -> list[MediaFile]:
    """The files in the post's `media`: each item with `data`, decoded (else MediaError)."""
    media = post.get(MEDIA_KEY)
    items = enumerate(media) if isinstance(media, list) else ()
    files = []
    for index, item in items:
        if not isinstance(item, Mapping) or "data" not in item:
            continue
        pointer = f"/{MEDIA_KEY}/{index}"
        for key in FILE_KEYS:
            if key in item and not isinstance(item[key], str):
                raise MediaError(f"post {json.dumps(post_id)}: {pointer}/{key} must be a string")
        try:
            data = base64.b64decode(item["data"].translate(_BASE64_BREAKS), validate=True)
        except (binascii.Error, ValueError):
            raise MediaError(f"post {json.dumps(post_id)}: {pointer}/data is not base64 (RFC 4648)") from None
        files.append(MediaFile(pointer, data, item.get("filename", "")))
    return files


def check_media(
    matcher: Matcher, file: MediaFile, *, today: datetime.date, ocr: OcrClock, clues: ClueWindow
) -> FileCheck:
    """A post's file read and checked as a file: what is inside it at `/media/N/data` with
    its location, its name at `/media/N/filename` as a path."""
    content = decode_content(file.filename, file.data, limits=matcher.policy.limits, ocr=ocr)
    checked = check_file(matcher, content, today=today, at=f"{file.pointer}/data", clues=clues)
    if file.filename:
        # Its clues at the file's own path: the place of a clue is rewritten with the findings'.
        path_clues = ClueWindow()
        found, quiet = check_path(matcher, file.filename, today=today, clues=path_clues)
        at = f"{file.pointer}/filename"
        checked.findings.extend(dataclasses.replace(item, path=at) for item in found)
        checked.suppressed.extend(dataclasses.replace(item, path=at) for item in quiet)
        for text in path_clues.texts:
            clues.add(functools.partial(_placed_at, text, at))
    return checked


def _placed_at(text: Callable[[GivenNames], list[Clue]], at: str, given: GivenNames) -> list[Clue]:
    """A text's clues, each placed at `at` (a media item's filename)."""
    return [clue._replace(place=dataclasses.replace(clue.place, path=at)) for clue in text(given)]


def validate_post(post: object, *, max_depth: int = MAX_DEPTH) -> tuple[str, Mapping[str, Any]]:
    """The post's id and the post itself, once its shape is right (else PostError). A post
    is a scheduler's own object: an `id` (a non-empty string, or a whole number, read as
    its digits) and whatever else it holds, `text` or not, every string of it checked."""
    if not isinstance(post, Mapping):
        raise PostError("a post must be a JSON object")
    post_id = post.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id:
        raise PostError('a post needs an "id": a non-empty string or a whole number')
    if post.get(FORMAT_KEY) is not None and post.get(FORMAT_KEY) not in CONTENT_FORMATS:
        raise PostError(f'post {json.dumps(post_id)}: "format" must be one of {", ".join(CONTENT_FORMATS)}')
    _check_depth(post, max_depth)
    return post_id, post


def _check_depth(value: object, max_depth: int) -> None:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise PostError(f"a post is nested deeper than {max_depth} levels")
        if isinstance(item, Mapping):
            stack += [(child, depth + 1) for child in item.values()]
        elif isinstance(item, list):
            stack += [(child, depth + 1) for child in item]


def post_strings(post: Mapping[str, Any], *, unscanned: Collection[str] = ()) -> Iterator[tuple[str, str, bool]]:
    """(JSON pointer, string, is a key) for every string in the post, object keys included
    (a key is reported at the pointer of its member), and every number as its digits (a
    phone or case number sent as a number), but its id, format and audience, and the
    values at the pointers `unscanned`."""
    fields = {key: value for key, value in post.items() if key not in UNSCANNED_KEYS}
    stack: list[tuple[str, object, bool]] = [("", fields, False)]
    while stack:
        pointer, value, is_key = stack.pop()
        if pointer in unscanned and not is_key:
            continue
        if isinstance(value, str):
            yield pointer, value, is_key
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield pointer, number_text(value), False
        elif isinstance(value, Mapping):
            children: list[tuple[str, object, bool]] = []
            for key, child in value.items():
                member = _pointer(pointer, str(key))
                children += [(member, str(key), True), (member, child, False)]
            stack += reversed(children)
        elif isinstance(value, list):
            stack += reversed([(f"{pointer}/{index}", child, False) for index, child in enumerate(value)])


def number_text(number: int | float) -> str:
    """A JSON number as the digits it was written with: 5550147788 and 5.550147788e9 both
    read "5550147788"."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return str(number)


def names_a_client(matcher: Matcher, text: str) -> bool:
    """True if any client identifier stands in `text` as written or as Markdown/HTML would
    render it (entities, percent-encoding, emphasis), consented or not."""
    views, _ = content_views("", text, kind="markdown")
    return any(match.target >= 0 for match in find_matches(matcher, text, views))


def redact_id(matcher: Matcher, post_id: str) -> str:
    """The post's id, or "*" if it names a client: for the audit log, where no client
    data may be."""
    return "*" if names_a_client(matcher, post_id) else post_id


def redact_pointer(matcher: Matcher, pointer: str) -> str:
    """The pointer with "*" for every key that names a client, for the audit log."""
    segments = pointer.split("/")
    for index, segment in enumerate(segments):
        key = _unescape(segment)
        if key and names_a_client(matcher, key):  # "5550147788" is a key, not an index
            segments[index] = "*"
    return "/".join(segments)


def _pointer(parent: str, key: str) -> str:
    return f"{parent}/{key.replace('~', '~0').replace('/', '~1')}"


def _unescape(segment: str) -> str:
    """The key a pointer segment names (RFC 6901: "~1" is "/", "~0" is "~")."""
    return segment.replace("~1", "/").replace("~0", "~")


def canonical_json(post: object) -> bytes:
    """The post as canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(post, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_sha256(post: object) -> str:
    return hashlib.sha256(canonical_json(post)).hexdigest()
