"""Warnings about wordlist entries that are likely to cry wolf."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from gate.kinds import KIND_NAMES, kind_named
from gate.normalize import Normalizer
from gate.wordlist import Wordlist


def count_kinds(wordlist: Wordlist) -> dict[str, int]:
    counts = Counter(identifier.kind for identifier in wordlist.identifiers)
    return {kind: counts[kind] for kind in KIND_NAMES if counts[kind]}


def lint_wordlist(wordlist: Wordlist, normalizer: Normalizer, common_words: Collection[str]) -> list[str]:
    """One line per doubtful entry, naming its line and client, never its value."""
    path = f"{wordlist.directory}/clients.csv"
    warnings = []
    first_seen: dict[str, tuple[str, int]] = {}
    for identifier in wordlist.identifiers:
        value = normalizer.text(identifier.value).strip().lstrip("@")
        where = f"{path}:{identifier.line}: {identifier.client_id} {identifier.kind}"
        kind = kind_named(identifier.kind)
        if kind.written_in_words and value in common_words:
            warnings.append(f"{where}: is a common English word and will block ordinary text")
        elif kind.family == "name" and " " not in value:
            warnings.append(f"{where}: a single-word name also blocks anyone else of that name")
        owner = first_seen.setdefault(value, (identifier.client_id, identifier.line))
        if owner[0] != identifier.client_id:
            warnings.append(f"{where}: same value as line {owner[1]} of client {owner[0]}")
    return warnings
