"""Finance rules as pure functions (DOMAIN §5, §7). No Django; Decimal kronor, int öre.

Sign convention: report sign throughout (revenue +, cost −), so a positive deviation is
better than budget.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from styra.lib.money import allocate, from_ore, to_ore

MONTHS = 12


# ------------------------------------------------------------------ periodisation


def month_weights(
    profile: str,
    year: int,
    weights: Sequence[Decimal | int] | None = None,
    last_year: Sequence[Decimal | int] | None = None,
) -> list[Decimal]:
    """The twelve monthly weights of a profile.

    even: equal twelfths; days: calendar days of each month (leap years count);
    custom: the given twelve weights; last_year: last year's monthly outcome of the same
    unit and row (by absolute size; an all-zero year falls back to even).
    """
    if profile == "even":
        return [Decimal(1)] * MONTHS
    if profile == "days":
        return [Decimal(calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    if profile == "custom":
        if weights is None or len(weights) != MONTHS:
            raise ValueError("en egen profil behöver tolv månadsvikter")
        values = [Decimal(w) for w in weights]
        if sum(values) == 0:
            raise ValueError("månadsvikterna får inte summera till noll")
        # Weights may carry the amounts' own sign (a budget read month by month from
        # #PBUDGET); the allocation is proportional either way and sums exactly.
        return values
    if profile == "last_year":
        if last_year is None or len(last_year) != MONTHS:
            raise ValueError("fjolårsprofilen behöver tolv månaders utfall")
        values = [abs(Decimal(v)) for v in last_year]
        return values if sum(values) else [Decimal(1)] * MONTHS
    raise ValueError(f"okänd periodiseringsprofil {profile!r}")


def periodise(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Spread an annual amount over twelve months; the months sum exactly to the year (öre)."""
    parts = allocate(to_ore(amount, rounding=True), list(weights))
    return [from_ore(p) for p in parts]


def budget_to_date(months: Sequence[Decimal], through_period: int) -> Decimal:
    """Ack. budget: the periodised months 1..P (period 13 counts as the full year)."""
    return sum(months[: min(through_period, MONTHS)], Decimal(0))


# ------------------------------------------------------------------ deviations


def full_year_deviation(forecast: Decimal, budget: Decimal) -> Decimal:
    """Avvikelse helår = Prognos − Budget (positive = better than budget)."""
    return forecast - budget


def period_deviation(outcome: Decimal, budget_to_date: Decimal) -> Decimal:
    """Avvikelse period = Utfall period − Ack. budget."""
    return outcome - budget_to_date


@dataclass(frozen=True)
class Percent:
    value: Decimal | None  # in percent units; None when the base is zero
    base_label: str  # what it is a percentage of, said out loud in reports

    def __str__(self) -> str:
        from styra.lib.numbers import format_percent

        if self.value is None:
            return f"– (basen {self.base_label} är noll)"
        return f"{format_percent(self.value, 1)} av {self.base_label}"


def percent_of(value: Decimal, base: Decimal, base_label: str) -> Percent:
    """A percentage with an explicit base (the papers often leave the base unsaid)."""
    if base == 0:
        return Percent(None, base_label)
    return Percent((value / abs(base) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP), base_label)


def forecast_accuracy(
    forecast: Decimal, outcome: Decimal, base: Decimal, limit_percent: Decimal = Decimal(1)
) -> tuple[Percent, bool]:
    """ "Prognosen vid delår 1 avviker från årsutfallet med max 1 %": |Prognos − Utfall| as a
    percentage of |base| (the annual net budget by default); True when within the limit."""
    pct = percent_of(abs(forecast - outcome), base, "årsbudgeten netto")
    return pct, pct.value is not None and pct.value <= limit_percent


def within_budget(net_deviation: Decimal) -> bool:
    """ "Nämndens nettoutfall är inom beslutad budgetram": Ja when net Avvikelse ≥ 0."""
    return net_deviation >= 0


# ------------------------------------------------------------------ forecast proposals


def proposal_remaining_budget(
    outcome_to_date: Decimal, months: Sequence[Decimal], through_period: int
) -> Decimal:
    """Outcome to date plus the periodised budget of the months still to come."""
    return outcome_to_date + sum(months[min(through_period, MONTHS) :], Decimal(0))


def proposal_run_rate(outcome_to_date: Decimal, through_period: int) -> Decimal:
    """Outcome to date extrapolated at the same pace over twelve months (to whole kronor)."""
    if through_period <= 0:
        return Decimal(0)
    months = min(through_period, MONTHS)
    return (outcome_to_date * MONTHS / months).quantize(Decimal(1), ROUND_HALF_UP)


def forecast_change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Prognosavvikelse: the change of a forecast since the previous reporting event."""
    if current is None or previous is None:
        return None
    return current - previous


# ------------------------------------------------------------------ investments


def extra_budget_request(new_total: Decimal | None, decided_total: Decimal) -> Decimal | None:
    """Ev. TB = Ny totalbudget − Beslutad totalbudget."""
    return None if new_total is None else new_total - decided_total


@dataclass(frozen=True)
class CapitalCost:
    year: int
    depreciation: Decimal  # cost, negative
    interest: Decimal  # cost, negative
    book_value_end: Decimal


def capital_costs(
    amount: Decimal,
    go_live_year: int,
    go_live_month: int,
    life_years: int,
    rates: dict[int, Decimal],
    years: int = 4,
) -> list[CapitalCost]:
    """Kapitaltjänst of an investment (amounts positive in, costs negative out).

    Straight-line depreciation starts the month after go-live (first-year months =
    12 − go-live month). Internal interest is charged on the average book value of the
    depreciation months of each year, at that year's rate (percent; the latest given
    rate applies to later years).

    Reference (DOMAIN §7): 1 200 tkr reinvestering, life 3 years, go-live month 6, rate
    1,75 %: 2023 −200 depreciation / −10 interest, 2024 −400 / −14 (tkr, rounded).
    """
    if life_years <= 0:
        raise ValueError("livslängden ska vara minst ett år")
    amount = Decimal(amount)
    per_month = amount / (life_years * MONTHS)
    book = amount
    out = []
    for offset in range(years):
        year = go_live_year + offset
        months = MONTHS - go_live_month if offset == 0 else MONTHS
        known = [y for y in rates if y <= year]
        rate = Decimal(rates[max(known)]) if known else Decimal(0)
        depreciation = min(per_month * months, book)
        end = book - depreciation
        interest = (book + end) / 2 * rate / 100 * months / MONTHS
        out.append(CapitalCost(year, -depreciation, -interest, end))
        book = end
    return out


# ------------------------------------------------------------------ key ratios


def cost_per_volume(net: Decimal, volume: Decimal | None) -> Decimal | None:
    """Kostnad / årsplats in whole kronor: the net outcome (cost negative) ÷ the volume."""
    if volume is None or volume == 0:
        return None
    return (net / volume).quantize(Decimal(1), ROUND_HALF_UP)


def needs_comment(
    forecast: Decimal | None, budget: Decimal, comment: str, threshold: Decimal | None
) -> bool:
    """A forecast row whose deviation from budget is larger than the controller's threshold
    (either way) must be explained: True when its comment is missing. No threshold, no
    forecast: nothing required."""
    if threshold is None or forecast is None:
        return False
    return abs(forecast - budget) > threshold and not comment.strip()
