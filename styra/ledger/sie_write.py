"""Writing SIE 4 files (the demo ledger, tests and benchmarks use it). Pure Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from styra.lib.money import sie_amount


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


ore_text = sie_amount  # the one SIE amount writer (styra.lib.money)


@dataclass
class SieVoucher:
    series: str
    number: str
    date: dt.date
    text: str
    rows: list[tuple[str, tuple[tuple[str, str], ...], int, str]] = field(default_factory=list)
    # (account, ((dimension number, object code), ...), amount in öre, row text)


def write_sie4(
    path: Path | str,
    *,
    company: str,
    org_number: str,
    year: int,
    accounts: dict[str, str],
    dimensions: dict[str, str],
    objects: Iterable[tuple[str, str, str]],
    vouchers: Iterable[SieVoucher],
    program: str = "Styra",
) -> int:
    """Write an SIE 4 file in CP437 (#FORMAT PC8); return the number of #TRANS rows."""
    count = 0
    with open(path, "w", encoding="cp437", errors="replace", newline="\r\n") as out:
        w = out.write
        w("#FLAGGA 0\n")
        w(f"#PROGRAM {quote(program)} 1.0\n")
        w("#FORMAT PC8\n")
        w(f"#GEN {dt.date.today():%Y%m%d}\n")
        w("#SIETYP 4\n")
        w(f"#FNAMN {quote(company)}\n")
        w(f"#ORGNR {org_number}\n")
        w(f"#RAR 0 {year}0101 {year}1231\n")
        w("#KPTYP KOMMUN-BAS\n")
        for number, name in sorted(accounts.items()):
            w(f"#KONTO {number} {quote(name)}\n")
        for number, name in sorted(dimensions.items()):
            w(f"#DIM {number} {quote(name)}\n")
        for dim, code, name in objects:
            w(f"#OBJEKT {dim} {quote(code)} {quote(name)}\n")
        for v in vouchers:
            w(f"#VER {quote(v.series)} {quote(v.number)} {v.date:%Y%m%d} {quote(v.text)}\n{{\n")
            for account, objs, amount, text in v.rows:
                obj = " ".join(f"{d} {quote(c)}" for d, c in objs)
                amount_text = ore_text(amount)
                w(f"   #TRANS {account} {{{obj}}} {amount_text} {v.date:%Y%m%d} {quote(text)}\n")
                count += 1
            w("}\n")
    return count
