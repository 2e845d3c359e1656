"""Report rows: load a row scheme file, and map accounts to rows (pure lookups)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from styra.lib.yamlfile import FileError, LineDict, YamlReadError, load_yaml
from styra.org.models import Municipality

from .models import AccountRange, CoarseRow, ReportRow, RowScheme, Section

DEFAULT_SCHEME = Path(__file__).resolve().parent / "data" / "kommun-bas-rows.yaml"
_RANGE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$|^\s*(\d{4})\s*$")


class RowFileError(Exception):
    def __init__(self, errors: list[FileError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def account_key(number: str) -> int | None:
    """Accounts are compared on their first four digits (30106 -> 3010)."""
    digits = number[:4]
    return int(digits) if len(digits) == 4 and digits.isdigit() else None


@dataclass(frozen=True)
class RowInfo:
    id: int
    code: str
    name: str
    section: str
    coarse: str
    order: int


class RowLookup:
    """Account → report row for one scheme, with a binary search over the ranges."""

    def __init__(self, scheme: RowScheme):
        self.scheme = scheme
        rows = {r.pk: r for r in scheme.rows.all()}
        self.rows = [
            RowInfo(r.pk, r.code, r.name, r.section, r.coarse, r.order)
            for r in sorted(rows.values(), key=lambda r: r.order)
        ]
        by_id = {r.id: r for r in self.rows}
        ranges = sorted(scheme.ranges.all(), key=lambda r: r.first)
        self._starts = [r.first for r in ranges]
        self._ranges = [(r.first, r.last, by_id[r.row_id]) for r in ranges]

    def row_for(self, account: str) -> RowInfo | None:
        key = account_key(account)
        if key is None:
            return None
        i = bisect.bisect_right(self._starts, key) - 1
        if i >= 0:
            first, last, row = self._ranges[i]
            if first <= key <= last:
                return row
        return None


def scheme_for(municipality: Municipality, year: int) -> RowScheme | None:
    return (
        RowScheme.objects.filter(municipality=municipality, valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )


def lookup_for(municipality: Municipality, year: int) -> RowLookup | None:
    scheme = scheme_for(municipality, year)
    return RowLookup(scheme) if scheme else None


def rowscheme_load(*, municipality: Municipality, path: Path | str = DEFAULT_SCHEME) -> RowScheme:
    """Load a row scheme file (replacing the version with the same valid_from_year)."""
    file = str(path)
    try:
        data = load_yaml(path)
    except YamlReadError as exc:
        raise RowFileError([exc.error]) from exc
    errors: list[FileError] = []
    if not isinstance(data, LineDict) or not {"name", "valid_from_year", "rows"} <= set(data):
        raise RowFileError([FileError(file, 1, "filen ska ha name, valid_from_year och rows")])
    parsed = []
    claimed: list[tuple[int, int, int]] = []
    for order, item in enumerate(data["rows"], start=1):
        line = getattr(item, "line", data.line_of("rows"))
        if not isinstance(item, LineDict) or not {"code", "name", "section", "coarse"} <= set(item):
            errors.append(FileError(file, line, "raden behöver code, name, section, coarse"))
            continue
        if item["section"] not in Section.values:
            errors.append(FileError(file, line, f"okänd section {item['section']!r}"))
        if item["coarse"] not in CoarseRow.values:
            errors.append(FileError(file, line, f"okänd coarse {item['coarse']!r}"))
        ranges = []
        for text in item.get("accounts", []) or []:
            match = _RANGE.match(str(text))
            if not match:
                errors.append(
                    FileError(file, line, f"{text!r} är inget kontointervall (3000-3099)")
                )
                continue
            first = int(match.group(1) or match.group(3))
            last = int(match.group(2) or match.group(3))
            if last < first:
                errors.append(FileError(file, line, f"intervallet {text} går baklänges"))
                continue
            for a, b, other in claimed:
                if first <= b and a <= last:
                    errors.append(
                        FileError(file, line, f"intervallet {text} överlappar raden på rad {other}")
                    )
            claimed.append((first, last, line))
            ranges.append((first, last))
        parsed.append((order, item, ranges))
    if errors:
        raise RowFileError(errors)
    with transaction.atomic():
        RowScheme.objects.filter(
            municipality=municipality, valid_from_year=int(data["valid_from_year"])
        ).delete()
        scheme = RowScheme.objects.create(
            municipality=municipality,
            name=str(data["name"]),
            valid_from_year=int(data["valid_from_year"]),
        )
        for order, item, ranges in parsed:
            row = ReportRow.objects.create(
                scheme=scheme,
                code=str(item["code"]),
                name=str(item["name"]),
                section=item["section"],
                coarse=item["coarse"],
                order=order,
            )
            AccountRange.objects.bulk_create(
                AccountRange(scheme=scheme, first=a, last=b, row=row) for a, b in ranges
            )
    return scheme


def ensure_default_scheme(municipality: Municipality) -> RowScheme:
    existing = (
        RowScheme.objects.filter(municipality=municipality).order_by("valid_from_year").first()
    )
    return existing or rowscheme_load(municipality=municipality)
