"""Warnings about wordlist entries that are likely to cry wolf, or to stop blocking soon."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Sequence

from gate.kinds import KIND_NAMES, kind_named
from gate.normalize import Normalizer
from gate.wordlist import Wordlist


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
        if owner[0] != identifier.client_id:
            warnings.append(f"{where}: same value as line {owner[1]} of client {owner[0]}")
        warnings += _consent(where, identifier.consent_until, today)
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
