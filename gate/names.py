"""The keys a listed `name` is compiled into: the name and the ways people write it
(docs/matching.md, "Kinds"), each switched in policy.toml's `[variants]`.

A word of the listed name is what spaces set apart in it, so a hyphenated given name or
surname is one word (`Jean-Baptiste`, `Lowe-Smith`); each word is normalised on its own.
Every key comes with its form: PLAIN keys count wherever they stand; CAPITALISED ones only
where every word is capitalised as written (gate/precision.py); AFTER_TITLE ones, a
surname, only right after a title (gate/titles.py).
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple

from gate.normalize import Normalizer
from gate.wordlist import Policy

NICKNAMES_FILE = "nicknames.txt"  # written by `python -m bench.nicknames`
MAX_NICKNAMES = 12  # other given names of one name: 95% of the table's have 7 or fewer
# OTHER_GIVEN_NAME keys count where PLAIN ones do, and their findings say so (gate/written.py).
# 3 and 5 are the matcher's own: a title (TITLE_CODE), two number words (SPOKEN_CODE).
PLAIN, CAPITALISED, AFTER_TITLE, OTHER_GIVEN_NAME = 0, 1, 2, 4
_PREFIXED = "od"  # O'Sullivan, D'Souza: written run together or apart as well


class NameKey(NamedTuple):
    key: str  # normalised
    form: int  # PLAIN, CAPITALISED, AFTER_TITLE or OTHER_GIVEN_NAME


@dataclass(frozen=True)
class NameData:
    """What the variants are made from, normalised: the given names that tell a second
    given name from a first surname, and the given names that stand for one another."""

    given_names: Container[str] = frozenset()
    nicknames: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    variants: tuple[str, ...] = ()  # those switched on, of VARIANT_KEYS

    @classmethod
    def for_policy(
        cls, policy: Policy, given_names: Container[str], nicknames: Mapping[str, tuple[str, ...]]
    ) -> NameData:
        return cls(given_names, nicknames, tuple(name for name in VARIANT_KEYS if policy.variant(name)))


def load_nicknames(normalizer: Normalizer) -> dict[str, tuple[str, ...]]:
    """The gate's table of given names that stand for one another, normalised. Read when a
    list is compiled."""
    text = resources.files("gate").joinpath(NICKNAMES_FILE).read_text(encoding="utf-8")
    return parse_nicknames(text, normalizer)


def parse_nicknames(text: str, normalizer: Normalizer) -> dict[str, tuple[str, ...]]:
    """`name: other, other` a line; `#` begins a comment line."""
    table = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, others = line.partition(":")
        table[normalizer.text(name).strip()] = tuple(normalizer.text(other).strip() for other in others.split(","))
    return table


def name_keys(written: str, normalizer: Normalizer, data: NameData) -> list[NameKey]:
    """The keys of a name as listed (one spelling of it), each once, the name's own first."""
    pairs = [
        (token, word)
        for token, word in zip(written.split(), _normalized_words(written, normalizer), strict=True)
        if word
    ]
    listed, words = [token for token, _ in pairs], [word for _, word in pairs]
    keys = [NameKey(" ".join(words), PLAIN)]
    if len(words) < 2:
        return keys
    name = _Parsed.of(words, listed, data.given_names)
    for variant in data.variants:
        keys += VARIANT_KEYS[variant](name, data)
    return list(dict.fromkeys(keys))


class ClueKeys(NamedTuple):
    given: list[str]  # the given names: `kim`, `kimberly`
    initialled: list[str]  # with the surname's initial: `kim l`, and both initials `k. l`


