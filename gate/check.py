"""Checking one text: matches become findings, allow terms and consent suppress them."""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from gate.clues import NUMBER_REACH, Clue, ClueWindow, combine
from gate.content import STDIN_NAME, Content
from gate.extract import View, content_views, path_views, percent_views
from gate.matcher import (
    DETAIL_CLUE,
    GivenNames,
    Match,
    Matcher,
    find_all,
    given_name_clues,
    initial_clues,
    names_anyone,
)
from gate.names import AFTER_TITLE, OTHER_GIVEN_NAME
from gate.verdict import PATH_LOCATION, CluePlace, Encoding, Finding, NotScanned, Suppression, Verdict, build_verdict
from gate.wordlist import MAX_VALUE_LENGTH
from gate.written import wording

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts (after \r\n, \r or \n): the lines that
    findings' line numbers count."""
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def line_columns(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Line and column (1-based) of each offset, in one sweep over the text."""
    wanted = sorted(set(offsets))
    if not wanted:
        return {}
    if "\r" in text:
        starts = line_starts(text)
        return {
            offset: (line, offset - starts[line - 1] + 1)
            for offset in wanted
            for line in (bisect.bisect_right(starts, offset),)
        }
    positions = {}
    line, counted_to, line_start = 1, 0, 0
    for offset in wanted:
        # Only the text since the last offset is read: rfind back to the start of a long
        # line for every finding on it took time in the line's length squared.
        breaks = text.count("\n", counted_to, offset)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", counted_to, offset) + 1
        counted_to = offset
        positions[offset] = (line, offset - line_start + 1)
    return positions


def check_text(
    matcher: Matcher,
    text: str,
    *,
    path: str,
    today: datetime.date,
    reveal: bool = False,
    views: Sequence[View] = (),
    location: str = "",
    prose: bool = True,
    clues: ClueWindow | None = None,
) -> tuple[list[Finding], list[Suppression]]:
    """Findings and suppressions for one text (and its views), in the order they occur:
    one finding a place, however many clients it names.
    `location`: where in the file at `path` the text is, when it is not the file's text.
    `prose`: the text is written to be read, not a path, a slug or a tag (gate/written.py).
    `clues`: where the text's clues go, to be combined with those of the rest of its post
    or file (gate/clues.py); without it, the text's own combinations are among its findings."""
    found = find_all(matcher, text, views)
    matches = found.matches
    allowed = AllowedSpans(matcher, [match for match in matches if match.target < 0])
    offsets = [offset for m in (*matches, *found.clues) for offset in (m.start, m.end - 1)]
    positions = line_columns(text, offsets)
    suppressed: list[Suppression] = []
    named: dict[tuple[int, int], list[Match]] = {}  # place -> its matches, in the list's order
    for match in matches:
        if match.target < 0:
            continue
        reason = allowed.reason(match) or _consent_reason(matcher.consent_until.get(match.target), today)
        if reason:
            line, column = positions[match.start]
            suppressed.append(Suppression(path, line, column, matcher.client_id(match.target), reason, location))
            continue
        named.setdefault((match.start, match.end), []).append(match)
    findings = []
    for (start, end), place in named.items():
        target, worded, action = _strongest(matcher, text, place, prose=prose)
        named_clients = tuple(dict.fromkeys([matcher.client_id(target), *(matcher.client_id(m.target) for m in place)]))
        kind = matcher.kind(target)
        findings.append(
            Finding(
                path,
                *positions[start],
                *positions[end - 1],
                matcher.client_id(target),
                kind,
                action,
                matcher.policy.message(kind, worded),
                text[start:end] if reveal else None,
                location,
                clients=len(named_clients),
                wording=worded,
                client_ids=named_clients,
            )
        )
    if not len(matcher.detail_clues):  # no detail, no combination (gate/clues.py)
        return findings, suppressed
    window = ClueWindow() if clues is None else clues
    window.add(
        functools.partial(
            _clue_places,
            matcher,
            text,
            views,
            found.clues,
            allowed,
            Covering([(match.start, match.end) for match in matches if match.target >= 0]),
            positions,
            path=path,
            location=location,
            reveal=reveal,
        )
    )
    if clues is None:
        combined, quiet = combine(matcher, window, today=today)
        findings += combined
        suppressed += quiet
    return findings, suppressed


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _clue_places(
    matcher: Matcher,
    text: str,
    views: Sequence[View],
    found: Sequence[Match],
    allowed: AllowedSpans,
    strong: Covering,
    positions: Mapping[int, tuple[int, int]],
    given: GivenNames,
    *,
    path: str,
    location: str,
    reveal: bool,
) -> list[Clue]:
    """The clues found in the text, in the order they stand, but those inside an allow
    term's match or an identifier's finding (that finding says more); with the numbers
    beside them and the `given` names (gate/clues.py, ClueWindow); each with
    its paragraph, what a blank line ends."""
    found = [*found, *initial_clues(matcher, text, views)]
    found += _numerals(matcher, text, found, allowed, strong)
    if given.clues:
        found += given_name_clues(matcher, text, views, given)
    if not found:
        return []
    missing = [offset for m in found for offset in (m.start, m.end - 1) if offset not in positions]
    if missing:
        positions = {**positions, **line_columns(text, missing)}
    paragraph_ends = [end.start() for end in _BLANK_LINE.finditer(text)]
    places = []
    # A clue inside a longer one is that one's: "Kim" of "Kim L." is no clue of every Kim,
    # "Grace" of the detail "Grace Church" nor "Riverside" of "Riverside Rowing Club" a
    # second clue of its client.
    longest = (-1, -1)  # the span reaching furthest so far
    for match in sorted(found, key=lambda match: (match.start, -match.end)):
        if match.end <= longest[1] and (match.start, match.end) != longest:
            continue
        longest = max(longest, (match.start, match.end), key=lambda span: span[1])
        if allowed.reason(match) or strong.covers(match.start, match.end):
            continue
        place = CluePlace(
            path,
            *positions[match.start],
            *positions[match.end - 1],
            location,
            text[match.start : match.end] if reveal else None,
        )
        paragraph = bisect.bisect_left(paragraph_ends, match.start)
        places.append(Clue(place, (path, location, paragraph), match.form, match.target, match.start, match.end))
    return places


def _numerals(
    matcher: Matcher, text: str, clues: Sequence[Match], allowed: AllowedSpans, strong: Covering
) -> list[Match]:
    """The number details written in digits within NUMBER_REACH of a clue that a number can
    stand beside (Matcher.pairs_with_numbers), each once: the only places a number counts.
    A number is a run of digits whole (not `340` for `34`), not part of a time, a date or
    a decimal (`12:34`, `34.5`)."""
    found: dict[Match, None] = {}
    for clue in clues:
        if not matcher.pairs_with_numbers(clue.form, clue.target):
            continue
        for piece in _DIGITS.finditer(text, max(0, clue.start - NUMBER_REACH - 1), clue.end + NUMBER_REACH + 1):
            start, end = _whole_run(text, *piece.span())
            if max(start - clue.end, clue.start - end) > NUMBER_REACH or not _alone(text, start, end):
                continue
            digits = text[start:end]
            if not digits.isascii() and end - start <= MAX_VALUE_LENGTH:  # int() refuses thousands of digits
                digits = str(int(digits)).zfill(end - start)
            number = matcher.numerals.get(digits)
            match = Match(start, end, -1 if number is None else number, DETAIL_CLUE)
            if number is not None and not allowed.reason(match) and not strong.covers(start, end):
                found[match] = None
    return list(found)


_DIGITS = re.compile(r"\d+")
_DIGITS_BEFORE = re.compile(r"\d+\Z")
_NUMBER_JOINS = ".:,/"  # between two digits: a time, a date, a decimal, thousands


def _whole_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole run of digits that text[start:end] is part of, as far as a listed value
    can reach either way."""
    # Only a piece cut at the edge of the span read has more digits before it.
    before = (
        start
        and text[start - 1].isdecimal()
        and _DIGITS_BEFORE.search(text, max(0, start - MAX_VALUE_LENGTH - 1), start)
    )
    after = _DIGITS.match(text, end, end + MAX_VALUE_LENGTH + 1)
    return (before.start() if before else start), (after.end() if after else end)


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the digits at [start, end) are a number of their own: no letter against
    them, nor a digit across a sign that joins numbers."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after == "_":
        return False
    if before in _NUMBER_JOINS and start >= 2 and text[start - 2].isdecimal():
        return False
    return not (after in _NUMBER_JOINS and end + 1 < len(text) and text[end + 1].isdecimal())


def _strongest(matcher: Matcher, text: str, place: Sequence[Match], *, prose: bool) -> tuple[int, str, str]:
    """Of the matches at one place, the identifier the finding is of: the first of those
    that block, else the first, in the order find_matches gives (a listed name before
    another client's nickname, then the list's order). With its wording and its action."""
    read: dict[tuple[str, int], tuple[str, str]] = {}  # (kind, form) -> wording, action: a place can name thousands
    chosen: tuple[int, str, str] | None = None
    for match in place:
        kind = matcher.kind_of(match.target)
        if (kind.name, match.form) not in read:
            worded = wording(
                text,
                match.start,
                match.end,
                kind=kind,
                words=matcher.words,
                prose=prose,
                nickname=match.form == OTHER_GIVEN_NAME,
                titled=match.form == AFTER_TITLE,
            )
            read[kind.name, match.form] = worded, matcher.policy.action(kind.name, worded)
        worded, action = read[kind.name, match.form]
        if action == "block":
            return match.target, worded, action
        chosen = chosen or (match.target, worded, action)
    assert chosen is not None  # a place has a target
    return chosen


def check_contents(
    matcher: Matcher,
    contents: Iterable[Content],
    *,
    today: datetime.date,
    reveal: bool = False,
    block_unscanned: bool = False,
) -> Verdict:
    """The verdict on files already read: each checked as written and as rendered, then
    the texts inside it (its parts), then its path."""
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    not_scanned: list[NotScanned] = []
    encodings: list[Encoding] = []
    for content in contents:
        if content.encoding:
            encodings.append(Encoding(content.path, content.encoding))
        clues = ClueWindow()  # of the file, its parts and its name: each file alone
        checked = check_file(matcher, content, today=today, reveal=reveal, clues=clues)
        findings += checked.findings
        suppressed += checked.suppressed
        not_scanned += checked.not_scanned
        if content.path != STDIN_NAME:  # then its name, even where its content is unread
            found, quiet = check_path(matcher, content.path, today=today, reveal=reveal, clues=clues)
            findings += found
            suppressed += quiet
        combined, quiet = combine(matcher, clues, today=today)
        findings += combined
        suppressed += quiet
    return build_verdict(
        matcher.org,
        matcher.version,
        findings,
        suppressed,
        not_scanned,
        block_unscanned=block_unscanned,
        guidance=matcher.policy.guidance,
        policy_url=matcher.policy.policy_url,
        encodings=encodings,
    )


class FileCheck(NamedTuple):
    findings: list[Finding]
    suppressed: list[Suppression]
    not_scanned: list[NotScanned]


def check_file(
    matcher: Matcher,
    content: Content,
    *,
    today: datetime.date,
    reveal: bool = False,
    at: str = "",
    clues: ClueWindow | None = None,
) -> FileCheck:
    """One file, but its name: its text as written and as rendered, then the texts inside
    it (its parts), each reported at the file's path, or at `at` (a post's media item).
    `clues`: as check_text's, for the file's texts together."""
    path = at or content.path
    own_clues = ClueWindow() if clues is None else clues
    checked = FileCheck([], [], [])
    if content.problem:
        checked.not_scanned.append(NotScanned(path, content.problem, content.blocks))
    if content.text is not None:
        views, problems = content_views(
            content.path, content.text, names_anyone=functools.partial(names_anyone, matcher)
        )
        views += content.readings
        checked.not_scanned.extend(NotScanned(path, problem.reason, problem.blocks) for problem in problems)
        found, quiet = check_text(
            matcher, content.text, path=path, today=today, reveal=reveal, views=views, clues=own_clues
        )
        checked.findings.extend(found)
        checked.suppressed.extend(quiet)
    for part in content.parts:  # an image's caption, a PDF's page: where it is, and its own lines
        found, quiet = check_text(
            matcher,
            part.text,
            path=path,
            today=today,
            reveal=reveal,
            views=percent_views(part.text),
            location=part.location,
            clues=own_clues,
        )
        checked.findings.extend(found)
        checked.suppressed.extend(quiet)
    if clues is None:
        combined, quiet = combine(matcher, own_clues, today=today)
        checked.findings.extend(combined)
        checked.suppressed.extend(quiet)
    return checked


def check_path(
    matcher: Matcher, path: str, *, today: datetime.date, reveal: bool = False, clues: ClueWindow | None = None
) -> tuple[list[Finding], list[Suppression]]:
    """The file's path, as given, checked as text: a static site publishes it as the URL
    (`posts/kim-lowe-story.md`), and a folder or an attachment's name travels with it."""
    return check_text(
        matcher,
        path,
        path=path,
        today=today,
        reveal=reveal,
        views=path_views(path),
        location=PATH_LOCATION,
        prose=False,
        clues=clues,
    )


