"""The compiled wordlist and the scan: the only module that knows about Aho-Corasick."""

from __future__ import annotations

import array
import datetime
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick
import regex

from gate import phones
from gate.extract import View
from gate.kinds import KIND_NAMES, KINDS, Kind, TokenRule, kind_named
from gate.normalize import CASE_DEPENDENT_LOOKALIKES, Normalizer
from gate.packed import PackedStrings, PackedTuples
from gate.wordlist import Identifier, Policy, StaffMember, Wordlist

ID_SEPARATORS = (" ", "/", ".", "")
MAX_ID_GAPS = 5
# The automaton holds only the first STEM_LENGTH characters of each key (more where more
# than MAX_TAILS keys would share them): a trie node costs about 48 bytes, and past their
# first few characters the keys of a large list share almost no nodes.
STEM_LENGTH = 8
MAX_TAILS = 32
MAX_CASED_WORDS = 3  # words of a Greek or Cyrillic name compiled in each case apart
# Codes of targets are 32-bit: identifiers count up from 0, allow terms down from -1,
# groups of targets down from -GROUP_BASE.
GROUP_BASE = 1 << 30
_ID_GROUPS = re.compile(r"[^\W\d_]+|\d+")
# regex, not re: it finds these digit runs in prose about three times faster.
_PHONE_CLUSTER = regex.compile(r"[0-9]+(?:[ .()/+]{1,3}[0-9]+)*")
_DIGITS = regex.compile(r"[0-9]+")
_NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


class Match(NamedTuple):
    """A place in the original text: [start, end) offsets and what it matched."""

    start: int
    end: int
    target: int  # index of an identifier, or -(index + 1) of an allow term


@dataclass(frozen=True)
class KeyTable:
    """The normalised keys: an automaton of their stems, and the rest of each key (its
    tail), compared with the text where its stem is found."""

    automaton: ahocorasick.Automaton | None  # stem -> row
    stem_lengths: array.array[int]  # per row
    first_tails: array.array[int]  # per row, and one past the last: where its tails start
    tails: PackedStrings
    codes: array.array[int]  # per tail: the targets of its key, encoded


@dataclass(frozen=True)
class Matcher:
    """A wordlist compiled for scanning. Holds no wordlist value outside its key table.

    Laid out in packed columns, and the automaton stores integers, so that the per-user
    cache of a large list unpickles quickly and a loaded list stays small.
    """

    org: str
    version: str
    policy: Policy
    client_numbers: array.array[int]  # per identifier: its client's index in client_names
    client_names: PackedStrings
    kind_codes: bytes  # per identifier: its kind's index in KINDS
    consent_until: dict[int, datetime.date]
    allow_lines: tuple[int, ...]
    keys: KeyTable
    groups: PackedTuples  # targets of keys shared by several targets
    phones: phones.PhoneTable
    normalizer: Normalizer
    staff: tuple[StaffMember, ...] = ()

    def client_id(self, target: int) -> str:
        return self.client_names[self.client_numbers[target]]

    def kind(self, target: int) -> str:
        return self.kind_of(target).name

    def kind_of(self, target: int) -> Kind:
        """The row of the table of kinds for an identifier's kind."""
        return KINDS[self.kind_codes[target]]


class _Targets:
    """The targets each key stands for. Nearly every key stands for one, kept as a plain
    int: a list per key cost 250 MB while compiling 1,000,000 identifiers."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}  # every target of the keys that have several

    def add(self, key: str, target: int) -> None:
        if not key:  # it would match everywhere
            return
        first = self.first.setdefault(key, target)
        if first != target:
            self.more.setdefault(key, [first]).append(target)

    def code(self, key: str, groups: dict[tuple[int, ...], int]) -> int:
        """The key's target (allow terms negative), or -(GROUP_BASE + group) of its several."""
        more = self.more.get(key)
        if more is None:
            return self.first[key]
        return -(GROUP_BASE + groups.setdefault(tuple(dict.fromkeys(more)), len(groups)))


def build_matcher(wordlist: Wordlist, normalizer: Normalizer | None = None) -> Matcher:
    normalizer = normalizer or Normalizer()
    keys, phone_keys = _Targets(), _Targets()
    for index, identifier in enumerate(wordlist.identifiers):
        if kind_named(identifier.kind).family == "digits":
            for form in phones.digit_forms(identifier.value, wordlist.policy.default_region):
                phone_keys.add(form, index)
            continue
        for pattern in identifier_patterns(identifier, normalizer, wordlist.policy):
            keys.add(pattern, index)
    for index, term in enumerate(wordlist.allow_terms):
        keys.add(normalizer.text(term.term).strip(), -(index + 1))
    groups: dict[tuple[int, ...], int] = {}
    identifiers = wordlist.identifiers
    key_table = _build_key_table(keys, groups)
    clients: dict[str, int] = {}
    return Matcher(
        org=wordlist.org,
        version=wordlist.version,
        policy=wordlist.policy,
        client_numbers=array.array("I", (clients.setdefault(item.client_id, len(clients)) for item in identifiers)),
        client_names=PackedStrings.pack(clients),
        kind_codes=bytes(KIND_NAMES.index(item.kind) for item in identifiers),
        consent_until={
            index: item.consent_until for index, item in enumerate(identifiers) if item.consent_until is not None
        },
        allow_lines=tuple(term.line for term in wordlist.allow_terms),
        keys=key_table,
        phones=phones.PhoneTable.pack({form: phone_keys.code(form, groups) for form in phone_keys.first}),
        groups=PackedTuples.pack(groups),
        normalizer=normalizer,
        staff=wordlist.staff,
    )


