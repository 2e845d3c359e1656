"""The rules of the city's forms (DOMAIN §11). Pure Python on Decimal and dates; no Django.

- Result units (resultatenheter): a unit carries the part of its result caused by its own
  actions into next year, at most 5 % of its gross budget either way; the result fund it
  carries out may hold at most +10 % (surplus) and −5 % (deficit) of the gross budget.
  Internally a surplus is positive; the city's form prints a surplus as negative, which is a
  property of the output (`city_sign`), never of the stored figures.
- Grant applications: overhead at most a share (15 %) of wage or fee costs; the sum of the
  costs equals the sum of the financing, and the amount applied for equals the grant line.
- Strategic projects: a deviation from the budget, the decided total or the decided dates
  needs a cause and an action before the tertial can be marked ready.
- IOP agreements: the guideline period of three to five years is a warning, not a block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from styra.lib.numbers import format_number

TRANSFER_CAP = Decimal("0.05")
FUND_SURPLUS_CAP = Decimal("0.10")
FUND_DEFICIT_CAP = Decimal("0.05")
OVERHEAD_CAP = Decimal("0.15")
IOP_YEARS = (3, 5)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """part as a percentage of whole (exact), None when whole is 0."""
    return None if not whole else part * 100 / whole


@dataclass(frozen=True)
class CarryOver:
    gross_budget: Decimal  # B, kronor (positive)
    fund_in: Decimal  # P, surplus +
    own_result: Decimal  # R, the part of the year's result caused by the unit's own actions
    transfer: Decimal  # T = clamp(R, −5 % B, +5 % B)
    fund_out: Decimal  # clamp(P + T, −5 % B, +10 % B)

    @property
    def transfer_capped(self) -> bool:
        return self.transfer != self.own_result

    @property
    def fund_capped(self) -> bool:
        return self.fund_out != self.fund_in + self.transfer

    @property
    def transfer_percent(self) -> Decimal | None:
        return percent_of(self.transfer, self.gross_budget)

    @property
    def fund_percent(self) -> Decimal | None:
        return percent_of(self.fund_out, self.gross_budget)


def carry_over(gross_budget: Decimal, fund_in: Decimal, own_result: Decimal) -> CarryOver:
    """The Stockholm rule for a result unit (all amounts exact, surplus positive)."""
    if gross_budget < 0:
        raise ValueError("bruttobudgeten anges som ett positivt belopp")
    cap = gross_budget * TRANSFER_CAP
    transfer = clamp(own_result, -cap, cap)
    fund_out = clamp(
        fund_in + transfer, -gross_budget * FUND_DEFICIT_CAP, gross_budget * FUND_SURPLUS_CAP
    )
    return CarryOver(gross_budget, fund_in, own_result, transfer, fund_out)


def gross_budget(cost_budgets) -> Decimal:
    """B: the unit's gross budget, the sum of its cost rows' budgets as a positive amount
    (the budgets in report sign, costs negative); never below zero."""
    return max(-sum(cost_budgets, Decimal(0)), Decimal(0))


def unit_result(*, cutoff: int, outcome: Decimal, forecast: Decimal, budget: Decimal) -> Decimal:
    """The unit's result for the year, surplus +, as the follow-up shows it at an event: at
    the year's end (cut-off period 13, the closed books) the outcome against the budget;
    before it the full-year forecast against the budget (the follow-up's deviation)."""
    return (outcome if cutoff >= 13 else forecast) - budget


def city_sign(amount: Decimal | None, *, city_convention: bool) -> Decimal | None:
    """A result in the output form's convention: the city prints a surplus as negative."""
    if amount is None or not city_convention:
        return amount
    return -amount


# --- Grant applications -------------------------------------------------------------------


@dataclass(frozen=True)
class GrantCheck:
    wage_costs: Decimal
    overhead: Decimal
    overhead_cap: Decimal
    total_costs: Decimal
    total_financing: Decimal
    grant_financing: Decimal
    amount_sought: Decimal

    @property
    def problems(self) -> list[str]:
        out = []
        if self.overhead > self.overhead_cap:
            out.append(
                f"Overheadkostnaderna ({_kr(self.overhead)}) är större än 15 procent av löne- "
                f"och arvodeskostnaderna ({_kr(self.overhead_cap)})."
            )
        if self.total_costs != self.total_financing:
            out.append(
                f"Summa kostnader ({_kr(self.total_costs)}) är inte lika med summa "
                f"finansiering ({_kr(self.total_financing)}); skillnad "
                f"{_kr(self.total_costs - self.total_financing)}."
            )
        if self.amount_sought != self.grant_financing:
            out.append(
                f"Sökt belopp ({_kr(self.amount_sought)}) är inte lika med finansieringen via "
                f"statsbidraget i finansieringstabellen ({_kr(self.grant_financing)})."
            )
        return out


def grant_check(
    *,
    costs: list[tuple[str, Decimal]],
    financing: list[tuple[str, Decimal]],
    amount_sought: Decimal,
    cap: Decimal = OVERHEAD_CAP,
) -> GrantCheck:
    """costs: (kind, amount) with kind "wage", "fee", "overhead" or anything else;
    financing: (kind, amount) with kind "grant" for the sum applied for, others own money."""
    wage = sum((a for k, a in costs if k in ("wage", "fee")), Decimal(0))
    overhead = sum((a for k, a in costs if k == "overhead"), Decimal(0))
    return GrantCheck(
        wage_costs=wage,
        overhead=overhead,
        overhead_cap=wage * cap,
        total_costs=sum((a for _, a in costs), Decimal(0)),
        total_financing=sum((a for _, a in financing), Decimal(0)),
        grant_financing=sum((a for k, a in financing if k == "grant"), Decimal(0)),
        amount_sought=amount_sought,
    )


def _kr(amount: Decimal) -> str:
    return format_number(amount, 0 if amount == amount.to_integral_value() else 2) + " kr"


# --- Strategic projects -------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectDeviation:
    kind: str  # "budget", "total", "start", "end"
    text: str


def project_deviations(
    *,
    budget: Decimal,
    forecast: Decimal,
    decided_total: Decimal,
    forecast_total: Decimal,
    decided_start: dt.date | None,
    forecast_start: dt.date | None,
    decided_end: dt.date | None,
    forecast_end: dt.date | None,
) -> list[ProjectDeviation]:
    """What deviates from the decision and must be explained (cause and action)."""
    out = []
    if forecast != budget:
        out.append(ProjectDeviation("budget", "prognosen för året avviker från budgeten"))
    if forecast_total != decided_total:
        out.append(ProjectDeviation("total", "prognosen för hela projektet avviker från beslutet"))
    if decided_start and forecast_start and forecast_start != decided_start:
        out.append(ProjectDeviation("start", "startdatum avviker från beslutet"))
    if decided_end and forecast_end and forecast_end != decided_end:
        out.append(ProjectDeviation("end", "slutdatum avviker från beslutet"))
    return out


def ready_problems(deviations: list[ProjectDeviation], cause: str, action: str) -> list[str]:
    """Why a project cannot be marked ready: a deviation without cause and action."""
    if not deviations:
        return []
    missing = [n for n, v in (("orsak", cause), ("åtgärd", action)) if not v.strip()]
    if not missing:
        return []
    what = ", ".join(d.text for d in deviations)
    return [f"Avvikelse ({what}) måste förklaras med {' och '.join(missing)}."]


# --- IOP agreements -----------------------------------------------------------------------


def agreement_years(start: dt.date, end: dt.date) -> Decimal:
    """The agreement's length in whole months / 12, the end day included (2021-01-01 to
    2023-12-31 is three years)."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    return Decimal(months) / 12


def iop_period_warning(start: dt.date, end: dt.date) -> str:
    """A warning when the period lies outside the guideline of three to five years."""
    if end < start:
        raise ValueError("avtalet slutar före det börjar")
    years = agreement_years(start, end)
    low, high = IOP_YEARS
    if years < low or years > high:
        return (
            f"Avtalstiden är {_years(years)} år; riktlinjen för idéburet offentligt partnerskap "
            f"är {low}–{high} år."
        )
    return ""


def _years(years: Decimal) -> str:
    return format_number(years, 0 if years == years.to_integral_value() else 1)


# --- Premises -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RentConsequence:
    year: int
    part_year: Decimal  # rent no longer paid in `year` (from the month after the return)
    full_year: Decimal  # the yearly rent: the effect from the next year on


def rent_consequence(yearly_rent: Decimal, returned_on: dt.date, year: int) -> RentConsequence:
    """The budget effect of returning premises: the months of `year` after the month of the
    return no longer cost rent (nothing if returned after the year)."""
    if returned_on.year < year:
        months = 12
    elif returned_on.year > year:
        months = 0
    else:
        months = 12 - returned_on.month
    return RentConsequence(year, yearly_rent * months / 12, yearly_rent)
