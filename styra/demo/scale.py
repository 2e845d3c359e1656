"""A municipality at Stockholm scale for benchmarks: `styra demo --scale stockholm`.

"Stockholm (skala)": 30 committees, 3 000 units in trees under them (administration →
operating areas → units; sizes vary, Utbildningsnämnden is clearly the largest), ledger
dimension mappings, a 5 000 000-row ledger per year (the previous year with the closing
period 13, the current year through period 8), budgets per unit × report row with
profiles, reporting events D1/D2, forecasts for most units and 2 000 measures with values.

Every figure is drawn from seeded random generators: the same name gives the same data.
The organisation goes through the real org file loader (a generated YAML file) and the
ledger through the real ledger import (generated SIE 4 files, one per period, under
VAR_DIR/scale/<name>/). Budgets, events, forecasts and goals are written in bulk (the
per-row import services would take an hour at this size; their rules are tested
elsewhere).

Idempotent: an organisation already loaded is only updated, an SIE file already imported
(same name and checksum) is skipped, and the bulk parts are rewritten only when their
counts differ from what the spec gives. Start afresh by dropping the database.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from styra.lib.money import sie_amount

ProgressFn = Callable[[str, int, int], None]  # (step label, done, total)

DEMO_PASSWORD = "styra-demo"
YEARS = (2019, 2020)
CUTOFF = 8  # the current year's ledger runs through August
CLOSING_SERIES = "Z"
FORMAT_VERSION = 1  # bump when the generated files change


@dataclass(frozen=True)
class ScaleSpec:
    name: str
    municipality: str
    org_number: str
    committees: int
    units: int
    rows_per_year: int
    measures: int
    editors: int  # editor logins on units of the largest committee (the load test's users)
    seed: int = 20200910
    rows_per_voucher: int = 10  # 9 result rows + 1 counter row on 2440


SPECS = {
    "stockholm": ScaleSpec(
        name="stockholm",
        municipality="Stockholm (skala)",
        org_number="212000-0191",
        committees=30,
        units=3000,
        rows_per_year=5_000_000,
        measures=2000,
        editors=50,
    ),
    # A tenth of Stockholm's ledger on a fifth of its units: `make bench QUICK=1`.
    "medel": ScaleSpec(
        name="medel",
        municipality="Mellanstad (skala)",
        org_number="212000-0217",
        committees=10,
        units=600,
        rows_per_year=500_000,
        measures=200,
        editors=20,
    ),
    "test": ScaleSpec(
        name="test",
        municipality="Testkommun (skala)",
        org_number="212000-0209",
        committees=3,
        units=30,
        rows_per_year=3000,
        measures=20,
        editors=3,
    ),
    # Four times "test" in units and ledger rows, as many committees: the query-count test
    # (tests/scale/test_queries.py) shows that no page's queries grow with the data.
    "test-stor": ScaleSpec(
        name="test-stor",
        municipality="Testkommun (skala)",
        org_number="212000-0209",
        committees=3,
        units=120,
        rows_per_year=12000,
        measures=20,
        editors=3,
    ),
}

COMMITTEES = [
    ("UBN", "Utbildningsnämnden"),
    ("ALN", "Äldrenämnden"),
    ("SOCN", "Socialnämnden"),
    ("ARBN", "Arbetsmarknadsnämnden"),
    ("KULN", "Kulturnämnden"),
    ("IDRN", "Idrottsnämnden"),
    ("TRN", "Trafiknämnden"),
    ("EXPN", "Exploateringsnämnden"),
    ("FASTN", "Fastighetsnämnden"),
    ("MHN", "Miljö- och hälsoskyddsnämnden"),
    ("SBN", "Stadsbyggnadsnämnden"),
    ("SERVN", "Servicenämnden"),
    ("OFN", "Överförmyndarnämnden"),
    ("KS", "Kommunstyrelsen"),
    ("RKSDN", "Rinkeby-Kista stadsdelsnämnd"),
    ("STSDN", "Spånga-Tensta stadsdelsnämnd"),
    ("HVSDN", "Hässelby-Vällingby stadsdelsnämnd"),
    ("BRSDN", "Bromma stadsdelsnämnd"),
    ("KUSDN", "Kungsholmens stadsdelsnämnd"),
    ("NOSDN", "Norrmalms stadsdelsnämnd"),
    ("OSDN", "Östermalms stadsdelsnämnd"),
    ("SOSDN", "Södermalms stadsdelsnämnd"),
    ("EASDN", "Enskede-Årsta-Vantörs stadsdelsnämnd"),
    ("SKSDN", "Skarpnäcks stadsdelsnämnd"),
    ("FASDN", "Farsta stadsdelsnämnd"),
    ("ALSDN", "Älvsjö stadsdelsnämnd"),
    ("HLSDN", "Hägersten-Liljeholmens stadsdelsnämnd"),
    ("SKHSDN", "Skärholmens stadsdelsnämnd"),
    ("VALN", "Valnämnden"),
    ("REVN", "Revisorskollegiet"),
]
AREA_WORDS = [
    "Förskola",
    "Grundskola",
    "Gymnasium",
    "Äldreomsorg",
    "Hemtjänst",
    "Individ- och familjeomsorg",
    "Funktionsstöd",
    "Stadsmiljö",
    "Kultur och fritid",
    "Vuxenutbildning",
]
PLACES = [
    "Aspudden", "Bagarmossen", "Blackeberg", "Bredäng", "Djurgården", "Enskede", "Fruängen",
    "Gubbängen", "Hammarby", "Hökarängen", "Johanneshov", "Kista", "Liljeholmen",
    "Midsommarkransen", "Mälarhöjden", "Nockeby", "Rågsved", "Sköndal", "Solhem", "Stureby",
    "Tallkrogen", "Traneberg", "Vasastan", "Västertorp", "Årsta", "Ängby", "Örby",
]  # fmt: skip

# Accounts per report row (the default Kommun-Bas row scheme) and their Swedish names.
ACCOUNTS: dict[str, list[tuple[str, str]]] = {
    "taxor": [("3110", "Barnomsorgsavgifter"), ("3150", "Omsorgsavgifter")],
    "hyror_in": [("3410", "Lokalhyror, intäkter")],
    "forsaljning": [("3010", "Försäljning av verksamhet"), ("3610", "Försäljning av tjänster")],
    "bidrag_in": [("3510", "Statsbidrag"), ("3540", "Bidrag från EU")],
    "ovriga_in": [("3810", "Övriga intäkter")],
    "personal": [
        ("5010", "Månadslöner"),
        ("5020", "Timlöner"),
        ("5110", "Fyllnads- och övertid"),
        ("5410", "Sjuklön"),
        ("5610", "Arbetsgivaravgifter"),
        ("5710", "Pensionskostnader"),
    ],
    "varor": [("4510", "Livsmedel"), ("4610", "Förbrukningsmaterial"), ("4630", "Läromedel")],
    "entreprenad": [("4010", "Köp av verksamhet"), ("4310", "Entreprenader")],
    "lokalhyror": [("6010", "Lokalhyror"), ("6110", "Städning")],
    "bidrag_ut": [("4410", "Bidrag till föreningar")],
    "ovriga_kost": [
        ("6210", "Tele och IT"),
        ("6410", "Konsulttjänster"),
        ("6910", "Resor"),
        ("7010", "Kurser och konferenser"),
    ],
    "konto49": [("4910", "Övriga kostnader konto 49")],
    "kapital": [("7810", "Avskrivningar"), ("7910", "Internränta")],
    "finansiellt": [("8410", "Räntekostnader")],
}
COUNTER_ACCOUNT = ("2440", "Leverantörsskulder")
LAST_YEAR_ROWS = ("lokalhyror", "entreprenad", "ovriga_kost", "varor")
REVENUE_ROWS = ("taxor", "hyror_in", "forsaljning", "bidrag_in", "ovriga_in")
# Share of a unit's gross cost per cost row (staff dominate, as in municipal operations).
COST_SHARES = {
    "personal": 0.62,
    "varor": 0.05,
    "entreprenad": 0.08,
    "lokalhyror": 0.10,
    "bidrag_ut": 0.02,
    "ovriga_kost": 0.07,
    "konto49": 0.01,
    "kapital": 0.04,
    "finansiellt": 0.01,
}


# ---------------------------------------------------------------- the organisation plan


@dataclass
class UnitPlan:
    code: str
    name: str
    committee: str
    ansvar: str
    size: float  # relative size (share of the ledger's rows and of the money)
    gross_cost: int  # expected annual gross cost, kronor
    accounts: dict[str, int] = field(default_factory=dict)  # account → annual amount, ledger sign


@dataclass
class OrgPlanScale:
    committees: list[tuple[str, str, int]]  # (code, name, number of units)
    tree: list[dict]  # org file nodes
    units: list[UnitPlan]
    people: list[dict]


def _committee_sizes(spec: ScaleSpec) -> list[int]:
    """Units per committee: a Zipf-like spread, the first clearly largest, every one >= 3."""
    weights = [1 / (i + 1) ** 0.9 for i in range(spec.committees)]
    weights[0] *= 1.6
    total = sum(weights)
    sizes = [max(3, round(spec.units * w / total)) for w in weights]
    sizes[0] += spec.units - sum(sizes)  # the remainder goes to the largest
    return sizes


def plan_org(spec: ScaleSpec) -> OrgPlanScale:
    rnd = random.Random(spec.seed)
    sizes = _committee_sizes(spec)
    committees = []
    tree = []
    units: list[UnitPlan] = []
    ansvar = 10000
    for index, n_units in enumerate(sizes):
        code, name = COMMITTEES[index % len(COMMITTEES)]
        if index >= len(COMMITTEES):
            code, name = f"{code}{index}", f"{name} {index}"
        committees.append((code, name, n_units))
        per_area = rnd.randint(8, 14)
        n_areas = max(1, (n_units - 1) // per_area)
        area_nodes = []
        leaf_index = 0

        def leaf(label: str, committee=code) -> dict:
            nonlocal ansvar, leaf_index
            leaf_index += 1
            ansvar += 1
            ucode = f"{committee}-E{leaf_index:04d}"
            size = rnd.lognormvariate(0, 0.6)
            units.append(UnitPlan(ucode, label, committee, str(ansvar), size, 0))
            return {
                "code": ucode,
                "kind": "unit",
                "name": label,
                "dimensions": [{"years": f"{YEARS[0]}-{YEARS[-1]}", "ansvar": [str(ansvar)]}],
            }

        management = leaf("Nämnd och ledning")
        remaining = n_units - 1
        for a in range(n_areas):
            count = remaining // (n_areas - a)
            remaining -= count
            word = AREA_WORDS[(index + a) % len(AREA_WORDS)]
            place = PLACES[(index * 7 + a) % len(PLACES)]
            children = [
                leaf(f"{word} {PLACES[(a * 5 + u) % len(PLACES)]} {u + 1}") for u in range(count)
            ]
            area_nodes.append(
                {
                    "code": f"{code}-O{a + 1:03d}",
                    "kind": "area",
                    "name": f"{word} {place} (område {a + 1})",
                    "children": children,
                }
            )
        tree.append(
            {
                "code": code,
                "kind": "committee",
                "name": name,
                "short_name": code,
                "diarium_prefix": code,
                "valid_from": dt.date(YEARS[0], 1, 1),
                "children": [
                    {
                        "code": f"{code}-F",
                        "kind": "administration",
                        "name": name.replace("nämnden", "förvaltningen").replace(
                            "nämnd", "förvaltning"
                        ),
                        "children": [management, *area_nodes],
                    }
                ],
            }
        )
    # Money: a unit's gross cost follows its size; the municipality spends about 60 Gkr.
    total_size = sum(u.size for u in units)
    for u in units:
        u.gross_cost = int(60_000_000_000 * spec.units / 3000 * u.size / total_size)
        u.accounts = _unit_accounts(rnd, u.gross_cost)
    largest = committees[0][0]
    largest_units = [u for u in units if u.committee == largest]
    people = [
        {
            "name": "Skala Controller",
            "username": "skala-controller",
            "title": "Koncerncontroller",
            "roles": [{"node": c, "role": "controller"} for c, _n, _s in committees],
        },
        {
            "name": "Skala Läsare",
            "username": "skala-lasare",
            "title": "Ledamot",
            "roles": [{"node": c, "role": "reader"} for c, _n, _s in committees],
        },
    ]
    for i in range(min(spec.editors, len(largest_units))):
        unit = largest_units[(i * 7 + 1) % len(largest_units)]
        people.append(
            {
                "name": f"Enhetschef {i + 1:02d}",
                "username": f"skala-chef{i + 1:02d}",
                "title": "Enhetschef",
                "roles": [{"node": unit.code, "role": "editor"}],
            }
        )
    return OrgPlanScale(committees, tree, units, people)


def _unit_accounts(rnd: random.Random, gross_cost: int) -> dict[str, int]:
    """Annual amount per account, ledger sign (cost +, revenue −)."""
    out: dict[str, int] = {}
    for row, share in COST_SHARES.items():
        accounts = ACCOUNTS[row]
        parts = [rnd.uniform(0.5, 1.5) for _ in accounts]
        for (number, _name), part in zip(accounts, parts, strict=True):
            amount = gross_cost * share * rnd.uniform(0.6, 1.4) * part / sum(parts)
            out[number] = int(amount)
    revenue_share = rnd.uniform(0.03, 0.25)
    for row in rnd.sample(REVENUE_ROWS, rnd.randint(1, 3)):
        for number, _name in ACCOUNTS[row]:
            out[number] = -int(gross_cost * revenue_share * rnd.uniform(0.2, 0.6))
    return out


def row_of_account() -> dict[str, str]:
    return {number: row for row, accounts in ACCOUNTS.items() for number, _n in accounts}


# ---------------------------------------------------------------- files


def folder_for(spec: ScaleSpec) -> Path:
    return Path(settings.VAR_DIR) / "scale" / spec.name


def write_org_file(spec: ScaleSpec, plan: OrgPlanScale, path: Path) -> None:
    data = {
        "municipality": {"name": spec.municipality, "org_number": spec.org_number},
        "nodes": plan.tree,
        "people": plan.people,
    }
    text = (
        f"# Generated by styra/demo/scale.py ({spec.name}, format {FORMAT_VERSION}).\n"
        "# Format: docs/org-file.md\n"
    ) + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _rows_in_period(spec: ScaleSpec, year: int, period: int) -> int:
    """Rows per period file: the previous year has 12 months + a small closing period 13,
    the current year has its rows spread over periods 1..CUTOFF."""
    if year == YEARS[-1]:
        return spec.rows_per_year // CUTOFF + (
            spec.rows_per_year % CUTOFF if period == CUTOFF else 0
        )
    closing = spec.rows_per_year // 50
    if period == 13:
        return closing
    rest = spec.rows_per_year - closing
    return rest // 12 + (rest % 12 if period == 12 else 0)


def periods_of(year: int) -> range:
    return range(1, CUTOFF + 1) if year == YEARS[-1] else range(1, 14)


def sie_name(spec: ScaleSpec, year: int, period: int) -> str:
    return f"{spec.name}-{year}-{period:02d}-v{FORMAT_VERSION}.se"


def write_period_file(
    spec: ScaleSpec, plan: OrgPlanScale, year: int, period: int, path: Path
) -> int:
    """Write one period's vouchers as SIE 4 (CP437, CRLF); return the #TRANS rows."""
    rows = _rows_in_period(spec, year, period)
    if path.exists():
        return rows
    rnd = random.Random(spec.seed * 100 + year * 20 + period)
    units = plan.units
    total_size = sum(u.size for u in units)
    cum_units = []
    running = 0.0
    for u in units:
        running += u.size
        cum_units.append(running)
    growth = 1.03 ** (year - YEARS[0])
    per_voucher = spec.rows_per_voucher - 1
    result_rows = rows * per_voucher // spec.rows_per_voucher
    month_share = 0.01 if period == 13 else 1 / 12
    # Per unit: accounts, their cumulative weights and the mean amount of one row (öre).
    unit_data = []
    for u in units:
        accounts = list(u.accounts.items())
        cum, acc = [], 0
        for _number, amount in accounts:
            acc += abs(amount)
            cum.append(acc)
        expected_rows = max(result_rows * u.size / total_size, 1)
        mean_ore = int(acc * month_share * growth * 100 / expected_rows)
        unit_data.append(
            (
                [n for n, _a in accounts],
                cum,
                {n: (1 if a > 0 else -1) for n, a in accounts},
                f'{{1 "{u.ansvar}"}}',
                max(mean_ore, 100),
            )
        )
    accounts_all = {n: name for row in ACCOUNTS.values() for n, name in row}
    accounts_all[COUNTER_ACCOUNT[0]] = COUNTER_ACCOUNT[1]
    month = 12 if period == 13 else period
    series = CLOSING_SERIES if period == 13 else "A"
    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    tmp = path.with_suffix(".tmp")
    written = 0
    with open(tmp, "w", encoding="cp437", errors="replace", newline="\r\n") as out:
        w = out.write
        w("#FLAGGA 0\n")
        w('#PROGRAM "Styra skalgenerator" 1.0\n#FORMAT PC8\n')
        w(f"#GEN {year + 1}0115\n#SIETYP 4\n")
        w(f'#FNAMN "{spec.municipality}"\n#ORGNR {spec.org_number}\n')
        w(f"#RAR 0 {year}0101 {year}1231\n#KPTYP KOMMUN-BAS\n")
        for number, name in sorted(accounts_all.items()):
            w(f'#KONTO {number} "{name}"\n')
        w('#DIM 1 "Ansvar"\n')
        for u in units:
            w(f'#OBJEKT 1 "{u.ansvar}" "{u.name}"\n')
        number = 0
        choices = rnd.choices
        uniform = rnd.random
        buf: list[str] = []
        while written < rows:
            n = min(per_voucher, rows - written - 1)
            if n <= 0:
                break
            number += 1
            day = last_day if period == 13 else rnd.randint(1, last_day)
            date = f"{year}{month:02d}{day:02d}"
            (ui,) = choices(range(len(units)), cum_weights=cum_units)
            numbers, cum, signs, objs, mean = unit_data[ui]
            buf.append(f'#VER "{series}" "{period}{number:06d}" {date} "Faktura {number}"\n{{\n')
            total = 0
            for account in choices(numbers, cum_weights=cum, k=n):
                ore = signs[account] * int(mean * (0.2 + 1.6 * uniform()))
                total += ore
                buf.append(f"   #TRANS {account} {objs} {sie_amount(ore)}\n")
            buf.append(f"   #TRANS {COUNTER_ACCOUNT[0]} {{}} {sie_amount(-total)}\n}}\n")
            written += n + 1
            if len(buf) > 20000:
                w("".join(buf))
                buf.clear()
        w("".join(buf))
    tmp.replace(path)
    return written


