"""The gate against raw pyahocorasick on the real-text corpus (bench/real_text.py): the
speed of each on each sub-corpus, the findings (false alarms, counted, never quoted), the
time of each stage of a check, and cProfile listings."""

from __future__ import annotations

import cProfile
import dataclasses
import functools
import io
import pstats
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from bench.engines import build_gate, build_pyahocorasick_files, gate_verdict
from bench.real_text import RealCorpus
from bench.throughput import best_of_interleaved
from gate.adapters.files import expand_paths
from gate.cli.check import read_paths
from gate.content import Content
from gate.extract import content_views, path_views
from gate.matcher import Matcher, names_anyone, phone_matches, word_matches
from gate.normalize import Normalized, Normalizer
from gate.precision import fold_word
from gate.written import PROSE_WORDS_FILE, read_words


class Scan(NamedTuple):
    """One sub-corpus (or all of it) scanned by the gate and by raw pyahocorasick."""

    label: str
    files: int
    megabytes: float
    gate_mb_s: float
    raw_mb_s: float
    findings: dict[str, int]  # by identifier kind; a place that names several clients is one
    places: int  # places in the text with a finding
    name_forms: dict[str, int]  # name findings by the form written (NAME_FORMS), never the text
    blocked_files: int
    not_scanned: int  # files the gate read with a problem (undecodable bytes) or not at all
    raw_matches: int  # substrings anywhere, not whole words
    wordings: dict[str, int]  # warnings by wording (gate/written.py), and WARNED: all warnings
    # Files blocked only by names written as a listed name is, whole (`Adam Smith`): real
    # people who share a full name with a client of the list, which no rule can tell apart.
    blocked_by_full_names: int = 0

    @property
    def ratio(self) -> float:
        return self.gate_mb_s / self.raw_mb_s


class ListScans(NamedTuple):
    clients: int
    kinds: dict[str, int]  # identifiers of each kind in the list
    scans: list[Scan]  # each sub-corpus, then all of it
    # Names made only of prose words (gate/written.py): written all in small letters in
    # running prose, these warn where they would block, what the common_words wording costs.
    prose_names: int = 0


def prose_names(values: Sequence[str]) -> int:
    """How many of the names are made only of prose words."""
    words = read_words(PROSE_WORDS_FILE)
    return sum(all(fold_word(word) in words for word in value.split()) for value in values)


ALL = "all of it"
NAME_FORMS = ("First Last", "F. Last", "Last, First", "#FirstLast")
WARNED = "warnings"
_INITIAL = re.compile(r"\w(?:\.|\s)")


def name_form(written: str) -> str:
    """Which of the gate's name variants a name finding was written as."""
    if written[:1] in "#@":
        return "#FirstLast"
    if "," in written:
        return "Last, First"
    return "F. Last" if _INITIAL.match(written) else "First Last"


def measure_real_text(corpus: RealCorpus, wordlist: Path, values: Sequence[str], runs: int) -> list[Scan]:
    """Each sub-corpus and then the whole corpus, each read from its folder as `gate check
    FOLDER` reads it; the best of `runs` timings for each engine, the two taking turns. The
    findings are counted from one more check, untimed, with the matched text revealed to
    tell the form of each name finding; the text goes no further."""
    matcher = build_gate(wordlist)
    raw = build_pyahocorasick_files(values)
    listed = {_folded(value) for value in values}
    scans = []
    for label, path, files, megabytes in _targets(corpus):
        gate_seconds, raw_seconds = best_of_interleaved(
            runs, [functools.partial(gate_verdict, matcher, path), functools.partial(_scan_folder, raw, path)]
        )
        verdict = gate_verdict(matcher, path, reveal=True)
        findings = Counter(finding.kind for finding in verdict.findings)
        forms = Counter(name_form(finding.matched or "") for finding in verdict.findings if finding.kind == "name")
        blocked = {finding.path for finding in verdict.findings if finding.action == "block"}
        not_only_full_names = {
            finding.path
            for finding in verdict.findings
            if finding.action == "block" and not (finding.kind == "name" and _folded(finding.matched or "") in listed)
        }
        wordings = Counter(finding.wording for finding in verdict.findings if finding.action == "warn")
        wordings[WARNED] = sum(wordings.values())
        places = {(finding.path, finding.line, finding.column) for finding in verdict.findings}
        scans.append(
            Scan(
                label,
                files,
                megabytes,
                megabytes / gate_seconds,
                megabytes / raw_seconds,
                dict(findings),
                len(places),
                dict(forms),
                len(blocked),
                len({item.path for item in verdict.not_scanned}),
                _scan_folder(raw, path),
                dict(wordings),
                len(blocked - not_only_full_names),
            )
        )
    return scans


def _folded(written: str) -> str:
    return _NORMALIZER.text(" ".join(written.split())).strip()


_NORMALIZER = Normalizer()


def _targets(corpus: RealCorpus) -> list[tuple[str, Path, int, float]]:
    """(label, folder, files, MB) of each sub-corpus, then of all of it."""
    targets = [(sub.sub.label, sub.path, sub.files, sub.megabytes) for sub in corpus.subs]
    return [*targets, (ALL, corpus.root, corpus.files, corpus.megabytes)]


