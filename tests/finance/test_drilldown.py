"""Drill-down reconciles: from an outcome cell of the follow-up the transaction list sums
exactly to that cell (same unit subtree, row, periods; balance-sheet accounts never count)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from styra.calendar.services import event_ensure, event_status_set
from styra.demo.builder import DATA_DIR
from styra.finance import figures
from styra.ledger.rows import ensure_default_scheme
from styra.ledger.services import ledger_import
from tests.actors import SYSTEM

# The grid's three rows: "Övriga kostnader" includes the financial items.
RAD = {"other": "other,financial"}
HEADINGS = ("Period", "Datum", "Verifikation", "Konto", "Objekt", "Text", "Belopp (kr)")


@pytest.mark.django_db
def test_every_outcome_cell_of_the_grid_reconciles_with_its_transactions(
    demo_org, cast, client, node
):
    ensure_default_scheme(demo_org)
    ledger_import(actor=SYSTEM, path=DATA_DIR / "ledger" / "avun-2020.se", municipality=demo_org)
    avun = node("AVUN")
    event = event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    client.force_login(cast["controller"])
    grid = client.get(f"/ekonomi/{avun.pk}/uppfoljning/?handelse=2020-D2").content.decode()
    fu = figures.follow_up(avun, event)
    checked = 0
    for uf in fu.units:
        cells = [(None, uf.net)] + [(key, uf.by_row[key]) for key, _l in fu.row_keys]
        for key, fig in cells:
            base = reverse("ledger_transactions", kwargs={"node_id": uf.unit.pk})
            query = "?ar=2020&amp;tom=8" + (f"&amp;rad={RAD.get(key, key)}" if key else "")
            links = re.findall(rf'href="({re.escape(base + query)}(?:&amp;[^"]*)?)"', grid)
            assert links, (uf.unit.name, key)
            response = client.get(links[0].replace("&amp;", "&"))
            assert response.context["total"] == fig.outcome, (uf.unit.name, key)
            checked += 1
    assert checked >= 8
    # the committee's rows (the table per kostnadsslag) and its total
    cells = [(None, fu.total.net)] + [(key, fu.total.by_row[key]) for key, _l in fu.row_keys]
    for key, fig in cells:
        base = reverse("ledger_transactions", kwargs={"node_id": avun.pk})
        query = "?ar=2020&amp;tom=8" + (f"&amp;rad={RAD.get(key, key)}" if key else "")
        links = re.findall(rf'href="({re.escape(base + query)}&amp;handelse=[^"]*)"', grid)
        assert links, key
        response = client.get(links[0].replace("&amp;", "&"))
        assert response.context["total"] == fig.outcome, key


@pytest.fixture
def drill(demo_org, cast, client, node):
    ensure_default_scheme(demo_org)
    ledger_import(actor=SYSTEM, path=DATA_DIR / "ledger" / "avun-2020.se", municipality=demo_org)
    avun = node("AVUN")
    event = event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    client.force_login(cast["controller"])
    return avun, event


def _child_link(client, avun, event):
    """Open the first unit with children in the grid, and return (grid address, the opened
    unit's child, the link to the child's staff outcome, the child's staff figure)."""
    fu = figures.follow_up(avun, event)
    parent = next(uf.unit for uf in fu.units if uf.unit.children.exists())
    grid_url = f"/ekonomi/{avun.pk}/uppfoljning/?handelse={event.code}&oppna={parent.pk}"
    grid = client.get(grid_url).content.decode()
    kids = list(parent.children.all())
    sub = figures.follow_up(avun, event, targets=kids)
    child = next(uf for uf in sub.units if uf.by_row["staff"].outcome)
    base = reverse("ledger_transactions", kwargs={"node_id": child.unit.pk})
    (link,) = re.findall(rf'href="({re.escape(base)}\?[^"]*rad=staff[^"]*)"', grid)
    return grid_url, child.unit, link.replace("&amp;", "&"), child.by_row["staff"].outcome


@pytest.mark.django_db
def test_the_back_link_returns_to_the_follow_up_it_came_from(drill, client):
    avun, event = drill
    grid_url, child, link, _outcome = _child_link(client, avun, event)
    page = client.get(link).content.decode()
    back = re.search(r'<a href="([^"]*)">Tillbaka till uppföljningen', page)
    assert back, page[:2000]
    target = back.group(1).replace("&amp;", "&")
    path, anchor = target.split("#")
    # the same follow-up: same event, same units opened, at the child's row
    assert path == grid_url
    assert anchor == f"rad-{child.pk}"
    returned = client.get(path).content.decode()
    assert f'id="rad-{child.pk}"' in returned
    # a list opened from the ledger's balances goes back there
    plain = client.get(reverse("ledger_transactions", kwargs={"node_id": child.pk})).content
    assert "Tillbaka till utfall per enhet" in plain.decode()
    # an event code of no event of the committee gives no back link to a follow-up
    forged = client.get(link.replace(f"handelse={event.code}", "handelse=1999-X")).content
    assert "Tillbaka till uppföljningen" not in forged.decode()
    # from an approved event the list says that the follow-up shows the approved figures
    assert "är godkänd" not in page
    event_status_set(actor=SYSTEM, event=event, status="approved")
    assert f"{event.name} är godkänd" in client.get(link).content.decode()


@pytest.mark.django_db
def test_the_list_downloads_as_csv_and_xlsx_summing_to_the_cell(drill, client):
    import csv
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from styra.ledger.models import Transaction

    avun, event = drill
    _grid, _child, link, outcome = _child_link(client, avun, event)
    page = client.get(link)
    count = page.context["count"]
    assert count > 1 and page.context["total"] == outcome
    # a text that a spreadsheet would run as a formula
    first = page.context["rows"][0]
    Transaction.all_objects.filter(pk=first.pk).update(text='=HYPERLINK("http://x","y")')
    html = page.content.decode()
    csv_link = re.search(r'href="([^"]*format=csv[^"]*)"', html).group(1).replace("&amp;", "&")
    xlsx_link = re.search(r'href="([^"]*format=xlsx[^"]*)"', html).group(1).replace("&amp;", "&")

    response = client.get(csv_link)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == list(HEADINGS)
    assert len(rows) - 1 == count
    assert sum(Decimal(r[6].replace(",", ".")) for r in rows[1:]) == outcome
    assert any(r[5] == "'" + '=HYPERLINK("http://x","y")' for r in rows[1:])

    response = client.get(xlsx_link)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == HEADINGS
    body, summa = values[2:-1], values[-1]
    assert len(body) == count
    assert all(isinstance(r[6], int | float) and isinstance(r[0], int) for r in body)
    assert sum(Decimal(str(r[6])) for r in body) == outcome
    assert summa[0] == "Summa" and Decimal(str(summa[6])) == outcome
    cells = [row[5] for row in sheet.iter_rows(min_row=3)]
    formula = next(c for c in cells if c.value == '=HYPERLINK("http://x","y")')
    assert formula.data_type == "s"
