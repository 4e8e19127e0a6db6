"""The compiled wordlist and the scan: the only module that knows about Aho-Corasick."""

from __future__ import annotations

import array
import dataclasses
import datetime
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick
import regex

from gate import phones, spoken
from gate.errors import GateError
from gate.extract import View
from gate.kinds import KIND_NAMES, KINDS, Kind, TokenRule, kind_named
from gate.names import (
    AFTER_TITLE,
    CAPITALISED,
    OTHER_GIVEN_NAME,
    PLAIN,
    NameData,
    NameKey,
    clue_keys,
    load_nicknames,
    name_keys,
)
from gate.normalize import CASE_DEPENDENT_LOOKALIKES, FIRST_UNSPACED, Normalized, Normalizer, no_space_script
from gate.packed import PackedStrings, PackedTuples
from gate.precision import capitalised_as_written, load_given_names, written_as_names
from gate.spellings import spellings
from gate.titles import title_forms
from gate.wordlist import Identifier, Policy, StaffMember, Wordlist
from gate.written import WordLists, load_word_lists

ID_SEPARATORS = (" ", "/", ".", "")
MAX_ID_GAPS = 5
# The automaton holds only the first STEM_LENGTH characters of each key's skeleton, its
# leading blank and eight more (more where more than MAX_KEYS_PER_STEM keys would share
# them): a trie node costs about 48 bytes, and past their first few characters the keys
# of a large list share almost no nodes.
STEM_LENGTH = 9
MAX_KEYS_PER_STEM = 32
KEY_SEPARATOR = "\0"  # normalised text has none
MAX_KEY_LENGTH = 1 << 16  # longer than any key (a skeleton cut at it is whole)
SCAN_CHUNK = 1 << 18  # characters of a skeleton that the automaton reads at a time
STEM_BATCH = 10_000  # keys whose stems are made at once
# pyahocorasick looks for a node's child by reading its children in the order they were
# added, and the node after a blank has one per letter that starts a key: stems are added
# so that each node's commoner letters come first (English letter frequencies), which
# took a tenth off the scan of the State of the Union addresses.
_FREQUENT_FIRST = " etaoinshrdlcumwfgypbvkjxqz0123456789"
_BY_FREQUENCY = {ord(char): chr(0x20 + rank) for rank, char in enumerate(_FREQUENT_FIRST)}
MAX_CASED_WORDS = 3  # words of a Greek or Cyrillic name compiled in each case apart
# Codes of targets are 32-bit: identifiers count up from 0, allow terms down from -1,
# groups of targets down from -GROUP_BASE.
GROUP_BASE = 1 << 30
# A key's target is an identifier's index plus FORM_BASE times its form (gate/names.py):
# a key that counts only capitalised as written is told from one that counts anywhere by
# its code alone, whatever other targets share the key. A title of the policy's languages
# and the blank after it is a key of its own, TITLE_CODE: where it stands, the words after
# it are looked up in the table of surnames. Surnames are not keys: as stems they were
# found at every "young", "king" and "longer", which took a check of the real-text
# corpus (100,000 census-weighted names) from 3.3 to 4.8 s; titles are rare.
FORM_BASE = 1 << 28
TITLE_CODE = 3 * FORM_BASE
# Two number words in a row (gate/spoken.py) are keys of their own where the list has
# phones: where one stands, the number words about it are read as a phone's digits.
SPOKEN_CODE = 5 * FORM_BASE
# Clues (gate/clues.py): a key of a name's clues or of a detail is a form of its own, its
# target a clue's number in the matcher's table of that form (not an identifier), so that
# a clue that a thousand clients share ("Kim", a town) is one target where it is found.
NAME_CLUE, DETAIL_CLUE = 6, 7
CLUE_FORMS = frozenset({NAME_CLUE, DETAIL_CLUE})
MAX_SURNAME_WORDS = 3  # looked up after a title: "Mrs Fernández García", "Ms O Sullivan"
_ID_GROUPS = re.compile(r"[^\W\d_]+|\d+")
# A phone is looked for in clusters of digit runs apart by one to three separators, those
# with as many digits as the list's shortest form at least. In ASCII text the clusters
# are found in its shape: each digit "0", each separator ".", anything else "x", made by
# one byte translation; re finds a pattern that begins with a literal at memory speed,
# where regex on the text read 90 MB/s of mail, whose headers are full of digits.
_PHONE_SEPARATORS = " .()/+"
_PHONE_SHAPE = bytes(
    0x30 if chr(code) in "0123456789" else 0x2E if chr(code) in _PHONE_SEPARATORS else 0x78 for code in range(256)
)
# Possessive: a cluster is a maximal one, and a try that fails gives nothing back (a third
# less time on mail).
_PHONE_CLUSTER_SHAPE = rb"0(?:\.{0,3}+0){%d,}+"
_PHONE_CLUSTER = r"[0-9](?:[" + re.escape(_PHONE_SEPARATORS) + r"]{0,3}+[0-9]){%d,}+"
_DIGITS = regex.compile(r"[0-9]+")


class Match(NamedTuple):
    """A place in the original text: [start, end) offsets and what it matched."""

    start: int
    end: int
    target: int  # index of an identifier, or -(index + 1) of an allow term; of a clue, its number
    # AFTER_TITLE: a title and the surname; OTHER_GIVEN_NAME: another given name than the
    # listed one. Their findings are worded so (gate/written.py). NAME_CLUE, DETAIL_CLUE: a clue.
    form: int = PLAIN


