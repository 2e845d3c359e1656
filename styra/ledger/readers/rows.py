"""The row scheme file (docs/formats/sie.md, styra/ledger/data/kommun-bas-rows.yaml):
account ranges → report rows (kontoslag). Pure Python, no Django.

`read_row_scheme` returns the plan or every error with its line; the service
(styra.ledger.rows.rowscheme_load) stores it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from styra.lib.errors import InputError, Issue, IssueCollector, Read
from styra.lib.yamlfile import LineDict, load_yaml

_RANGE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$|^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class RowPlan:
    order: int
    code: str
    name: str
    section: str
    coarse: str
    ranges: tuple[tuple[int, int], ...]
    line: int


@dataclass
class RowSchemePlan:
    name: str
    valid_from_year: int
    rows: list[RowPlan] = field(default_factory=list)


def read_row_scheme(
    path: Path | str, *, sections: Collection[str], coarse_rows: Collection[str]
) -> Read[RowSchemePlan]:
    """Read a row scheme; `sections` and `coarse_rows` are the values allowed."""
    file = str(path)
    try:
        data = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    if not isinstance(data, LineDict) or not {"name", "valid_from_year", "rows"} <= set(data):
        return Read(None, [Issue(file, 1, "filen ska ha name, valid_from_year och rows")])
    issues = IssueCollector(file)
    try:
        plan = RowSchemePlan(str(data["name"]), int(data["valid_from_year"]))
    except (TypeError, ValueError):
        issues.add(data.line_of("valid_from_year"), "valid_from_year ska vara ett år")
        plan = RowSchemePlan(str(data["name"]), 0)
    claimed: list[tuple[int, int, int]] = []
    for order, item in enumerate(data["rows"] or [], start=1):
        line = getattr(item, "line", data.line_of("rows"))
        if not isinstance(item, LineDict) or not {"code", "name", "section", "coarse"} <= set(item):
            issues.add(line, "raden behöver code, name, section, coarse")
            continue
        if item["section"] not in sections:
            issues.add(line, f"okänd section {item['section']!r}")
        if item["coarse"] not in coarse_rows:
            issues.add(line, f"okänd coarse {item['coarse']!r}")
        ranges = []
        for text in item.get("accounts", []) or []:
            match = _RANGE.match(str(text))
            if not match:
                issues.add(line, f"{text!r} är inget kontointervall (3000-3099)")
                continue
            first = int(match.group(1) or match.group(3))
            last = int(match.group(2) or match.group(3))
            if last < first:
                issues.add(line, f"intervallet {text} går baklänges")
                continue
            for a, b, other in claimed:
                if first <= b and a <= last:
                    issues.add(line, f"intervallet {text} överlappar raden på rad {other}")
            claimed.append((first, last, line))
            ranges.append((first, last))
        plan.rows.append(
            RowPlan(
                order,
                str(item["code"]),
                str(item["name"]),
                str(item["section"]),
                str(item["coarse"]),
                tuple(ranges),
                line,
            )
        )
    return Read(None if issues.errors else plan, issues.all)
