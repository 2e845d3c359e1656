"""A measure's outcome over the years against its target, split by gender: inline SVG.

Pure (no Django). The SVG has role="img", <title> and <desc>; the page shows the same
figures as a table next to it (the text alternative). Lines differ by dash pattern and
marker shape as well as colour, so the chart does not rely on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 120, 20, 40
SERIES_STYLE = {
    "T": ("Totalt", "#1b4f72", "", "circle"),
    "K": ("Kvinnor", "#a04000", "6 3", "square"),
    "M": ("Män", "#196f3d", "2 3", "diamond"),
}


@dataclass(frozen=True)
class ChartInput:
    title: str
    unit: str
    years: tuple[int, ...]
    series: dict[str, tuple[Decimal | None, ...]]  # "T"/"K"/"M" -> value per year
    targets: tuple[Decimal | None, ...]  # numeric target per year (None: none or direction)
    target_note: str = ""  # e.g. "Mål 2020: Ökar"
    chart_id: str = "chart"


def _fmt(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} %" if unit == "%" else text


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _tick(value: Decimal, span: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if abs(span) >= 4 else value.quantize(Decimal("0.1"))


def describe(chart: ChartInput) -> str:
    """The chart in words (for <desc>)."""
    parts = []
    for key, values in chart.series.items():
        label = SERIES_STYLE[key][0]
        shown = [
            f"{y}: {_fmt(v, chart.unit)}"
            for y, v in zip(chart.years, values, strict=True)
            if v is not None
        ]
        parts.append(f"{label} " + (", ".join(shown) if shown else "saknar värden"))
    targets = [
        f"{y}: {_fmt(t, chart.unit)}"
        for y, t in zip(chart.years, chart.targets, strict=True)
        if t is not None
    ]
    if targets:
        parts.append("Mål " + ", ".join(targets))
    if chart.target_note:
        parts.append(chart.target_note)
    return ". ".join(parts) + "."


def measure_chart_svg(chart: ChartInput) -> str:
    values = [v for vs in chart.series.values() for v in vs if v is not None]
    values += [t for t in chart.targets if t is not None]
    cid = escape(chart.chart_id)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" class="measure-chart">'
        f'<title id="{cid}-title">{escape(chart.title)}</title>'
        f'<desc id="{cid}-desc">{escape(describe(chart))}</desc>'
    )
    if not values or not chart.years:
        return head + (
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">Inga värden ännu</text>'
            "</svg>"
        )
    low, high = min(values), max(values)
    low = min(low, Decimal(0))
    if chart.unit == "%" and high <= 100:
        high = Decimal(100)
    if high == low:
        high = low + 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = len(chart.years)

    def x_of(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y_of(v: Decimal) -> float:
        return TOP + plot_h * float((high - v) / (high - low))

    out = [head, '<g class="axes" stroke="#555" stroke-width="1">']
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>')
    out.append("</g>")
    for k in range(5):
        v = low + (high - low) * Decimal(k) / 4
        y = y_of(v)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_fmt(_tick(v, high - low), chart.unit))}</text>"
        )
    for i, year in enumerate(chart.years):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
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
    legend_y = TOP + 6
    for key, values_ in chart.series.items():
        label, colour, dash, shape = SERIES_STYLE[key]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values_) if v is not None]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dash_attr}/>"
            )
        out.extend(_marker(shape, x, y, colour) for x, y in points)
        lx = WIDTH - RIGHT + 14
        out.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 24}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>{_marker(shape, lx + 12, legend_y, colour)}'
            f'<text x="{lx + 30}" y="{legend_y + 4}" font-size="12">{label}</text>'
        )
        legend_y += 20
    if any(t is not None for t in chart.targets):
        lx = WIDTH - RIGHT + 14
        out.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 24}" y2="{legend_y}" stroke="#000" '
            f'stroke-width="3"/><text x="{lx + 30}" y="{legend_y + 4}" font-size="12">Mål</text>'
        )
    out.append("</svg>")
    return "".join(out)
