"""What is read out of the audit log, the same for `gate audit` and the console: the
decisions as CSV, and counts by day, decision, kind and client."""

from __future__ import annotations

import csv
import datetime
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from webhook.audit.store import COLUMNS

DECISIONS = ("approve", "block")


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """A header of COLUMNS, then a line per decision, its findings as JSON."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([json.dumps(row[column]) if column == "findings" else row[column] for column in COLUMNS])


@dataclass
class Summary:
    """Counts over some decisions. `days` has every day from the first to the last asked
    for, a day without decisions counting none."""

    days: dict[datetime.date, Counter[str]]
    kinds: Counter[str] = field(default_factory=Counter)  # findings of each kind, in blocked decisions
    clients: Counter[str] = field(default_factory=Counter)  # blocked decisions naming each client
    decisions: Counter[str] = field(default_factory=Counter)


def summarize(rows: Iterable[Mapping[str, Any]], first: datetime.date, last: datetime.date) -> Summary:
    days = {first + datetime.timedelta(days=n): Counter[str]() for n in range((last - first).days + 1)}
    summary = Summary(days)
    for row in rows:
        day = datetime.date.fromisoformat(row["time"][:10])
        decision = row["decision"]
        summary.decisions[decision] += 1
        if day in days:
            days[day][decision] += 1
        if decision != "block":
            continue
        findings = [item for item in row["findings"] if "kind" in item]
        summary.kinds.update(item["kind"] for item in findings)
        summary.clients.update({item["client_id"] for item in findings})
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
