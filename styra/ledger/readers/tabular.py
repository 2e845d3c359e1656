"""Outcome rows from CSV and Excel (.xlsx) files, with a declared column mapping.

Pure Python, no Django. Municipal systems export flat outcome files, one row per
period x dimension codes x account with an amount. Which column holds what is declared in
a small YAML mapping file (docs/formats/csv-mapping.md):

    columns:
      period: Period              # YYYYMM; or year: and month: columns
      account: Konto
      amount: Belopp
      dimensions: {ansvar: Ansvar, verksamhet: Verksamhet}
      project: Projekt            # optional
      text: Text                  # optional
    delimiter: ";"                # CSV only
    encoding: auto                # CSV only: auto (UTF-8, else Windows-1252), or a codec
    header_row: 1
    decimal: comma                # comma (Swedish) or point

`iter_rows()` streams `TabularRow`s and `Issue`s and never raises for bad input.
Amounts are parsed with styra.lib.numbers.parse_number and kept as exact integer öre.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import yaml

from styra.lib.errors import ERROR, WARNING, Issue
from styra.lib.numbers import NumberFormatError, parse_number

from .base import Source, open_seekable_binary, source_name

XLSX_MAX_ROWS = 1_048_576  # Excel's own limit (settings.STYRA_XLSX_MAX_ROWS)
XLSX_MAX_UNPACKED = 400 * 1024 * 1024  # settings.STYRA_XLSX_MAX_UNPACKED_MB


class TabularRow(NamedTuple):
    """One outcome row. `period` is the month 1-12, or 13 for the closing period."""

    year: int
    period: int
    account: str
    dimensions: dict[str, str]  # dimension name (as in the mapping) -> code
    amount_ore: int
    project: str
    text: str
    line: int  # 1-based line (CSV) or row number (Excel)


class MappingError(ValueError):
    """The mapping file is missing, unreadable or wrong (message in Swedish)."""


ColumnRef = str | int  # a header name, or a 1-based column number


@dataclass(frozen=True)
class ColumnMapping:
    account: ColumnRef
    amount: ColumnRef
    period: ColumnRef | None = None
    year: ColumnRef | None = None
    month: ColumnRef | None = None
    dimensions: dict[str, ColumnRef] = field(default_factory=dict)
    project: ColumnRef | None = None
    text: ColumnRef | None = None
    format: str | None = None  # "csv" | "xlsx" | None (from the file name)
    delimiter: str = ";"
    encoding: str = "auto"
    header_row: int = 1
    sheet: str | None = None
    decimal: str = "comma"
    negate: bool = False
    source: str = "(kolumnbeskrivning)"


_KEYS = {"columns", "format", "delimiter", "encoding", "header_row", "sheet", "decimal", "sign"}
_COLUMN_KEYS = {"period", "year", "month", "account", "amount", "dimensions", "project", "text"}
_SWEDISH_KEYS = {  # accepted synonyms, so that a controller can write the file in Swedish
    "kolumner": "columns",
    "period": "period",
    "år": "year",
    "månad": "month",
    "konto": "account",
    "belopp": "amount",
    "dimensioner": "dimensions",
    "projekt": "project",
    "text": "text",
    "avgränsare": "delimiter",
    "teckenkodning": "encoding",
    "rubrikrad": "header_row",
    "blad": "sheet",
    "decimaltecken": "decimal",
    "tecken": "sign",
}


def _key(k: Any) -> str:
    k = str(k).strip().lower()
    return _SWEDISH_KEYS.get(k, k)


def _column_ref(value: Any, what: str, src: str) -> ColumnRef:
    if isinstance(value, bool) or value is None:
        raise MappingError(f"{src}: {what} ska vara ett kolumnnamn eller kolumnnummer")
    if isinstance(value, int):
        if value < 1:
            raise MappingError(f"{src}: {what}: kolumnnummer räknas från 1")
        return value
    text = str(value).strip()
    if not text:
        raise MappingError(f"{src}: {what} är tomt")
    return text


def parse_mapping(data: Any, *, source: str = "(kolumnbeskrivning)") -> ColumnMapping:
    """Validate a mapping given as a dict (the parsed YAML)."""
    src = source
    if not isinstance(data, Mapping):
        raise MappingError(f"{src}: ska vara en YAML-tabell med bland annat 'columns:'")
    top = {_key(k): v for k, v in data.items()}
    unknown = sorted(set(top) - _KEYS)
    if unknown:
        raise MappingError(f"{src}: okända nycklar {', '.join(unknown)}")
    cols = top.get("columns")
    if not isinstance(cols, Mapping):
        raise MappingError(f"{src}: 'columns:' saknas eller är inte en tabell")
    cols = {_key(k): v for k, v in cols.items()}
    unknown = sorted(set(cols) - _COLUMN_KEYS)
    if unknown:
        raise MappingError(f"{src}: okända kolumnnycklar {', '.join(unknown)}")
    for required in ("account", "amount"):
        if required not in cols:
            raise MappingError(f"{src}: columns.{required} saknas")
    has_period = "period" in cols
    has_year_month = "year" in cols and "month" in cols
    if has_period == has_year_month or (("year" in cols) != ("month" in cols)):
        raise MappingError(
            f"{src}: ange antingen columns.period (ÅÅÅÅMM) eller både columns.year och "
            "columns.month"
        )
    dims_raw = cols.get("dimensions") or {}
    if not isinstance(dims_raw, Mapping):
        raise MappingError(f"{src}: columns.dimensions ska vara en tabell namn: kolumn")
    dims = {
        str(name).strip(): _column_ref(ref, f"dimensionen {name}", src)
        for name, ref in dims_raw.items()
    }
    if any(not name for name in dims):
        raise MappingError(f"{src}: en dimension saknar namn")

    def opt(key: str) -> ColumnRef | None:
        return _column_ref(cols[key], f"columns.{key}", src) if key in cols else None

    fmt = top.get("format")
    if fmt is not None:
        fmt = str(fmt).strip().lower()
        if fmt not in ("csv", "xlsx"):
            raise MappingError(f"{src}: format ska vara csv eller xlsx, inte {fmt!r}")
    delimiter = top.get("delimiter", ";")
    delimiter = {"tab": "\t", "\\t": "\t", "semikolon": ";", "komma": ","}.get(
        str(delimiter), str(delimiter)
    )
    if len(delimiter) != 1:
        raise MappingError(f"{src}: delimiter ska vara ett tecken, t.ex. ';' eller tab")
    encoding = str(top.get("encoding", "auto")).strip()
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise MappingError(f"{src}: okänd teckenkodning {encoding!r}") from exc
    header_row = top.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 0:
        raise MappingError(
            f"{src}: header_row ska vara ett radnummer (1 = första raden, 0 = ingen rubrikrad)"
        )
    decimal = str(top.get("decimal", "comma")).strip().lower()
    decimal = {"komma": "comma", ",": "comma", "punkt": "point", ".": "point"}.get(decimal, decimal)
    if decimal not in ("comma", "point"):
        raise MappingError(f"{src}: decimal ska vara comma eller point")
    sign = str(top.get("sign", "as_is")).strip().lower()
    if sign not in ("as_is", "negate"):
        raise MappingError(f"{src}: sign ska vara as_is eller negate")
    sheet = top.get("sheet")
    return ColumnMapping(
        account=_column_ref(cols["account"], "columns.account", src),
        amount=_column_ref(cols["amount"], "columns.amount", src),
        period=opt("period"),
        year=opt("year"),
        month=opt("month"),
        dimensions=dims,
        project=opt("project"),
        text=opt("text"),
        format=fmt,
        delimiter=delimiter,
        encoding=encoding,
        header_row=header_row,
        sheet=None if sheet is None else str(sheet),
        decimal=decimal,
        negate=sign == "negate",
        source=src,
    )


def load_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read and validate a YAML mapping file. Raises MappingError with a Swedish message."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MappingError(f"kolumnbeskrivningen {name} finns inte") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"kolumnbeskrivningen {name} kan inte läsas: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", rad {mark.line + 1}" if mark is not None else ""
        raise MappingError(f"{name}{where}: ogiltig YAML ({getattr(exc, 'problem', exc)})") from exc
    return parse_mapping(data, source=name)


def _check_header_refs(cm: ColumnMapping) -> None:
    if cm.header_row == 0:
        named = [
            ref
            for ref in (
                cm.account,
                cm.amount,
                cm.period,
                cm.year,
                cm.month,
                cm.project,
                cm.text,
                *cm.dimensions.values(),
            )
            if isinstance(ref, str)
        ]
        if named:
            raise MappingError(
                f"{cm.source}: utan rubrikrad (header_row: 0) måste kolumnerna anges med "
                f"nummer, inte namn ({', '.join(map(repr, named))})"
            )


# ------------------------------------------------------------------------------ values

_MONTHS = {
    name: k
    for k, names in enumerate(
        [
            ("jan", "januari"),
            ("feb", "februari"),
            ("mar", "mars"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augusti"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_PERIOD = re.compile(r"(\d{4})-?(\d{1,2})\Z")
_ORE = Decimal("0.01")
_FLOAT_SLACK = Decimal("0.000001")


class _Bad(Exception):
    """A cell that cannot be read; the message is Swedish."""


def _text(value: Any) -> str:
    """A cell as text: integral numbers without ".0" (Excel gives 4010.0 for 4010)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _int(value: Any, what: str) -> int:
    text = _text(value)
    if not text.isdigit() or not text.isascii():
        raise _Bad(f"{what} {text!r} är inget heltal")
    return int(text)


