"""`python -m bench.names`: what the name variants cost and what they fire on.

- The compile of a list of 100,000 identifiers, each in a fresh process: seconds, peak
  memory (VmHWM) and the keys of the compiled table, for the generated list of the main
  bench (`bench/data.py`: syllable names, nearly every surname its own) and for a
  census-weighted one (Faker's en_US names, whose given names are the nickname table's).
- False alarms on the real-text corpus (`bench/real_text.py`, fetched or cached) with
  census-weighted lists of 1,000, 10,000 and 100,000 clients: the files blocked, the places
  found, and the name findings by the form they were written in (never the text).

`--policy FILE` compiles every list with that policy.toml (the variants switched off, to
measure before and after in one tree). Run from another tree's root with PYTHONPATH set,
it measures that tree's gate: `bench/names.py` needs nothing of the gate but
`build_matcher`'s table and a verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.data import census_identifiers, generate_identifiers, write_wordlist

ROOT = Path(__file__).resolve().parent.parent
_INITIAL = re.compile(r"\w(?:\.|\s)")


def name_form(written: str) -> str:
    """The form a name finding was written in, told from the text alone."""
    try:
        from gate.titles import titled
    except ImportError:  # a tree from before titles

        def titled(written: str) -> bool:
            return False

    if written[:1] in "#@":
        return "#FirstLast"
    if "," in written:
        return "Last, First"
    if titled(written):
        return "Title Last"
    return "F. Last" if _INITIAL.match(written) else "First Last"


def compile_in_child(wordlist: Path) -> dict[str, float]:
    """The compile of `wordlist` in a fresh process: seconds, peak MiB, keys."""
    command = [sys.executable, "-m", "bench.names", "compile", str(wordlist)]
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compile_here(wordlist: Path) -> dict[str, float]:
    from bench.engines import build_gate

    start = time.perf_counter()
    matcher = build_gate(wordlist)
    seconds = time.perf_counter() - start
    status = Path("/proc/self/status").read_text().splitlines()
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return {"seconds": round(seconds, 2), "peak_mib": round(peak / 1024), "keys": len(matcher.keys.codes)}


def false_alarms(wordlist: Path, corpus_root: Path) -> dict[str, object]:
    """Files blocked, places and name forms of one check of the whole corpus."""
    from bench.engines import build_gate, gate_verdict

    verdict = gate_verdict(build_gate(wordlist), corpus_root, reveal=True)
    forms = Counter(name_form(item.matched or "") for item in verdict.findings if item.kind == "name")
    blocked = {item.path for item in verdict.findings if item.action == "block"}
    untitled = {
        item.path
        for item in verdict.findings
        if item.action == "block" and not (item.kind == "name" and name_form(item.matched or "") == "Title Last")
    }
    by_folder = Counter(Path(path).relative_to(corpus_root).parts[0] for path in blocked)
    return {
        "files blocked": len(blocked),
        "files blocked by sub-corpus": dict(sorted(by_folder.items())),
        "files blocked but by a title": len(untitled),
        "places": len({(item.path, item.line, item.column) for item in verdict.findings}),
        "findings": len(verdict.findings),
        "name forms": dict(sorted(forms.items())),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.names")
    parser.add_argument("--clients", default="1000,10000,100000")
    parser.add_argument("--compile-size", type=int, default=100_000)
    parser.add_argument("--policy", type=Path, help="a policy.toml every list is compiled with")
    parser.add_argument("--skip", choices=["compile", "alarms"], action="append", default=[])
    parser.add_argument("command", nargs="?", choices=["compile"])
    parser.add_argument("wordlist", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.command == "compile":
        print(json.dumps(compile_here(args.wordlist)))
        return 0
    from bench.real_text import cache_root, fetch_corpus

    policy = args.policy.read_text(encoding="utf-8") if args.policy else ""
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "compile" not in args.skip:
            for label, rows in (
                ("generated", generate_identifiers(args.compile_size)),
                ("census", census_identifiers(args.compile_size)),
            ):
                wordlist = folder / f"{label}-{args.compile_size}"
                write_wordlist(wordlist, rows)
                (wordlist / "policy.toml").write_text(policy, encoding="utf-8")
                results[f"compile {label} {args.compile_size}"] = compile_in_child(wordlist)
                print(json.dumps({label: results[f"compile {label} {args.compile_size}"]}), file=sys.stderr)
        if "alarms" not in args.skip:
            corpus = fetch_corpus(cache_root(), log=lambda line: print(line, file=sys.stderr))
            for size in sorted(int(size) for size in args.clients.split(",")):
                wordlist = folder / f"census-{size}"
                write_wordlist(wordlist, census_identifiers(size))
                (wordlist / "policy.toml").write_text(policy, encoding="utf-8")
                results[f"alarms {size}"] = false_alarms(wordlist, corpus.root)
                print(json.dumps({size: results[f"alarms {size}"]}), file=sys.stderr)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