# ---------------------------------------------------------------- progress


class RichProgress:
    """A rich progress bar as the `progress` callable of build_scale (a context manager)."""

    def __init__(self, console=None):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)

    def __call__(self, step: str, done: int, total: int) -> None:
        task = self._tasks.get(step)
        if task is None:
            task = self._tasks[step] = self._progress.add_task(step, total=total)
        self._progress.update(task, completed=done, total=total)


# ---------------------------------------------------------------- the build


@dataclass
class ScaleSummary:
    spec: ScaleSpec
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    database_bytes: int = 0
    database: str = ""

    def text(self) -> str:
        lines = [f"{self.spec.municipality} i {self.database}:"]
        for key, value in self.counts.items():
            lines.append(f"  {key:<28} {value:>12,}".replace(",", " "))
        for key, value in self.seconds.items():
            lines.append(f"  tid {key:<24} {value:>10.1f} s")
        lines.append(f"  databasens storlek            {self.database_bytes / 2**20:>10.0f} MiB")
        return "\n".join(lines)


def database_size() -> tuple[str, int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), pg_database_size(current_database())")
            name, size = cursor.fetchone()
        return f"PostgreSQL {name}", int(size)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute("PRAGMA page_size")
        (page_size,) = cursor.fetchone()
    return f"SQLite {connection.settings_dict['NAME']}", int(pages) * int(page_size)