def _period(value: Any) -> tuple[int, int]:
    if isinstance(value, datetime | date):
        return value.year, value.month
    text = _text(value)
    m = _PERIOD.match(text)
    if not m:
        raise _Bad(f"perioden {text!r} ska skrivas ÅÅÅÅMM (t.ex. 202403)")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 13:
        raise _Bad(f"perioden {text!r} har månad {month} (1–12, eller 13 för bokslut)")
    return year, month


def _month(value: Any) -> int:
    text = _text(value).lower().rstrip(".")
    if text in _MONTHS:
        return _MONTHS[text]
    month = _int(value, "månaden")
    if not 1 <= month <= 13:
        raise _Bad(f"månaden {month} ska vara 1–12 (eller 13 för bokslut)")
    return month


def _amount_ore(value: Any, decimal: str) -> int | None:
    """A cell as exact öre; None if empty. Floats from Excel are accepted when they are
    within a millionth of a whole öre (a spreadsheet's binary rounding), never rounded more."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"beloppet {value!r} är inget tal")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad("beloppet är inget tal")
        exact = Decimal(repr(value))
        rounded = exact.quantize(_ORE)
        if abs(exact - rounded) > _FLOAT_SLACK:
            raise _Bad(f"beloppet {value!r} har fler än två decimaler")
        return int(rounded.scaleb(2))
    if isinstance(value, int | Decimal):
        number: Decimal | None = Decimal(value)
    else:
        text = str(value)
        if decimal == "point":
            text = text.replace(",", "")  # "1,234.50": commas are thousands separators
        try:
            number = parse_number(text)
        except (NumberFormatError, InvalidOperation) as exc:
            raise _Bad(f"beloppet {str(value)!r} är inget tal") from exc
    if number is None:
        return None
    scaled = number.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise _Bad(f"beloppet {_text(value)!r} har fler än två decimaler")
    return int(scaled)


# ------------------------------------------------------------------------------ reading


def iter_rows(
    source: Source,
    mapping: ColumnMapping | Mapping[str, Any] | str | os.PathLike[str],
    *,
    filename: str | None = None,
    max_rows: int = XLSX_MAX_ROWS,
    max_unpacked: int = XLSX_MAX_UNPACKED,
) -> Iterator[TabularRow | Issue]:
    """Stream the outcome rows of a CSV or XLSX file according to `mapping` (a YAML
    path, a dict or a ColumnMapping). Issues are yielded, never raised; a bad mapping
    gives one error naming the mapping file. An Excel file is refused before it is read
    when it would unpack to more than `max_unpacked` bytes or declares more than
    `max_rows` rows, and stops with an error at row `max_rows` + 1."""
    name = source_name(source, filename)
    try:
        if isinstance(mapping, ColumnMapping):
            cm = mapping
        elif isinstance(mapping, Mapping):
            cm = parse_mapping(mapping)
        else:
            cm = load_mapping(mapping)
        _check_header_refs(cm)
    except MappingError as exc:
        yield Issue(name, 0, f"kolumnbeskrivningen: {exc}", ERROR, "mapping")
        return
    fmt = cm.format or _format_of(name)
    try:
        with open_seekable_binary(source) as fh:
            if fmt is None:
                head = fh.read(4)
                fh.seek(0)
                fmt = "xlsx" if head == b"PK\x03\x04" else "csv"
            if fmt == "xlsx":
                yield from _rows(name, cm, _xlsx_lines(fh, cm, name, max_rows, max_unpacked))
            else:
                yield from _rows(name, cm, _csv_lines(fh, cm, name))
    except OSError as exc:
        yield Issue(name, 0, f"filen kan inte läsas: {exc.strerror or exc}", ERROR, "unreadable")


def _format_of(name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv", ".skv"):
        return "csv"
    return None


_Line = tuple[int, list[Any]] | Issue


def _csv_lines(fh: BinaryIO, cm: ColumnMapping, name: str) -> Iterator[_Line]:
    encoding = cm.encoding
    if encoding == "auto":
        encoding = _sniff_csv_encoding(fh)
        fh.seek(0)
    issues: list[Issue] = []
    decoded = _decode_lines(fh, encoding, name, issues)
    reader = csv.reader(decoded, delimiter=cm.delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Issue(name, reader.line_num, f"felaktig CSV: {exc}", ERROR, "csv")
            break
        yield from issues
        issues.clear()
        yield reader.line_num, cells
    yield from issues


def _sniff_csv_encoding(fh: BinaryIO) -> str:
    """UTF-8 if the whole file is valid UTF-8 (a BOM is skipped), else Windows-1252,
    which Excel writes as "CSV (semikolonavgränsad)" on Swedish Windows."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _decode_lines(fh: BinaryIO, encoding: str, name: str, issues: list[Issue]) -> Iterator[str]:
    """Decode line by line so that undecodable bytes are reported with their line."""
    lineno = 0
    first = True
    for raw in fh:
        lineno += 1
        if first and encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
            raw = raw.removeprefix(codecs.BOM_UTF8)
        first = False
        if b"\x00" in raw:
            issues.append(
                Issue(name, lineno, "NUL-tecken: filen är ingen textfil (CSV)", ERROR, "not_text")
            )
            raw = raw.replace(b"\x00", b"")
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            issues.append(
                Issue(
                    name,
                    lineno,
                    f"tecken som inte går att läsa som {encoding} (fel teckenkodning?)",
                    ERROR,
                    "encoding",
                )
            )
            yield raw.decode(encoding, errors="replace")


