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


def test_matrix_chart_has_title_desc_every_cell_and_escapes_text():
    from styra.lib.svgchart import MatrixCell, matrix_chart

    cells = [
        [MatrixCell(str(r * c), "1, 2" if (r, c) == (0, 0) else "", r) for c in range(4)]
        for r in range(4)
    ]
    svg = matrix_chart(
        "Risk <matris>",
        "Beskrivning & mer",
        ["a", "b", "c", "d"],
        ["1", "2", "3", "4"],
        cells,
        row_axis="S",
        column_axis="K",
    )
    assert svg.count("<rect") == 17  # background + 16 cells
    assert "Risk &lt;matris&gt;" in svg and "Beskrivning &amp; mer" in svg
    assert 'role="img"' in svg and ">1, 2</text>" in svg


def _measure(**kw):
    from styra.lib.svgchart import MeasureChart

    base = dict(
        title="Andel i arbete",
        unit="%",
        years=(2018, 2019, 2020),
        series={"T": (D("41.5"), D(43), None), "K": (D(40), None, None)},
        targets=(None, D(45), None),
        target_note="Mål 2020: Ökar",
        chart_id="m1",
    )
    base.update(kw)
    return MeasureChart(**base)


def test_measure_chart_words_use_swedish_numbers_and_name_the_targets():
    from styra.lib.svgchart import describe_measure

    text = describe_measure(_measure())
    assert "Totalt 2018: 41,5\u00a0%, 2019: 43\u00a0%" in text
    assert "Kvinnor 2018: 40\u00a0%" in text
    assert "Mål 2019: 45\u00a0%" in text and text.endswith("Mål 2020: Ökar.")


def test_measure_chart_draws_a_line_per_gender_with_markers_and_a_target_mark():
    from styra.lib.svgchart import measure_chart_svg

    root = ET.fromstring(measure_chart_svg(_measure()))
    assert root.get("role") == "img"
    assert len(root.findall("s:polyline", NS)) == 1  # women have one value: a marker, no line
    assert len(root.findall("s:circle", NS)) == 3  # two total points + the legend marker
    legend = [t.text for t in root.findall("s:text", NS)]
    assert {"Totalt", "Kvinnor", "Mål", "2018", "2020"} <= set(legend)
    assert "100\u00a0%" in legend  # a percentage axis runs to 100


def test_measure_chart_without_values_says_so():
    from styra.lib.svgchart import measure_chart_svg

    svg = measure_chart_svg(_measure(series={"T": (None, None, None)}, targets=(None,) * 3))
    assert "Inga värden ännu" in svg