def _decode(code: int, groups: PackedTuples) -> tuple[int, ...]:
    return groups[-code - GROUP_BASE] if code <= -GROUP_BASE else (code,)


def _build_key_table(keys: _Targets, groups: dict[tuple[int, ...], int]) -> KeyTable:
    rows = list(_stems(keys.first))
    stem_lengths = array.array("H", (len(stem) for stem, _ in rows))
    first_tails = array.array("I", itertools.accumulate((len(members) for _, members in rows), initial=0))
    codes = array.array("i", (keys.code(key, groups) for _, members in rows for key in members))
    tails = PackedStrings.pack(key[len(stem) :] for stem, members in rows for key in members)
    if not rows:  # pyahocorasick raises on iter() with no words
        return KeyTable(None, stem_lengths, first_tails, tails, codes)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for row, (stem, _) in enumerate(rows):
        automaton.add_word(stem, row)
    automaton.make_automaton()
    return KeyTable(automaton, stem_lengths, first_tails, tails, codes)


def _stems(keys: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Each key's first STEM_LENGTH characters and the keys that begin with them; where
    more than MAX_TAILS keys begin alike, one character past all they have in common."""
    pending = [(list(keys), STEM_LENGTH)]
    while pending:
        group, length = pending.pop()
        shared: dict[str, list[str]] = {}
        for key in group:
            shared.setdefault(key[:length], []).append(key)
        for stem, members in shared.items():
            if len(members) > MAX_TAILS:
                # os.path.commonprefix compares strings, not paths.
                pending.append((members, len(os.path.commonprefix(members)) + 1))  # noqa: RUF071
            else:
                yield stem, members


def identifier_patterns(identifier: Identifier, normalizer: Normalizer, policy: Policy) -> list[str]:
    """The normalised strings that stand for an identifier in normalised text."""
    family = kind_named(identifier.kind).family
    patterns: dict[str, None] = {}
    for written in _cases(identifier.value):
        value = normalizer.text(written).strip()
        if family == "name":
            patterns.update(dict.fromkeys(name_patterns(value, policy)))
        elif family == "handle":
            patterns[value.lstrip("@").strip()] = None
        elif family == "groups":
            patterns.update(dict.fromkeys(id_patterns(value)))
        else:
            patterns[value] = None
    return list(patterns)


def _cases(value: str) -> list[str]:
    """The value, and where it holds a letter whose look-alike depends on its case (Greek
    "Ν" is N, "ν" is v), each of its words also in small letters, capitals and title case
    (the whole value only, past MAX_CASED_WORDS words)."""
    if not any(char in CASE_DEPENDENT_LOOKALIKES for char in value):
        return [value]
    words = value.split(" ")
    if len(words) > MAX_CASED_WORDS:
        return list(dict.fromkeys([value, value.lower(), value.upper(), value.title()]))
    choices = [dict.fromkeys([word, word.lower(), word.upper(), word.title()]) for word in words]
    return [" ".join(combination) for combination in itertools.product(*choices)]


def name_patterns(value: str, policy: Policy) -> list[str]:
    words = value.split(" ")
    patterns = [value]
    if len(words) < 2:
        return patterns
    first, last = words[0], words[-1]
    if policy.variant("last_first"):
        patterns.append(f"{last}, {' '.join(words[:-1])}")
    if policy.variant("initial_last") and first[0].isalnum():
        patterns += [f"{first[0]}. {last}", f"{first[0]}.{last}"]
    if policy.variant("joined_tag"):
        patterns.append("@" + "".join(words).replace("'", ""))  # "#" normalises to "@"
    return patterns


def id_patterns(value: str) -> list[str]:
    """An id with any of the separators between its letter and digit groups."""
    groups = _ID_GROUPS.findall(value)
    if len(groups) < 2:
        return [value]
    gaps = len(groups) - 1
    if gaps > MAX_ID_GAPS:
        choices: Iterable[tuple[str, ...]] = ((separator,) * gaps for separator in ID_SEPARATORS)
    else:
        choices = itertools.product(ID_SEPARATORS, repeat=gaps)
    patterns = []
    for separators in choices:
        pieces = [groups[0]]
        for separator, group in zip(separators, groups[1:], strict=True):
            pieces += [separator, group]
        patterns.append("".join(pieces))
    return patterns


def find_matches(matcher: Matcher, text: str, views: Sequence[View] = ()) -> list[Match]:
    """Every place in `text`, or in a view of it, where an identifier or an allow term
    stands; each client once per place."""
    matches = _text_matches(matcher, text)
    for view in views:
        for start, end, target in _text_matches(matcher, view.text):
            matches.append(Match(view.starts.source(start), view.ends.source(end - 1) + 1, target))
    return _once_per_place(matcher, matches)


def _text_matches(matcher: Matcher, text: str) -> list[Match]:
    normalized = matcher.normalizer.normalize(text)
    candidates = list(word_matches(matcher, normalized.text))
    candidates += _phone_matches(matcher, normalized.text)
    matches = []
    for start, end, targets in candidates:
        source_start = normalized.source(start)
        source_end = normalized.source(end - 1) + 1
        for target in targets:
            kind = matcher.kind_of(target) if target >= 0 else None
            if kind and not _whole_token(kind, text, source_start, source_end):
                continue
            if kind and kind.family == "handle" and source_start and text[source_start - 1] in "@#":
                # The handle's key has no sigil; the finding covers the "@" as written.
                matches.append(Match(source_start - 1, source_end, target))
                continue
            matches.append(Match(source_start, source_end, target))
    return matches


def word_matches(matcher: Matcher, text: str) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    table = matcher.keys
    if table.automaton is None:
        return
    for last, row in table.automaton.iter(text):
        start = last - table.stem_lengths[row] + 1
        if not at_boundary(text, start - 1, start):
            continue
        for tail in range(table.first_tails[row], table.first_tails[row + 1]):
            rest = table.tails[tail]
            end = last + 1 + len(rest)
            if text.startswith(rest, last + 1) and at_boundary(text, end - 1, end):
                yield start, end, _decode(table.codes[tail], matcher.groups)


def at_boundary(text: str, left: int, right: int) -> bool:
    """True unless the characters at `left` and `right` are letters of one word."""
    if left < 0 or right >= len(text):
        return True
    before, after = text[left], text[right]
    if not (before.isalnum() and after.isalnum()):
        return True
    return _no_space_script(before) or _no_space_script(after)


def _no_space_script(char: str) -> bool:
    # Scripts written without spaces between words have no boundary to find.
    return not char.isascii() and unicodedata.name(char, "").startswith(_NO_SPACE_SCRIPTS)


def _phone_matches(matcher: Matcher, text: str) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """Phones on their digits, starting and ending on whole runs of digits."""
    if not matcher.phones or not any(digit in text for digit in "0123456789"):
        return
    longest = matcher.phones.max_digits
    for cluster in _PHONE_CLUSTER.finditer(text):
        if cluster.end() - cluster.start() < phones.MIN_DIGITS:
            continue
        runs = [(run.start(), run.end(), run.group()) for run in _DIGITS.finditer(text, *cluster.span())]
        for first, (start, _, _) in enumerate(runs):
            # Indexed, never sliced: a copy of the rest of a cluster of 100,000 runs for
            # each of them took time in the cluster's length squared.
            digits = ""
            for index in range(first, len(runs)):
                _, end, run = runs[index]
                if len(digits) + len(run) > longest:
                    break
                digits += run
                code = matcher.phones.get(digits) if len(digits) >= phones.MIN_DIGITS else None
                if code is not None:
                    yield start, end, _decode(code, matcher.groups)


def _whole_token(kind: Kind, text: str, start: int, end: int) -> bool:
    """False where the text continues a kind written as one token (kinds.TokenRule):
    handle "kim_lowe" is not in "@kim_lowe_official", nor "AB-7731" in "AB-7731-2"."""
    rule = kind.token
    if rule is None:
        return True
    if rule.unbroken and any(char.isspace() for char in text[start:end]):
        return False
    if start >= 2 and text[start - 1] in rule.before and _continues(rule, text[start - 2], text[start]):
        return False
    return not (end + 1 < len(text) and text[end] in rule.after and _continues(rule, text[end + 1], text[end - 1]))


def _continues(rule: TokenRule, beyond: str, edge: str) -> bool:
    """Whether `beyond`, across a separator from the match's `edge` character, goes on
    with the same token."""
    return beyond.isdigit() and edge.isdigit() if rule.digits_only else beyond.isalnum()


def _once_per_place(matcher: Matcher, matches: list[Match]) -> list[Match]:
    """One match per client per place: from left to right, the longest match of a client
    that does not overlap the one kept before it ("Kim Lowe, Kim Lowe" is two mentions,
    not one "Lowe, Kim")."""
    kept = []
    reach: dict[int, int] = {}
    for match in sorted(set(matches), key=lambda match: (match.start, -match.end, match.target)):
        if match.target < 0:
            kept.append(match)
            continue
        client = matcher.client_numbers[match.target]
        if match.start >= reach.get(client, -1):
            kept.append(match)
            reach[client] = match.end
    return kept
