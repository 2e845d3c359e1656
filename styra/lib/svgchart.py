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

from .numbers import format_number, format_percent

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


def hbar_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit_label: str = "tkr",
    divisor: Decimal = Decimal(1000),
    width: int = 640,
    label_width: int = 180,
) -> str:
    """Grouped horizontal bars: one row per label with the label in full on its own line
    to the left (labels never collide, however many and however long), the legend on top.
    The height follows the number of labels."""
    cid = f"chart{next(_ids)}"
    bar_h, gap, top, bottom, right = 14, 12, 34, 28, 16
    rows = max(len(labels), 1)
    group_h = bar_h * max(len(series), 1) + gap
    height = top + rows * group_h + bottom
    left = label_width
    plot_w = width - left - right
    numbers = [float(v) for s in series for v in s.values if v is not None]
    lo, hi, step = _scale(numbers or [0.0])

    def x(v):
        return left + plot_w * (float(v) - lo) / (hi - lo)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d" class="chart">',
        f'<title id="{cid}-t">{html.escape(title)}</title>',
        f'<desc id="{cid}-d">{html.escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    tick = lo
    while tick <= hi + step / 1000:
        tx = x(tick)
        out.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4}" y2="{height - bottom}" '
            'stroke="#d0d5db"/>'
        )
        out.append(
            f'<text x="{tx:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{_axis_label(tick, divisor)}</text>'
        )
        tick += step
    out.append(
        f'<text x="{width - right}" y="{height - 2}" text-anchor="end" font-size="11" '
        f'fill="#333">{html.escape(unit_label)}</text>'
    )
    zero = x(0)
    for g, label in enumerate(labels):
        gy = top + g * group_h
        out.append(
            f'<text x="{left - 8}" y="{gy + group_h / 2:.1f}" text-anchor="end" '
            f'font-size="12" fill="#111">{html.escape(label)}</text>'
        )
        for k, s in enumerate(series):
            v = s.values[g] if g < len(s.values) else None
            if v is None:
                continue
            x0, x1 = sorted((x(v), zero))
            out.append(
                f'<rect x="{x0:.1f}" y="{gy + k * bar_h:.1f}" width="{max(x1 - x0, 0.5):.1f}" '
                f'height="{bar_h - 2}" fill="{PALETTE[k % len(PALETTE)]}"/>'
            )
    lx = left
    for k, s in enumerate(series):
        out.append(
            f'<rect x="{lx}" y="8" width="14" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        out.append(
            f'<text x="{lx + 20}" y="18" font-size="12" fill="#111">{html.escape(s.name)}</text>'
        )
        lx += 30 + 8 * len(s.name)
    out.append("</svg>")
    return "\n".join(out)


# Light fills from low to high with dark text on all of them (contrast above 4.5:1).
MATRIX_FILLS = ["#d9f2dd", "#fff3bf", "#ffd8a8", "#ffc9c9"]


@dataclass(frozen=True)
class MatrixCell:
    label: str  # the small text in the corner (e.g. the riskvärde)
    text: str  # what sits in the cell (e.g. the numbers of the risks there); "" = empty
    shade: int  # 0..3, index into MATRIX_FILLS