class Found(NamedTuple):
    """What find_all finds in a text and its views: the matches of identifiers and allow
    terms (find_matches), and the clues, each (start, end, clue number, its form) once."""

    matches: list[Match]
    clues: list[Match]


@dataclass(frozen=True)
class KeyTable:
    """The normalised keys, and an automaton of the stems of their skeletons; where a
    stem is found, its keys are compared with the text.

    The automaton reads the skeleton of the text (Normalizer.skeleton: every character
    that is not a letter or digit a blank, one blank before it all), and a key that
    begins with a letter or digit is added behind a blank. So a key that begins a word is
    looked for only where a word begins, and the automaton, which otherwise follows every
    word's endings ("mith" in "smith") through its failure links, goes back to the blank
    in one step: with 100,000 identifiers, its scan of the State of the Union addresses
    (10.8 MB) took 115 ms, against 258 for the keys added as they are.
    """

    automaton: ahocorasick.Automaton | None  # stem -> row
    stem_lengths: array.array[int]  # per row
    longest_stem: int
    keys: PackedStrings  # per row: its keys, joined by KEY_SEPARATOR
    first_keys: array.array[int]  # per row, and one past the last: its first key's number
    word_starts: bytes  # per key: 1 where it begins a word (behind the stem's blank), else 0
    codes: array.array[int]  # per key: its targets, encoded


@dataclass(frozen=True)
class ClueTable:
    """Per clue number, the identifiers it is a clue of and their clients, both in the
    order of the clients: the clients of a clue are looked up in C (set operations), and
    a client's identifiers by bisection (gate/clues.py)."""

    rows: PackedTuples
    clients: PackedTuples
    # Clues numbered below it are read apart (gate/clues.py): of details, the numbers (an
    # age, a year); of names, those with the surname's initial (`Kim L.`).
    leading: int = 0

    @classmethod
    def pack(cls, table: dict[str, list[int]], leading: int, client_numbers: Sequence[int]) -> ClueTable:
        # Rows come in the list's order, and sorted() keeps it among a client's rows.
        ordered = [sorted(rows, key=client_numbers.__getitem__) for rows in table.values()]
        clients = PackedTuples.pack([client_numbers[row] for row in rows] for rows in ordered)
        return cls(PackedTuples.pack(ordered), clients, leading)

    def __len__(self) -> int:
        return len(self.rows)


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
    # Folded (gate/precision.py): a capitalised one right before an initial makes it a middle one.
    given_names: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)
    # Normalised: each surname (gate/names.py, AFTER_TITLE keys) -> its code; the longest's length.
    surnames: dict[str, int] = dataclasses.field(default_factory=dict, repr=False)
    longest_surname: int = 0
    # Folded (gate/written.py): a capitalised word after a name that is none of these goes
    # on as a longer name; a name of only prose words, in small letters in prose, is a warning.
    words: WordLists = dataclasses.field(default=WordLists(), repr=False)
    # Per clue number, the identifiers it is a clue of, in the order of their clients, and
    # those clients (as many: a client may list one detail twice): names (NAME_CLUE),
    # details (DETAIL_CLUE). Empty where the list has no detail: a name's clues alone are
    # one clue, and no combination.
    name_clues: ClueTable = dataclasses.field(
        default_factory=lambda: ClueTable.pack({}, 0, array.array("I")), repr=False
    )
    # A number detail written in digits -> its clue number. Not a key of the automaton: a
    # number is a clue only beside another (gate/clues.py), where it is looked for.
    numerals: dict[str, int] = dataclasses.field(default_factory=dict, repr=False)
    # The given names (and other given names for them) of each client's names, as clue
    # numbers of name_clues; each one's key, normalised, by its number less
    # name_clues.leading; the most words one has. Not keys of the automaton: only a post
    # or file with a detail is read for the given names of that detail's clients
    # (given_name_clues), where all of them were a fifth of a check's time on real text.
    given_by_client: PackedTuples = dataclasses.field(default=PackedTuples.pack(()), repr=False)
    # Both initials of a name (`k. l`) -> its clue number. Not keys either: as stems they
    # were found wherever two letters stand alone (`it's a`), and cost a tenth of a check.
    initials: dict[str, int] = dataclasses.field(default_factory=dict, repr=False)
    given_keys: PackedStrings = dataclasses.field(default=PackedStrings.pack(()), repr=False)
    given_words: int = 0
    detail_clues: ClueTable = dataclasses.field(
        default_factory=lambda: ClueTable.pack({}, 0, array.array("I")), repr=False
    )

    def pairs_with_numbers(self, form: int, clue: int) -> bool:
        """Whether a clue is one a number counts beside (gate/clues.py): a detail that is no
        number, a name with the surname's initial."""
        if form == DETAIL_CLUE:
            return clue >= self.detail_clues.leading
        return clue < self.name_clues.leading

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
    if len(wordlist.identifiers) >= FORM_BASE:
        raise GateError(
            f"{wordlist.directory}: more than {FORM_BASE - 1:,} identifiers, more than the gate can compile"
        )
    keys, phone_keys, surnames = _Targets(), _Targets(), _Targets()
    given_names = load_given_names()
    names = NameData.for_policy(wordlist.policy, given_names, load_nicknames(normalizer))
    for index, identifier in enumerate(wordlist.identifiers):
        if kind_named(identifier.kind).clue:
            continue  # compiled with the names' clues (_clue_tables)
        if kind_named(identifier.kind).family == "digits":
            for form in phones.digit_forms(identifier.value, wordlist.policy.default_region):
                phone_keys.add(form, index)
            continue
        for key, key_form in identifier_patterns(identifier, normalizer, wordlist.policy, names):
            if key_form == AFTER_TITLE:
                surnames.add(key, index)
            else:
                keys.add(key, index + key_form * FORM_BASE)
    for index, term in enumerate(wordlist.allow_terms):
        keys.add(normalizer.text(term.term).strip(), -(index + 1))
    if surnames.first:
        for title in _title_keys(wordlist.policy, normalizer):
            keys.add(title, TITLE_CODE)
    if phone_keys.first:
        for pair in spoken.pair_keys():
            keys.add(pair, SPOKEN_CODE)
    clue_tables = _clue_tables(wordlist, normalizer, names)
    # Clues that are no keys of the automaton, looked for where they can count (gate/clues.py):
    numerals: dict[str, int] = {}  # a number detail's digits -> its clue number: beside another clue
    given: list[str] = []  # the given names, from the first after name_clues.leading: beside a detail
    initials: dict[str, int] = {}  # both initials, `k. l` -> its clue number: found by initial_clues
    for clue_form, (table, leading) in clue_tables.items():
        for clue_number, clue in enumerate(table):
            if clue_form == DETAIL_CLUE and clue.isascii() and clue.isdigit():
                numerals[clue] = clue_number
            elif clue_form == NAME_CLUE and clue_number >= leading:
                given.append(clue)
            elif clue_form == NAME_CLUE and _INITIALS_KEY.fullmatch(clue):
                initials[clue] = clue_number
            else:
                keys.add(clue, clue_form * FORM_BASE + clue_number)
    groups: dict[tuple[int, ...], int] = {}
    identifiers = wordlist.identifiers
    key_table = _build_key_table(keys, groups, normalizer)
    clients: dict[str, int] = {}
    client_numbers = array.array("I", (clients.setdefault(item.client_id, len(clients)) for item in identifiers))
    name_clues = ClueTable.pack(*clue_tables[NAME_CLUE], client_numbers)
    return Matcher(
        org=wordlist.org,
        version=wordlist.version,
        policy=wordlist.policy,
        client_numbers=client_numbers,
        client_names=PackedStrings.pack(clients),
        kind_codes=bytes(KIND_NAMES.index(item.kind) for item in identifiers),
        consent_until={
            index: item.consent_until for index, item in enumerate(identifiers) if item.consent_until is not None
        },
        allow_lines=tuple(term.line for term in wordlist.allow_terms),
        keys=key_table,
        phones=phones.PhoneTable.pack({form: phone_keys.code(form, groups) for form in phone_keys.first}),
        surnames={surname: surnames.code(surname, groups) for surname in surnames.first},
        longest_surname=max(map(len, surnames.first), default=0),
        groups=PackedTuples.pack(groups),
        normalizer=normalizer,
        staff=wordlist.staff,
        given_names=given_names,
        words=load_word_lists(),
        name_clues=name_clues,
        detail_clues=ClueTable.pack(*clue_tables[DETAIL_CLUE], client_numbers),
        numerals=numerals,
        initials=initials,
        given_by_client=_given_by_client(name_clues, len(clients)),
        given_keys=PackedStrings.pack(given),
        given_words=max((clue.count(" ") + 1 for clue in given), default=0),
    )


