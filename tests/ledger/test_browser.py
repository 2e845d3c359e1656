"""The controller uploads a ledger file, checks it, saves it and drills down (Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.ledger.sie_write import SieVoucher, write_sie4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_save_and_drill_down(page, live_server, cast, node, tmp_path):
    path = tmp_path / "huvudbok-jan.se"
    write_sie4(
        path,
        company="Botkyrka (demo)",
        org_number="212000-2882",
        year=2020,
        accounts={"1930": "Bank", "5010": "Löner", "3510": "Statsbidrag"},
        dimensions={"1": "Ansvar"},
        objects=[],
        vouchers=[
            SieVoucher(
                "A",
                "1",
                dt.date(2020, 1, 25),
                "Löner januari",
                [("5010", (("1", "4000"),), 1_234_567_00, "lön"), ("1930", (), -1_234_567_00, "")],
            ),
            SieVoucher(
                "A",
                "2",
                dt.date(2020, 1, 28),
                "Statsbidrag",
                [("3510", (("1", "4000"),), -200_000_00, "bidrag"), ("1930", (), 200_000_00, "")],
            ),
        ],
    )
    page.goto(live_server.url + "/")
    page.get_by_label("Användarnamn").fill("controller")
    page.get_by_label("Lösenord").fill("styra-demo")
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server.url}/huvudbok/{node('AVUN').pk}/")
    page.get_by_label("Fil", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera filen").click()
    assert "År 2020, period 1–1: 2 verifikationer, 4 rader." in page.locator("main").inner_text()
    page.get_by_role("button", name="Spara i huvudboken").click()
    assert "huvudbok-jan.se är inläst: 4 rader" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Utfall per enhet").click()
    page.get_by_label("År").fill("2020")
    page.get_by_role("button", name="Visa").click()
    table = page.get_by_role("table")
    assert "Jobbcenter" in table.inner_text()
    page.get_by_role("link", name="Jobbcenter, staff: visa transaktioner").click()
    body = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "A 1" in body and "-1 234 567,00" in body
    assert "Statsbidrag" not in body  # the staff row only