def _xlsx_unpacked_size(fh: BinaryIO) -> int | None:
    """The sum of the declared uncompressed sizes of the zip's members (None: no zip)."""
    try:
        with zipfile.ZipFile(fh) as zf:
            return sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fh.seek(0)


def _xlsx_lines(
    fh: BinaryIO,
    cm: ColumnMapping,
    name: str,
    max_rows: int = XLSX_MAX_ROWS,
    max_unpacked: int = XLSX_MAX_UNPACKED,
) -> Iterator[_Line]:
    unpacked = _xlsx_unpacked_size(fh)
    if unpacked is not None and unpacked > max_unpacked:
        yield Issue(
            name,
            0,
            f"Excel-filen packas upp till {unpacked // 1_000_000} MB, mer än gränsen "
            f"{max_unpacked // 1_000_000} MB: dela upp den eller spara den som CSV",
            ERROR,
            "too_large",
        )
        return
    try:
        import openpyxl  # imported here: only Excel imports need it

        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on bad bytes
        yield Issue(
            name, 0, f"filen kan inte läsas som Excel-fil (.xlsx): {exc}", ERROR, "not_xlsx"
        )
        return
    try:
        if cm.sheet is not None:
            if cm.sheet not in wb.sheetnames:
                yield Issue(
                    name,
                    0,
                    f"bladet {cm.sheet!r} finns inte (bladen heter {', '.join(wb.sheetnames)})",
                    ERROR,
                    "mapping",
                )
                return
            ws = wb[cm.sheet]
        else:
            ws = wb.worksheets[0]
        declared = ws.max_row if isinstance(ws.max_row, int) else None
        if declared is not None and declared > max_rows:
            yield Issue(name, 0, _too_many_rows(declared, max_rows), ERROR, "too_large")
            return
        try:
            for k, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if k > max_rows:
                    yield Issue(name, k, _too_many_rows(k, max_rows), ERROR, "too_large")
                    return
                yield k, list(values)
        except Exception as exc:  # a damaged sheet inside a valid zip
            yield Issue(name, 0, f"Excel-filen är skadad: {exc}", ERROR, "not_xlsx")
    finally:
        wb.close()