def _clue_tables(
    wordlist: Wordlist, normalizer: Normalizer, names: NameData
) -> dict[int, tuple[dict[str, list[int]], int]]:
    """Each clue's key and identifiers, and how many keys lead (ClueTable), by form: the details' values (those that are numbers first,
    with their words: gate/spoken.py), and the clues of every name (those with the
    surname's initial first: gate/names.py). Empty where the list has no detail."""
    numbers: dict[str, list[int]] = {}
    words: dict[str, list[int]] = {}
    initialled: dict[str, list[int]] = {}
    given: dict[str, list[int]] = {}
    details = [index for index, identifier in enumerate(wordlist.identifiers) if kind_named(identifier.kind).clue]
    if details:
        values = dict(
            zip(details, _normalized([wordlist.identifiers[index].value for index in details], normalizer), strict=True)
        )
        for index, identifier in enumerate(wordlist.identifiers):
            kind = kind_named(identifier.kind)
            if kind.clue:
                value = values[index]
                said = spoken.number_words(value)
                for key in dict.fromkeys([value, *said]):
                    (numbers if said or value.isdigit() else words).setdefault(key, []).append(index)
            elif kind.family == "name":
                for spelling in spellings(identifier.value):
                    keys = clue_keys(spelling, normalizer, names)
                    _add_row(initialled, keys.initialled, index)
                    _add_row(given, keys.given, index)
    return {
        NAME_CLUE: (_leading(initialled, given), len(initialled)),
        DETAIL_CLUE: (_leading(numbers, words), len(numbers)),
    }


def _normalized(values: list[str], normalizer: Normalizer) -> list[str]:
    """Each value normalised, in one call: the values joined by a blank line (which
    normalisation keeps), unless that does not give back as many."""
    joined = normalizer.text("\n\n".join(values)).split("\n\n")
    if len(joined) != len(values):
        return [normalizer.text(value).strip() for value in values]
    return [value.strip() for value in joined]


