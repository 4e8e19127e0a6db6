"""Details that identify together: clues of one client combined into one finding.

A clue is a weak identifier: a `detail` of clients.csv (a street, an employer, a town, an
age), or what a listed name gives away without its surname (its given name, another given
name for it, `Kim L.`, `K. L.`: gate/names.py). Alone a clue is no finding. Where a post or
a file (or one paragraph of it, policy.toml's `[clues] window`) holds `[clues] needed` or
more distinct clues of the same client, that is one finding of kind `combination`, at the
first clue's place, listing every clue's place.

Distinct clues are distinct details (by their value) and the name: every clue that a name
gives is one clue, so `Kim` and `Kim L.` together are one, and a combination holds a detail
at least. A clue inside an identifier's finding is that finding, not a clue ("Kim" of
"Kim Lowe"); a clue inside an allow term's match is none; a detail or name whose consent
runs is not counted, and a combination that only they make up is reported as suppressed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from gate.matcher import DETAIL_CLUE, NAME_CLUE, Matcher
from gate.verdict import CluePlace, Finding, Suppression

COMBINATION = "combination"  # the kind of the finding (gate/kinds.py)


class Clue(NamedTuple):
    """One clue where a check found it: its place, its window and what it is a clue of."""

    place: CluePlace
    window: tuple[str, str, int]  # its text's path and location, and its paragraph in that text
    form: int  # NAME_CLUE or DETAIL_CLUE (gate/matcher.py)
    number: int  # the clue's number in the matcher's table of its form


def combine(
    matcher: Matcher, clues: Sequence[Clue], *, today: datetime.date
) -> tuple[list[Finding], list[Suppression]]:
    """The combinations among the clues of one post or file: one finding per client with
    enough distinct clues in one window, and a suppression where consent made them few."""
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    for window in _windows(clues, by_paragraph=matcher.policy.clues.window == "paragraph"):
        found, quiet = _combinations(matcher, window, today)
        findings += found
        suppressed += quiet
    return findings, suppressed


def _windows(clues: Sequence[Clue], *, by_paragraph: bool) -> Iterable[list[Clue]]:
    if not by_paragraph:
        return [list(clues)] if clues else []
    windows: dict[tuple[str, str, int], list[Clue]] = {}
    for clue in clues:
        windows.setdefault(clue.window, []).append(clue)
    return windows.values()


class _Evidence(NamedTuple):
    """A client's clues in one window: each counted one's identifier rows by clue, and
    those whose rows all have consent running (with the latest such consent)."""

    counted: dict[tuple[int, int], list[int]]  # (form, clue number) -> its rows of the client
    consented: dict[tuple[int, int], datetime.date]


def _combinations(
    matcher: Matcher, clues: Sequence[Clue], today: datetime.date
) -> tuple[list[Finding], list[Suppression]]:
    needed = matcher.policy.clues.needed
    details = {clue.number for clue in clues if clue.form == DETAIL_CLUE}
    names = {clue.number for clue in clues if clue.form == NAME_CLUE}
    if len(details) + bool(names) < needed:  # every name's clues are one clue
        return [], []
    evidence = _evidence(matcher, details, names, today)
    order: dict[tuple[int, int], list[int]] = {}  # each clue's places, by their order in `clues`
    for index, clue in enumerate(clues):
        order.setdefault((clue.form, clue.number), []).append(index)
    findings, suppressed = [], []
    for client, (counted, consented) in sorted(evidence.items()):
        facets = {_facet(key, rows) for key, rows in counted.items()}
        if len(facets) < needed:
            continue
        places = [clues[index].place for index in sorted(index for key in counted for index in order[key])]
        first = places[0]
        client_id = matcher.client_names[client]
        if len({_facet(key, rows) for key, rows in counted.items() if key not in consented}) < needed:
            until = max(consented.values())
            reason = f"consent until {until.isoformat()}"
            suppressed.append(Suppression(first.path, first.line, first.column, client_id, reason, first.location))
            continue
        findings.append(
            Finding(
                first.path,
                first.line,
                first.column,
                first.end_line,
                first.end_column,
                client_id,
                COMBINATION,
                matcher.policy.action(COMBINATION),
                matcher.policy.message(COMBINATION),
                location=first.location,
                client_ids=(client_id,),
                clues=tuple(places),
            )
        )
    return findings, suppressed


def _facet(key: tuple[int, int], rows: list[int]) -> tuple[int, int]:
    """What a clue tells of its client: a detail its row (`34` and `thirty-four` are one),
    every clue of a name the name."""
    return (DETAIL_CLUE, rows[0]) if key[0] == DETAIL_CLUE else (NAME_CLUE, -1)


def _evidence(matcher: Matcher, details: set[int], names: set[int], today: datetime.date) -> dict[int, _Evidence]:
    """Each client with a detail among the clues, and its clues. Only a client with a
    detail can make a combination, so a name's clues (a given name is a clue of many
    clients) are looked up only for those."""
    evidence: dict[int, _Evidence] = {}
    for form, numbers in ((DETAIL_CLUE, details), (NAME_CLUE, names)):
        table = matcher.detail_clues if form == DETAIL_CLUE else matcher.name_clues
        for number in sorted(numbers):
            key = (form, number)
            for row in table[number]:
                client = matcher.client_numbers[row]
                if form != DETAIL_CLUE and client not in evidence:
                    continue
                found = evidence.setdefault(client, _Evidence({}, {}))
                found.counted.setdefault(key, []).append(row)
    for found in evidence.values():
        for key, rows in found.counted.items():
            consents = [matcher.consent_until.get(row) for row in rows]
            if all(until is not None and today <= until for until in consents):
                found.consented[key] = max(until for until in consents if until is not None)
    return evidence