def matrix_chart(
    title: str,
    description: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[MatrixCell]],
    *,
    row_axis: str,
    column_axis: str,
    width: int = 560,
    height: int = 420,
) -> str:
    """A grid (a risk matrix): rows from top to bottom as given, columns from left to right;
    each cell filled by its shade, with a corner label and a text."""
    cid = f"chart{next(_ids)}"
    left, right, top, bottom = 150, 10, 10, 70
    rows, cols = len(row_labels), len(column_labels)
    cw, ch = (width - left - right) / cols, (height - top - bottom) / rows
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d" class="chart">',
        f'<title id="{cid}-t">{html.escape(title)}</title>',
        f'<desc id="{cid}-d">{html.escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    for r, label in enumerate(row_labels):
        y0 = top + r * ch
        out.append(
            f'<text x="{left - 8}" y="{y0 + ch / 2 + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#111">{html.escape(label)}</text>'
        )
        for c in range(cols):
            cell = cells[r][c]
            x0 = left + c * cw
            fill = MATRIX_FILLS[max(0, min(cell.shade, len(MATRIX_FILLS) - 1))]
            out.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{cw:.1f}" height="{ch:.1f}" '
                f'fill="{fill}" stroke="#555"/>'
            )
            out.append(
                f'<text x="{x0 + 6:.1f}" y="{y0 + 15:.1f}" font-size="11" fill="#333">'
                f"{html.escape(cell.label)}</text>"
            )
            if cell.text:
                out.append(
                    f'<text x="{x0 + cw / 2:.1f}" y="{y0 + ch / 2 + 6:.1f}" text-anchor="middle" '
                    f'font-size="16" font-weight="bold" fill="#111">{html.escape(cell.text)}</text>'
                )
    for c, label in enumerate(column_labels):
        out.append(
            f'<text x="{left + c * cw + cw / 2:.1f}" y="{top + rows * ch + 18:.1f}" '
            f'text-anchor="middle" font-size="12" fill="#111">{html.escape(label)}</text>'
        )
    out.append(
        f'<text x="{left + (width - left - right) / 2:.1f}" y="{height - 12}" '
        f'text-anchor="middle" font-size="13" font-weight="bold" fill="#111">'
        f"{html.escape(column_axis)}</text>"
    )
    out.append(
        f'<text x="14" y="{top + rows * ch / 2:.1f}" font-size="13" font-weight="bold" '
        f'fill="#111" transform="rotate(-90 14 {top + rows * ch / 2:.1f})" '
        f'text-anchor="middle">{html.escape(row_axis)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


# --- A measure's values per year against its targets, split by gender ----------------------
# Lines differ by dash pattern and marker shape as well as colour, so the chart does not rely on
# colour alone; the page shows the same figures as a table next to it.
GENDER_STYLE = {
    "T": ("Totalt", "#1b4f72", "", "circle"),
    "K": ("Kvinnor", "#a04000", "6 3", "square"),
    "M": ("Män", "#196f3d", "2 3", "diamond"),
}


@dataclass(frozen=True)
class MeasureChart:
    title: str
    unit: str
    years: tuple[int, ...]
    series: dict[str, tuple[Decimal | None, ...]]  # "T"/"K"/"M" -> value per year
    targets: tuple[Decimal | None, ...]  # numeric target per year (None: none or direction)
    target_note: str = ""  # e.g. "Mål 2020: Ökar"
    chart_id: str = "chart"


def _measure_fmt(value: Decimal, unit: str) -> str:
    places = max(0, -value.normalize().as_tuple().exponent)
    text = format_number(value, places)
    return format_percent(value, places) if unit == "%" else text


def _measure_marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _measure_tick(value: Decimal, span: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if abs(span) >= 4 else value.quantize(Decimal("0.1"))


def describe_measure(chart: MeasureChart) -> str:
    """The chart in words (for <desc>)."""
    parts = []
    for key, values in chart.series.items():
        label = GENDER_STYLE[key][0]
        shown = [
            f"{y}: {_measure_fmt(v, chart.unit)}"
            for y, v in zip(chart.years, values, strict=True)
            if v is not None
        ]
        parts.append(f"{label} " + (", ".join(shown) if shown else "saknar värden"))
    targets = [
        f"{y}: {_measure_fmt(t, chart.unit)}"
        for y, t in zip(chart.years, chart.targets, strict=True)
        if t is not None
    ]
    if targets:
        parts.append("Mål " + ", ".join(targets))
    if chart.target_note:
        parts.append(chart.target_note)
    return ". ".join(parts) + "."


def measure_chart_svg(chart: MeasureChart, *, width: int = 560, height: int = 260) -> str:
    """A measure's outcome per year (total, women, men) with its numeric targets as marks."""
    left, right, top, bottom = 56, 120, 20, 40
    values = [v for vs in chart.series.values() for v in vs if v is not None]
    values += [t for t in chart.targets if t is not None]
    cid = html.escape(chart.chart_id)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" class="measure-chart">'
        f'<title id="{cid}-title">{html.escape(chart.title)}</title>'
        f'<desc id="{cid}-desc">{html.escape(describe_measure(chart))}</desc>'
    )
    if not values or not chart.years:
        return head + (
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">Inga värden ännu</text>'
            "</svg>"
        )
    low, high = min(values), max(values)
    low = min(low, Decimal(0))
    if chart.unit == "%" and high <= 100:
        high = Decimal(100)
    if high == low:
        high = low + 1
    plot_w = width - left - right
    plot_h = height - top - bottom
    n = len(chart.years)

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y_of(v: Decimal) -> float:
        return top + plot_h * float((high - v) / (high - low))

    out = [head, '<g class="axes" stroke="#555" stroke-width="1">']
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    out.append("</g>")
    for k in range(5):
        v = low + (high - low) * Decimal(k) / 4
        y = y_of(v)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{html.escape(_measure_fmt(_measure_tick(v, high - low), chart.unit))}</text>"
        )
    for i, year in enumerate(chart.years):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="12">{year}</text>'
        )
    for i, t in enumerate(chart.targets):
        if t is None:
            continue
        y = y_of(t)
        out.append(
            f'<line x1="{x_of(i) - 18:.1f}" y1="{y:.1f}" x2="{x_of(i) + 18:.1f}" y2="{y:.1f}" '
            'stroke="#000" stroke-width="3"/>'
        )
    legend_y = top + 6
    for key, values_ in chart.series.items():
        label, colour, dash, shape = GENDER_STYLE[key]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values_) if v is not None]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dash_attr}/>"
            )
        out.extend(_measure_marker(shape, x, y, colour) for x, y in points)
        lx = width - right + 14
        out.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 24}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>{_measure_marker(shape, lx + 12, legend_y, colour)}'
            f'<text x="{lx + 30}" y="{legend_y + 4}" font-size="12">{label}</text>'
        )
        legend_y += 20
    if any(t is not None for t in chart.targets):
        lx = width - right + 14
        out.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 24}" y2="{legend_y}" stroke="#000" '
            f'stroke-width="3"/><text x="{lx + 30}" y="{legend_y + 4}" font-size="12">Mål</text>'
        )
    out.append("</svg>")
    return "".join(out)
