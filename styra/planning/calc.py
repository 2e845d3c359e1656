"""The planning rules (DOMAIN §3, §7, §11; issue 18). Pure Python on Decimal, no Django.

Amounts are kronor as Decimal in the report sign convention of the frames: a net cost is
negative (a frame of −628 240 tkr), a saving or a revenue positive.

- Frame roll-forward: each year's preliminary frame = its ingående budget + the sum of
  its adjustments; the frame of one year is the ingående budget of the next.
- Ramjustering: a proposal weighs in its start year with its part-year effect and in
  every later year with its full-year effect; the part-year effect of a proposal that
  starts in month m is the full-year effect × (13 − m) / 12 when the user asks for it.
- Efficiency plan: the required saving is a percentage of the frame; the plan's net
  savings meet it or not.
- Ev. TB and kapitaltjänst come from styra.finance.calc (one implementation); here they
  are summed over an investment's components, each with its own life.
- State grants: numeric restrictions (a share cap such as "högst 25 % till vikarier",
  overhead at most 15 % of wages) checked on the amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from styra.finance.calc import CapitalCost, capital_costs

ZERO = Decimal(0)
CENT = Decimal("0.01")
MONTHS = 12


# ------------------------------------------------------------------ frames


@dataclass(frozen=True)
class FrameYear:
    year: int
    opening: Decimal  # ingående budget
    adjustments: Decimal  # Summa justeringar
    frame: Decimal  # preliminär budgetram = opening + adjustments
    proposed: Decimal  # Summa föreslagna justeringar (from the proposals)
    proposed_frame: Decimal  # Nämndens förslag till budgetram = frame + proposed


def roll_frames(
    first_year: int,
    opening: Decimal,
    adjustments: Mapping[int, Decimal],
    years: int,
    proposed: Mapping[int, Decimal] | None = None,
) -> list[FrameYear]:
    """The frames of `years` consecutive years from `first_year`: each year's frame is its
    ingående budget plus its adjustments, and becomes the ingående budget of the next
    year. The committee's proposals do not roll forward: they are the committee's wish,
    not KF's frame, so each year's proposal is added to that year's frame alone."""
    if years < 1:
        raise ValueError("minst ett år behövs")
    proposed = proposed or {}
    out = []
    current = Decimal(opening)
    for year in range(first_year, first_year + years):
        adj = Decimal(adjustments.get(year, ZERO))
        frame = current + adj
        extra = Decimal(proposed.get(year, ZERO))
        out.append(FrameYear(year, current, adj, frame, extra, frame + extra))
        current = frame
    return out


# ------------------------------------------------------------------ ramjustering


def part_year_effect(full_year: Decimal, start_month: int) -> Decimal:
    """The effect in the start year of a change starting in `start_month` (1–12): the
    months from the start month through December, as twelfths of the full-year effect,
    rounded half up to whole öre."""
    if not 1 <= start_month <= MONTHS:
        raise ValueError("startmånaden ska vara 1–12")
    months = MONTHS - start_month + 1
    return (Decimal(full_year) * months / MONTHS).quantize(CENT, ROUND_HALF_UP)


def proposal_effect(
    year: int, start_year: int, part_year: Decimal | None, full_year: Decimal
) -> Decimal:
    """What a proposal weighs in `year`: nothing before it starts, the part-year effect
    in the start year (the full-year effect when no part-year effect is given), the
    full-year effect after."""
    if year < start_year:
        return ZERO
    if year == start_year:
        return Decimal(full_year if part_year is None else part_year)
    return Decimal(full_year)


# ------------------------------------------------------------------ efficiency


def efficiency_target(base: Decimal, percent: Decimal) -> Decimal:
    """The saving required: `percent` % of the (absolute) base, exact."""
    return abs(Decimal(base)) * Decimal(percent) / 100


@dataclass(frozen=True)
class EfficiencyResult:
    year: int
    saving: Decimal
    cost_increase: Decimal
    net: Decimal
    target: Decimal
    met: bool
    gap: Decimal  # target − net when not met, else 0


def efficiency_result(
    year: int, savings: Iterable[Decimal], cost_increases: Iterable[Decimal], target: Decimal
) -> EfficiencyResult:
    """Net savings of the plan's measures in a year (saving − cost increase, both given as
    positive amounts) against the required saving."""
    saving = sum((Decimal(s) for s in savings), ZERO)
    cost = sum((Decimal(c) for c in cost_increases), ZERO)
    net = saving - cost
    met = net >= target
    return EfficiencyResult(year, saving, cost, net, target, met, ZERO if met else target - net)


# ------------------------------------------------------------------ investments


@dataclass(frozen=True)
class Component:
    name: str
    amount: Decimal  # the part of the investment (positive)
    life_years: int  # 0 = not depreciated (land)