def _given_by_client(name_clues: ClueTable, clients: int) -> PackedTuples:
    """Per client, the numbers of its given names' clues (those past name_clues.leading)."""
    by_client: list[list[int]] = [[] for _ in range(clients)]
    for number in range(name_clues.leading, len(name_clues)):
        for client in dict.fromkeys(name_clues.clients[number]):
            by_client[client].append(number)
    return PackedTuples.pack(by_client)


def _add_row(table: dict[str, list[int]], keys: Iterable[str], index: int) -> None:
    for key in keys:
        rows = table.setdefault(key, [])
        if not rows or rows[-1] != index:
            rows.append(index)


def _leading(first: dict[str, list[int]], rest: dict[str, list[int]]) -> dict[str, list[int]]:
    """The keys of `first`, then the others of `rest`; a key of both is one of `first`'s,
    with the rows of both (`thirty four` listed in words is the number's key too)."""
    for key, rows in rest.items():
        if key in first:
            first[key] += rows
    return {**first, **{key: rows for key, rows in rest.items() if key not in first}}


def _title_keys(policy: Policy, normalizer: Normalizer) -> set[str]:
    """Each written form of the titles of the policy's languages, normalised, and the
    blank after it (so `mrs` is not `mr`, nor `drive` `dr`)."""
    return {normalizer.text(form).strip() + " " for form in title_forms(policy.languages)}


def _decode(code: int, groups: PackedTuples) -> tuple[int, ...]:
    return groups[-code - GROUP_BASE] if code <= -GROUP_BASE else (code,)


def _build_key_table(keys: _Targets, groups: dict[tuple[int, ...], int], normalizer: Normalizer) -> KeyTable:
    # ASCII keys first: a batch of them is blanked at memory speed (_skeletons), one with a
    # single key in Greek a character at a time.
    entries = [key for key in keys.first if key.isascii()] + [key for key in keys.first if not key.isascii()]
    entries += [_Unspaced(key) for key in keys.first if _with_unspaced_letters(key, normalizer)]
    rows = sorted(_stems(entries, normalizer), key=lambda row: row[0].translate(_BY_FREQUENCY))
    members = [key for _, row_keys in rows for key in row_keys]
    table = KeyTable(
        automaton=None,
        stem_lengths=array.array("H", (len(stem) for stem, _ in rows)),
        longest_stem=max((len(stem) for stem, _ in rows), default=0),
        keys=PackedStrings.pack(KEY_SEPARATOR.join(row_keys) for _, row_keys in rows),
        first_keys=array.array("I", itertools.accumulate((len(row_keys) for _, row_keys in rows), initial=0)),
        word_starts=bytes(map(_begins_word, members)),
        codes=array.array("i", (keys.code(key, groups) for key in members)),
    )
    if not rows:  # pyahocorasick raises on iter() with no words
        return table
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for row, (stem, _) in enumerate(rows):
        automaton.add_word(stem, row)
    automaton.make_automaton()
    return dataclasses.replace(table, automaton=automaton)


class _Unspaced(str):
    """A key that begins a word and holds letters of a script written without spaces, as
    the text's second skeleton shows it, with those letters blank (word_matches)."""


def _with_unspaced_letters(key: str, normalizer: Normalizer) -> bool:
    if key.isascii() or max(key) < FIRST_UNSPACED or not _begins_word(key):
        return False
    return normalizer.blanked(key, unspaced=True) != normalizer.blanked(key)


def _skeleton(entry: str, length: int, normalizer: Normalizer) -> str:
    """The first `length` characters of the key's skeleton, behind a blank where the key
    begins a word (an _Unspaced key's: its second skeleton's)."""
    if not _begins_word(entry):
        return normalizer.blanked(entry[:length])
    return " " + normalizer.blanked(entry[: length - 1], unspaced=isinstance(entry, _Unspaced))


def _skeletons(entries: list[str], length: int, normalizer: Normalizer) -> list[str]:
    """_skeleton of each entry, made for all of them in one translation, not a call for
    each. Made as the stems are needed, not kept: the skeletons of 300,000 identifiers'
    keys, kept while they were grouped, took the compile's peak from 666 to 821 MiB."""
    prefixes = [entry[:length] for entry in entries]
    blanked = normalizer.blanked("".join(prefixes))
    bounds = list(itertools.accumulate(map(len, prefixes), initial=0))
    spans = itertools.pairwise(bounds)
    if blanked.isascii():  # a key begins a word where its first character is not blanked
        skeletons = [
            blanked[start:end] if blanked[start] == " " else " " + blanked[start : min(end, start + length - 1)]
            for start, end in spans
        ]
    else:  # the first letter of a key, and of its blanked piece, tell alike whether it begins a word
        pieces = [blanked[start:end] for start, end in spans]
        skeletons = [" " + piece[: length - 1] if _begins_word(piece) else piece for piece in pieces]
    for index in range(len(entries) - 1, -1, -1):  # the _Unspaced entries come last
        if not isinstance(entries[index], _Unspaced):
            break
        skeletons[index] = _skeleton(entries[index], length, normalizer)
    return skeletons


def _begins_word(key: str) -> bool:
    """Whether a key (never empty) can only start where a word starts (gate/normalize.py's
    blank before it): it begins with a letter or digit of a script written with spaces."""
    first = key[0]
    return first.isalnum() and (first < "\x80" or not no_space_script(first))


