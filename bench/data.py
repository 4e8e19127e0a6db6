"""Deterministic wordlists and corpora with a known number of planted identifiers."""

from __future__ import annotations

import random
from pathlib import Path

SYLLABLES = [
    "ka", "lo", "mi", "ra", "ve", "to", "si", "na", "bo", "le", "du", "fa", "gri", "hel",
    "jo", "ke", "mar", "nor", "pe", "qui", "ros", "sten", "tha", "ul", "vik", "wen", "yor", "zel",
]
ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í"}
FILLER = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there been one all we their has would when if so "
    "no more can said who other what into time some could them these than only garden group "
    "session support family week morning progress team open day community"
).split()


def _word(rng: random.Random, accents: bool) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    if accents and rng.random() < 0.3:
        index = rng.randrange(len(word))
        word = word[:index] + ACCENTED.get(word[index], word[index]) + word[index + 1 :]
    return word.capitalize()


def generate_identifiers(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(client_id, kind, value) rows: mostly names, and ids, phones, e-mails, handles."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(rows) < count:
        client = f"C{len(rows):07d}"
        roll = rng.random()
        if roll < 0.7:
            kind, value = "name", f"{_word(rng, True)} {_word(rng, True)}"
        elif roll < 0.8:
            kind, value = "id", f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPRST')}-{rng.randint(10000, 999999)}"
        elif roll < 0.9:
            kind, value = "phone", f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        elif roll < 0.95:
            kind, value = "email", f"{_word(rng, False).lower()}.{rng.randint(1, 999)}@example.org"
        else:
            kind, value = "handle", f"@{_word(rng, False).lower()}_{rng.randint(1, 9999)}"
        if value.lower() not in seen:
            seen.add(value.lower())
            rows.append((client, kind, value))
    return rows


def write_wordlist(directory: Path, rows: list[tuple[str, str, str]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["client_id,kind,value"] + [f"{client},{kind},{value}" for client, kind, value in rows]
    (directory / "clients.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate_prose(
    size: int, planted: list[str], *, accents: bool = False, seed: int = 11
) -> tuple[str, int]:
    """About `size` characters of prose with each of `planted` written once, in turn."""
    rng = random.Random(seed)
    pieces: list[str] = []
    length = 0
    plant_every = max(1, size // (60 * max(1, len(planted))))
    sentence = 0
    planted_count = 0
    while length < size:
        words = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
        if accents:
            words = [_accent(rng, word) for word in words]
        if planted_count < len(planted) and sentence % plant_every == 0:
            words.insert(rng.randrange(len(words)), planted[planted_count])
            planted_count += 1
        text = " ".join(words).capitalize() + rng.choice([". ", ".\n", ".\n\n", ", and "])
        pieces.append(text)
        length += len(text)
        sentence += 1
    return "".join(pieces), planted_count


def _accent(rng: random.Random, word: str) -> str:
    if rng.random() < 0.5:
        return word
    return "".join(ACCENTED.get(char, char) if rng.random() < 0.4 else char for char in word)
