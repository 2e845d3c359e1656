"""The build context a block function gets, and the registry of block functions.

A report definition (styra/reports/definitions/*.yaml) names blocks; each name is a
function registered with `@block("name")` that takes a Ctx and returns blocks (or
Sections that follow the section being built). Apps above reports register their own
blocks the same way, from a module their AppConfig.ready() imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from styra.lib.periods import PeriodRange

from .. import calc
from .. import definitions as defs
from ..blocks import (
    Cell,
    money,
)
from .data import ReportData

ZERO = Decimal(0)


@dataclass
class Ctx:
    data: ReportData
    definition: defs.ReportDefinition
    section: defs.SectionDef

    @property
    def sign(self) -> str:
        return self.definition.sign_convention

    @property
    def unit(self) -> str:
        return self.definition.table_unit

    def m(self, kronor: Decimal | None, unit: str | None = None, plus: bool = False) -> Cell:
        """A money cell in the report's sign convention."""
        return money(calc.signed(kronor, self.sign), unit or self.unit, plus=plus)

    def label(self, key: str) -> str:
        return calc.LABELS[self.sign][key]

    @property
    def y(self) -> int:
        return self.data.year

    @property
    def months(self) -> str:
        return PeriodRange.year_to_date(self.y, min(self.data.cutoff, 13)).months_label

    @property
    def final(self) -> bool:
        return self.data.final


BLOCKS: dict[str, Callable[[Ctx], list]] = {}


def block(name: str):
    def register(func):
        BLOCKS[name] = func
        return func

    return register


def _numeric(header: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(range(1, len(header)))
