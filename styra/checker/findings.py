"""Findings, their locations, and the result of checking one file (JSON schema in
docs/checker.md; `SCHEMA_VERSION` changes only when a field changes meaning)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from styra.lib.numbers import format_number

from .model import Line, Row, Table

SCHEMA_VERSION = "styra.checker/1"
SEVERITIES = ("fel", "varning")


@dataclass(frozen=True)
class Location:
    page: int | None = None
    line: int | None = None  # 1-based line in the extracted text
    table: int | None = None  # 1-based table number in document order
    row: str | None = None
    column: str | None = None

    def describe(self, kind: str = "text") -> str:
        parts = []
        if self.page is not None and kind != "text":
            parts.append(f"sida {self.page}")
        if self.line is not None:
            parts.append(f"rad {self.line}")
        if self.table is not None:
            parts.append(f"tabell {self.table}")
        if self.row:
            parts.append(f"raden ”{self.row}”")
        if self.column:
            parts.append(f"kolumnen ”{self.column}”")
        return ", ".join(parts)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str  # as Swedish text, e.g. "-164 689"
    location: Location | None = None


@dataclass
class Finding:
    rule: str
    severity: str  # "fel" or "varning"
    message: str  # one Swedish sentence
    location: Location
    expected: str | None = None
    found: str | None = None
    figures: list[Figure] = field(default_factory=list)
    id: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        return d


@dataclass
class CheckResult:
    path: str
    kind: str  # text / pdf / docx
    pages: int
    tables: int
    findings: list[Finding]
    rounding: int = 0  # differences explained by rounding (not reported)
    error: str | None = None  # could not read the file
    lines: list[Line] = field(default_factory=list, repr=False)
    rules_run: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "fel"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "varning"]

    @property
    def exit_code(self) -> int:
        if self.error:
            return 2
        return 1 if self.errors else 0

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_VERSION,
            "file": self.path,
            "format": self.kind,
            "pages": self.pages,
            "tables": self.tables,
            "error": self.error,
            "summary": {
                "fel": len(self.errors),
                "varning": len(self.warnings),
                "avrundning": self.rounding,
            },
            "rules": self.rules_run,
            "findings": [f.to_dict() for f in self.findings],
        }


def fmt(value: Decimal | None, decimals: int = 0, unit: str = "") -> str:
    if value is None:
        return "saknas"
    text = format_number(value, decimals).replace("\u00a0", " ")
    return f"{text} {unit}".strip() if unit else text


def loc_cell(table: Table, row: Row, col: int | None, kind: str = "text") -> Location:
    return Location(
        page=row.line.page if kind != "text" else None,
        line=row.line.number,
        table=table.index,
        row=(row.label or row.marker or None),
        column=table.column_name(col) if col is not None else None,
    )


def loc_line(line: Line, kind: str = "text") -> Location:
    return Location(page=line.page if kind != "text" else None, line=line.number)
