"""A name listed with umlauts or ß is found as people type it without them, and a common
Arabic given name in each of its usual transliterations; a listed spelling without them is
not widened (a `ue` is not always a `ü`). Both ways, through the whole check."""

from __future__ import annotations

import pytest

from gate.check import check_contents
from gate.content import Content
from gate.spellings import MAX_SPELLINGS, spellings
from tests.support.wordlists import TODAY, compile_rows

# (listed name, text, found)
CASES = [
    ("Jürgen Müller", "Thanks Juergen Mueller!", True),
    ("Jürgen Müller", "Thanks Jurgen Muller!", True),
    ("Jürgen Müller", "Thanks Jürgen Müller!", True),
    ("Jürgen Müller", "Thanks Mueller, Juergen!", True),
    ("Anna Weiß", "ANNA WEISS", True),
    ("Juergen Mueller", "Thanks Jürgen Müller!", False),  # listed without umlauts: not widened
    ("Jürgen Müller", "Thanks Juergen Muellers!", False),
    ("Mohammed Al-Sayed", "with Muhammad Al-Sayed", True),
    ("Mohammed Al-Sayed", "with Mohamed al-Sayed", True),
    ("Mohammed Al-Sayed", "with MOHAMMAD AL SAYED", True),
    ("Ahmed Karimi", "Ahmad Karimi", True),
    ("Youssef Benali", "Yusuf Benali", True),
    ("Youssef Benali", "Yusuf Benalia", False),
    ("Mohammed Al-Sayed", "Mahmoud Al-Sayed", False),
    ("Samuel Ortiz", "Samül Ortiz", False),
]


@pytest.mark.parametrize(("listed", "text", "found"), CASES, ids=[f"{listed} / {text}" for listed, text, _ in CASES])
def test_a_name_is_found_in_its_other_spellings(listed: str, text: str, found: bool) -> None:
    matcher = compile_rows(f"A,name,{listed},\n")
    verdict = check_contents(matcher, [Content("post.md", text)], today=TODAY)
    assert (verdict.decision == "block") is found


def test_spellings_vary_one_word_at_a_time_and_stay_few() -> None:
    assert spellings("Kim Lowe") == ["Kim Lowe"]
    assert spellings("Weiß") == ["Weiß", "Weiss"]
    several = spellings("Muhammad Ahmed Hussein Hassan Abdullah")
    assert len(several) == 1 + 6 + 1 + 4 + 1 + 2  # each word's other spellings, the rest as listed
    assert "Mohammed Ahmed Hussein Hassan Abdullah" in several
    assert len(spellings("Muhammad Ahmed Hussein Hassan Abdullah Müller")) == MAX_SPELLINGS
