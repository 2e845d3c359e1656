"""Finance input files (docs/formats/finance.md): budget, changes, events, forecasts,
investments, volumes, staff. Each is validated whole; any error stores nothing.

Every reader returns Read(records, issues) (styra.lib.errors): it never raises for bad
input; the service refuses the whole file when there is any error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from styra.lib.errors import InputError, Issue, Read
from styra.lib.eventcodes import EventCode
from styra.lib.numbers import NumberFormatError, parse_number
from styra.lib.yamlfile import LineDict, load_yaml

MONTH_COLUMNS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
PROFILE_WORDS = {"jämn": "even", "dagar": "days", "egen": "custom", "fjol": "last_year"}
KIND_WORDS = {"tillaggsbudget", "ramjustering", "omfordelning"}
CHARACTER_WORDS = {"": "", "återkommande": "recurring", "engångs": "one_off"}


def read_xlsx(path: Path | str, required: list[str]) -> Read[list[tuple[int, dict]]]:
    """The first sheet of an Excel file with a header row; rows as (row number, {column:
    text}). Numbers become plain text (Decimal, exact) so they parse like CSV cells."""
    import zipfile

    from openpyxl import load_workbook

    file = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return Read([], [Issue(file, 0, f"kan inte läsa Excel-filen: {exc}")])
    sheet = book.worksheets[0]
    rows: list[tuple[int, dict]] = []
    header: list[str] | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = ["" if v is None else _cell_text(v) for v in values]
        if header is None:
            header = [t.strip().lower() for t in texts]
            missing = [c for c in required if c not in header]
            if missing:
                return Read(
                    [], [Issue(file, 1, f"rubrikraden saknar kolumnerna {', '.join(missing)}")]
                )
            continue
        if not any(t.strip() for t in texts):
            continue
        rows.append(
            (
                number,
                {
                    h: (texts[i].strip() if i < len(texts) else "")
                    for i, h in enumerate(header)
                    if h
                },
            )
        )
    book.close()
    if header is None:
        return Read([], [Issue(file, 1, "filen är tom")])
    return Read(rows, [])


def _cell_text(value) -> str:
    if isinstance(value, float):
        # Excel stores numbers as binary floats; 12.3 must become "12.3", not 12.2999….
        return format(Decimal(repr(value)), "f")
    return str(value)


def read_table(path: Path | str, required: list[str]):
    """CSV (semicolon) or XLSX by the file name."""
    if str(path).lower().endswith(".xlsx"):
        return read_xlsx(path, required)
    return read_csv(path, required)


def read_csv(path: Path | str, required: list[str]) -> Read[list[tuple[int, dict]]]:
    """Semicolon CSV with a header row; rows as (1-based line, {column: text})."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return Read([], [Issue(file, 0, f"kan inte läsa filen: {exc.strerror}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows: list[tuple[int, dict]] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return Read([], [Issue(file, 1, "filen är tom")])
    missing = [c for c in required if c not in header]
    if missing:
        return Read([], [Issue(file, 1, f"rubrikraden saknar kolumnerna {', '.join(missing)}")])
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            return Read(
                rows, [Issue(file, line, f"{len(values)} fält men rubriken har {len(header)}")]
            )
        rows.append(
            (
                line,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )
        )
    return Read(rows, [])


def money(
    text, file: str, line: int, what: str, errors: list[Issue], required=True
) -> Decimal | None:
    try:
        value = parse_number(str(text)) if text is not None else None
    except NumberFormatError:
        errors.append(Issue(file, line, f"{what}: {text!r} är inget belopp"))
        return None
    if value is None and required:
        errors.append(Issue(file, line, f"{what} saknas"))
    return value


@dataclass
class BudgetRecord:
    line: int
    year: int
    unit: str
    row: str
    amount: Decimal
    profile: str
    weights: list[Decimal] = field(default_factory=list)