def _stems(entries: list[str], normalizer: Normalizer) -> Iterator[tuple[str, list[str]]]:
    """Each skeleton's first STEM_LENGTH characters and the keys whose skeletons begin with
    them; where more than MAX_KEYS_PER_STEM keys begin alike, one character past all
    their skeletons have in common (several keys can have one skeleton: "o'hara" and
    "o hara", and then no longer stem tells them apart). A key that comes with a second
    skeleton (_Unspaced) is a stem's key once."""
    pending = [(entries, STEM_LENGTH)]
    while pending:
        group, length = pending.pop()
        shared: dict[str, list[str]] = {}
        for first in range(0, len(group), STEM_BATCH):
            batch = group[first : first + STEM_BATCH]
            for stem, entry in zip(_skeletons(batch, length, normalizer), batch, strict=True):
                shared.setdefault(stem, []).append(entry)
        for stem, alike in shared.items():
            if len(alike) > MAX_KEYS_PER_STEM:
                skeletons = _skeletons(alike, MAX_KEY_LENGTH, normalizer)
                # os.path.commonprefix compares strings, not paths.
                common = len(os.path.commonprefix(skeletons))  # noqa: RUF071
                if len(set(map(str, alike))) > MAX_KEYS_PER_STEM and common < max(map(len, skeletons)):
                    pending.append((alike, common + 1))
                    continue
            # The _Unspaced keys are the last of the entries, so the last of any group.
            yield stem, list(dict.fromkeys(map(str, alike))) if isinstance(alike[-1], _Unspaced) else alike


def identifier_patterns(
    identifier: Identifier, normalizer: Normalizer, policy: Policy, names: NameData | None = None
) -> list[NameKey]:
    """The normalised strings that stand for an identifier in normalised text, each with
    its form (gate/names.py: all PLAIN but some of a name's)."""
    family = kind_named(identifier.kind).family
    patterns: dict[NameKey, None] = {}
    listed = spellings(identifier.value) if family == "name" else [identifier.value]
    for written in (case for spelling in listed for case in _cases(spelling)):
        if family == "name":
            names = names or NameData.for_policy(policy, frozenset(), {})
            patterns.update(dict.fromkeys(name_keys(written, normalizer, names)))
            continue
        value = normalizer.text(written).strip()
        if family == "handle":
            patterns[NameKey(value.lstrip("@").strip(), PLAIN)] = None
        elif family == "groups":
            patterns.update(dict.fromkeys(NameKey(key, PLAIN) for key in id_patterns(value)))
        else:
            patterns[NameKey(value, PLAIN)] = None
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
    """Every place in `text`, or in a view of it, where an identifier stands, and where an
    allow term stands in the text as written; each client once per place.

    An allow term is not taken from a view: a view can join what a reader never sees
    together ("Kim Lowe <span hidden>Trust</span>" renders "Kim Lowe Trust", which would
    have hidden the name behind the allowed "Kim Lowe Trust"). A name that the text around
    it shows is not written as that name is no match (gate/precision.py), judged in the
    text or view it was found in."""
    return find_all(matcher, text, views).matches


def find_all(matcher: Matcher, text: str, views: Sequence[View] = ()) -> Found:
    """find_matches, and the clues in the text and its views, at their places in `text`."""
    clues: dict[Match, None] = {}
    found = _without_clues(_text_matches(matcher, text), clues)
    matches = written_as_names(text, found, matcher.kind_of, matcher.given_names)
    for view in views:
        view_clues: dict[Match, None] = {}
        found = _without_clues(_text_matches(matcher, view.text), view_clues)
        for start, end, target, form in [
            *written_as_names(view.text, found, matcher.kind_of, matcher.given_names),
            *view_clues,
        ]:
            if target >= 0:
                match = Match(view.starts.source(start), view.ends.source(end - 1) + 1, target, form)
                if form in CLUE_FORMS:
                    clues[match] = None
                else:
                    matches.append(match)
    return Found(_once_per_place(matcher, matches), list(clues))


def _without_clues(matches: list[Match], clues: dict[Match, None]) -> list[Match]:
    """The matches that are no clue; the clues put in `clues`."""
    if not any(match.form in CLUE_FORMS for match in matches):
        return matches
    clues.update(dict.fromkeys(match for match in matches if match.form in CLUE_FORMS))
    return [match for match in matches if match.form not in CLUE_FORMS]


def names_anyone(matcher: Matcher, text: str) -> bool:
    """Whether an identifier, or what a combination needs, stands anywhere in `text`: a
    detail that is no number, or a name with the surname's initial as the automaton finds
    it (`Kim L.`; gate/clues.py: a number counts beside one of them, a given name only
    with a detail). Two initials alone (`K. L.`) and a given name alone are not looked
    for here: a page whose sketch shows one of them and no detail is not rendered, and a
    given name hidden by markup in a chunk of its own is then not read (docs/matching.md).
    An allow term is no identifier."""
    return any(
        match.target >= 0 and (match.form not in CLUE_FORMS or matcher.pairs_with_numbers(match.form, match.target))
        for match in _text_matches(matcher, text)
    )