def build_scale(
    name: str = "stockholm", *, progress: ProgressFn | None = None, folder: Path | None = None
) -> ScaleSummary:
    """Generate and load the scale municipality `name` (a key of SPECS) into the database
    of DATABASE_URL. Returns counts, the seconds of each step and the database size."""
    from styra.ledger.rows import ensure_default_scheme
    from styra.ledger.services import ledger_import
    from styra.org.access import system_actor
    from styra.org.models import OrgNode
    from styra.org.services import org_load

    try:
        spec = SPECS[name]
    except KeyError:
        raise ValueError(f"okänd skala {name!r} (finns: {', '.join(SPECS)})") from None
    report = progress or (lambda step, done, total: None)
    summary = ScaleSummary(spec)
    base = folder or folder_for(spec)
    base.mkdir(parents=True, exist_ok=True)

    def timed(step: str, fn):
        t0 = time.perf_counter()
        out = fn()
        summary.seconds[step] = summary.seconds.get(step, 0.0) + time.perf_counter() - t0
        return out

    plan = plan_org(spec)
    org_path = base / f"{spec.name}-org.yaml"
    report("Organisation", 0, 1)
    timed("organisation (fil)", lambda: write_org_file(spec, plan, org_path))
    result = timed(
        "organisation (inläsning)", lambda: org_load(actor=system_actor("demo"), path=org_path)
    )
    municipality = result.municipality
    _set_passwords(plan)
    ensure_default_scheme(municipality)
    report("Organisation", 1, 1)
    summary.counts["nämnder"] = len(plan.committees)
    summary.counts["organisationsenheter"] = OrgNode.objects.filter(
        municipality=municipality
    ).count()
    summary.counts["enheter med huvudbokskod"] = len(plan.units)

    files = [(y, p) for y in YEARS for p in periods_of(y)]
    total_rows = sum(_rows_in_period(spec, y, p) for y, p in files)
    done = 0
    for y, p in files:
        path = base / sie_name(spec, y, p)
        timed(
            "SIE-filer (skrivning)",
            lambda y=y, p=p, path=path: write_period_file(spec, plan, y, p, path),
        )
        done += _rows_in_period(spec, y, p)
        report("SIE-filer", done, total_rows)
    done = 0
    imported_rows = 0
    for y, p in files:
        path = base / sie_name(spec, y, p)
        rows = _rows_in_period(spec, y, p)
        if not _already_imported(municipality, path):

            def on_progress(line, total, done=done, rows=rows):
                report("Huvudbok (import)", done + rows * line // max(total, 1), total_rows)

            res = timed(
                "huvudbok (import)",
                lambda path=path, cb=on_progress: ledger_import(
                    actor=system_actor("demo"),
                    path=path,
                    municipality=municipality,
                    closing_series=frozenset({CLOSING_SERIES}),
                    progress=cb,
                ),
            )
            imported_rows += res.rows
        done += rows
        report("Huvudbok (import)", done, total_rows)
    summary.counts["huvudboksrader (nya)"] = imported_rows

    report("Budget, händelser, prognoser", 0, 1)
    timed("budget och prognoser", lambda: _build_finance(spec, plan, municipality, summary))
    report("Budget, händelser, prognoser", 1, 1)
    report("Mål och mått", 0, 1)
    timed("mål och mått", lambda: _build_goals(spec, plan, municipality, summary))
    report("Mål och mått", 1, 1)
    if connection.vendor == "postgresql":
        timed("ANALYZE", lambda: _analyze())
    summary.database, summary.database_bytes = database_size()
    _count_ledger(municipality, summary)
    return summary


def _already_imported(municipality, path: Path) -> bool:
    from styra.ledger.models import LedgerImport
    from styra.ledger.services import file_sha256

    return (
        LedgerImport.live()
        .filter(municipality=municipality, file_name=path.name, file_sha256=file_sha256(path))
        .exists()
    )


def _set_passwords(plan: OrgPlanScale) -> None:
    users = get_user_model().objects.filter(username__in=[p["username"] for p in plan.people])
    first = users.first()
    if first is not None and not first.check_password(DEMO_PASSWORD):
        users.update(password=make_password(DEMO_PASSWORD))


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _count_ledger(municipality, summary: ScaleSummary) -> None:
    from styra.ledger.models import Balance, Transaction

    summary.counts["huvudboksrader totalt"] = Transaction.objects.filter(
        ledger_import__municipality=municipality
    ).count()
    summary.counts["saldorader"] = Balance.objects.filter(
        ledger_import__municipality=municipality
    ).count()


# ---------------------------------------------------------------- budget, events, forecasts


def _round_k(value: float) -> Decimal:
    """Whole thousands of kronor, as budgets are decided."""
    return Decimal(round(value / 1000) * 1000)


def _build_finance(spec: ScaleSpec, plan: OrgPlanScale, municipality, summary) -> None:
    from styra.calendar.models import EventStatus, ReportingEvent
    from styra.calendar.services import event_ensure, event_status_set
    from styra.finance.aggregates import budget_months_rebuild
    from styra.finance.models import (
        BudgetChange,
        BudgetLine,
        ChangeKind,
        Forecast,
        ForecastReady,
        Profile,
    )
    from styra.ledger.models import Balance
    from styra.org.access import system_actor
    from styra.org.models import OrgNode

    rnd = random.Random(spec.seed + 1)
    year = YEARS[-1]
    nodes = {n.code: n for n in OrgNode.objects.filter(municipality=municipality)}
    account_row = row_of_account()
    code_of = {n.pk: n.code for n in nodes.values()}
    has_last_year = {
        (code_of.get(unit_id), account_row.get(account))
        for unit_id, account in Balance.objects.filter(
            ledger_import__municipality=municipality, year=year - 1
        )
        .values_list("unit_id", "account")
        .distinct()
    }
    budgets: list[BudgetLine] = []
    growth = 1.03 ** (year - YEARS[0])
    for u in plan.units:
        by_row: dict[str, int] = {}
        for number, amount in u.accounts.items():
            row = account_row[number]
            by_row[row] = by_row.get(row, 0) + amount
        for row, amount in sorted(by_row.items()):
            roll = rnd.random()
            profile, weights = Profile.EVEN, []
            if row == "personal":
                profile = Profile.DAYS
            elif roll < 0.10 and row in LAST_YEAR_ROWS and (u.code, row) in has_last_year:
                # Only rows with outcome every year: the profile needs last year's months.
                profile = Profile.LAST_YEAR
            elif roll < 0.20:
                profile = Profile.CUSTOM
                raw = [rnd.randint(6, 10) for _ in range(12)]
                weights = [str(Decimal(w) / Decimal(sum(raw))) for w in raw]
            budgets.append(
                BudgetLine(
                    unit=nodes[u.code],
                    year=year,
                    row_code=row,
                    amount=_round_k(-amount * growth * rnd.gauss(1, 0.04)),
                    profile=profile,
                    weights=weights,
                )
            )
    events_spec = [("D1", 4, EventStatus.APPROVED), ("D2", CUTOFF, EventStatus.OPEN)]
    committee_nodes = [nodes[c] for c, _n, _s in plan.committees]
    expected = {
        "budgetrader": len(budgets),
        "rapporttillfällen": len(committee_nodes) * len(events_spec),
    }
    have_budget = BudgetLine.objects.filter(unit__municipality=municipality, year=year).count()
    have_events = ReportingEvent.objects.filter(committee__municipality=municipality).count()
    have_forecasts = Forecast.objects.filter(unit__municipality=municipality).count()
    summary.counts.update(expected)
    if (
        have_budget == expected["budgetrader"]
        and have_events == expected["rapporttillfällen"]
        and have_forecasts > 0
    ):
        summary.counts["prognosrader"] = have_forecasts
        return
    actor = system_actor("demo")
    with transaction.atomic():
        ForecastReady.objects.filter(unit__municipality=municipality).delete()
        Forecast.objects.filter(unit__municipality=municipality).delete()
        BudgetChange.objects.filter(unit__municipality=municipality).delete()
        BudgetLine.objects.filter(unit__municipality=municipality).delete()
        ReportingEvent.objects.filter(committee__municipality=municipality).delete()
        BudgetLine.objects.bulk_create(budgets, batch_size=5000)
        events = {}
        for c in committee_nodes:
            for suffix, cutoff, status in events_spec:
                code = f"{year}-{suffix}"
                event = event_ensure(
                    actor=actor,
                    committee=c,
                    code=code,
                    cutoff_period=cutoff,
                    deadline=dt.date(year, cutoff + 1, 10),
                )
                events[(c.pk, suffix)] = event_status_set(actor=actor, event=event, status=status)
        changes = []
        by_committee: dict[str, list[UnitPlan]] = {}
        for u in plan.units:
            by_committee.setdefault(u.committee, []).append(u)
        for code, _name, _size in plan.committees:
            for i in range(rnd.randint(1, 3)):
                unit = rnd.choice(by_committee[code])
                changes.append(
                    BudgetChange(
                        unit=nodes[unit.code],
                        year=year,
                        row_code=rnd.choice(["personal", "varor", "ovriga_kost"]),
                        amount=_round_k(-unit.gross_cost * rnd.uniform(0.005, 0.03)),
                        date=dt.date(year, rnd.randint(2, CUTOFF), 15),
                        kind=rnd.choice([ChangeKind.SUPPLEMENTARY, ChangeKind.FRAME]),
                        decision=f"KF/{year}:{100 + i}",
                        text="Tilläggsanslag",
                    )
                )
        BudgetChange.objects.bulk_create(changes)
        # Written in bulk, past the services: their stored months are made here.
        budget_months_rebuild(municipality=municipality)
        committee_of = {u.code: u.committee for u in plan.units}
        forecasts, ready = [], []
        for line in budgets:
            code = line.unit.code
            committee = nodes[committee_of[code]]
            for suffix, share in (("D1", 0.9), ("D2", 0.85)):
                # Whether a unit reports is decided per unit, not per row.
                if random.Random(f"{spec.seed}{code}{suffix}").random() > share:
                    continue
                forecasts.append(
                    Forecast(
                        event=events[(committee.pk, suffix)],
                        unit=line.unit,
                        row_code=line.row_code,
                        amount=_round_k(float(line.amount) * rnd.gauss(1, 0.03)),
                    )
                )
        Forecast.objects.bulk_create(forecasts, batch_size=5000)
        reported = {(f.event_id, f.unit_id) for f in forecasts}
        # The load test's unit managers keep their forecasts open (not marked ready).
        managed = {
            nodes[grant["node"]].pk
            for person in plan.people
            for grant in person["roles"]
            if grant["role"] == "editor"
        }
        for event_id, unit_id in sorted(reported):
            if unit_id in managed:
                continue
            if random.Random(f"{spec.seed}{event_id}{unit_id}").random() < 0.8:
                ready.append(ForecastReady(event_id=event_id, unit_id=unit_id))
        ForecastReady.objects.bulk_create(ready, batch_size=5000)
    summary.counts["prognosrader"] = len(forecasts)


# ---------------------------------------------------------------- goals and measures


def _build_goals(spec: ScaleSpec, plan: OrgPlanScale, municipality, summary) -> None:
    from styra.goals.models import Goal, GoalArea, Measure, Outcome, Target
    from styra.org.models import OrgNode

    nodes = {n.code: n for n in OrgNode.objects.filter(municipality=municipality)}
    have = Measure.objects.filter(goal__committee__municipality=municipality).count()
    summary.counts["mått"] = spec.measures
    if have == spec.measures:
        return
    rnd = random.Random(spec.seed + 2)
    weights = [math.sqrt(size) for _c, _n, size in plan.committees]
    shares = [int(spec.measures * w / sum(weights)) for w in weights]
    shares[0] += spec.measures - sum(shares)
    unit_codes: dict[str, list[str]] = {}
    for u in plan.units:
        unit_codes.setdefault(u.committee, []).append(u.code)
    area_names = ["Ett Stockholm för alla", "En klimatsmart stad", "En ekonomiskt hållbar stad"]
    with transaction.atomic():
        Outcome.objects.filter(measure__goal__committee__municipality=municipality).delete()
        Target.objects.filter(measure__goal__committee__municipality=municipality).delete()
        Measure.objects.filter(goal__committee__municipality=municipality).delete()
        Goal.objects.filter(committee__municipality=municipality).delete()
        GoalArea.objects.filter(committee__municipality=municipality).delete()
        measures: list[Measure] = []
        for (code, _name, _size), n_measures in zip(plan.committees, shares, strict=True):
            committee = nodes[code]
            areas = GoalArea.objects.bulk_create(
                GoalArea(committee=committee, number=i + 1, name=name)
                for i, name in enumerate(area_names)
            )
            n_goals = max(1, n_measures // 6)
            goals = Goal.objects.bulk_create(
                Goal(
                    committee=committee,
                    area=areas[g % len(areas)],
                    code=f"{code}-M{g + 1}",
                    name=f"Mål {g + 1} för {committee.name}",
                    responsible_unit=nodes[f"{code}-F"],
                    sort_order=g,
                )
                for g in range(n_goals)
            )
            for m in range(n_measures):
                measures.append(
                    Measure(
                        goal=goals[m % n_goals],
                        code=f"{code}-MM{m + 1}",
                        name=f"Andel nöjda brukare, mått {m + 1}",
                        unit="%",
                        polarity="higher" if rnd.random() < 0.8 else "lower",
                        gender_meaning="rate" if rnd.random() < 0.2 else "none",
                        owner_unit=nodes[rnd.choice(unit_codes[code])],
                        sort_order=m,
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=2000)
        measures = list(Measure.objects.filter(goal__committee__municipality=municipality))
        outcomes, targets = [], []
        for m in measures:
            base = rnd.uniform(40, 90)
            genders = ["T", "K", "M"] if m.gender_meaning != "none" else ["T"]
            for y in YEARS:
                for g in genders:
                    value = base + rnd.gauss(0, 3) + (y - YEARS[0])
                    outcomes.append(
                        Outcome(measure=m, year=y, gender=g, value=Decimal(f"{value:.1f}"))
                    )
            targets.append(
                Target(
                    measure=m,
                    year=YEARS[-1],
                    gender="T",
                    kind="number",
                    value=Decimal(f"{base + 2:.0f}"),
                )
            )
        Outcome.objects.bulk_create(outcomes, batch_size=5000)
        Target.objects.bulk_create(targets, batch_size=5000)
    summary.counts["måttvärden"] = len(outcomes)
