"""Report rows: store a row scheme, and map accounts to rows (pure lookups)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from styra.org.models import Municipality

from .models import AccountRange, CoarseRow, ReportRow, RowScheme, Section
from .readers.rows import read_row_scheme

DEFAULT_SCHEME = Path(__file__).resolve().parent / "data" / "kommun-bas-rows.yaml"


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
    """Load a row scheme file (replacing the version with the same valid_from_year); a
    file with errors stores nothing (InputError). Setup work of the system (CLI, demo)."""
    plan = read_row_scheme(
        path, sections=Section.values, coarse_rows=CoarseRow.values
    ).raise_if_errors()
    with transaction.atomic():
        RowScheme.objects.filter(
            municipality=municipality, valid_from_year=plan.valid_from_year
        ).delete()
        scheme = RowScheme.objects.create(
            municipality=municipality, name=plan.name, valid_from_year=plan.valid_from_year
        )
        for r in plan.rows:
            row = ReportRow.objects.create(
                scheme=scheme,
                code=r.code,
                name=r.name,
                section=r.section,
                coarse=r.coarse,
                order=r.order,
            )
            AccountRange.objects.bulk_create(
                AccountRange(scheme=scheme, first=a, last=b, row=row) for a, b in r.ranges
            )
        # Accounts may count in other rows now: the stored balances per row follow.
        from .aggregates import row_balances_rebuild

        row_balances_rebuild(municipality=municipality)
    return scheme


def ensure_default_scheme(municipality: Municipality) -> RowScheme:
    existing = (
        RowScheme.objects.filter(municipality=municipality).order_by("valid_from_year").first()
    )
    return existing or rowscheme_load(municipality=municipality)