def clue_keys(written: str, normalizer: Normalizer, data: NameData) -> ClueKeys:
    """The weak clues a listed name gives (gate/clues.py), normalised: its given name, the
    first of them alone, their other given names (`Liz` for `Elizabeth`); and the given
    name with the surname's initial (`Kim L.`), and both initials (`K. L.`, `K.L.`). None
    for a name of one word."""
    words = [word for word in _normalized_words(written, normalizer) if word]
    if len(words) < 2:
        return ClueKeys([], [])
    name = _Parsed.of(words, written.split(), data.given_names)
    given = [" ".join(name.given), name.given[0]]
    others = [other for first in given for other in data.nicknames.get(first, ())][:MAX_NICKNAMES]
    surname = name.surnames[1] if name.double else name.surnames[-1]
    initials = [f"{name.given[0][0]}. {surname[0]}"]  # `K.L.` too: gate/matcher.py, initial_clues
    return ClueKeys(
        [key for key in dict.fromkeys([*given, *others]) if key[0].isalnum()],
        [key for key in dict.fromkeys([*(f"{first} {surname[0]}" for first in given), *initials]) if key[0].isalnum()],
    )


def _normalized_words(written: str, normalizer: Normalizer) -> list[str]:
    """Each word (what blanks set apart) normalised: in one call, the words joined by a
    `/` (which normalisation keeps), unless a word holds one."""
    listed = written.split()
    words = normalizer.text("/".join(listed)).split("/")
    if len(words) != len(listed):  # a word holds what normalises to "/"
        return [normalizer.text(word).strip() for word in listed]
    return [word.strip() for word in words]


class _Parsed(NamedTuple):
    """A listed name of two words or more: its given names and its surnames."""

    words: list[str]  # normalised
    given: list[str]  # the given names: the words before the surname, or before the two surnames
    # How the surname is written alone, the whole first: the last word; of two surnames,
    # both, the first, the second; of a surname with particles, it and its last word.
    surnames: list[str]
    double: bool  # two surnames, Spanish style

    @classmethod
    def of(cls, words: list[str], written: list[str], given_names: Container[str]) -> _Parsed:
        """Two surnames (`María José Fernández García`) where the name has three words or
        more and neither of the last two is a given name (`Anna Lena Berg` has one), and the
        first of them is capitalised as listed (`Juan de la Cruz` has one). A surname with
        particles (`Pieter de Vries`, `Anna van der Berg`, `Juan de la Cruz`): the
        particles in small letters after the first word, up to a capitalised last word, are
        the surname's, written with it (and its last word is a surname alone too)."""
        particles = _first_particle(written)
        if particles:
            return cls(words, words[:particles], [" ".join(words[particles:]), words[-1]], double=False)
        double = (
            len(words) >= 3
            and words[-2] not in given_names
            and words[-1] not in given_names
            and not written[-2][:1].islower()
        )
        if double:
            return cls(words, words[:-2], [f"{words[-2]} {words[-1]}", words[-2], words[-1]], double=True)
        return cls(words, words[:-1], [words[-1]], double=False)


# The particles of surnames (`de Vries`, `van der Berg`, `de la Cruz`, `dos Santos`,
# `von Trapp`, `al Rashid`, `bin Laden`, `ter Horst`): words that belong to the surname.
PARTICLES = frozenset(
    [
        "d",
        "da",
        "das",
        "de",
        "del",
        "della",
        "dei",
        "degli",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "van",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "ter",
        "ten",
        "te",
        "al",
        "bin",
        "ibn",
        "bint",
        "ben",
        "ap",
        "af",
        "av",
        "st",
    ]
)


def _first_particle(written: list[str]) -> int:
    """Where the particles of a surname begin in a name as listed: the first of the words
    after the first that are PARTICLES written in small letters and precede a last word
    that is not (`de` in `Pieter de Vries`); 0 for none (`Anna lena Berg`, `José Ortega y
    Gasset`)."""
    if len(written) < 3 or written[-1][:1].islower() or not _particle(written[-2]):
        return 0
    first = len(written) - 2
    while first > 1 and _particle(written[first - 1]):
        first -= 1
    return first


def _particle(word: str) -> bool:
    return word[:1].islower() and word in PARTICLES


