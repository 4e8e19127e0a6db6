"""Titles people put before a surname (`Mr Lowe`, `Mme Dupont`, `Sig.ra Rossi`), by language.

A listed name is also found as a title of the organisation's languages (policy.toml's
`languages`, default English) and its surname: the matcher compiles each title's written
forms as keys, and looks the words after one up in its table of surnames
(gate/matcher.py). A title is written as the table has it and, where it ends in a period
after two letters or more, without that period (`Mr.` and `Mr`, `Sra.` and `Sra`); the
words (`Herr`, `Miss`, `Señora`) only without one.

Left out: titles that are also common words before a surname in English text (French
`Me`, the pronoun), and one-letter ones but French `M.` (Spanish `D.` is an initial).
"""

from __future__ import annotations

from collections.abc import Iterable

from gate.precision import fold_word

# Per language: the abbreviations, with their period where they take one, then the words.
TITLES: dict[str, tuple[str, ...]] = {
    "en": ("Mr.", "Mrs.", "Ms.", "Mx.", "Dr.", "Prof.", "Miss", "Mister"),
    "fr": ("M.", "Mme", "Mlle", "Mmes", "Dr", "Pr", "Prof.", "Monsieur", "Madame", "Mademoiselle"),
    "de": ("Hr.", "Fr.", "Dr.", "Prof.", "Herr", "Frau"),
    "es": (
        "Sr.",
        "Sra.",
        "Srta.",
        "Dr.",
        "Dra.",
        "Prof.",
        "Lic.",
        "Ing.",
        "Don",
        "Doña",
        "Señor",
        "Señora",
        "Señorita",
    ),
    "it": (
        "Sig.",
        "Sig.ra",
        "Sig.na",
        "Dott.",
        "Dott.ssa",
        "Dr.",
        "Prof.",
        "Prof.ssa",
        "Avv.",
        "Ing.",
        "Signor",
        "Signora",
        "Signorina",
    ),
    "pt": ("Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "Prof.", "Profa.", "Dona", "Senhor", "Senhora"),
    "nl": ("Dhr.", "Mevr.", "Mw.", "Mej.", "Mr.", "Dr.", "Prof.", "Ir.", "Drs.", "Meneer", "Mevrouw"),
}
LANGUAGES = tuple(TITLES)
DEFAULT_LANGUAGES = ("en",)


def written_forms(title: str) -> tuple[str, ...]:
    """The title as the table writes it and, where it ends in a period after two letters
    or more, without it."""
    if title.endswith(".") and len(title) > 2:
        return (title, title[:-1])
    return (title,)


def title_forms(languages: Iterable[str]) -> list[str]:
    """Every written form of the titles of `languages`, once, in the table's order."""
    forms = (form for language in languages for title in TITLES[language] for form in written_forms(title))
    return list(dict.fromkeys(forms))


# Titles that are also an initial (`M. Lowe`) or a given name of gate/given-names.txt
# (`Don Lowe`, `Ing Lowe`): a match that begins with one may be another variant of a name
# (`initial_last`, `nicknames`), and titled() leaves it to that variant's reading.
NOT_TELLING = frozenset({"M.", "Don", "Ing.", "Ing"})
_ALL_FORMS = frozenset(fold_word(form) for form in title_forms(LANGUAGES) if form not in NOT_TELLING)


def titled(written: str) -> bool:
    """Whether a match as written begins with a title of any language of the table, then a
    blank (`Mrs. Lowe`, `MME DUPONT`), but for the titles that are also an initial or a
    given name (NOT_TELLING: `M. Dupont`, `Don García`)."""
    words = written.split(maxsplit=1)
    return len(words) == 2 and fold_word(words[0]) in _ALL_FORMS
