"""How a finding of a name is worded where that changes what it does: a title and the
surname ("Mr Lowe"), a listed name that is only the start of a longer one ("George
Bernard" in "George Bernard Shaw"), or a name made of common words written in small
letters in running prose ("we will mark price changes"). Each such wording has its own
action in policy.toml's `[actions]`, which can only make a finding milder than its kind's
action (Policy.action).

The rules read the text as written at the finding and beside it. docs/matching.md,
"Worded as something else", is the contract.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import NamedTuple

from gate.kinds import Action, Kind
from gate.precision import fold_word

COMMON_WORDS_FILE = "common-words.txt"  # wordfreq's most frequent English words, see its header
PROSE_WORDS_FILE = "prose-words.txt"  # those written as words, not names: `python -m bench.prose_words`
COMMON_SURNAMES_FILE = "common-surnames.txt"  # `python -m bench.common_surnames`
TITLE = "title"
TITLE_COMMON_SURNAME = "title_common_surname"
NICKNAME = "nickname"
PART_OF_LONGER_NAME = "part_of_longer_name"
COMMON_WORDS = "common_words"
# What each wording does unless policy.toml's [actions] says otherwise, and what it says.
WORDING_ACTIONS: dict[str, Action] = {
    NICKNAME: "warn",
    TITLE: "block",
    TITLE_COMMON_SURNAME: "warn",
    # Measured on real text, a warning spared 9 of 448 files at 100,000 clients, while a
    # headline in Title Case ("How Kim Lowe Overcame Anxiety") would have passed a client.
    PART_OF_LONGER_NAME: "block",
    COMMON_WORDS: "warn",
}
WORDING_MESSAGES = {
    NICKNAME: (
        "another form of a client's given name (a nickname or the formal name) and their surname: "
        "check it does not name the client, or remove it"
    ),
    TITLE: "a title and a client's surname: if it is the client, remove it or anonymise the story",
    TITLE_COMMON_SURNAME: (
        "a title and a common surname that a client has: check it does not name the client, or remove it"
    ),
    PART_OF_LONGER_NAME: (
        "a client's name as the start of a longer name: if it is the client, remove it or anonymise the story"
    ),
    COMMON_WORDS: "common words in small letters that are also a client's name: check they do not name the client",
}
WORDINGS = tuple(WORDING_ACTIONS)
# Written after a name, these are its suffixes, not another name: "Kim Lowe Jr", "Kim Lowe PhD".
SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "dds", "rn", "esq", "mba", "msc", "bsc", "obe", "mbe", "cbe"}
)
# After a name, blanks on its line and a capitalised word that goes on the name: a capital
# and letters (an apostrophe or hyphen inside: O'Neil, Smith-Jones), then no letter or digit.
_NAME_WORD_AFTER = re.compile(r"[ \t]++([^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*+)(?![\w'’-])")
# Running prose around a match: the characters that may touch it in a sentence. Anything
# else (a slash, "@", "#", "_", "-", "=", "+", a dot before a letter) makes it a slug, a
# path, a URL, a hashtag, a handle or code, where small letters are how names are written.
_PROSE_BEFORE = frozenset(" \t\r\n\"'‘“([{«")
_PROSE_AFTER = frozenset(" \t\r\n\"'’”)]}».,;:!?")
_SMALL_WORDS = re.compile(r"[^\W\d_]++(?: [^\W\d_]++)*+")


class WordLists(NamedTuple):
    """The gate's lists of words that the wordings read, folded (fold_word). Read when a
    list is compiled (load_word_lists); the compiled list carries them."""

    common: frozenset[str] = frozenset()  # gate/common-words.txt
    prose: frozenset[str] = frozenset()  # gate/prose-words.txt: common words written as words
    surnames: frozenset[str] = frozenset()  # gate/common-surnames.txt


def load_word_lists() -> WordLists:
    return WordLists(*(read_words(name) for name in (COMMON_WORDS_FILE, PROSE_WORDS_FILE, COMMON_SURNAMES_FILE)))


def read_words(name: str) -> frozenset[str]:
    """The words of one of the gate's data files, one a line (`#` begins a comment), folded."""
    text = resources.files("gate").joinpath(name).read_text(encoding="utf-8")
    return frozenset(fold_word(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#")


def wording(
    text: str,
    start: int,
    end: int,
    *,
    kind: Kind,
    words: WordLists,
    prose: bool,
    nickname: bool = False,
    titled: bool = False,
) -> str:
    """The wording (WORDINGS) of text[start:end], a finding of an identifier of `kind`,
    or "" where it reads as the identifier itself. `prose`: the text is written to be
    read (a file's text, a caption), not a file's path. `nickname`: another given name
    than the listed one matched (`Bill Lowe` for William Lowe). `titled`: a title and the
    surname matched (`Mr Lowe`), not the listed value written with its title."""
    if kind.family not in ("name", "words"):
        return ""
    if nickname:
        return NICKNAME
    if titled:
        # Every word of the surname common: "Mrs Fernández García" is rarer than either.
        surname = text[start:end].split()[1:]
        common = all(fold_word(word) in words.surnames for word in surname)
        return TITLE_COMMON_SURNAME if common else TITLE
    if kind.family == "name" and _goes_on_as_a_name(text, end, words.common):
        return PART_OF_LONGER_NAME
    if prose and _small_common_words(text, start, end, words.prose):
        return COMMON_WORDS
    return ""


def _goes_on_as_a_name(text: str, end: int, common_words: frozenset[str]) -> bool:
    """Whether a capitalised word that is not a common one follows on the same line:
    "George Bernard Shaw", not "Kim Lowe Foundation", "Kim Lowe Jr", "Kim Lowe's", "Kim
    Lowe-Smith" or "KIM LOWE SHAW" (a capitalised word is one with small letters after its
    capital)."""
    after = _NAME_WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    # A word in capitals says nothing where whole headings are written so ("KIM LOWE TELLS").
    if not word[0].isupper() or word.isupper():
        return False
    folded = fold_word(word)
    return folded not in common_words and folded not in SUFFIXES


def _small_common_words(text: str, start: int, end: int, prose_words: frozenset[str]) -> bool:
    """Whether text[start:end] is common words in small letters, one blank apart, in a
    sentence ("we will mark price changes"), not in a slug, path, URL, hashtag or handle."""
    written = text[start:end]
    if not written.islower() or _SMALL_WORDS.fullmatch(written) is None:
        return False
    if not all(fold_word(word) in prose_words for word in written.split(" ")):
        return False
    return _in_prose(text, start, end)


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether the blank-separated token around text[start:end] is a sentence's word:
    only quotes and brackets before it, only those and sentence punctuation after it (a
    possessive too), and no URL, path or address in it."""
    token_start = start
    while token_start and not text[token_start - 1].isspace():
        token_start -= 1
    if any(char not in _PROSE_BEFORE for char in text[token_start:start]):
        return False
    after = end
    if text.startswith(("'s", "’s"), after):
        after += 2
    while after < len(text) and not text[after].isspace():
        if text[after] not in _PROSE_AFTER:
            return False
        after += 1
    return True
