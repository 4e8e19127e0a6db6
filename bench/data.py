"""Deterministic wordlists and corpora with a known number of planted identifiers."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ve",
    "to",
    "si",
    "na",
    "bo",
    "le",
    "du",
    "fa",
    "gri",
    "hel",
    "jo",
    "ke",
    "mar",
    "nor",
    "pe",
    "qui",
    "ros",
    "sten",
    "tha",
    "ul",
    "vik",
    "wen",
    "yor",
    "zel",
]
ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í"}
# Names from other scripts: one name in five (as many as the clients of a city agency).
CYRILLIC = [
    "ка",
    "ло",
    "ми",
    "ра",
    "ве",
    "то",
    "си",
    "на",
    "бо",
    "ле",
    "ду",
    "фа",
    "гри",
    "хел",
    "жо",
    "ке",
    "мар",
    "нор",
    "пе",
    "рос",
    "стен",
    "ул",
    "вик",
    "вен",
    "йор",
    "зел",
]
GREEK = [
    "κα",
    "λο",
    "μι",
    "ρα",
    "βε",
    "το",
    "σι",
    "να",
    "μπο",
    "λε",
    "ντου",
    "φα",
    "γκρι",
    "χελ",
    "ζο",
    "κε",
    "μαρ",
    "νορ",
    "πε",
    "ρος",
    "στεν",
    "ουλ",
    "βικ",
    "βεν",
    "γιορ",
    "ζελ",
]
CJK_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
CJK_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "more",
    "can",
    "said",
    "who",
    "other",
    "what",
    "into",
    "time",
    "some",
    "could",
    "them",
    "these",
    "than",
    "only",
    "garden",
    "group",
    "session",
    "support",
    "family",
    "week",
    "morning",
    "progress",
    "team",
    "open",
    "day",
    "community",
]


def _word(rng: random.Random, accents: bool) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    if accents and rng.random() < 0.3:
        index = rng.randrange(len(word))
        word = word[:index] + ACCENTED.get(word[index], word[index]) + word[index + 1 :]
    return word.capitalize()


def _name(rng: random.Random) -> str:
    """A first and last name: Latin letters with accents, or Cyrillic, Greek or Chinese."""
    script = rng.random()
    if script < 0.8:
        return f"{_word(rng, True)} {_word(rng, True)}"
    if script < 0.95:
        syllables = CYRILLIC if script < 0.9 else GREEK
        first, last = ("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))) for _ in range(2))
        return f"{first.capitalize()} {last.capitalize()}"
    return rng.choice(CJK_FAMILY) + "".join(rng.choice(CJK_GIVEN) for _ in range(2))


def generate_identifiers(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(client_id, kind, value) rows: mostly names (in four scripts), and ids, phones,
    e-mails, handles."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(rows) < count:
        client = f"C{len(rows):07d}"
        roll = rng.random()
        if roll < 0.7:
            kind, value = "name", _name(rng)
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
    """clients.csv of the rows, quoted where a value needs it (`Smith, Jones and Brown`)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "clients.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(("client_id", "kind", "value"))
        writer.writerows(rows)


def generate_prose(size: int, planted: list[str], *, accents: bool = False, seed: int = 11) -> tuple[str, int]:
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