@dataclass(frozen=True)
class CapitalYear:
    year: int
    depreciation: Decimal  # negative
    interest: Decimal  # negative

    @property
    def total(self) -> Decimal:
        return self.depreciation + self.interest


def component_capital_costs(
    components: Sequence[Component],
    go_live_year: int,
    go_live_month: int,
    rates: Mapping[int, Decimal],
    years: int = 2,
) -> list[CapitalYear]:
    """Kapitaltjänst of an investment split into components of different lives (a
    property's frame, roof, installations…): each component's straight-line depreciation
    and internal interest by `styra.finance.calc.capital_costs`, summed per year.
    A component with life 0 (land) is not depreciated but still carries interest on its
    whole value."""
    if not components:
        return [CapitalYear(go_live_year + i, ZERO, ZERO) for i in range(years)]
    sums: dict[int, list[Decimal]] = {go_live_year + i: [ZERO, ZERO] for i in range(years)}
    for c in components:
        if c.life_years < 0:
            raise ValueError(f"{c.name}: livslängden kan inte vara negativ")
        if c.life_years == 0:
            rows = _land_interest(c.amount, go_live_year, go_live_month, rates, years)
        else:
            rows = capital_costs(
                Decimal(c.amount), go_live_year, go_live_month, c.life_years, dict(rates), years
            )
        for row in rows:
            sums[row.year][0] += row.depreciation
            sums[row.year][1] += row.interest
    return [CapitalYear(y, d, i) for y, (d, i) in sorted(sums.items())]


def _land_interest(amount, go_live_year, go_live_month, rates, years) -> list[CapitalCost]:
    out = []
    for offset in range(years):
        year = go_live_year + offset
        months = MONTHS - go_live_month if offset == 0 else MONTHS
        known = [y for y in rates if y <= year]
        rate = Decimal(rates[max(known)]) if known else ZERO
        interest = Decimal(amount) * rate / 100 * months / MONTHS
        out.append(CapitalCost(year, ZERO, -interest, Decimal(amount)))
    return out


def running_cost_year(
    full_year_cost: Decimal, go_live_year: int, go_live_month: int, year: int
) -> Decimal:
    """A running cost (fastighetskostnader, drift) that starts the month after go-live:
    the first year carries 12 − go-live month twelfths, later years the whole."""
    if year < go_live_year:
        return ZERO
    if year == go_live_year:
        return Decimal(full_year_cost) * (MONTHS - go_live_month) / MONTHS
    return Decimal(full_year_cost)


# ------------------------------------------------------------------ state grants


@dataclass(frozen=True)
class CapProblem:
    rule: str  # Swedish, names the restriction
    limit: Decimal
    actual: Decimal


def grant_cap_problems(
    amount: Decimal,
    *,
    substitute_share_cap: Decimal | None = None,
    substitute_cost: Decimal | None = None,
    overhead_cap: Decimal | None = None,
    overhead: Decimal | None = None,
    wages: Decimal | None = None,
) -> list[CapProblem]:
    """The numeric restrictions of a grant that the planned use breaks:
    - at most `substitute_share_cap` % of the grant to substitutes (vikarier);
    - overhead at most `overhead_cap` % of the wages paid from the grant.
    A restriction without the amounts it needs is not checked (nothing to break yet)."""
    out = []
    if substitute_share_cap is not None and substitute_cost is not None:
        limit = abs(Decimal(amount)) * Decimal(substitute_share_cap) / 100
        if abs(Decimal(substitute_cost)) > limit:
            out.append(
                CapProblem(
                    f"högst {substitute_share_cap} % av bidraget till vikarier",
                    limit,
                    abs(Decimal(substitute_cost)),
                )
            )
    if overhead_cap is not None and overhead is not None and wages is not None:
        limit = abs(Decimal(wages)) * Decimal(overhead_cap) / 100
        if abs(Decimal(overhead)) > limit:
            out.append(
                CapProblem(
                    f"overhead högst {overhead_cap} % av lönekostnaden",
                    limit,
                    abs(Decimal(overhead)),
                )
            )
    return out


def deadline_state(deadline, today) -> str:
    """ "passed", "soon" (within 30 days) or "later" for a grant's deadline."""
    days = (deadline - today).days
    if days < 0:
        return "passed"
    if days <= 30:
        return "soon"
    return "later"


REMINDER_DAYS = 14


def reminder_due(deadline, today, lead_days: int = REMINDER_DAYS) -> bool:
    """A grant's deadline is reminded of from `lead_days` days before it up to the day
    itself; a passed deadline is no longer reminded (the start page shows it)."""
    return 0 <= (deadline - today).days <= lead_days
