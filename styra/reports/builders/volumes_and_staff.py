"""Volumes, key ratios and staff figures (DOMAIN §6 tables 7 and 8)."""

from __future__ import annotations

from styra.lib.periods import MONTHS_SHORT

from ..blocks import (
    Paragraph,
    Row,
    Table,
    text,
)
from .context import Ctx, block


def _volume_header(ctx: Ctx, first: str, second: str) -> tuple[str, ...]:
    y = ctx.y
    month = MONTHS_SHORT[min(ctx.data.cutoff, 12) - 1].capitalize()
    return (first, second, f"{month} {y - 1}", f"{month} {y}", f"Utfall {y - 1}", f"Budget {y}")


@block("volume_table")
def volume_table(ctx: Ctx) -> list:
    from ..blocks import number

    vols = ctx.data.volumes["volumes"]
    if not vols:
        return []
    header = (*_volume_header(ctx, "Volym", "Enhet"), f"Prognos {ctx.y}")
    rows = []
    for r in vols:
        v = r["values"]
        rows.append(
            Row(
                (
                    text(r["volume"].name),
                    text(r["volume"].measure),
                    *(number(v[k]) for k in ("prev_to_date", "to_date", "prev_year", "budget")),
                    number(r["forecast"]),
                )
            )
        )
    return [
        Table("volymer", "Volymer", (header,), tuple(rows), "", numeric_columns=(2, 3, 4, 5, 6))
    ]


@block("ratio_table")
def ratio_table(ctx: Ctx) -> list:
    vols = ctx.data.volumes["volumes"]
    if not vols:
        return []
    header = _volume_header(ctx, "Nyckeltal", "Mått")
    rows = []
    for r in vols:
        for i, ratio in enumerate(r["ratios"]):
            values = ratio["values"]
            rows.append(
                Row(
                    (
                        text(r["volume"].name),
                        text(ratio["label"]),
                        *(
                            ctx.m(values.get(k), "kr")
                            for k in ("prev_to_date", "to_date", "prev_year", "budget")
                        ),
                    ),
                    "data" if i == 0 else "cont",
                )
            )
    return [
        Table(
            "nyckeltal",
            "Nyckeltal, kronor (kostnad ÷ volym)",
            (header,),
            tuple(rows),
            "kr",
            numeric_columns=(2, 3, 4, 5),
        )
    ]


@block("staff_table")
def staff_table(ctx: Ctx) -> list:
    from ..blocks import number

    figures = ctx.data.staff
    if not figures:
        return [Paragraph("Personaluppgifter saknas för rapporttillfället.", source="generated")]
    y = ctx.y
    month = MONTHS_SHORT[min(ctx.data.cutoff, 12) - 1].capitalize()
    header = ("Personal", f"{month} {y}", f"Budget {y}", f"Prognos {y}")
    by_unit: dict[int, dict[str, object]] = {}
    for f in figures:
        by_unit.setdefault(f.unit_id, {"unit": f.unit})[f.kind] = f
    rows = []
    for attr, title, decimals in (
        ("fte", "Antal årsarbetare", 1),
        ("employees", "Antal anställda", 0),
    ):
        rows.append(Row((text(title),), "section"))
        for entry in sorted(by_unit.values(), key=lambda e: (e["unit"].sort_order, e["unit"].name)):
            vals = []
            for kind in ("outcome", "budget", "forecast"):
                f = entry.get(kind)
                vals.append(number(getattr(f, attr) if f else None, decimals))
            rows.append(Row((text(entry["unit"].name), *vals)))
    return [Table("personal", "Personal", (header,), tuple(rows), "", numeric_columns=(1, 2, 3))]
