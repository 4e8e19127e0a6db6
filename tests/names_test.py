"""A name as people write it (docs/matching.md, "Kinds"): nicknames and formal names, a
title and the surname, the surname first, partial forms of long names, initials of a
hyphenated given name, O' names without the apostrophe — each row found or not found."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from gate.matcher import Matcher, find_matches
from gate.names import MAX_NICKNAMES, NICKNAMES_FILE, NameData, load_nicknames, name_keys, parse_nicknames
from gate.normalize import Normalizer
from gate.wordlist import VARIANTS, Policy
from tests.support.wordlists import compile_rows

ROOT = Path(__file__).resolve().parent.parent


def found(listed: str, text: str, policy: str = "") -> list[str]:
    """The text of each match of a list holding only `listed`, as written."""
    matcher = compiled(listed, policy)
    return [text[match.start : match.end] for match in find_matches(matcher, text)]


_COMPILED: dict[tuple[str, str], Matcher] = {}


def compiled(listed: str, policy: str) -> Matcher:
    if (listed, policy) not in _COMPILED:
        _COMPILED[listed, policy] = compile_rows(f"C,name,{listed},\n", policy=policy)
    return _COMPILED[listed, policy]


NICKNAMES = [
    # a nickname with the listed surname, and the formal name of a listed nickname
    ("William Lowe", "Bill Lowe came", ["Bill Lowe"]),
    ("William Lowe", "thanks, Will Lowe!", ["Will Lowe"]),
    ("William Lowe", "BILLY LOWE", ["BILLY LOWE"]),
    ("William Lowe", "Willie Lowe", ["Willie Lowe"]),
    ("Bill Lowe", "William Lowe", ["William Lowe"]),
    ("Elizabeth Lowe", "Liz Lowe", ["Liz Lowe"]),
    ("Elizabeth Lowe", "Betty Lowe", ["Betty Lowe"]),
    ("Liz Lowe", "Elizabeth Lowe", ["Elizabeth Lowe"]),
    ("Robert Lowe", "Bob Lowe", ["Bob Lowe"]),
    ("Bob Lowe", "Robert Lowe", ["Robert Lowe"]),
    ("Kim Ann Lowe", "Kimberly Lowe", ["Kimberly Lowe"]),  # the first given name's, the other dropped
    # Spanish short forms, compound given names too, from the gate's own table
    ("María José Fernández García", "Majo Fernández", ["Majo Fernández"]),
    ("María José Fernández García", "Majo Fernández García", ["Majo Fernández García"]),
    ("Majo Ruiz", "María José Ruiz", ["María José Ruiz"]),
    ("José Ruiz", "Pepe Ruiz", ["Pepe Ruiz"]),
    ("Francisco Ruiz", "Paco Ruiz", ["Paco Ruiz"]),
    ("Ignacio Ruiz", "Nacho Ruiz", ["Nacho Ruiz"]),
    ("Dolores Ruiz", "Lola Ruiz", ["Lola Ruiz"]),
    # one step each way, as the data says: Liam is not William's there, nor Willy Bill's
    ("William Lowe", "Liam Lowe", []),
    ("Bill Lowe", "Willy Lowe", []),
    # nor the English words the data has for nicknames that do not begin their names
    ("Seymour Lowe", "see Lowe", []),
    ("David Lowe", "one day Lowe", []),
    ("Nathaniel Lowe", "more than Lowe", []),
    # never the given name alone, nor with another surname
    ("William Lowe", "Bill said so", []),
    ("William Lowe", "Bill Lowell", []),
    ("William Lowe", "Bill Smith", []),
    ("Pat Lowe", "Patricia Lowe and Patrick Lowe", ["Patricia Lowe", "Patrick Lowe"]),
]

TITLES = [
    # a title of English (the default languages) and the surname, with or without its period
    ("Kim Lowe", "Mr Lowe", ["Mr Lowe"]),
    ("Kim Lowe", "said Mrs. Lowe.", ["Mrs. Lowe"]),
    ("Kim Lowe", "Ms Lowe", ["Ms Lowe"]),
    ("Kim Lowe", "Dr Lowe and Dr. Lowe", ["Dr Lowe", "Dr. Lowe"]),
    ("Kim Lowe", "Mx Lowe", ["Mx Lowe"]),
    ("Kim Lowe", "Miss Lowe", ["Miss Lowe"]),
    ("Kim Lowe", "(Prof. Lowe)", ["Prof. Lowe"]),
    ("Kim Lowe", "MR. LOWE", ["MR. LOWE"]),
    ("Kim Lowe", "Mr\nLowe", ["Mr\nLowe"]),
    ("Kim Lowe", "Mr. Lowe's dog and Mrs Lowe.", ["Mr. Lowe", "Mrs Lowe"]),
    ("Siobhán O'Sullivan", "Ms O Sullivan and Ms O'Sullivan", ["Ms O Sullivan", "Ms O'Sullivan"]),
    ("André Ødegård", "Ms Ødegård", ["Ms Ødegård"]),
    ("André Ødegård", "MS ODEGARD", ["MS ODEGARD"]),
    ("Kim Lowe-Smith", "Mrs Lowe-Smith", ["Mrs Lowe-Smith"]),
    ("Siobhán O'Sullivan", "Ms OSullivan", ["Ms OSullivan"]),
    # the surname alone, or after anything but a title, is not the name
    ("Kim Lowe", "Lowe said", []),
    ("Kim Lowe", "the Mr. Lowell case", []),
    ("Kim Lowe", "Mr.Lowe", []),
    ("Kim Lowe", "Mrs Kim", []),
    ("Kim Lowe", "Mrs Lowes and Mr Lowe2", []),
    ("Kim Lowe", "Mr and Mrs Lowe", ["Mrs Lowe"]),
    ("Kim Lowe", "Mr\n\nLowe", []),
    ("Kim Lowe", "Miss. Lowe", []),  # "Miss" is a word, not an abbreviation
    ("Kim Lowe", "Hummr Lowe", []),
    ("Kim Lowe", "Dr_Lowe and /mr-lowe", []),  # blanks alone stand between them as written
    ("Kim Lowe-Smith", "Mrs Smith", []),
    # a surname with particles is written with them (`gate/names.py`, _first_particle)
    ("Pieter de Vries", "Mr de Vries and Mr De Vries", ["Mr de Vries", "Mr De Vries"]),
    ("Juan de la Cruz", "Dr de la Cruz", ["Dr de la Cruz"]),
    ("Pieter de Vries", "Mr Vries", ["Mr Vries"]),
    ("Juan de la Cruz", "Mr Cruz", ["Mr Cruz"]),
    ("Hassan al Rashid", "Mr al Rashid, Mr Rashid", ["Mr al Rashid", "Mr Rashid"]),
    # a word in small letters that is no particle is no surname's: a second given name
    ("Anna lena Berg", "Ms Berg", ["Ms Berg"]),
    ("Mary ann Smith", "Ms ann Smith", []),
    # a word that joins two surnames is no particle: each surname after a title, as ever
    ("José Ortega y Gasset", "Mr Gasset", ["Mr Gasset"]),
    ("Maria dos Santos e Silva", "Dr Silva", ["Dr Silva"]),
    # another language's titles only where policy.toml lists it
    ("Kim Lowe", "Mme Lowe", []),
    ("Kim Lowe", "Sr. Lowe", []),
]

LANGUAGE_TITLES = [
    ('languages = ["en", "fr"]', "Marie Dupont", "M. Dupont et Mme Dupont", ["M. Dupont", "Mme Dupont"]),
    ('languages = ["fr"]', "Marie Dupont", "Mlle Dupont, Mr Dupont", ["Mlle Dupont"]),
    ('languages = ["fr"]', "Marie Dupont", "Jean M. Dupont", []),  # a middle initial, as ever
    ('languages = ["de"]', "Jürgen Müller", "Herr Müller und Frau Mueller", ["Herr Müller", "Frau Mueller"]),
    ('languages = ["es"]', "Ana Ruiz", "la Sra. Ruiz y el Sr Ruiz", ["Sra. Ruiz", "Sr Ruiz"]),
    ('languages = ["es"]', "Ana Ruiz", "Doña Ruiz, Srta. Ruiz", ["Doña Ruiz", "Srta. Ruiz"]),
    ('languages = ["es"]', "María José Fernández García", "Sra. Fernández", ["Sra. Fernández"]),
    ('languages = ["es"]', "María José Fernández García", "Sra. García", ["Sra. García"]),
    ('languages = ["es"]', "María José Fernández García", "Sra. Fernández García", ["Sra. Fernández García"]),
    ('languages = ["it"]', "Anna Rossi", "la Sig.ra Rossi e il Dott. Rossi", ["Sig.ra Rossi", "Dott. Rossi"]),
    ('languages = ["pt"]', "João Pedro Silva Santos", "Sr. Santos", ["Sr. Santos"]),
    ('languages = ["nl"]', "Piet Jansen", "Dhr. Jansen en Mevr. Jansen", ["Dhr. Jansen", "Mevr. Jansen"]),
    # a surname with particles, written with them, in either case
    (
        'languages = ["nl"]',
        "Anna van der Berg",
        "Dhr. Van der Berg, Mevr. van der Berg",
        ["Dhr. Van der Berg", "Mevr. van der Berg"],
    ),
    ('languages = ["nl"]', "Anna van der Berg", "Mevr. Berg", ["Mevr. Berg"]),
]

ORDERS = [
    # the surname first without a comma, only where every word is capitalised as written
    ("Kim Lowe", "Lowe Kim", ["Lowe Kim"]),
    ("Kim Lowe", "LOWE KIM", ["LOWE KIM"]),
    ("Kim Ann Lowe", "Lowe Kim Ann", ["Lowe Kim Ann"]),
    ("Mark Price", "the Price Mark", ["Price Mark"]),
    ("Kim Lowe", "lowe kim", []),
    ("Kim Lowe", "Lowe kim", []),
    ("Mark Price", "the price mark", []),
    ("Kim Lowe", "/stories/lowe-kim", []),
    # East Asian order is the same key: a name listed surname first is found given name first
    ("Kim Min-jun", "Min-jun Kim", ["Min-jun Kim"]),
    ("Kim Min-jun", "Kim Min-jun", ["Kim Min-jun"]),
    ("Kim Min-jun", "min-jun kim", []),
    # sorted by the surname, with a comma: all its words, and of two surnames the first
    ("María José Fernández García", "Fernández García, María José", ["Fernández García, María José"]),
    ("María José Fernández García", "Fernández, María José", ["Fernández, María José"]),
    ("María José Fernández García", "García, María José", []),
    ("María José Fernández García", "fernández garcía, maría josé", []),
    ("Pieter de Vries", "De Vries, Pieter", ["De Vries, Pieter"]),
    ("Pieter de Vries", "Vries, Pieter de", ["Vries, Pieter de"]),
    ("Anna van der Berg", "van der Berg, Anna", ["van der Berg, Anna"]),
    ("Pieter de Vries", "Vries, Pieter", []),
    ("Anna van der Berg", "van der Berg, anna", []),
    ("KIM LOWE", "Lowe, Kim", ["Lowe, Kim"]),
]

PARTS = [
    # Spanish double surnames with the first surname only, and the first given name with it
    ("María José Fernández García", "María José Fernández", ["María José Fernández"]),
    ("María José Fernández García", "Maria Fernandez", ["Maria Fernandez"]),
    # the first word and the last of a longer name: a middle name dropped, and the
    # surname Portuguese speakers use (the last)
    ("Kim Ann Lowe", "Kim Lowe", ["Kim Lowe"]),
    ("Anna Lena Berg", "Anna Berg", ["Anna Berg"]),
    ("João Pedro Silva Santos", "João Santos", ["João Santos"]),
    ("María José Fernández García", "María García", ["María García"]),
    # a second given name is no surname, nor a particle
    ("Anna Lena Berg", "Anna Lena", []),
    ("João Pedro Silva Santos", "João Pedro Silva", []),
    ("Juan de la Cruz", "Juan de la", []),
    ("Juan de la Cruz", "Juan Cruz", ["Juan Cruz"]),
    ("Kim Ann Lowe", "Kim Ann", []),
    ("Kim Lowe", "Kim", []),
]

INITIALS = [
    # a hyphenated given name by its initials, in the ways it is written
    ("Jean-Baptiste Kaboré", "J.-B. Kaboré", ["J.-B. Kaboré"]),
    ("Jean-Baptiste Kaboré", "J. B. Kaboré", ["J. B. Kaboré"]),
    ("Jean-Baptiste Kaboré", "J.B. Kaboré", ["J.B. Kaboré"]),
    ("Jean-Baptiste Kaboré", "JB Kaboré", ["JB Kaboré"]),
    ("Jean-Baptiste Kaboré", "J-B Kaboré", ["J-B Kaboré"]),
    ("Jean-Baptiste Kaboré", "J. Kaboré", ["J. Kaboré"]),
    # after a given name they are middle initials, and other initials are someone else
    ("Jean-Baptiste Kaboré", "Paul J.-B. Kaboré", []),
    ("Jean-Baptiste Kaboré", "Paul J.B. Kaboré", []),
    ("Jean-Baptiste Kaboré", "J.-P. Kaboré", []),
    ("Jean-Baptiste Kaboré", "JP Kaboré", []),
    ("Jean-Baptiste Kaboré", "jb.kabore@example.org", []),
]

APOSTROPHES = [
    # O' (and D') names run together or apart
    ("Siobhán O'Sullivan", "Siobhan OSullivan", ["Siobhan OSullivan"]),
    ("Siobhán O'Sullivan", "SIOBHAN OSULLIVAN", ["SIOBHAN OSULLIVAN"]),
    ("Siobhán O'Sullivan", "Siobhan Osullivan", ["Siobhan Osullivan"]),
    ("Siobhán O'Sullivan", "Siobhan O Sullivan", ["Siobhan O Sullivan"]),
    ("Siobhán O'Sullivan", "Siobhan O’Sullivan", ["Siobhan O’Sullivan"]),
    ("Priya D'Souza", "Priya DSouza", ["Priya DSouza"]),
    ("Siobhán O'Sullivan", "Siobhan Sullivan", []),
    ("Siobhán O'Sullivan", "Siobhan OSullivans", []),
]


@pytest.mark.parametrize(("listed", "text", "expected"), NICKNAMES + TITLES + ORDERS + PARTS + INITIALS + APOSTROPHES)
def test_a_name_as_people_write_it(listed: str, text: str, expected: list[str]) -> None:
    assert found(listed, text) == expected


@pytest.mark.parametrize(("policy", "listed", "text", "expected"), LANGUAGE_TITLES)
def test_the_titles_of_the_policys_languages(policy: str, listed: str, text: str, expected: list[str]) -> None:
    assert found(listed, text, policy) == expected


SWITCHED = [
    ("nicknames", "William Lowe", "Bill Lowe"),
    ("title_last", "Kim Lowe", "Mr Lowe"),
    ("surname_first", "Kim Lowe", "Lowe Kim"),
    ("first_surname", "María José Fernández García", "María José Fernández"),
    ("first_last", "Kim Ann Lowe", "Kim Lowe"),
    ("hyphen_initials", "Jean-Baptiste Kaboré", "JB Kaboré"),
    ("no_apostrophe", "Siobhán O'Sullivan", "Siobhan OSullivan"),
    ("no_apostrophe", "Siobhán O'Sullivan", "Ms OSullivan"),
]


@pytest.mark.parametrize(("variant", "listed", "text"), SWITCHED)
def test_each_variant_is_switched_off_alone(variant: str, listed: str, text: str) -> None:
    assert found(listed, text) == [text]
    assert found(listed, text, f"[variants]\n{variant} = false\n") == []
    assert found(listed, listed, f"[variants]\n{variant} = false\n") == [listed]


def test_every_variant_has_a_switch_and_a_row() -> None:
    from gate.names import VARIANT_KEYS

    assert tuple(VARIANT_KEYS) == VARIANTS
    assert {"last_first", "initial_last", "joined_tag"} | {variant for variant, _, _ in SWITCHED} == set(VARIANTS)


def test_a_names_nicknames_are_capped() -> None:
    # "Al" is a nickname of fourteen formal names in the data.
    nicknames = load_nicknames(Normalizer())
    assert len(nicknames["al"]) > MAX_NICKNAMES
    keys = name_keys("Al Lowe", Normalizer(), NameData.for_policy(Policy(), frozenset(), nicknames))
    without = name_keys("Al Lowe", Normalizer(), NameData.for_policy(Policy(), frozenset(), {}))
    assert len(keys) - len(without) == MAX_NICKNAMES


def test_the_nicknames_file_parses_without_case_or_accents() -> None:
    table = parse_nicknames("# a comment\n\nMaría José: Majo, MARIJOSE\n", Normalizer())
    assert table == {"maria jose": ("majo", "marijose")}


def test_the_nicknames_file_says_where_it_comes_from() -> None:
    header = (ROOT / "gate" / NICKNAMES_FILE).read_text(encoding="utf-8").split("\n\n")[0]
    assert "nicknames" in header and "Apache License 2.0" in header and "python -m bench.nicknames" in header


def test_the_nicknames_file_is_what_its_script_writes() -> None:
    pytest.importorskip("nicknames")
    from bench.nicknames import OUTPUT, english_pairs, neighbours, render, spanish_pairs, words_not_names

    table = neighbours(english_pairs() + spanish_pairs(), words_not_names())
    expected = render(table, importlib.metadata.version("nicknames"))
    assert OUTPUT.read_text(encoding="utf-8") == expected
