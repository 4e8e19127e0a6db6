"""The overview's chart, drawn on the server as SVG: decisions a day, approved and blocked
stacked, with no script and nothing fetched from elsewhere."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36  # room for the axes' labels
COLOURS = {"approve": "#3a7d44", "block": "#b3261e"}


def decisions_chart(days: Mapping[datetime.date, Counter[str]]) -> str:
    """A bar a day, its approvals under its blocks, each bar titled with its counts."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    most = max((counts["approve"] + counts["block"] for counts in days.values()), default=0)
    top = _round_up(most)
    slot = plot_width / max(len(days), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        '<title id="chart-title">Decisions a day: approved and blocked</title>',
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    for index, (day, counts) in enumerate(days.items()):
        x = LEFT + index * slot + slot * 0.15
        base: float = TOP + plot_height
        label = f"{day.isoformat()}: {counts['approve']} approved, {counts['block']} blocked"
        parts.append(f'<g class="day"><title>{escape(label)}</title>')
        for decision in ("approve", "block"):
            height = plot_height * counts[decision] / top if top else 0
            base -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
                f"fill={quoteattr(COLOURS[decision])} data-decision={quoteattr(decision)} "
                f'data-count="{counts[decision]}"/>'
            )
        parts.append("</g>")
        if index % 7 == 0 or (index == len(days) - 1 and index % 7 >= 3):  # the last day, where there is room
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                f"{day.strftime('%d %b')}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _round_up(count: int) -> int:
    """The axis's top: 4 at least, and a multiple of 4 so that its quarters are whole."""
    return max(4, -(-count // 4) * 4)