class Covering:
    """Spans, to tell whether one of them holds a span."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._starts: list[int] = []
        self._reach: list[int] = []  # the furthest end of the spans so far
        reach = -1
        for start, end in sorted(spans):
            reach = max(reach, end)
            self._starts.append(start)
            self._reach.append(reach)

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self._starts, start) - 1
        return index >= 0 and self._reach[index] >= end


class AllowedSpans:
    """The spans of allow-term matches, to find the one (if any) around a finding."""

    def __init__(self, matcher: Matcher, spans: Sequence[Match]) -> None:
        self._starts: list[int] = []
        self._widest: list[tuple[int, int]] = []  # (end, allow line) reaching furthest so far
        widest = (-1, 0)
        for span in sorted(spans):
            widest = max(widest, (span.end, matcher.allow_lines[-span.target - 1]))
            self._starts.append(span.start)
            self._widest.append(widest)

    def reason(self, match: Match) -> str:
        index = bisect.bisect_right(self._starts, match.start) - 1
        if index < 0 or self._widest[index][0] < match.end:
            return ""
        return f"allowed by allow.txt line {self._widest[index][1]}"


def _consent_reason(consent_until: datetime.date | None, today: datetime.date) -> str:
    if consent_until is not None and today <= consent_until:
        return f"consent until {consent_until.isoformat()}"
    return ""