def _text_matches(matcher: Matcher, text: str) -> list[Match]:
    normalized = matcher.normalizer.normalize(text)
    candidates = list(word_matches(matcher, normalized.text))
    if matcher.phones:
        pairs = [start for start, _, codes in candidates if SPOKEN_CODE in codes]
        candidates += phone_matches(matcher, normalized.text)
        candidates += spoken_phone_matches(matcher, normalized.text, pairs) if pairs else []
    matches = []
    for start, end, codes in candidates:
        source_start = normalized.source(start)
        source_end = normalized.source(end - 1) + 1
        for target in _written_forms(matcher, text, normalized, (start, end), source_start, source_end, codes):
            if isinstance(target, Match):  # a title and a surname
                matches.append(target)
                continue
            kind = matcher.kind_of(target) if target >= 0 else None
            if kind and not _whole_token(kind, text, source_start, source_end):
                continue
            if kind and kind.family == "handle" and source_start and text[source_start - 1] in "@#":
                # The handle's key has no sigil; the finding covers the "@" as written.
                matches.append(Match(source_start - 1, source_end, target))
                continue
            matches.append(Match(source_start, source_end, target))
    return matches


def _written_forms(
    matcher: Matcher,
    text: str,
    normalized: Normalized,
    span: tuple[int, int],
    source_start: int,
    source_end: int,
    codes: tuple[int, ...],
) -> Iterator[int | Match]:
    """The targets of the codes found at [start, end) of the normalised text whose forms
    the text bears out: each PLAIN one; a CAPITALISED one where every word is capitalised
    as written (gate/precision.py); for a title, the Match of each client whose surname
    follows it (_titled_surnames)."""
    if max(codes) < FORM_BASE:  # all PLAIN, as nearly every key's
        yield from codes
        return
    capitalised: bool | None = None
    for code in codes:
        form, target = divmod(code, FORM_BASE) if code >= 0 else (PLAIN, code)
        if form == PLAIN:
            yield target
        elif form == CAPITALISED:
            if capitalised is None:
                capitalised = capitalised_as_written(text[source_start:source_end])
            if capitalised:
                yield target
        elif form == OTHER_GIVEN_NAME:
            yield Match(source_start, source_end, target, OTHER_GIVEN_NAME)
        elif form == DETAIL_CLUE:
            yield Match(source_start, source_end, target, DETAIL_CLUE)
        elif form == NAME_CLUE:  # a given name, an initial: a name only capitalised
            if capitalised is None:
                capitalised = capitalised_as_written(text[source_start:source_end])
            if capitalised and not (target < matcher.name_clues.leading and _name_goes_on(text, source_end)):
                yield Match(source_start, source_end, target, NAME_CLUE)
        elif code == TITLE_CODE:
            yield from _titled_surnames(matcher, text, normalized, *span)
        # SPOKEN_CODE: read apart, with the list's phones (spoken_phone_matches)


class GivenNames(NamedTuple):
    """Given names to look for: each normalised -> its clue number, their first words, and
    where they are few, a pattern of those words (one pass of re over a text, where
    reading all its words first took longer)."""

    clues: Mapping[str, int]
    firsts: frozenset[str]
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, clues: Mapping[str, int]) -> GivenNames:
        firsts = frozenset(key.split(" ")[0] for key in clues)
        return cls(clues, firsts, _words_pattern(firsts) if len(firsts) <= MAX_PATTERN_WORDS else None)


NO_GIVEN_NAMES = GivenNames({}, frozenset())
MAX_PATTERN_WORDS = 64


