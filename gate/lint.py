"""Warnings about wordlist entries that are likely to cry wolf, or to stop blocking soon."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from gate.kinds import KIND_NAMES, kind_named
from gate.normalize import Normalizer
from gate.wordlist import Identifier, Wordlist


def count_kinds(wordlist: Wordlist) -> dict[str, int]:
    counts = Counter(identifier.kind for identifier in wordlist.identifiers)
    return {kind: counts[kind] for kind in KIND_NAMES if counts[kind]}


CONSENT_NOTICE_DAYS = 30


def lint_wordlist(
    wordlist: Wordlist,
    normalizer: Normalizer,
    common_words: Collection[str],
    today: datetime.date,
    ignored_columns: Sequence[int] = (),
) -> list[str]:
    """One line per doubtful entry, naming its line and client, never its value."""
    path = f"{wordlist.directory}/clients.csv"
    warnings = [f"{path}:1:{number}: column {number} is not one the gate reads: ignored" for number in ignored_columns]
    first_seen: dict[str, tuple[str, int]] = {}
    for identifier in wordlist.identifiers:
        value = normalizer.text(identifier.value).strip().lstrip("@")
        where = f"{path}:{identifier.line}: {identifier.client_id} {identifier.kind}"
        kind = kind_named(identifier.kind)
        if kind.written_in_words and value in common_words:
            warnings.append(f"{where}: is a common English word and will block ordinary text")
        elif kind.written_in_words and all(word in common_words for word in value.split()):
            warnings.append(f"{where}: is made of common English words and will block ordinary text")
        if kind.family == "name" and " " not in value:
            warnings.append(f"{where}: a single-word name also blocks anyone else of that name")
        owner = first_seen.setdefault(value, (identifier.client_id, identifier.line))
        if owner[0] != identifier.client_id and not kind.clue:  # details are shared: _details
            warnings.append(f"{where}: same value as line {owner[1]} of client {owner[0]}")
        warnings += _consent(where, identifier.consent_until, today)
    return warnings + _details(path, wordlist, normalizer)


# A detail of at least this share of the clients (and this many) helps tell no one apart.
COMMON_DETAIL_SHARE = 0.1
COMMON_DETAIL_CLIENTS = 5
# A client whose details are those of this many other clients too is not singled out by them.
SHARED_DETAILS_CLIENTS = 3


def _details(path: str, wordlist: Wordlist, normalizer: Normalizer) -> list[str]:
    """Details too common to help (gate/clues.py), and clients whose details alone are
    shared by several other clients: either makes combinations block posts about others."""
    holders: dict[str, set[str]] = {}  # a detail, normalised -> the clients it is a detail of
    first: dict[str, Identifier] = {}
    details: dict[str, list[Identifier]] = {}  # client -> its details
    for identifier in wordlist.identifiers:
        if kind_named(identifier.kind).clue:
            value = normalizer.text(identifier.value).strip()
            holders.setdefault(value, set()).add(identifier.client_id)
            first.setdefault(value, identifier)
            details.setdefault(identifier.client_id, []).append(identifier)
    clients = len({identifier.client_id for identifier in wordlist.identifiers})
    warnings = []
    for value, owners in holders.items():
        if len(owners) >= max(COMMON_DETAIL_CLIENTS, COMMON_DETAIL_SHARE * clients):
            row = first[value]
            warnings.append(
                f"{path}:{row.line}: {row.client_id} detail: a detail of {len(owners)} of the {clients} clients: "
                "too common to tell them apart, and with a given name it blocks posts about any of them"
            )
    # Clients with the very same details: one warning for each such set, at its first client.
    alike: dict[frozenset[str], list[Identifier]] = {}
    for rows in details.values():
        values = frozenset(normalizer.text(row.value).strip() for row in rows)
        if len(values) >= 2:
            alike.setdefault(values, []).append(rows[0])
    for values, firsts in alike.items():
        if len(firsts) - 1 >= SHARED_DETAILS_CLIENTS:
            warnings.append(
                f"{path}:{firsts[0].line}: {firsts[0].client_id} detail: its {len(values)} details are those of "
                f"{len(firsts) - 1} other clients too: together they do not single the client out"
            )
    return warnings


def _consent(where: str, until: datetime.date | None, today: datetime.date) -> list[str]:
    """A consent that has run out (the identifier blocks again), or runs out within
    CONSENT_NOTICE_DAYS (time to ask the client again)."""
    if until is None:
        return []
    if until < today:
        return [f"{where}: consent ended on {until.isoformat()}: it blocks again"]
    days = (until - today).days
    if days <= CONSENT_NOTICE_DAYS:
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        return [f"{where}: consent ends on {until.isoformat()} ({when}): renew it, or the identifier blocks again"]
    return []


@dataclass(frozen=True)
class ListReport:
    """What `gate wordlist check` and the console's list page say of a list."""

    version: str
    clients: int
    kinds: dict[str, int]  # identifiers of each kind
    allow_terms: int
    staff: int
    warnings: list[str]
    expiring: list[Identifier]  # consents that end within CONSENT_NOTICE_DAYS, soonest first


def list_report(
    wordlist: Wordlist,
    normalizer: Normalizer,
    common_words: Collection[str],
    today: datetime.date,
    ignored_columns: Sequence[int] = (),
) -> ListReport:
    notice = today + datetime.timedelta(days=CONSENT_NOTICE_DAYS)
    expiring = [
        item
        for item in wordlist.identifiers
        if item.consent_until is not None and today <= item.consent_until <= notice
    ]
    return ListReport(
        wordlist.version,
        len({identifier.client_id for identifier in wordlist.identifiers}),
        count_kinds(wordlist),
        len(wordlist.allow_terms),
        len(wordlist.staff),
        lint_wordlist(wordlist, normalizer, common_words, today, ignored_columns),
        sorted(expiring, key=lambda item: (item.consent_until or today, item.line)),
    )
