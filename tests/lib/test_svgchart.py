"""SVG charts: accessible markup, scaled axes in tkr with Swedish numbers, gaps."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

from styra.lib.svgchart import Series, bar_chart, line_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def test_line_chart_is_accessible_svg_with_a_line_per_series():
    svg = line_chart(
        "Ackumulerat utfall",
        "Utfall mot budget i tkr",
        ["jan", "feb", "mar"],
        [
            Series("Utfall", [D(-1_000_000), D(-2_500_000), None]),
            Series("Budget", [D(-900_000), D(-1_900_000), D(-3_000_000)]),
        ],
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"s:title[@id='{title_id}']", NS).text == "Ackumulerat utfall"
    assert root.find(f"s:desc[@id='{desc_id}']", NS).text == "Utfall mot budget i tkr"
    lines = root.findall("s:polyline", NS)
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == 2  # the missing March leaves a gap
    labels = [t.text for t in root.findall("s:text", NS)]
    assert "-3\u00a0000" in labels and "0" in labels  # y axis in tkr, Swedish spacing
    assert {"jan", "feb", "mar", "Utfall", "Budget"} <= set(labels)


def test_bar_chart_draws_one_bar_per_value_and_scales_negative_values():
    svg = bar_chart(
        "Budget och prognos",
        "Netto per verksamhet",
        ["A", "B"],
        [Series("Budget", [D(-100_000), D(-50_000)]), Series("Prognos", [D(-90_000), None])],
    )
    root = ET.fromstring(svg)
    bars = [r for r in root.findall("s:rect", NS) if r.get("width") != "14" and r.get("x") != "0"]
    assert len(bars) == 3
    heights = sorted(float(b.get("height")) for b in bars)
    assert heights[-1] / heights[0] == 2.0  # -100 000 is twice -50 000


def test_text_is_escaped():
    svg = line_chart("A & B <c>", "d", ["x"], [Series("s", [D(1)])])
    assert "A &amp; B &lt;c&gt;" in svg and re.search(r"<title[^>]*>A &amp; B", svg)


def test_chart_without_values_still_renders():
    root = ET.fromstring(line_chart("t", "d", [], [Series("s", [])]))
    assert root.get("role") == "img"
