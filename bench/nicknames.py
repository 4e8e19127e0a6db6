"""`python -m bench.nicknames`: writes gate/nicknames.txt, the given names that stand for
one another (`Bill` and `William`, `Majo` and `María José`), read by gate/names.py.

The English names are the `nicknames` package's (hand-curated, Apache-2.0): each name's
nicknames and the names it is a nickname of, one step each way (`Bill` is `William`'s and
`Robert`'s, but `Will` is not `Bill`'s, though both are `William`'s). That data set has no
Spanish names; SPANISH below adds the common Spanish (and a few Portuguese) short forms of
given names, compound ones included, from the usual forms of address. Pairs with an
English prose word that is no given name are dropped (words_not_names), but for a
nickname that begins its name.

The file is data made here, not the package read when a list is compiled: the compiled
list's cache stamps the gate's own data files (gate/adapters/cache.py), a plain install
needs nothing more, and a change of the data shows in a diff. Run it again after an
upgrade of `nicknames` and commit the file with the version its header names.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Container, Iterable, Mapping
from pathlib import Path

from gate.precision import fold_word, load_given_names, parse_given_names

OUTPUT = Path(__file__).resolve().parent.parent / "gate" / "nicknames.txt"
PROSE_WORDS_FILE = "prose-words.txt"  # beside it, written by `python -m bench.prose_words`
# Formal given name, then its short forms (hipocorísticos): a compound given name is the
# one person's whole given name (María José is Majo, not María's nickname).
SPANISH = (
    ("Francisco", "Paco", "Pancho", "Curro", "Fran", "Quico"),
    ("Francisca", "Paca", "Paquita", "Fran"),
    ("José", "Pepe", "Pepito", "Zé"),
    ("Josefa", "Pepa", "Pepita"),
    ("Ignacio", "Nacho"),
    ("Jesús", "Chucho", "Chus"),
    ("Guadalupe", "Lupe", "Lupita"),
    ("Concepción", "Concha", "Conchita", "Conchi"),
    ("Dolores", "Lola", "Loli"),
    ("Manuel", "Manolo", "Manu"),
    ("Enrique", "Quique"),
    ("Rosario", "Charo"),
    ("Mercedes", "Merche", "Meche"),
    ("Asunción", "Asun", "Chon"),
    ("Consuelo", "Chelo"),
    ("Alejandro", "Álex", "Alejo"),
    ("Antonio", "Toño", "Toni"),
    ("Eduardo", "Lalo"),
    ("Luis", "Lucho"),
    ("Isabel", "Chabela", "Isa"),
    ("Fernando", "Nando", "Fer"),
    ("Ramón", "Moncho"),
    ("Gonzalo", "Chalo"),
    ("Rafael", "Rafa"),
    ("Roberto", "Beto"),
    ("Alberto", "Beto"),
    ("Guillermo", "Memo"),
    ("Teresa", "Tere"),
    ("María José", "Majo", "Marijose"),
    ("José María", "Chema", "Josema"),
    ("Juan José", "Juanjo"),
    ("Juan Carlos", "Juanca"),
    ("José Luis", "Joselu"),
    ("María Luisa", "Marisa"),
    ("María Isabel", "Maribel"),
    ("María Teresa", "Maite"),
    ("María Jesús", "Chus"),
    ("María del Carmen", "Mamen", "Maricarmen"),
    ("María de los Ángeles", "Marian", "Marián"),
    ("Ana Isabel", "Anabel"),
)


def english_pairs() -> list[tuple[str, str]]:
    """(name, nickname) of the `nicknames` package's data."""
    from nicknames import name_triplets  # the bench extra: only this generator needs it

    return [(triplet.name1, triplet.name2) for triplet in name_triplets() if triplet.relationship == "has_nickname"]


def spanish_pairs(table: Iterable[tuple[str, ...]] = SPANISH) -> list[tuple[str, str]]:
    return [(formal, short) for formal, *shorts in table for short in shorts]


def words_not_names() -> frozenset[str]:
    """English prose words (gate/prose-words.txt) that are not given names
    (gate/given-names.txt): `see`, `than`, `day`, `will`."""
    prose = parse_given_names((OUTPUT.parent / PROSE_WORDS_FILE).read_text(encoding="utf-8"))  # a word a line
    return prose - load_given_names()


def neighbours(pairs: Iterable[tuple[str, str]], words: Container[str] = frozenset()) -> dict[str, list[str]]:
    """Each folded name: the names it is a nickname of, then its nicknames, each sorted;
    one step each way, never itself. A pair goes where either name is one of `words`,
    but a nickname that begins its name (`Will` of `William`, `Art` of `Arthur`): the
    genealogical ones (`See` for Seymour, `Than` for Nathaniel, `Day` for David) would
    make `see Lowe` a client's name."""
    formal: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for name, nickname in pairs:
        name, nickname = fold_word(name.strip()), fold_word(nickname.strip())
        if name == nickname or len(name) < 2 or len(nickname) < 2:
            continue
        if name in words or (nickname in words and not name.startswith(nickname)):
            continue
        short.setdefault(name, set()).add(nickname)
        formal.setdefault(nickname, set()).add(name)
    result = {}
    for name in sorted(set(formal) | set(short)):
        ahead = sorted(formal.get(name, set()))
        result[name] = ahead + sorted(short.get(name, set()) - set(ahead))
    return result


def render(table: Mapping[str, list[str]], version: str) -> str:
    header = (
        "# Given names that stand for one another, one step each way: a name, `:`, the names\n"
        "# it is a nickname of, then its nicknames (gate/names.py reads them). Written by\n"
        f"# `python -m bench.nicknames` from the `nicknames` package {version} (hand-curated;\n"
        "# Apache License 2.0: https://github.com/carltonnorthern/nicknames) and the Spanish\n"
        "# short forms of bench/nicknames.py; folded to lower case without accents; without\n"
        "# the English prose words that are no given names (gate/prose-words.txt but\n"
        "# gate/given-names.txt), but a nickname that begins its name (Will, Art).\n"
    )
    return header + "".join(f"{name}: {', '.join(others)}\n" for name, others in table.items())


def main() -> int:
    table = neighbours(english_pairs() + spanish_pairs(), words_not_names())
    OUTPUT.write_text(render(table, importlib.metadata.version("nicknames")), encoding="utf-8")
    print(f"{OUTPUT}: {len(table)} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
