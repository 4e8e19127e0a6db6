"""What is read out of the audit log, the same for `gate audit` and the console: the
decisions as CSV, and counts by day, decision, kind and client."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from gate.verdict import DECISIONS
from webhook.audit.store import COLUMNS, Counts

SUMMARY_DAYS = 30  # what the console's overview and `gate audit summary` count by default
# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV
# injection"): a post id such as =HYPERLINK(...) is written with a quote before it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    out.writelines(csv_lines(rows))


def csv_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A header of COLUMNS, then a line per decision, its findings as JSON; made as the
    rows come, a hundred lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows, 1):
        writer.writerow([_cell(json.dumps(row[column]) if column == "findings" else row[column]) for column in COLUMNS])
        if number % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_json(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """A JSON array of the rows, written as they come."""
    out.write("[")
    for number, row in enumerate(rows):
        out.write(("," if number else "") + "\n  " + json.dumps(row, ensure_ascii=False))
    out.write("\n]\n")


def _cell(value: object) -> object:
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


@dataclass
class Summary:
    """Counts over some decisions. `days` has every day from the first to the last asked
    for, a day without decisions counting none."""

    days: dict[datetime.date, Counter[str]]
    kinds: Counter[str] = field(default_factory=Counter)  # findings of each kind, in blocked decisions
    clients: Counter[str] = field(default_factory=Counter)  # blocked decisions naming each client
    decisions: Counter[str] = field(default_factory=Counter)


def summarize(counts: Counts, first: datetime.date, last: datetime.date) -> Summary:
    """The counts of the decisions from `first` to `last` (which the store counted)."""
    days = {first + datetime.timedelta(days=n): Counter[str]() for n in range((last - first).days + 1)}
    summary = Summary(days, Counter(dict(counts.kinds)), Counter(dict(counts.clients)))
    for day, decision, count in counts.days:
        summary.decisions[decision] += count
        days.setdefault(datetime.date.fromisoformat(day), Counter())[decision] += count
    return summary


def summary_text(summary: Summary, out: TextIO) -> None:
    """`gate audit summary`: a line per day, then the kinds and clients of the blocks."""
    out.write("day," + ",".join(DECISIONS) + "\n")
    for day, counts in summary.days.items():
        out.write(f"{day.isoformat()}," + ",".join(str(counts[decision]) for decision in DECISIONS) + "\n")
    out.write("\nblocked findings by kind\n")
    out.writelines(f"{kind},{count}\n" for kind, count in summary.kinds.most_common())
    out.write("\nclients in blocked decisions\n")
    out.writelines(f"{client},{count}\n" for client, count in summary.clients.most_common())


def summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "days": [
            {"day": day.isoformat(), **{decision: counts[decision] for decision in DECISIONS}}
            for day, counts in summary.days.items()
        ],
        "decisions": {decision: summary.decisions[decision] for decision in DECISIONS},
        "blocked_kinds": dict(summary.kinds.most_common()),
        "blocked_clients": dict(summary.clients.most_common()),
    }
