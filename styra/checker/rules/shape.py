"""Rows with fewer values than the table has columns: in a table whose cells are delimited
(tabs, DOCX, PDF geometry) a row that ends early has lost or shifted a cell, so the figures
may sit under the wrong headings."""

from __future__ import annotations

from ..findings import Finding, loc_cell
from . import Context, rule


@rule("kort_rad", "Rader med färre värden än tabellen har kolumner")
def check_short_rows(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        if table.layout != "cells":
            continue
        full = [r for r in table.rows if r.has_values and not r.short]
        if len(full) < 2:
            continue
        for r in table.rows:
            if not r.short:
                continue
            n = sum(1 for c in r.cells if c.text)
            out.append(
                Finding(
                    rule="kort_rad",
                    severity="varning",
                    message=(
                        f"Raden ”{r.label}” har {n} celler men tabellen har {len(table.columns)} "
                        "kolumner; ett värde saknas eller har hamnat under fel rubrik."
                    ),
                    location=loc_cell(table, r, None, ctx.kind),
                    expected=f"{len(table.columns)} värden",
                    found=f"{n} värden",
                )
            )
    return out