def read_wordlist(directory: Path) -> list[tuple[str, str, str]]:
    """The rows that `write_wordlist` wrote."""
    lines = (directory / "clients.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [(client, kind, value) for client, kind, value in (line.split(",", 2) for line in lines)]


def planted_names(rows: list[tuple[str, str, str]], limit: int = 1000) -> list[str]:
    """The names planted in the corpora: the first of the list, so that every longer list
    generated with the same seed holds them too."""
    return [value for _, kind, value in rows if kind == "name"][:limit]


def generate_markdown_posts(size: int, planted: list[str], *, seed: int = 13) -> tuple[list[str], int]:
    """Posts of about 3 KB, about `size` characters in all: front matter, headings, emphasis
    and links, with each of `planted` written once, most of them split by markup as a
    writer would (`**Kim** Lowe`, `[Kim Lowe](…)`) so that only a reader of Markdown sees them."""
    rng = random.Random(seed)
    sentences = _Sentences(rng, size, planted, markup=True)
    posts: list[str] = []
    length = 0
    while length < size:
        number = len(posts) + 1
        lines = [
            "---",
            f"title: Week {number} at the community garden",
            f"date: 2026-{number % 12 + 1:02d}-01",
            f"tags: [{rng.choice(FILLER)}, {rng.choice(FILLER)}]",
            "---",
            "",
            f"# Week {number}",
            "",
            "",
        ]
        body = ""
        while len(body) < 3000:
            body += next(sentences)
        post = "\n".join(lines) + body + "\n"
        posts.append(post)
        length += len(post)
    return posts, sentences.planted


def generate_post_batches(size: int, planted: list[str], *, seed: int = 17, batch: int = 50) -> tuple[list[str], int]:
    """JSON bodies as a scheduler sends them to the webhook, {"posts": [{"id", "text",
    "media": [{"alt_text"}]}]}, about `size` characters in all, non-ASCII written as \\u
    escapes; each of `planted` once, in a post's text or in a photo's alt text."""
    rng = random.Random(seed)
    sentences = _Sentences(rng, size, planted, markup=False)
    batches: list[str] = []
    length, number = 0, 0
    while length < size:
        posts = []
        for _ in range(batch):
            number += 1
            text = "".join(next(sentences) for _ in range(rng.randint(6, 12)))
            alt_text = next(sentences).strip()
            posts.append({"id": f"post-{number:07d}", "text": text, "media": [{"alt_text": alt_text}]})
        body = json.dumps({"posts": posts}, indent=1)
        batches.append(body)
        length += len(body)
    return batches, sentences.planted


class _Sentences:
    """An endless run of sentences that plants each name once, spread over `size` characters."""

    def __init__(self, rng: random.Random, size: int, planted: list[str], *, markup: bool) -> None:
        self.rng, self.names, self.markup = rng, planted, markup
        # Sentences run to ~70 characters, and posts add their headers: plant densely
        # enough that every name fits.
        self.plant_every = max(1, size // (100 * max(1, len(planted))))
        self.count = 0
        self.planted = 0

    def __iter__(self) -> _Sentences:
        return self

    def __next__(self) -> str:
        rng = self.rng
        words = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
        if self.markup:
            words = [_emphasis(rng, word) for word in words]
        if self.planted < len(self.names) and self.count % self.plant_every == 0:
            name = self.names[self.planted]
            words.insert(rng.randrange(len(words)), _split_by_markup(rng, name) if self.markup else name)
            self.planted += 1
        self.count += 1
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + rng.choice([". ", ".\n", ".\n\n", ", and "])


def _emphasis(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.02:
        return f"*{word}*"
    if roll < 0.03:
        return f"[{word}](https://example.org/{word})"
    return word


def _split_by_markup(rng: random.Random, name: str) -> str:
    first, _, last = name.partition(" ")
    slug = name.lower().replace(" ", "-")
    return rng.choice(
        [
            f"**{first}** {last}",
            f"_{first}_ {last}",
            f"[{name}](https://example.org/stories/{slug})",
            f"**{name}**",
            name,
        ]
    )


def census_identifiers(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(client_id, kind, value) rows of `count` clients, one identifier each, in the mix of
    `generate_identifiers`, with names as a census would have them: first and last names
    drawn by Faker's en_US provider, which weights each by its frequency in the US census
    ("Smith" about 75 times as often as "Cooke"), so that common names are common. The
    same seed gives the same list with the same Faker version (its tables change between
    versions). Ids, phones, e-mails and handles are made as Faker makes them for en_US."""
    from faker import Faker  # the bench extra: only this generator needs it

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(rows) < count:
        roll = rng.random()
        if roll < 0.7:
            kind, value = "name", f"{fake.first_name()} {fake.last_name()}"
        elif roll < 0.8:
            kind, value = "id", f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPRST')}-{rng.randint(10000, 999999)}"
        elif roll < 0.9:
            kind, value = "phone", fake.numerify("+1 %## %## ####")
        elif roll < 0.95:
            kind, value = "email", fake.free_email()
        else:
            kind, value = "handle", f"@{fake.user_name()}"
        if value.lower() not in seen:
            seen.add(value.lower())
            rows.append((f"C{len(rows):07d}", kind, value))
    return rows