def _words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """The words, whole; a possessive `'s` after one is no letter of it (`Kim's bakery`)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_'])(?:{alternatives})(?![^\W_]|'(?!s(?![^\W_]))[^\W_])")


def given_name_clues(matcher: Matcher, text: str, views: Sequence[View], wanted: GivenNames) -> list[Match]:
    """The given names `wanted` in `text` and its views, capitalised as written, at their
    places in `text`: NAME_CLUE matches, each once."""
    found = dict.fromkeys(_given_names(matcher, text, wanted))
    for view in views:
        for start, end, target, form in _given_names(matcher, view.text, wanted):
            found[Match(view.starts.source(start), view.ends.source(end - 1) + 1, target, form)] = None
    return list(found)


# A word of normalised text (its marks are gone): re reads it half as fast again as regex.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_BARE_WORD = re.compile(r"[^\W_]+")  # `kim` of `kim's`


def _given_names(matcher: Matcher, text: str, wanted: GivenNames) -> Iterator[Match]:
    """Where the words of the text are one of the given names wanted: those whose first
    word is among the text's words (found in C) are looked for, and only they. An ASCII
    text is normalised for it only where its words in small letters hold one (normalising
    is most of the work, and ASCII letters normalise to their small letters)."""
    if text.isascii() and not _holds_a_first(text.lower(), wanted):
        return
    normalized = matcher.normalizer.normalize(text)
    folded = normalized.text
    pattern = wanted.pattern
    if pattern is None:  # many: only those among the text's words
        present = wanted.firsts.intersection(_BARE_WORD.findall(folded))
        if "'" in folded and any("'" in first for first in wanted.firsts):  # `d'arcy`: with its apostrophe
            present |= wanted.firsts.intersection(_WORD.findall(folded))
        if not present:
            return
        pattern = _words_pattern(present)
    for found in pattern.finditer(folded):
        start, end = found.span()
        for _ in range(matcher.given_words):
            clue = wanted.clues.get(folded[start:end])
            source_start, source_end = normalized.source(start), normalized.source(end - 1) + 1
            if clue is not None and capitalised_as_written(text[source_start:source_end]):
                yield Match(source_start, source_end, clue, NAME_CLUE)
            following = _WORD.match(folded, end + 1) if folded[end : end + 1] == " " else None
            if following is None:
                break
            end = following.end()


def _holds_a_first(text: str, wanted: GivenNames) -> bool:
    if wanted.pattern is not None:
        return wanted.pattern.search(text) is not None
    return not wanted.firsts.isdisjoint(_WORD.findall(text)) or not wanted.firsts.isdisjoint(_BARE_WORD.findall(text))


_INITIALS_KEY = re.compile(r"[^\W\d_]\. [^\W\d_]")
# Two initials as written: `K. L.`, `K.L.`, `K. L`, blanks and one line break between them
# (not inside a longer run of them, `J.R.R.`).
_INITIALS = regex.compile(r"(?<![\w.])(\p{Lu})\.[^\S\n]*+(?:\n[^\S\n]*+)?(\p{Lu})(?![\w])(?!\.\w)")


def initial_clues(matcher: Matcher, text: str, views: Sequence[View] = ()) -> list[Match]:
    """Both initials of a listed name (`K. L.`, `K.L.`) in `text` and its views, capitals
    as written and not a middle one's (`J. R. Smith`), at their places in `text`:
    NAME_CLUE matches, each once."""
    if not matcher.initials:
        return []
    found = dict.fromkeys(_initials(matcher, text))
    for view in views:
        for start, end, target, form in _initials(matcher, view.text):
            found[Match(view.starts.source(start), view.ends.source(end - 1) + 1, target, form)] = None
    return list(found)


def _initials(matcher: Matcher, text: str) -> Iterator[Match]:
    for written in _INITIALS.finditer(text):
        first, last = (matcher.normalizer.text(letter).strip() for letter in written.groups())
        clue = matcher.initials.get(f"{first}. {last}")
        if clue is not None and not _name_goes_on(text, written.end()):
            yield Match(written.start(), written.end(), clue, NAME_CLUE)


_NAME_GOES_ON = re.compile(r"\.?[^\S\r\n]*[^\W\d_]")


def _name_goes_on(text: str, end: int) -> bool:
    """Whether a capitalised word follows an initial that ends at `end`: then the initial is
    a middle one (`John P. Smith`, `J.T. Smith`), not a surname's (`Kim L.`)."""
    found = _NAME_GOES_ON.match(text, end)
    return found is not None and found.group()[-1].isupper()


def _titled_surnames(matcher: Matcher, text: str, normalized: Normalized, start: int, end: int) -> Iterator[Match]:
    """After the title at [start, end) of the normalised text (its blank included), each
    surname of the table that ends a word within MAX_SURNAME_WORDS words, where blanks
    alone stand between title and surname as written (not `Dr_Stein`, `mx-santos`): a
    Match from the title's start for each client of that surname."""
    folded = normalized.text
    if end >= len(folded) or not folded[end].isalnum():
        return
    source_end = normalized.source(end)
    if not text[normalized.source(end - 2) + 1 : source_end].isspace():
        return
    blanks = 0
    for last in range(end, min(len(folded), end + matcher.longest_surname)):
        if folded[last] == " ":
            blanks += 1
            if blanks == MAX_SURNAME_WORDS:
                return
        elif at_boundary(folded, last, last + 1) and (code := matcher.surnames.get(folded[end : last + 1])) is not None:
            source_start, source_last = normalized.source(start), normalized.source(last) + 1
            yield from (
                Match(source_start, source_last, target, AFTER_TITLE) for target in _decode(code, matcher.groups)
            )


def word_matches(matcher: Matcher, text: str) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """Where the keys stand in normalised `text` as whole words: (start, end, targets)."""
    automaton = matcher.keys.automaton
    if automaton is None:
        return
    longest = matcher.keys.longest_stem
    skeleton = matcher.normalizer.skeleton(text)
    yield from _keys_found(matcher, _stems_found(automaton, skeleton, longest), text)
    for offset, piece in matcher.normalizer.unspaced_pieces(skeleton, longest):
        yield from _keys_found(
            matcher, _stems_found(automaton, piece, longest), text, offset=offset, after_unspaced=True
        )


def _stems_found(automaton: ahocorasick.Automaton, skeleton: str, longest: int) -> Iterator[tuple[int, int]]:
    """(end, row) of each stem in `skeleton`, read SCAN_CHUNK characters at a time, each
    piece from far enough back for a stem that ends in it: pyahocorasick copies the text
    it reads to four bytes a character, and a copy of tens of megabytes, made afresh for
    every text, took a 17 MB text seven times as long as one of 4 MB."""
    for start in range(0, len(skeleton), SCAN_CHUNK):
        first = max(0, start - longest + 1)
        for last, row in automaton.iter(skeleton[first : start + SCAN_CHUNK]):
            if first + last >= start:  # else the piece before found it
                yield first + last, row


def _keys_found(
    matcher: Matcher,
    stems: Iterable[tuple[int, int]],
    text: str,
    *,
    offset: int = 0,
    after_unspaced: bool = False,
) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """The keys of the stems that the automaton finds, (end, row), in the skeleton of `text`
    (or in a piece of it that starts at `offset`), where the text holds them.
    `after_unspaced`: only the words that begin right after a letter of a script written
    without spaces (Normalizer.unspaced_pieces)."""
    table = matcher.keys
    for last, row in stems:
        stem_start = offset + last - table.stem_lengths[row]  # in the text, which has no leading blank
        for number, key in enumerate(table.keys[row].split(KEY_SEPARATOR), table.first_keys[row]):
            begins_word = table.word_starts[number]
            start = stem_start + begins_word  # the stem of a word begins with its blank
            if not text.startswith(key, start):
                continue
            if after_unspaced and not (begins_word and start and text[start - 1].isalnum()):
                continue
            end = start + len(key)
            if at_boundary(text, start - 1, start) and at_boundary(text, end - 1, end):
                yield start, end, _decode(table.codes[number], matcher.groups)


