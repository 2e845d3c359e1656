"""Finance rules (pure): periodisation, deviations, proposals, capital costs, key ratios."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.finance import calc


@given(
    amount=st.decimals(min_value=D("-1e10"), max_value=D("1e10"), places=2),
    profile=st.sampled_from(["even", "days", "custom", "last_year"]),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=12, max_size=12),
    year=st.integers(min_value=2000, max_value=2100),
)
def test_months_sum_exactly_to_the_year(amount, profile, weights, year):
    if profile == "custom" and sum(weights) == 0:
        weights[0] = 1
    w = calc.month_weights(profile, year, weights, weights)
    months = calc.periodise(amount, w)
    assert len(months) == 12
    assert sum(months) == amount
    assert calc.budget_to_date(months, 12) == amount == calc.budget_to_date(months, 13)


def test_calendar_days_profile_counts_leap_day():
    months = calc.periodise(D("36600.00"), calc.month_weights("days", 2020))
    assert months[1] == D("2900.00") and months[0] == D("3100.00")


def test_ack_budget_is_not_eight_twelfths():
    # A summer-heavy custom profile (feriepraktik): August to date is not 8/12.
    weights = [1, 1, 1, 1, 1, 6, 6, 3, 1, 1, 1, 1]  # 24 parts, 20 of them by August
    months = calc.periodise(D("-12000000"), calc.month_weights("custom", 2020, weights))
    assert calc.budget_to_date(months, 8) == D("-10000000.00")  # 20/24, not 8/12


@pytest.mark.parametrize(
    ("forecast", "budget", "deviation"),
    [
        # Reference report, table by unit (tkr): Prognos − Budget.
        (D("-88250"), D("-98750"), D("10500")),  # Daglig verksamhet
        (D("-39885"), D("-40485"), D("600")),  # Jobbcenter
        (D("-20476"), D("-22876"), D("2400")),  # Förvaltningskontoret, corrected forecast
        (D("88280"), D("94151"), D("-5871")),  # Intäkter: revenue below budget is negative
    ],
)
def test_full_year_deviation_is_forecast_minus_budget(forecast, budget, deviation):
    assert calc.full_year_deviation(forecast, budget) == deviation


def test_period_deviation_and_within_budget():
    assert calc.period_deviation(D("-164689"), D("-183060")) == D("18371")
    assert calc.within_budget(D("13500")) and calc.within_budget(D(0))
    assert not calc.within_budget(D("-1"))


def test_percent_states_its_base():
    pct = calc.percent_of(D("-10000"), D("-650000"), "årsbudgeten netto")
    assert pct.value == D("-1.54")
    assert str(pct) == "-1,5\u00a0% av årsbudgeten netto"
    assert calc.percent_of(D(1), D(0), "x").value is None


def test_forecast_accuracy_one_percent_rule():
    pct, ok = calc.forecast_accuracy(D("-255546"), D("-258000"), D("-269046"))
    assert ok and pct.value == D("0.91")
    pct, ok = calc.forecast_accuracy(D("-255546"), D("-260000"), D("-269046"))
    assert not ok and pct.value == D("1.66")


def test_forecast_proposals():
    months = [D(-10)] * 12
    assert calc.proposal_remaining_budget(D(-100), months, 8) == D(-140)
    assert calc.proposal_run_rate(D(-80), 8) == D(-120)
    assert calc.proposal_run_rate(D(-80), 13) == D(-80)
    assert calc.forecast_change(D(5), D(2)) == D(3)
    assert calc.forecast_change(D(5), None) is None


def test_capital_costs_reference_example():
    # DOMAIN §7: reinvestering 1 200 tkr, go-live month 6: 2023 −200/−10, 2024 −400/−14.
    costs = calc.capital_costs(D(1_200_000), 2023, 6, 3, {2023: D("1.75")})
    assert [(c.year, round(c.depreciation, -3), round(c.interest, -3)) for c in costs[:2]] == [
        (2023, D(-200000), D(-10000)),
        (2024, D(-400000), D(-14000)),
    ]
    assert sum(c.depreciation for c in costs) == D(-1_200_000)
    assert costs[-1].book_value_end == 0


def test_extra_budget_request():
    assert calc.extra_budget_request(D(-89000), D(-75000)) == D(-14000)
    assert calc.extra_budget_request(None, D(1)) is None


def test_cost_per_volume_reference_example():
    # DOMAIN §6: 152 080 kr × 362 årsplatser = 55 053 tkr (Daglig verksamhet jan–aug 2020).
    assert calc.cost_per_volume(D("-55053000"), D(362)) == D(-152080)
    assert calc.cost_per_volume(D(1), D(0)) is None


def test_rules_do_not_import_django():
    import subprocess
    import sys

    code = "import sys, styra.finance.calc; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