def _too_many_rows(rows: int, max_rows: int) -> str:
    return (
        f"Excel-bladet har {'minst ' if rows == max_rows + 1 else ''}{rows} rader, "
        f"fler än gränsen {max_rows}"
    )


def _resolve(header: list[Any], ref: ColumnRef, what: str) -> int:
    if isinstance(ref, int):
        return ref - 1
    wanted = ref.strip().lower()
    for k, cell in enumerate(header):
        if _text(cell).lower() == wanted:
            return k
    shown = ", ".join(repr(_text(c)) for c in header if _text(c)) or "(tom)"
    raise _Bad(f"kolumnen {ref!r} ({what}) finns inte i rubrikraden: {shown}")


def _rows(name: str, cm: ColumnMapping, lines: Iterable[_Line]) -> Iterator[TabularRow | Issue]:
    index: dict[str, int] | None = None
    needs_header = any(
        isinstance(ref, str)
        for ref in (
            cm.account,
            cm.amount,
            cm.period,
            cm.year,
            cm.month,
            cm.project,
            cm.text,
            *cm.dimensions.values(),
        )
    )
    for item in lines:
        if isinstance(item, Issue):
            yield item
            if item.code in ("not_xlsx", "csv", "mapping", "too_large"):
                return
            continue
        lineno, cells = item
        if index is None:
            if lineno < cm.header_row:
                continue
            header = cells if lineno == cm.header_row else []
            try:
                index = _index(cm, header if needs_header else [])
            except _Bad as exc:
                hint = ""
                if len(cells) == 1 and isinstance(cells[0], str):
                    for sep in (";", ",", "\t"):
                        if sep != cm.delimiter and sep in cells[0]:
                            hint = f" (avgränsaren verkar vara {sep!r}, inte {cm.delimiter!r})"
                            break
                yield Issue(name, lineno, f"{exc}{hint}", ERROR, "mapping")
                return
            if lineno == cm.header_row:
                continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # blank line
        yield from _row(name, cm, index, lineno, cells)
    if index is None:
        yield Issue(name, 0, f"filen har ingen rubrikrad (rad {cm.header_row})", ERROR, "empty")