def _last_first(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """`Lowe, Kim`; a surname of several words whole (`Fernández García, María José`,
    `de Vries, Pieter`) and, of two surnames, the first (`Fernández, María José`)."""
    given = " ".join(name.given)
    yield NameKey(f"{name.words[-1]}, {' '.join(name.words[:-1])}", PLAIN)
    if " " in name.surnames[0]:
        yield NameKey(f"{name.surnames[0]}, {given}", PLAIN)
    if name.double:
        yield NameKey(f"{name.surnames[1]}, {given}", PLAIN)


def _initial_last(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    first, last = name.words[0], name.words[-1]
    if first[0].isalnum():
        yield from (NameKey(f"{first[0]}. {last}", PLAIN), NameKey(f"{first[0]}.{last}", PLAIN))


def _joined_tag(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    yield NameKey("@" + "".join(name.words).replace("'", "").replace(" ", ""), PLAIN)  # "#" normalises to "@"


def _surname_first(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """`Lowe Kim` (and East Asian order: `Kim Min-jun` listed is `Min-jun Kim`)."""
    yield NameKey(f"{name.words[-1]} {' '.join(name.words[:-1])}", CAPITALISED)


def _title_last(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    for surname in name.surnames:
        yield NameKey(surname, AFTER_TITLE)
        if "no_apostrophe" in data.variants:
            yield from (NameKey(spelled, AFTER_TITLE) for spelled in _without_apostrophe(surname))


def _nicknames(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """Each other given name the table has for the whole given name (`María José`) or its
    first word, with the surnames as written (never a given name alone)."""
    compound = " ".join(name.given)
    others = [*data.nicknames.get(compound, ()), *(data.nicknames.get(name.given[0], ()) if name.given[1:] else ())]
    surnames = [" ".join(name.words[len(name.given) :]), *(name.surnames[1:2] if name.double else ())]
    for other in list(dict.fromkeys(others))[:MAX_NICKNAMES]:
        yield from (NameKey(f"{other} {surname}", OTHER_GIVEN_NAME) for surname in surnames)


def _first_surname(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """`María José Fernández` and `María Fernández` for `María José Fernández García`, and
    `María Fernández García` (the first given name and both surnames)."""
    if name.double:
        yield NameKey(f"{' '.join(name.given)} {name.surnames[1]}", PLAIN)
        yield NameKey(f"{name.given[0]} {name.surnames[1]}", PLAIN)
        if name.given[1:]:
            yield NameKey(f"{name.given[0]} {name.surnames[0]}", PLAIN)


def _first_last(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """The first word and the last of a name of three words or more: `Kim Lowe` for
    `Kim Ann Lowe`, `João Santos` for `João Pedro Silva Santos` (the surname Portuguese
    speakers use is the last)."""
    if len(name.words) >= 3:
        yield NameKey(f"{name.words[0]} {name.words[-1]}", PLAIN)


def _hyphen_initials(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """A hyphenated first given name by its initials: `J.-B. Kaboré` (normalised `j. b.`),
    `J.B. Kaboré`, `JB Kaboré`, `J-B Kaboré`."""
    parts = name.words[0].split(" ")  # a hyphen is a space once normalised
    if len(parts) < 2 or not all(part[0].isalnum() for part in parts):
        return
    initials, last = [part[0] for part in parts], name.words[-1]
    for joined in (". ".join(initials) + ".", ".".join(initials) + ".", "".join(initials), " ".join(initials)):
        yield NameKey(f"{joined} {last}", PLAIN)


def _no_apostrophe(name: _Parsed, data: NameData) -> Iterator[NameKey]:
    """`Siobhán O'Sullivan` as `Siobhan OSullivan` and `Siobhan O Sullivan`."""
    for index, word in enumerate(name.words):
        for spelled in _without_apostrophe(word):
            yield NameKey(" ".join([*name.words[:index], spelled, *name.words[index + 1 :]]), PLAIN)


def _without_apostrophe(word: str) -> list[str]:
    if len(word) > 2 and word[0] in _PREFIXED and word[1] == "'" and word[2].isalnum():
        return [word[0] + word[2:], f"{word[0]} {word[2:]}"]
    return []


VARIANT_KEYS = {
    "last_first": _last_first,
    "initial_last": _initial_last,
    "joined_tag": _joined_tag,
    "surname_first": _surname_first,
    "title_last": _title_last,
    "nicknames": _nicknames,
    "first_surname": _first_surname,
    "first_last": _first_last,
    "hyphen_initials": _hyphen_initials,
    "no_apostrophe": _no_apostrophe,
}
