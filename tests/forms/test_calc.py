"""The rules of the city's forms, as tables: each cap of the carry-over rule in both
directions, the overhead cap, costs against financing, the deviation rule, the IOP period."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.forms import calc

B = D(10_000_000)  # gross budget: 5 % = 500 000, 10 % = 1 000 000


@pytest.mark.parametrize(
    ("fund_in", "own_result", "transfer", "fund_out", "why"),
    [
        (D(0), D(200_000), D(200_000), D(200_000), "inside every cap"),
        (D(0), D(-300_000), D(-300_000), D(-300_000), "a deficit inside every cap"),
        (D(0), D(800_000), D(500_000), D(500_000), "surplus transfer capped at +5 %"),
        (D(0), D(-800_000), D(-500_000), D(-500_000), "deficit transfer capped at −5 %"),
        (D(700_000), D(450_000), D(450_000), D(1_000_000), "fund capped at +10 %"),
        (D(-300_000), D(-400_000), D(-400_000), D(-500_000), "fund capped at −5 %"),
        (D(900_000), D(-200_000), D(-200_000), D(700_000), "a deficit uses the fund"),
        (D(1_200_000), D(0), D(0), D(1_000_000), "an old fund above the cap is cut"),
        (D(0), D(500_000), D(500_000), D(500_000), "exactly at the cap is allowed"),
    ],
)
def test_carry_over_rule(fund_in, own_result, transfer, fund_out, why):
    r = calc.carry_over(B, fund_in, own_result)
    assert (r.transfer, r.fund_out) == (transfer, fund_out), why
    assert r.transfer_capped == (transfer != own_result)
    assert r.fund_capped == (fund_out != fund_in + transfer)


def test_carry_over_percentages_are_exact_shares_of_the_gross_budget():
    r = calc.carry_over(D("3333333"), D(0), D(100_000))
    assert r.transfer_percent == D(100_000) * 100 / D("3333333")
    assert calc.carry_over(D(0), D(0), D(5)).transfer_percent is None
    with pytest.raises(ValueError):
        calc.carry_over(D(-1), D(0), D(0))


ORE = st.integers(min_value=-(10**11), max_value=10**11).map(lambda n: D(n) / 100)


@given(ORE.map(abs), ORE, ORE)
def test_carry_over_never_leaves_its_bounds(b, p, r):
    out = calc.carry_over(b, p, r)
    assert -b * D("0.05") <= out.transfer <= b * D("0.05")
    assert -b * D("0.05") <= out.fund_out <= b * D("0.10")
    assert abs(out.transfer) <= abs(r)


def test_city_sign_prints_a_surplus_as_negative_only_in_the_city_form():
    assert calc.city_sign(D(5), city_convention=True) == D(-5)
    assert calc.city_sign(D(5), city_convention=False) == D(5)
    assert calc.city_sign(None, city_convention=True) is None


def _grant(overhead=D(110_600), sought=D(979_600), grant_line=D(979_600), own=D(450_000)):
    costs = [
        ("wage", D(1_106_000)),
        ("overhead", overhead),
        ("external", D(125_000)),
        ("other", D(88_000)),
    ]
    return calc.grant_check(
        costs=costs, financing=[("grant", grant_line), ("own", own)], amount_sought=sought
    )


def test_a_consistent_grant_application_has_no_problems():
    check = _grant()
    assert check.total_costs == D(1_429_600) == check.total_financing
    assert check.problems == []


@pytest.mark.parametrize(
    ("kw", "says"),
    [
        ({"overhead": D(165_901)}, "Overheadkostnaderna"),
        ({"grant_line": D(979_000)}, "Summa kostnader"),  # the financing table left 600 kr out
        ({"sought": D(979_000)}, "Sökt belopp"),
    ],
)
def test_grant_application_rules(kw, says):
    problems = _grant(**kw).problems
    assert any(p.startswith(says) for p in problems), problems


def test_overhead_exactly_at_fifteen_percent_is_allowed():
    check = calc.grant_check(
        costs=[("fee", D(1000)), ("overhead", D(150))],
        financing=[("grant", D(1150))],
        amount_sought=D(1150),
    )
    assert check.problems == []


def test_project_deviations_need_cause_and_action():
    kw = dict(
        budget=D(10), forecast=D(10), decided_total=D(100), forecast_total=D(100),
        decided_start=dt.date(2020, 1, 1), forecast_start=dt.date(2020, 1, 1),
        decided_end=dt.date(2023, 12, 31), forecast_end=dt.date(2024, 6, 30),
    )  # fmt: skip
    devs = calc.project_deviations(**kw)
    assert [d.kind for d in devs] == ["end"]
    assert calc.ready_problems(devs, "", "")[0].endswith("orsak och åtgärd.")
    assert calc.ready_problems(devs, "Upphandlingen överprövades", "") != []
    assert calc.ready_problems(devs, "Upphandlingen överprövades", "Ny tidplan") == []
    kw.update(forecast=D(12), forecast_total=D(90), forecast_end=dt.date(2023, 12, 31))
    assert [d.kind for d in calc.project_deviations(**kw)] == ["budget", "total"]
    kw.update(forecast=D(10), forecast_total=D(100))
    assert calc.project_deviations(**kw) == []
    assert calc.ready_problems([], "", "") == []


@pytest.mark.parametrize(
    ("start", "end", "years", "warns"),
    [
        (dt.date(2021, 1, 1), dt.date(2023, 12, 31), D(3), False),
        (dt.date(2021, 1, 1), dt.date(2025, 12, 31), D(5), False),
        (dt.date(2021, 1, 1), dt.date(2022, 12, 31), D(2), True),
        (dt.date(2021, 1, 1), dt.date(2026, 6, 30), D("5.5"), True),
        (dt.date(2021, 2, 15), dt.date(2024, 2, 14), D(3), False),
    ],
)
def test_iop_period_is_a_warning_outside_three_to_five_years(start, end, years, warns):
    assert calc.agreement_years(start, end) == years
    assert bool(calc.iop_period_warning(start, end)) == warns


def test_iop_end_before_start_is_an_error():
    with pytest.raises(ValueError):
        calc.iop_period_warning(dt.date(2022, 1, 1), dt.date(2021, 1, 1))


@pytest.mark.parametrize(
    ("returned", "year", "part"),
    [
        (dt.date(2021, 6, 30), 2021, D(600_000)),  # July–December
        (dt.date(2021, 12, 31), 2021, D(0)),
        (dt.date(2020, 3, 31), 2021, D(1_200_000)),
        (dt.date(2022, 1, 31), 2021, D(0)),
    ],
)
def test_rent_consequence_counts_the_months_after_the_return(returned, year, part):
    r = calc.rent_consequence(D(1_200_000), returned, year)
    assert (r.part_year, r.full_year) == (part, D(1_200_000))


@pytest.mark.parametrize(
    "costs, expected",
    [
        ([D(-700_000), D(-300_000)], D(1_000_000)),
        ([D(-700_000), D(50_000)], D(650_000)),  # a cost row budgeted as income reduces B
        ([D(100)], D(0)),  # never below zero
        ([], D(0)),
    ],
)
def test_gross_budget_is_the_cost_rows_budget_as_a_positive_amount(costs, expected):
    assert calc.gross_budget(costs) == expected


@pytest.mark.parametrize(
    "cutoff, outcome, forecast, budget, expected",
    [
        (4, D(-300), D(-940), D(-1000), D(60)),  # the forecast's deviation before year end
        (12, D(-950), D(-940), D(-1000), D(60)),  # the December report still forecasts
        (13, D(-950), D(-940), D(-1000), D(50)),  # the closed books: outcome − budget
        (13, D(-1100), D(-940), D(-1000), D(-100)),
    ],
)
def test_the_units_result_is_the_follow_ups_deviation(cutoff, outcome, forecast, budget, expected):
    assert (
        calc.unit_result(cutoff=cutoff, outcome=outcome, forecast=forecast, budget=budget)
        == expected
    )
