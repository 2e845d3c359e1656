"""Small, accessible SVG charts (line and grouped bar), server-side, no JavaScript.

Each chart carries <title> and <desc> and role="img" with aria-labelledby; the caller also
shows the numbers as a table (the text alternative). Values are Decimal kronor or any
numbers; labels are Swedish. Pure Python: used by web pages, the PDF and (as PNG via
WeasyPrint) the Word files.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .numbers import format_number

PALETTE = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0f766e"]
DASHES = ["", "6 4", "2 3", "8 3 2 3"]
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int | float | None]  # None = no value (gap)


def _nice_step(span: float) -> float:
    raw = span / 5 if span else 1
    magnitude = 10 ** (len(str(int(abs(raw)))) - 1) if raw >= 1 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _scale(values: list[float]) -> tuple[float, float, float]:
    lo, hi = min([*values, 0.0]), max([*values, 0.0])
    step = _nice_step(hi - lo)
    lo = step * (lo // step)
    hi = step * -(-hi // step) if hi % step else hi
    if hi == lo:
        hi = lo + step
    return lo, hi, step


def _axis_label(value: float, divisor: Decimal) -> str:
    return format_number(Decimal(str(value)) / divisor, 0)


def _frame(
    title: str,
    description: str,
    series: Sequence[Series],
    *,
    width: int,
    height: int,
    margins: tuple[int, int, int, int],
    unit_label: str,
    divisor: Decimal,
) -> tuple[list[str], Callable[[Decimal | int | float], float]]:
    """The svg element with title, description, the y scale with grid lines and tick
    labels; returns the lines so far and the value → y function."""
    cid = f"chart{next(_ids)}"
    left, right, top, bottom = margins
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [float(v) for s in series for v in s.values if v is not None]
    lo, hi, step = _scale(numbers or [0.0])

    def y(v):
        return top + plot_h * (hi - float(v)) / (hi - lo)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d" class="chart">',
        f'<title id="{cid}-t">{html.escape(title)}</title>',
        f'<desc id="{cid}-d">{html.escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    tick = lo
    while tick <= hi + step / 1000:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d0d5db"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="#333">'
            f"{_axis_label(tick, divisor)}</text>"
        )
        tick += step
    out.append(
        f'<text x="8" y="{top + 10}" font-size="11" fill="#333">{html.escape(unit_label)}</text>'
    )
    return out, y


def line_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit_label: str = "tkr",
    divisor: Decimal = Decimal(1000),
    width: int = 640,
    height: int = 300,
) -> str:
    """A line chart; the y axis shows values ÷ divisor (kronor → tkr by default)."""
    left, right, top, bottom = 70, 150, 20, 40
    plot_w = width - left - right
    out, y = _frame(
        title,
        description,
        series,
        width=width,
        height=height,
        margins=(left, right, top, bottom),
        unit_label=unit_label,
        divisor=divisor,
    )
    n = max(len(labels), 2)

    def x(i):
        return left + plot_w * i / (n - 1)

    for i, label in enumerate(labels):
        out.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{html.escape(label)}</text>'
        )
    for k, s in enumerate(series):
        color, dash = PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)]
        points, path = [], []
        for i, v in enumerate(s.values):
            if v is None:
                if path:
                    points.append(path)
                path = []
                continue
            path.append(f"{x(i):.1f},{y(v):.1f}")
        if path:
            points.append(path)
        for p in points:
            out.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2.5" '
                f'stroke-dasharray="{dash}" points="{" ".join(p)}"/>'
            )
        ly = top + 14 + 20 * k
        out.append(
            f'<line x1="{width - right + 10}" x2="{width - right + 34}" y1="{ly}" y2="{ly}" '
            f'stroke="{color}" stroke-width="2.5" stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{width - right + 40}" y="{ly + 4}" font-size="12" fill="#111">'
            f"{html.escape(s.name)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit_label: str = "tkr",
    divisor: Decimal = Decimal(1000),
    width: int = 640,
    height: int = 300,
) -> str:
    """Grouped vertical bars, one group per label, one bar per series."""
    left, right, top, bottom = 70, 150, 20, 60
    plot_w = width - left - right
    out, y = _frame(
        title,
        description,
        series,
        width=width,
        height=height,
        margins=(left, right, top, bottom),
        unit_label=unit_label,
        divisor=divisor,
    )
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = group_w * 0.8 / max(len(series), 1)
    zero = y(0)
    for g, label in enumerate(labels):
        gx = left + g * group_w + group_w * 0.1
        for k, s in enumerate(series):
            v = s.values[g] if g < len(s.values) else None
            if v is None:
                continue
            top_y, bottom_y = sorted((y(v), zero))
            out.append(
                f'<rect x="{gx + k * bar_w:.1f}" y="{top_y:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{max(bottom_y - top_y, 0.5):.1f}" fill="{PALETTE[k % len(PALETTE)]}"/>'
            )
        out.append(
            f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" font-size="11" fill="#333">{html.escape(label[:22])}</text>'
        )
    for k, s in enumerate(series):
        ly = top + 14 + 20 * k
        out.append(
            f'<rect x="{width - right + 10}" y="{ly - 6}" width="14" height="12" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        out.append(
            f'<text x="{width - right + 30}" y="{ly + 4}" font-size="12" fill="#111">'
            f"{html.escape(s.name)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
