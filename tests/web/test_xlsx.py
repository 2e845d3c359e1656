"""Every table as XLSX: numbers stay numbers, headings stay Swedish, screen-reader-only
words are left out; the page's own authorisation decides who gets the file."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from styra.web.xlsx import number_of, tables_of, workbook_bytes

HTML = """<table><caption>Netto per enhet, tkr</caption>
<thead><tr><th>Enhet</th><th class="num">Budget 2020</th><th class="num">Avvikelse</th></tr></thead>
<tbody><tr><th>Jobbcenter</th><td class="num">−40 485</td>
<td class="num dev-pos">+600<span class="visually-hidden"> (bättre än budget)</span></td></tr>
<tr><th>Öre</th><td class="num">1 234,50</td><td class="num">12 %</td></tr>
<tr><th colspan="2">Text</th><td>inte ett tal 5</td></tr></tbody></table>"""


def test_cells_marked_as_numbers_become_numbers():
    (table,) = tables_of(HTML)
    assert table["caption"] == "Netto per enhet, tkr"
    book = load_workbook(io.BytesIO(workbook_bytes([table])))
    sheet = book["Netto per enhet, tkr"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Enhet", "Budget 2020", "Avvikelse")
    assert rows[2] == ("Jobbcenter", -40485, 600)
    assert rows[3][1] == pytest.approx(1234.5) and rows[3][2] == 12
    assert rows[4] == ("Text", None, "inte ett tal 5")  # a text cell is never read as a number


@pytest.mark.parametrize(
    ("text", "value"),
    [("-26 179", -26179), ("+10 500", 10500), ("−5 871 ▼", -5871), ("0", 0), ("–", None)],
)
def test_number_of(text, value):
    assert number_of(text) == (None if value is None else Decimal(value))


@pytest.mark.slow
def test_follow_up_downloads_as_xlsx_for_whoever_may_read_it(client, cast, node):
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    demo_ledger.build()
    demo_finance.build()
    url = f"/ekonomi/{node('AVUN').pk}/uppfoljning/?handelse=2020-D2&oppna={node('JC').pk}"
    client.force_login(cast["controller"])
    page = client.get(url).content.decode()
    assert "format=xlsx" in page  # the page offers the download
    response = client.get(url + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = next(s for s in book.worksheets if s.title.startswith("Netto per verksamhet"))
    rows = list(sheet.iter_rows(values_only=True))
    assert "Avvikelse 2020" in rows[1]
    jc = next(r for r in rows if r[0] and "Jobbcenter" in r[0])
    assert jc[1:] == (-45211, -26179, -31495, -40485, -39885, 600)
    assert any(r[0] and "Arbetsmarknadsprogram" in r[0] for r in rows)  # the opened level
    # A unit manager of another unit gets no file: the page itself refuses.
    client.force_login(cast["enhetschef2"])
    assert client.get(f"/ekonomi/{node('AVUN').pk}/uppfoljning/?format=xlsx").status_code == 403
