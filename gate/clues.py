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

import bisect
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from gate.matcher import DETAIL_CLUE, NAME_CLUE, NO_GIVEN_NAMES, ClueTable, GivenNames, Matcher
from gate.verdict import CluePlace, Finding, Suppression

COMBINATION = "combination"  # the kind of the finding (gate/kinds.py)


class Clue(NamedTuple):
    """One clue where a check found it: its place, its window and what it is a clue of."""

    place: CluePlace
    window: tuple[str, str, int]  # its text's path and location, and its paragraph in that text
    form: int  # NAME_CLUE or DETAIL_CLUE (gate/matcher.py)
    number: int  # the clue's number in the matcher's table of its form
    start: int  # where it is in its text (its window's path and location): [start, end)
    end: int


# A number (an age, a year) is a clue only this close to another clue of its client that
# says more than a given name (a detail, `Kim L.`), in characters between them:
# `Kim L., 34`, `Riverside, thirty-four`. Anywhere in a post, and beside a given name, it
# made a third of the e-mails of a mailing list a combination with 10,000 clients, each
# with an age: `Chris` and `57` in a header are a name and a time.
NUMBER_REACH = 40
# The places a combination lists at most, in the order found: a post can name a detail
# that a thousand clients share a thousand times.
MAX_CLUE_PLACES = 100


class ClueWindow:
    """The texts of one post or file, each as a function that gives its clues, with the
    given names asked for: read only where a detail is among the clues, and only those of
    its clients."""

    def __init__(self) -> None:
        self.texts: list[Callable[[GivenNames], list[Clue]]] = []

    def add(self, clues: Callable[[GivenNames], list[Clue]]) -> None:
        self.texts.append(clues)

    def clues(self, matcher: Matcher) -> list[Clue]:
        """Every text's clues, and the given names of the clients of the details that are
        no numbers among them: a given name counts only with a detail (a number only beside
        a detail, or beside `Kim L.`, which says the name already)."""
        found = [clue for text in self.texts for clue in text(NO_GIVEN_NAMES)]
        details = {
            clue.number
            for clue in found
            if clue.form == DETAIL_CLUE and matcher.pairs_with_numbers(clue.form, clue.number)
        }
        wanted = _given_names_of(matcher, details)
        return [clue for text in self.texts for clue in text(GivenNames.of(wanted))] if wanted else found


def _given_names_of(matcher: Matcher, details: Iterable[int]) -> dict[str, int]:
    """The given names (normalised -> clue number) of the clients of these details."""
    leading = matcher.name_clues.leading
    clients: set[int] = set()
    for number in details:
        clients.update(matcher.detail_clues.clients[number])
    return {
        matcher.given_keys[number - leading]: number for client in clients for number in matcher.given_by_client[client]
    }


def combine(matcher: Matcher, window: ClueWindow, *, today: datetime.date) -> tuple[list[Finding], list[Suppression]]:
    """The combinations among the clues of one post or file: one finding per client with
    enough distinct clues in one window, and a suppression where consent made them few."""
    if not window.texts:
        return [], []
    clues = window.clues(matcher)
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    for together in _windows(clues, by_paragraph=matcher.policy.clues.window == "paragraph"):
        found, quiet = _combinations(matcher, together, today)
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
    numbered = matcher.detail_clues.leading
    details = sorted({clue.number for clue in clues if clue.form == DETAIL_CLUE and clue.number >= numbered})
    names = sorted({clue.number for clue in clues if clue.form == NAME_CLUE})
    beside = _numbers_beside(matcher, clues)
    if len(details) + len({number for number, _ in beside}) + bool(names) < needed:  # a name's clues are one
        return [], []
    candidates = _candidates(matcher, details, names, beside)
    if not candidates:
        return [], []
    evidence = _evidence(matcher, details, names, beside, candidates, today)
    order: dict[tuple[int, int], list[int]] = {}  # each clue's places, by their order in `clues`
    for index, clue in enumerate(clues):
        order.setdefault((clue.form, clue.number), []).append(index)
    places_of = {key: frozenset((clues[i].window[:2], clues[i].start) for i in found) for key, found in order.items()}
    findings, suppressed = [], []
    for client, (counted, consented) in sorted(evidence.items()):
        if _distinct(counted, places_of) < needed:
            continue
        client_id = matcher.client_names[client]
        if _distinct({key: rows for key, rows in counted.items() if key not in consented}, places_of) < needed:
            first = clues[min(index for key in counted for index in order[key])].place
            reason = f"consent until {max(consented.values()).isoformat()}"
            suppressed.append(Suppression(first.path, first.line, first.column, client_id, reason, first.location))
            continue
        # The clues that count: one with consent running is none.
        indexes = sorted(index for key in counted if key not in consented for index in order[key])
        places = list(dict.fromkeys(clues[index].place for index in indexes))[:MAX_CLUE_PLACES]  # a place once
        first = places[0]
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


