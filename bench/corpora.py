"""The corpora on disk, as `gate check` reads them, each with its planted count."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from bench.data import generate_markdown_posts, generate_post_batches, generate_prose


class Corpus(NamedTuple):
    label: str
    path: Path  # a file, or a folder of posts
    text: str  # all of it, as the peers scan it
    planted: int
    markup: bool  # names hidden by markup or escapes: only the gate is checked on it

    @property
    def megabytes(self) -> float:
        return len(self.text.encode()) / 1e6


def write_corpora(folder: Path, size: int, planted: list[str]) -> list[Corpus]:
    corpora = []
    for label, accents in (("ASCII prose", False), ("accent-heavy prose", True)):
        text, count = generate_prose(size, planted, accents=accents)
        path = folder / f"{'accents' if accents else 'ascii'}.txt"
        path.write_text(text, encoding="utf-8")
        corpora.append(Corpus(label, path, text, count, markup=False))
    posts, count = generate_markdown_posts(size, planted)
    corpora.append(
        Corpus("Markdown posts", _write_files(folder / "markdown", posts, ".md"), "".join(posts), count, markup=True)
    )
    batches, count = generate_post_batches(size, planted)
    corpora.append(
        Corpus(
            "JSON post batches", _write_files(folder / "json", batches, ".json"), "".join(batches), count, markup=True
        )
    )
    return corpora


def _write_files(folder: Path, contents: list[str], suffix: str) -> Path:
    folder.mkdir()
    for number, content in enumerate(contents, 1):
        (folder / f"{number:06d}{suffix}").write_text(content, encoding="utf-8")
    return folder