def read_budget_file(path, known_units: set[str], known_rows: set[str]):
    file = str(path)
    rows, errors = read_table(path, ["år", "enhet", "rad", "belopp", "profil"])
    out: list[BudgetRecord] = []
    seen: dict[tuple, int] = {}
    for line, r in rows:
        year = r["år"]
        if not re.fullmatch(r"\d{4}", year):
            errors.append(Issue(file, line, f"år: {year!r} är inget år"))
            continue
        if r["enhet"] not in known_units:
            errors.append(Issue(file, line, f"okänd enhet {r['enhet']!r}"))
        if r["rad"] not in known_rows:
            errors.append(Issue(file, line, f"okänd rapportrad {r['rad']!r}"))
        amount = money(r["belopp"], file, line, "belopp", errors)
        profile = PROFILE_WORDS.get(r["profil"].lower() or "jämn")
        if profile is None:
            errors.append(
                Issue(file, line, f"okänd profil {r['profil']!r} (jämn, dagar, egen, fjol)")
            )
            continue
        weights: list[Decimal] = []
        if profile == "custom":
            for m in MONTH_COLUMNS:
                w = money(r.get(m, ""), file, line, f"vikt {m}", errors)
                if w is not None and w < 0:
                    errors.append(Issue(file, line, f"vikt {m} är negativ"))
                weights.append(w or Decimal(0))
            if len(weights) == 12 and sum(weights) == 0:
                errors.append(Issue(file, line, "en egen profil behöver minst en månad med vikt"))
        key = (year, r["enhet"], r["rad"])
        if key in seen:
            errors.append(Issue(file, line, f"samma enhet och rad finns redan på rad {seen[key]}"))
        seen[key] = line
        if amount is not None:
            out.append(
                BudgetRecord(line, int(year), r["enhet"], r["rad"], amount, profile, weights)
            )
    return Read(out, errors)


@dataclass
class ForecastRecord:
    line: int
    event: str
    unit: str
    row: str
    amount: Decimal
    comment: str
    character: str


def read_forecast_file(path, known_units: set[str], known_rows: set[str]):
    file = str(path)
    rows, errors = read_table(path, ["händelse", "enhet", "rad", "prognos"])
    out = []
    seen: dict[tuple, int] = {}
    for line, r in rows:
        try:
            EventCode.parse(r["händelse"])
        except ValueError as exc:
            errors.append(Issue(file, line, str(exc)))
            continue
        if r["enhet"] not in known_units:
            errors.append(Issue(file, line, f"okänd enhet {r['enhet']!r}"))
        if r["rad"] not in known_rows:
            errors.append(Issue(file, line, f"okänd rapportrad {r['rad']!r}"))
        character = CHARACTER_WORDS.get(r.get("karaktär", "").lower())
        if character is None:
            errors.append(Issue(file, line, "karaktär ska vara återkommande, engångs eller tom"))
        amount = money(r["prognos"], file, line, "prognos", errors)
        key = (r["händelse"], r["enhet"], r["rad"])
        if key in seen:
            errors.append(
                Issue(file, line, f"samma händelse, enhet och rad finns på rad {seen[key]}")
            )
        seen[key] = line
        if amount is not None:
            out.append(
                ForecastRecord(
                    line,
                    r["händelse"],
                    r["enhet"],
                    r["rad"],
                    amount,
                    r.get("kommentar", ""),
                    character or "",
                )
            )
    return Read(out, errors)


def read_yaml_mapping(path) -> Read[LineDict]:
    try:
        data = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    if not isinstance(data, LineDict):
        return Read(None, [Issue(str(path), 1, "filen ska innehålla en mappning")])
    return Read(data, [])


def need(data: LineDict, keys: list[str], file: str, errors: list[Issue], what: str) -> bool:
    missing = [k for k in keys if k not in data]
    for k in missing:
        errors.append(Issue(file, data.line, f"{what} saknar fältet {k!r}"))
    return not missing


def month_date(value, file: str, line: int, errors: list[Issue]) -> dt.date | None:
    """'2020-11' or a date → the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        errors.append(Issue(file, line, f"{value!r} är ingen månad (ÅÅÅÅ-MM)"))
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)