def _index(cm: ColumnMapping, header: list[Any]) -> dict[str, int]:
    index = {
        "account": _resolve(header, cm.account, "konto"),
        "amount": _resolve(header, cm.amount, "belopp"),
    }
    for key in ("period", "year", "month", "project", "text"):
        ref = getattr(cm, key)
        if ref is not None:
            index[key] = _resolve(header, ref, key)
    for dim, ref in cm.dimensions.items():
        index["dim:" + dim] = _resolve(header, ref, dim)
    return index


def _row(
    name: str, cm: ColumnMapping, index: dict[str, int], lineno: int, cells: list[Any]
) -> Iterator[TabularRow | Issue]:
    def cell(key: str) -> Any:
        k = index[key]
        return cells[k] if k < len(cells) else None

    problems: list[str] = []
    year = month = 0
    try:
        if "period" in index:
            year, month = _period(cell("period"))
        else:
            year = _int(cell("year"), "året")
            month = _month(cell("month"))
        if not 1900 <= year <= 2200:
            problems.append(f"året {year} är orimligt")
    except _Bad as exc:
        problems.append(str(exc))
    account = _text(cell("account"))
    if not account:
        problems.append("konto saknas")
    ore = None
    try:
        ore = _amount_ore(cell("amount"), cm.decimal)
    except _Bad as exc:
        problems.append(str(exc))
    for message in problems:
        yield Issue(name, lineno, message, ERROR, "bad_value")
    if problems:
        return
    if ore is None:
        yield Issue(name, lineno, "belopp saknas; raden hoppas över", WARNING, "empty_amount")
        return
    dims = {dim: _text(cell("dim:" + dim)) for dim in cm.dimensions}
    yield TabularRow(
        year,
        month,
        account,
        dims,
        -ore if cm.negate else ore,
        _text(cell("project")) if "project" in index else "",
        _text(cell("text")) if "text" in index else "",
        lineno,
    )


def read_rows(
    source: Source,
    mapping: ColumnMapping | Mapping[str, Any] | str | os.PathLike[str],
    *,
    filename: str | None = None,
) -> tuple[list[TabularRow], list[Issue]]:
    """Convenience for small files and tests: all rows and all issues."""
    rows: list[TabularRow] = []
    issues: list[Issue] = []
    for rec in iter_rows(source, mapping, filename=filename):
        (issues if isinstance(rec, Issue) else rows).append(rec)  # type: ignore[arg-type]
    return rows, issues


__all__ = [
    "ColumnMapping",
    "MappingError",
    "TabularRow",
    "iter_rows",
    "load_mapping",
    "parse_mapping",
    "read_rows",
]