class Stages(NamedTuple):
    """Where a check of one sub-corpus spends its time, in seconds (best of the runs):
    raw pyahocorasick's whole scan for scale, then the gate's whole check and its stages."""

    label: str
    raw: float
    gate: float
    read: float  # find, read and decode the files
    render: float  # the views of each file (Markdown and HTML as rendered, escapes decoded)
    normalise: float  # every text and view, and each file's path
    words: float  # the automaton's scan, and the keys compared where it finds a stem
    phones: float

    @property
    def rest(self) -> float:
        """Mapping positions back, findings and the verdict: what the stages leave."""
        return max(0.0, self.gate - self.read - self.render - self.normalise - self.words - self.phones)


def measure_stages(corpus: RealCorpus, wordlist: Path, values: Sequence[str], runs: int) -> list[Stages]:
    """Each stage of `gate check` timed apart on each sub-corpus, taking turns with the
    whole check and with raw pyahocorasick. The matcher's stages run on the very texts
    that the check hands it (each file's text, its views, its path), recorded from a check."""
    matcher = build_gate(wordlist)
    raw = build_pyahocorasick_files(values)
    stages = []
    for label, path, _, _ in _targets(corpus):
        contents = _read(path)
        texts = _matched_texts(matcher, path)
        normalized = [matcher.normalizer.normalize(text).text for text in texts]
        timings = best_of_interleaved(
            runs,
            [
                functools.partial(_scan_folder, raw, path),
                functools.partial(gate_verdict, matcher, path),
                functools.partial(_read, path),
                functools.partial(_render, _sketch_answers(matcher, contents).__getitem__, contents),
                functools.partial(_normalise, matcher, texts),
                functools.partial(_words, matcher, normalized),
                functools.partial(_phones, matcher, normalized),
            ],
        )
        stages.append(Stages(label, *timings))
    return stages


def _read(path: Path) -> list[Content]:
    return list(read_paths([str(path)], None))


def _render(names_anyone: Callable[[str], bool], contents: Sequence[Content]) -> None:
    """Each file's views as check_file makes them (a page whose sketch names no one is not
    rendered), and its path's."""
    for content in contents:
        if content.text is not None:
            content_views(content.path, content.text, names_anyone=names_anyone)
        path_views(content.path)


def _sketch_answers(matcher: Matcher, contents: Sequence[Content]) -> dict[str, bool]:
    """Whether each page's sketch names anyone, looked up beforehand: that look-up is the
    matcher's work on a text it is handed, timed with the matcher's stages."""
    answers: dict[str, bool] = {}

    def answer(text: str) -> bool:
        answers[text] = names_anyone(matcher, text)
        return answers[text]

    _render(answer, contents)
    return answers


def _normalise(matcher: Matcher, texts: Sequence[str]) -> None:
    for text in texts:
        matcher.normalizer.normalize(text)


def _words(matcher: Matcher, texts: Sequence[str]) -> None:
    for text in texts:
        list(word_matches(matcher, text))


def _phones(matcher: Matcher, texts: Sequence[str]) -> None:
    for text in texts:
        phone_matches(matcher, text)


class _RecordingNormalizer(Normalizer):
    """A normaliser that keeps each text it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def normalize(self, text: str) -> Normalized:
        self.texts.append(text)
        return super().normalize(text)


def _matched_texts(matcher: Matcher, path: Path) -> list[str]:
    """The texts that `gate check PATH` hands the matcher, in turn."""
    recorder = _RecordingNormalizer()
    gate_verdict(dataclasses.replace(matcher, normalizer=recorder), path)
    return recorder.texts


def _scan_folder(scan: Callable[[Sequence[Path]], int], folder: Path) -> int:
    """The files that `gate check FOLDER` reads, found and scanned as the gate finds them."""
    return scan([Path(name) for name in expand_paths([str(folder)])])


def profile_gate(wordlist: Path, path: Path, output: Path, top: int = 10) -> str:
    """cProfile of one `gate check` of `path`; the top functions by cumulative and by own
    time, written to `output` and returned."""
    return _profile(build_gate(wordlist), path, output, top)


def profile_sub_corpora(wordlist: Path, corpus: RealCorpus, folder: Path) -> list[Path]:
    """cProfile of one `gate check` of each sub-corpus, each written to a file of `folder`."""
    matcher = build_gate(wordlist)
    outputs = []
    for sub in corpus.subs:
        outputs.append(folder / f"real-text-profile-{sub.sub.folder}.txt")
        _profile(matcher, sub.path, outputs[-1], top=25)
    return outputs


def _profile(matcher: Matcher, path: Path, output: Path, top: int) -> str:
    profile = cProfile.Profile()
    profile.enable()
    gate_verdict(matcher, path)
    profile.disable()
    text = io.StringIO()
    for order in ("cumulative", "tottime"):
        text.write(f"# by {order}\n")
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(top)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text.getvalue(), encoding="utf-8")
    return text.getvalue()
