"""Titles before a surname (gate/titles.py): their written forms, which a match begins
with, and policy.toml's `languages`."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.precision import load_given_names
from gate.titles import LANGUAGES, NOT_TELLING, TITLES, title_forms, titled, written_forms
from gate.wordlist import parse_policy

TITLED = [
    # a match as written that begins with a title of any language, then a blank
    ("Mr Lowe", True),
    ("Mrs. Lowe", True),
    ("MR. LOWE", True),
    ("Mr\nLowe", True),
    ("Ms Ødegård", True),
    ("Mme Dupont", True),
    ("MLLE DUPONT", True),
    ("Herr Müller", True),
    ("Doña García", True),
    ("DONA GARCIA", True),
    ("Sig.ra Rossi", True),
    ("Dott.ssa Rossi", True),
    ("Dhr. Jansen", True),
    ("Mevrouw Jansen", True),
    # an initial, a name, or a title not followed by a blank is none
    ("M. Dupont", False),  # French "M." reads as an initial as well
    ("Don García", False),  # and "Don" as a given name (Donald's)
    ("Ing. Rossi", False),
    ("K. Lowe", False),
    ("Kim Lowe", False),
    ("Lowe, Kim", False),
    ("#KimLowe", False),
    ("Mr.Lowe", False),
    ("Mr", False),
    ("Missouri Lowe", False),
    ("Mrs Kim Lowe", True),
]


@pytest.mark.parametrize(("written", "expected"), TITLED)
def test_titled(written: str, expected: bool) -> None:
    assert titled(written) is expected


def test_a_title_is_written_with_its_period_or_without() -> None:
    assert written_forms("Mr.") == ("Mr.", "Mr")
    assert written_forms("Sig.ra") == ("Sig.ra",)
    assert written_forms("M.") == ("M.",)
    assert written_forms("Herr") == ("Herr",)
    assert title_forms(["en"]) == [
        *("Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Mx.", "Mx", "Dr.", "Dr", "Prof.", "Prof", "Miss", "Mister"),
    ]


def test_the_languages_are_at_least_those_the_policy_documents() -> None:
    assert {"en", "fr", "de", "es", "it", "pt", "nl"} <= set(LANGUAGES) == set(TITLES)


LANGUAGES_POLICY = [
    (b"", ("en",)),
    (b'languages = ["en", "fr"]\n', ("en", "fr")),
    (b'languages = ["fr", "fr"]\n', ("fr",)),
    (b"languages = []\n", ()),
]


@pytest.mark.parametrize(("policy", "expected"), LANGUAGES_POLICY)
def test_the_policys_languages(policy: bytes, expected: tuple[str, ...]) -> None:
    assert parse_policy("wl/policy.toml", policy).languages == expected


BAD_LANGUAGES = [
    (b'languages = "en"\n', "wl/policy.toml: languages must be a list of language codes (expected a list of en, fr, "),
    (b"languages = [1]\n", "wl/policy.toml: languages must be a list of language codes (expected a list of en, fr, "),
    (
        b'languages = ["en", "xx"]\n',
        "wl/policy.toml: languages: item 2 is not a language the gate knows (expected a list of en, fr, ",
    ),
]


@pytest.mark.parametrize(("policy", "message"), BAD_LANGUAGES)
def test_an_unknown_language_is_an_error_naming_the_file_and_key(policy: bytes, message: str) -> None:
    with pytest.raises(GateError) as error:
        parse_policy("wl/policy.toml", policy)
    assert str(error.value).startswith(message)
    assert "xx" not in str(error.value)


def test_the_titles_titled_leaves_out_are_the_initials_and_given_names() -> None:
    given = load_given_names()
    forms = title_forms(LANGUAGES)
    initials = {form for form in forms if len(form) == 2 and form.endswith(".")}
    assert initials | {form for form in forms if form.lower().rstrip(".") in given} == NOT_TELLING
