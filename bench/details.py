"""`python -m bench details`: what details cost (gate/clues.py). The census-weighted lists
of `python -m bench real-text`, each without details and with five per client, scanned
over the real-text corpus in turns; the compile of each; and the files of each
sub-corpus that a combination blocks (every one a false alarm: the lists are made up).
"""

from __future__ import annotations

import datetime
import functools
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bench.data import census_identifiers, write_wordlist
from bench.engines import TODAY, build_gate, gate_verdict
from bench.real_text import RealCorpus
from bench.report import machine, package_versions
from bench.throughput import best_of_interleaved
from gate.check import check_contents
from gate.cli.check import read_paths
from gate.clues import COMBINATION
from gate.matcher import Matcher

DETAILS_HEADING = "## Details: clues combined"
DETAILS_PER_CLIENT = 5
TOWNS = 200  # the towns the clients live in, a few of them most (a clinic's clients live near it)
CLUBS = ("Primary School", "High School", "Rowing Club", "Football Club", "Choir", "Allotment Society")
TARGET_SPEED = 0.8  # of the scan's speed without details
TARGET_COMPILE = 2.0  # times the compile without details


def census_details(rows: Sequence[tuple[str, str, str]], seed: int = 11) -> list[tuple[str, str, str]]:
    """DETAILS_PER_CLIENT detail rows for each client of `rows`, as Faker's en_US makes
    them: a street, a town (of TOWNS, the first ones the commonest: a Zipf law), an
    employer, an age from 18 to 90, and a school or club."""
    from faker import Faker  # the bench extra

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    towns = [fake.city() for _ in range(TOWNS)]
    weights = [1 / rank for rank in range(1, TOWNS + 1)]
    details = []
    for client in dict.fromkeys(client for client, _, _ in rows):
        details += [
            (client, "detail", fake.street_name()),
            (client, "detail", rng.choices(towns, weights)[0]),
            (client, "detail", fake.company()),
            (client, "detail", str(rng.randint(18, 90))),
            (client, "detail", f"{fake.last_name()} {rng.choice(CLUBS)}"),
        ]
    return details


class DetailsResult(NamedTuple):
    clients: int
    details: int
    scan_without: float  # seconds, best of the runs
    scan_with: float
    compile_without: float
    compile_with: float
    blocked: dict[str, tuple[int, int]]  # sub-corpus -> (files blocked by a combination, files)

    @property
    def speed(self) -> float:
        return self.scan_without / self.scan_with

    @property
    def compile_ratio(self) -> float:
        return self.compile_with / self.compile_without


def measure_details(corpus: RealCorpus, clients: int, folder: Path, runs: int) -> DetailsResult:
    rows = census_identifiers(clients)
    details = census_details(rows)
    write_wordlist(folder / f"plain-{clients}", rows)
    write_wordlist(folder / f"details-{clients}", rows + details)
    compile_without, plain = _compiled(folder / f"plain-{clients}")
    compile_with, detailed = _compiled(folder / f"details-{clients}")
    without, with_details = best_of_interleaved(
        runs,
        [functools.partial(gate_verdict, plain, corpus.root), functools.partial(gate_verdict, detailed, corpus.root)],
    )
    blocked = {sub.sub.label: _blocked_by_combinations(detailed, sub.path) for sub in corpus.subs}
    return DetailsResult(clients, len(details), without, with_details, compile_without, compile_with, blocked)


def _compiled(wordlist: Path) -> tuple[float, Matcher]:
    start = time.perf_counter()
    matcher = build_gate(wordlist)
    return time.perf_counter() - start, matcher


def _blocked_by_combinations(matcher: Matcher, path: Path) -> tuple[int, int]:
    """Files of `path` that a combination blocks, each checked as `gate check` does, and files."""
    blocked = files = 0
    for content in read_paths([str(path)], None):
        verdict = check_contents(matcher, [content], today=TODAY)
        files += 1
        blocked += any(item.kind == COMBINATION and item.action == "block" for item in verdict.findings)
    return blocked, files


def render_details(corpus: RealCorpus, results: Sequence[DetailsResult], runs: int, command: str, revision: str) -> str:
    lines = [
        DETAILS_HEADING,
        "",
        f"Run {datetime.date.today().isoformat()} with `{command}`, the gate {revision}, on {machine()}.",
        f"Packages: {package_versions(('pyahocorasick', 'regex', 'faker'))}.",
        "",
        f"The lists of [Real text](#real-text) (census-weighted, one identifier a client), each as it is "
        f"and with {DETAILS_PER_CLIENT} `detail` rows a client as Faker's en_US makes them: a street, a town "
        f"(one of {TOWNS}, the first the commonest), an employer, an age from 18 to 90 and a school or club. "
        f"*Scan*: `gate check` of the whole real-text corpus ({corpus.megabytes:.1f} MB), the two lists "
        f"taking turns, best of {runs}; *compile*: the list compiled once, in this process.",
        "",
        "| target | clients | measured | met |",
        "|---|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| scan with details ≥ {TARGET_SPEED:.0%} of its speed without | {result.clients:,} | "
            f"{result.speed:.0%} | {_met(result.speed >= TARGET_SPEED)} |"
        )
        lines.append(
            f"| compile with details ≤ {TARGET_COMPILE:.0f}× the time without | {result.clients:,} | "
            f"{result.compile_ratio:.2f}× | {_met(result.compile_ratio <= TARGET_COMPILE)} |"
        )
    lines += [
        "",
        "| clients | details | scan without (s) | scan with (s) | compile without (s) | compile with (s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.clients:,} | {r.details:,} | {r.scan_without:.2f} | {r.scan_with:.2f} | "
        f"{r.compile_without:.2f} | {r.compile_with:.2f} |"
        for r in results
    ]
    lines += [
        "",
        "Files a combination blocks (false alarms: the clients are made up), with details:",
        "",
        "| sub-corpus | " + " | ".join(f"{r.clients:,} clients" for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for label in results[0].blocked:
        cells = [_share(*result.blocked[label]) for result in results]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "A number (an age, a year) counts only within 40 characters of a detail or of a name with its "
        "surname's initial, and a given name only with a detail: with an age anywhere and a given name, a "
        "third of the mailing-list e-mails were combinations with 10,000 clients (`Chris` and `57` in a "
        "header are a name and a time), and the given names, read in every text, took a fifth of a check.",
    ]
    return "\n".join(lines) + "\n"


def _met(met: bool) -> str:
    return "yes" if met else "**no**"


def _share(blocked: int, files: int) -> str:
    return f"{blocked:,} of {files:,} ({100 * blocked / files:.1f}%)" if files else "—"