def _numbers_beside(matcher: Matcher, clues: Sequence[Clue]) -> set[tuple[int, tuple[int, int]]]:
    """(number, (form, clue)) of each number clue that stands within NUMBER_REACH of a clue
    it counts beside (Matcher.pairs_with_numbers), in the same text: one that starts or
    ends within reach of it (a clue whose span holds the number and reaches past it both
    ways, found in a view across markup, is not beside it). Each number reads only the
    clues about it, found by bisection."""
    numbered = matcher.detail_clues.leading
    by_start: dict[tuple[str, str], list[tuple[int, Clue]]] = {}
    by_end: dict[tuple[str, str], list[tuple[int, Clue]]] = {}
    for clue in clues:
        if matcher.pairs_with_numbers(clue.form, clue.number):
            by_start.setdefault(clue.window[:2], []).append((clue.start, clue))
            by_end.setdefault(clue.window[:2], []).append((clue.end, clue))
    for found in (*by_start.values(), *by_end.values()):
        found.sort(key=lambda item: item[0])
    beside: set[tuple[int, tuple[int, int]]] = set()
    for clue in clues:
        text = clue.window[:2]
        if clue.form != DETAIL_CLUE or clue.number >= numbered or text not in by_start:
            continue
        low, high = clue.start - NUMBER_REACH, clue.end + NUMBER_REACH
        for index in (by_start[text], by_end[text]):
            first = bisect.bisect_left(index, low, key=lambda item: item[0])
            last = bisect.bisect_right(index, high, key=lambda item: item[0])
            beside.update((clue.number, (other.form, other.number)) for _, other in index[first:last])
    return beside


def _distinct(
    counted: Mapping[tuple[int, int], list[int]], places_of: Mapping[tuple[int, int], frozenset[object]]
) -> int:
    """How many distinct clues a client's counted ones are: details apart, a name's all one
    (_facet), and clues found only at the same places as another, one with it (the word
    `Florence` is a town of the client's or their given name, not both)."""
    facets = {_facet(key, rows) for key, rows in counted.items()}
    return min(len(facets), len({places_of[key] for key in counted}))


def _facet(key: tuple[int, int], rows: list[int]) -> tuple[int, int]:
    """What a clue tells of its client: a detail its row (`34` and `thirty-four` are one),
    every clue of a name the name."""
    return (DETAIL_CLUE, rows[0]) if key[0] == DETAIL_CLUE else (NAME_CLUE, -1)


def _candidates(
    matcher: Matcher, details: Sequence[int], names: Sequence[int], beside: Iterable[tuple[int, tuple[int, int]]]
) -> set[int]:
    """The clients that two of the clues may be of: those of two details, of a detail and
    a name, and of a number and the clue beside it. Found with set operations on the
    clues' clients (a given name is a clue of one client in a hundred), so the work in
    Python is the candidates'."""
    seen: set[int] = set()
    twice: set[int] = set()
    for number in details:
        clients = matcher.detail_clues.clients[number]
        twice.update(seen.intersection(clients))
        seen.update(clients)
    for number in names:
        twice.update(seen.intersection(matcher.name_clues.clients[number]))
    for number, other in beside:
        twice.update(
            set(matcher.detail_clues.clients[number]).intersection(_table(matcher, other[0]).clients[other[1]])
        )
    return twice


def _table(matcher: Matcher, form: int) -> ClueTable:
    return matcher.detail_clues if form == DETAIL_CLUE else matcher.name_clues


def _evidence(
    matcher: Matcher,
    details: Sequence[int],
    names: Sequence[int],
    beside: Iterable[tuple[int, tuple[int, int]]],
    candidates: set[int],
    today: datetime.date,
) -> dict[int, _Evidence]:
    """Each candidate's clues among those found (a number only where it stands beside
    another of the client's), and the consent of each."""
    evidence: dict[int, _Evidence] = {}
    found = [(DETAIL_CLUE, number, candidates) for number in details]
    found += [(NAME_CLUE, number, candidates) for number in names]
    for number, (form, other) in beside:
        found.append((DETAIL_CLUE, number, candidates.intersection(_table(matcher, form).clients[other])))
    for form, number, among in found:
        table = _table(matcher, form)
        clients = table.clients[number]
        hits = among.intersection(clients)
        if not hits:
            continue
        rows = table.rows[number]
        for client in hits:
            client_rows = rows[bisect.bisect_left(clients, client) : bisect.bisect_right(clients, client)]
            evidence.setdefault(client, _Evidence({}, {})).counted[form, number] = list(client_rows)
    for client_evidence in evidence.values():
        for key, listed in client_evidence.counted.items():
            consents = [matcher.consent_until.get(row) for row in listed]
            if all(until is not None and today <= until for until in consents):
                client_evidence.consented[key] = max(until for until in consents if until is not None)
    return evidence
