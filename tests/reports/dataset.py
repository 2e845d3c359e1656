"""A small, self-made data set for report tests, on the demo organisation.

Budget 2020 (even profile), forecasts at D1 and D2, ledger outcomes 2019 (periods 1–13) and
2020 (periods 1–8). The D2 forecasts give full-year deviations (Prognos − Budget) of
Jobbcenter +0,6 mkr, Daglig verksamhet +10,5 mkr, Förvaltningskontoret +2,4 mkr (all in
Gemensam verksamhet), Utbildning för vuxna 0: the nämnd +13,5 mkr.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from styra.finance import services
from styra.ledger.aggregates import row_balances_apply
from styra.ledger.models import Balance, LedgerImport
from styra.ledger.rows import ensure_default_scheme
from styra.org.models import OrgNode
from tests.actors import SYSTEM

HEADER = "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"
BUDGET = {
    ("JC", "bidrag_in"): "12 000 000",
    ("JC", "personal"): "-36 000 000",
    ("UFV", "personal"): "-60 000 000",
    ("UFV", "lokalhyror"): "-12 000 000",
    ("DV", "personal"): "-48 000 000",
    ("NAMND", "ovriga_kost"): "-480 000",
    ("GEM", "personal"): "-12 000 000",
}
FORECAST_D1 = {("JC", "personal"): "-36 000 000", ("DV", "personal"): "-40 000 000"}
FORECAST_D2 = {
    ("JC", "bidrag_in"): "11 000 000",
    ("JC", "personal"): "-34 400 000",
    ("UFV", "personal"): "-60 000 000",
    ("UFV", "lokalhyror"): "-12 000 000",
    ("DV", "personal"): "-37 500 000",
    ("NAMND", "ovriga_kost"): "-480 000",
    ("GEM", "personal"): "-9 600 000",
}
# Monthly ledger amounts in kronor, report sign (revenue +, cost −), and their accounts.
MONTHLY_2020 = {
    ("JC", "3510"): Decimal("910000.40"),
    ("JC", "5010"): Decimal("-2900000"),
    ("UFV", "5010"): Decimal("-5000000"),
    ("UFV", "6110"): Decimal("-1000000"),
    ("DV", "5010"): Decimal("-3100000"),
    ("NAMND", "7010"): Decimal("-36750.25"),
    ("GEM", "5010"): Decimal("-800000"),
}
MONTHLY_2019 = {
    ("JC", "3510"): Decimal("950000"),
    ("JC", "5010"): Decimal("-2950000"),
    ("UFV", "5010"): Decimal("-4900000"),
    ("UFV", "6110"): Decimal("-980000"),
    ("DV", "5010"): Decimal("-3300000"),
    ("NAMND", "7010"): Decimal("-40000"),
    ("GEM", "5010"): Decimal("-900000"),
    ("NL", "5010"): Decimal("-500000"),
}


def _csv(rows: dict, event: str) -> str:
    lines = ["händelse;enhet;rad;prognos"]
    lines += [f"{event};{u};{r};{a}" for (u, r), a in rows.items()]
    return "\n".join(lines) + "\n"


def build(municipality, folder: Path, *, goals: bool = True) -> None:
    ensure_default_scheme(municipality)
    (folder / "events.yaml").write_text(
        textwrap.dedent("""\
        committee: AVUN
        events:
          - {code: 2020-D1, cutoff_period: 4}
          - {code: 2020-D2, cutoff_period: 8, deadline: 2020-09-01}
          - {code: 2020-06, cutoff_period: 6}
          - {code: 2020-VB, cutoff_period: 13}
        assumptions:
          - {event: 2020-D2, text: Statsbidrag för regionalt yrkesvux beviljas, amount: "5 500 000"}
        """),
        encoding="utf-8",
    )
    services.events_import(actor=SYSTEM, path=folder / "events.yaml", municipality=municipality)
    budget = HEADER + "".join(
        f"2020;{u};{r};{a};jämn;;;;;;;;;;;;\n" for (u, r), a in BUDGET.items()
    )
    (folder / "budget.csv").write_text(budget, encoding="utf-8")
    services.budget_import(actor=SYSTEM, path=folder / "budget.csv", municipality=municipality)
    (folder / "d1.csv").write_text(_csv(FORECAST_D1, "2020-D1"), encoding="utf-8")
    (folder / "d2.csv").write_text(_csv(FORECAST_D2, "2020-D2"), encoding="utf-8")
    services.forecasts_import(actor=SYSTEM, path=folder / "d1.csv", municipality=municipality)
    services.forecasts_import(actor=SYSTEM, path=folder / "d2.csv", municipality=municipality)
    units = {n.code: n for n in OrgNode.objects.filter(municipality=municipality)}
    for year, monthly, last in ((2019, MONTHLY_2019, 13), (2020, MONTHLY_2020, 8)):
        imp = LedgerImport.objects.create(
            municipality=municipality,
            source="test",
            year=year,
            first_period=1,
            last_period=last,
            file_format="sie",
            file_name=f"test-{year}.se",
            file_sha256="0" * 64,
        )
        rows = []
        for period in range(1, last + 1):
            for (code, account), amount in monthly.items():
                if period == 13:
                    amount = amount / 10
                rows.append(
                    Balance(
                        ledger_import=imp,
                        year=year,
                        period=period,
                        unit=units[code],
                        unit_code=code,
                        account=account,
                        amount_ore=int(-amount * 100),
                    )
                )
        Balance.objects.bulk_create(rows)
        row_balances_apply([imp.pk], +1)  # as the import does
    if goals:
        from styra.demo.builder import DATA_DIR
        from styra.goals.services import goals_load

        goals_load(actor=SYSTEM, path=DATA_DIR / "goals" / "avun-2020-d2.yaml")