def at_boundary(text: str, left: int, right: int) -> bool:
    """True unless the characters at `left` and `right` are letters of one word."""
    if left < 0 or right >= len(text):
        return True
    before, after = text[left], text[right]
    if not (before.isalnum() and after.isalnum()):
        return True
    # Scripts written without spaces between words have no boundary to find.
    return no_space_script(before) or no_space_script(after)


def phone_matches(matcher: Matcher, text: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """Phones on their digits, starting and ending on whole runs of digits."""
    if not matcher.phones:
        return []
    shortest = _shortest_form(matcher.phones)
    if text.isascii():
        shape = text.encode().translate(_PHONE_SHAPE)
        clusters = [cluster.span() for cluster in re.finditer(_PHONE_CLUSTER_SHAPE % (shortest - 1), shape)]
    else:
        clusters = [cluster.span() for cluster in regex.finditer(_PHONE_CLUSTER % (shortest - 1), text)]
    found = []
    for cluster_start, cluster_end in clusters:
        found += _cluster_phones(matcher, text, cluster_start, cluster_end, shortest)
    return found


def _shortest_form(table: phones.PhoneTable) -> int:
    """How many digits the shortest form of the table has: its smallest number is
    int("1" + the shortest form)."""
    if not table.numbers:
        return min(map(len, table.longer))
    return len(str(table.numbers[0])) - 1


def _cluster_phones(
    matcher: Matcher, text: str, cluster_start: int, cluster_end: int, shortest: int
) -> list[tuple[int, int, tuple[int, ...]]]:
    """The phones in one cluster of digit runs."""
    found = _phones_in_runs(matcher, _DIGITS.findall(text, cluster_start, cluster_end), shortest)
    if not found:
        return []
    spans = [run.span() for run in _DIGITS.finditer(text, cluster_start, cluster_end)]
    return [(spans[first][0], spans[last - 1][1], targets) for first, last, targets in found]


def spoken_phone_matches(matcher: Matcher, text: str, pairs: list[int]) -> list[tuple[int, int, tuple[int, ...]]]:
    """Phones written in words about the places in normalised `text` where two number
    words stand in a row (gate/spoken.py), each word a run of digits."""
    shortest = _shortest_form(matcher.phones)
    found = []
    for words in spoken.spoken_runs(text, pairs):
        for first, last, targets in _phones_in_runs(matcher, [word.digits for word in words], shortest):
            found.append((words[first].start, words[last - 1].end, targets))
    return found


def _phones_in_runs(matcher: Matcher, runs: list[str], shortest: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """Each sequence runs[first:last] whose digits, run together, are a form of the table,
    looked up only where they are as many as a form can be: (first, last, targets)."""
    digits = "".join(runs)
    bounds = list(itertools.accumulate(map(len, runs), initial=0))  # where each run starts in `digits`
    longest = matcher.phones.max_digits
    found = []
    for first, begin in enumerate(bounds[:-1]):
        if bounds[-1] - begin < shortest:
            break  # not digits enough left for a form
        # Every run has a digit: a form ends within the next `longest` runs.
        for last in range(first + 1, min(len(bounds), first + longest + 1)):  # runs[first:last]
            size = bounds[last] - begin
            if size > longest:
                break
            code = matcher.phones.get(digits[begin : bounds[last]]) if size >= shortest else None
            if code is not None:
                found.append((first, last, _decode(code, matcher.groups)))
    return found


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
    not one "Lowe, Kim"). A title's or another given name's match (a warning's wording)
    is kept only where it overlaps no other match of its client: "Mrs Lowe, Kim" is
    "Lowe, Kim", which blocks."""
    plain = [match for match in matches if match.form not in _SOFT_FORMS]
    kept = _leftmost_longest(matcher, plain)
    soft = [match for match in matches if match.form in _SOFT_FORMS]
    if not soft:
        return kept
    spans: dict[int, list[tuple[int, int]]] = {}
    for match in plain:
        if match.target >= 0:
            spans.setdefault(matcher.client_numbers[match.target], []).append((match.start, match.end))
    free = [
        match
        for match in soft
        if not any(
            start < match.end and match.start < end
            for start, end in spans.get(matcher.client_numbers[match.target], ())
        )
    ]
    return sorted(kept + _leftmost_longest(matcher, free), key=lambda match: (match.start, -match.end, match.form))


_SOFT_FORMS = frozenset({AFTER_TITLE, OTHER_GIVEN_NAME})


def _leftmost_longest(matcher: Matcher, matches: list[Match]) -> list[Match]:
    kept = []
    reach: dict[int, int] = {}
    # At one place the listed name comes before another given name's key (OTHER_GIVEN_NAME).
    for match in sorted(set(matches), key=lambda match: (match.start, -match.end, match.form, match.target)):
        if match.target < 0:
            kept.append(match)
            continue
        client = matcher.client_numbers[match.target]
        if match.start >= reach.get(client, -1):
            kept.append(match)
            reach[client] = match.end
    return kept
