"""`python -m bench.given_names`: writes gate/given-names.txt, the given names that tell a
middle initial ("Hunter S. Thompson") from a first one ("Dear S. Thompson").

The names are Faker's person providers' first names for the locales below, each word of
a compound name ("Hans-Peter", "María José") on its own, folded as gate/precision.py folds
the word before an initial. Run it again after a Faker upgrade and commit the file with
the Faker version its header names.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from collections.abc import Iterable
from pathlib import Path

from gate.precision import fold_word

LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "de_DE",
    "fr_FR",
    "es_ES",
    "es_MX",
    "it_IT",
    "nl_NL",
    "pt_BR",
    "pl_PL",
    "sv_SE",
)
_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
# First names that are also English words which begin a clause before a name: a
# capitalised "May", "My" or "Grant" in "May K. Lowe join?" is no evidence of a middle
# initial. Taken from the names that gate/common-words.txt also lists, and English words
# of two letters (that list has none); the names there that are mostly names ("John",
# "Mark", "Rose") stay.
NOT_EVIDENCE = frozenset(
    {"said", "may", "love", "lot", "job", "per", "else", "till", "grant", "kick", "lucky", "floor", "gun", "urban"}
    | {"german", "my", "lo"}
)
_WORD = re.compile(r"[^\W\d_]+")
OUTPUT = Path(__file__).resolve().parent.parent / "gate" / "given-names.txt"


def first_names(locales: Iterable[str] = LOCALES) -> set[str]:
    """Every first name of the locales' person providers, as Faker spells them."""
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in _ATTRIBUTES:
            names.update(getattr(provider, attribute, ()))
    return names


def given_name_words(names: Iterable[str]) -> list[str]:
    """The folded words of the names, but initials, particles ("del" in "María del Carmen")
    and words that are no evidence, sorted."""
    words = {fold_word(word) for name in names for word in _WORD.findall(name) if len(word) > 1 and word[0].isupper()}
    return sorted(words - NOT_EVIDENCE)


def render(words: list[str], faker_version: str) -> str:
    header = (
        "# Given names: a capitalised one right before an initial makes it a middle initial\n"
        '# ("Hunter S. Thompson" is not "S. Thompson"; gate/precision.py). Written by\n'
        f"# `python -m bench.given_names` from the first names of Faker {faker_version}'s person\n"
        f"# providers ({', '.join(LOCALES)}),\n"
        "# folded to lower case without accents. Faker is MIT-licensed:\n"
        "# https://github.com/joke2k/faker\n"
    )
    return header + "".join(f"{word}\n" for word in words)


def main() -> int:
    words = given_name_words(first_names())
    OUTPUT.write_text(render(words, importlib.metadata.version("faker")), encoding="utf-8")
    print(f"{OUTPUT}: {len(words)} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
