"""A draft's text cut into pieces for the page: each piece marked with the findings it is
part of, found by their lines and columns (the lines gate.check counts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gate.check import line_starts
from gate.verdict import Finding


class Piece(NamedTuple):
    text: str
    findings: tuple[int, ...]  # the indexes of the findings this piece is part of


def pieces(text: str, findings: Sequence[Finding], field: str = "/text") -> list[Piece]:
    """`text` whole, in pieces; the findings in `field` (not in a rendered page or another
    location) mark the characters from their start to their last."""
    starts = line_starts(text)

    def offset(line: int, column: int) -> int:
        return min(starts[min(line, len(starts)) - 1] + column - 1, len(text))

    spans = [
        (offset(item.line, item.column), offset(item.end_line, item.end_column) + 1, index)
        for index, item in enumerate(findings)
        if item.path == field and not item.location
    ]
    # One sweep over the places where a finding starts or ends: (place, 0 ends / 1 starts, index).
    events = sorted([(start, 1, index) for start, _, index in spans] + [(end, 0, index) for _, end, index in spans])
    result: list[Piece] = []
    active: set[int] = set()
    at = 0
    for place, opens, index in [*events, (len(text), 0, -1)]:
        if place > at:
            result.append(Piece(text[at:place], tuple(sorted(active))))
            at = place
        if opens:
            active.add(index)
        else:
            active.discard(index)
    return result
