"""`python -m bench.prose_words`: writes gate/prose-words.txt, the common English words
that a name made only of them, written in small letters in running prose, is taken to be
("we will mark price changes" is not Mark Price; gate/written.py).

The common words of gate/common-words.txt are many names too ("john", "smith", "kim").
Which of them people write as words and which as names is measured on the real-text
corpus (bench/real_text.py: mail, speeches, a novel, fortunes, documentation): each
word's occurrences that do not begin a sentence, in small letters or capitalised. A word
seen at least MIN_SEEN times, in small letters at least LOWER_SHARE of them, is a prose
word: "will" (99.6%), "mark" (83%), "rose" (78%), "price" (86%); "hill" (56%), "white"
(63%), "john" (19%) and "smith" (2%) are not, and a client named "john smith" written so
still blocks. Run it again when the corpus or the common words change, and commit the
file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bench.real_text import fetch_corpus
from gate.adapters.files import expand_paths
from gate.written import COMMON_WORDS_FILE, PROSE_WORDS_FILE

MIN_SEEN = 20
LOWER_SHARE = 0.75
GATE = Path(__file__).resolve().parent.parent / "gate"
OUTPUT = GATE / PROSE_WORDS_FILE
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]++(?![\w'’-])")
# Skipped back over before a word, to what comes before it in its sentence.
_OPENERS = frozenset(" \t\"'“‘(*_[")
# A word after one of these (or at a text's start) may begin a sentence, a heading or a
# list item, where a capital says nothing.
_SENTENCE_STARTS = frozenset(".!?:\n\r>#|-•")


def read_words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def count_cases(texts: Iterable[str], words: set[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each of `words` is written in small letters, and capitalised, where it
    does not begin a sentence."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        for found in _WORD.finditer(text):
            written = found.group()
            folded = written.lower()
            if folded not in words or _begins_sentence(text, found.start()):
                continue
            if written.islower():
                lower[folded] += 1
            elif written[0].isupper() and written[1:].islower():
                capitalised[folded] += 1
    return lower, capitalised


def _begins_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:
        index -= 1
    return index < 0 or text[index] in _SENTENCE_STARTS


def prose_words(words: Iterable[str], lower: Counter[str], capitalised: Counter[str]) -> list[str]:
    """The words written in small letters often enough, in the order given."""
    chosen = []
    for word in words:
        seen = lower[word] + capitalised[word]
        if seen >= MIN_SEEN and lower[word] >= LOWER_SHARE * seen:
            chosen.append(word)
    return chosen


def render(words: list[str], common: int, megabytes: float) -> str:
    header = (
        "# Prose words: a name made only of these, in small letters in running prose, is a\n"
        '# warning, not a block ("we will mark price changes"; gate/written.py). Written by\n'
        f"# `python -m bench.prose_words`: the {len(words)} of the {common} words of common-words.txt seen\n"
        f"# at least {MIN_SEEN} times past a sentence's start in the {megabytes:.1f} MB real-text corpus\n"
        f"# (bench/real_text.py), in small letters at least {LOWER_SHARE:.0%} of them.\n"
    )
    return header + "".join(f"{word}\n" for word in words)


def main() -> int:
    corpus = fetch_corpus()
    common = read_words(GATE / COMMON_WORDS_FILE)
    paths = [Path(path) for path in expand_paths([str(corpus.root)])]
    texts = (path.read_text(encoding="utf-8", errors="replace") for path in paths)
    lower, capitalised = count_cases(texts, set(common))
    words = prose_words(common, lower, capitalised)
    OUTPUT.write_text(render(words, len(common), corpus.megabytes), encoding="utf-8")
    print(f"{OUTPUT}: {len(words)} of {len(common)} common words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
