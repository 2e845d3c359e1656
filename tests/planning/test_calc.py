"""Planning rules (pure): frame roll-forward, part-year effect, proposal effects,
efficiency target, kapitaltjänst by component, running costs, grant caps."""

import datetime as dt
import itertools
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.finance.calc import capital_costs
from styra.planning import calc

money = st.decimals(min_value=D("-1e9"), max_value=D("1e9"), places=2)


def test_frames_roll_forward_as_in_the_sn_paper():
    # Bilaga 1 of Socialnämndens yttrande 2020 (tkr).
    adjustments = {
        2019: D(-3800),
        2020: D(-21272),
        2021: D(-17834),
        2022: D(-17477),
        2023: D(-16470),
    }
    years = calc.roll_frames(2019, D(-624440), adjustments, 5)
    assert [y.frame for y in years] == [D(-628240), D(-649512), D(-667346), D(-684823), D(-701293)]
    assert [y.opening for y in years][1:] == [y.frame for y in years][:-1]


@given(
    opening=money,
    adjustments=st.lists(money, min_size=1, max_size=8),
    proposed=st.lists(money, min_size=8, max_size=8),
)
def test_each_frame_is_the_next_opening_and_proposals_do_not_roll(opening, adjustments, proposed):
    adj = {2020 + i: a for i, a in enumerate(adjustments)}
    prop = {2020 + i: p for i, p in enumerate(proposed)}
    years = calc.roll_frames(2020, opening, adj, len(adjustments), prop)
    assert years[-1].frame == opening + sum(adjustments)
    for before, after in itertools.pairwise(years):
        assert after.opening == before.frame
    for y in years:
        assert y.proposed_frame == y.frame + prop[y.year]


def test_roll_frames_needs_a_year():
    with pytest.raises(ValueError):
        calc.roll_frames(2020, D(0), {}, 0)


@pytest.mark.parametrize(
    ("full", "month", "part"),
    [
        (D(-13687000), 7, D(-6843500)),  # starts in July: half a year
        (D(-5100000), 1, D(-5100000)),  # starts in January: the whole year
        (D(-1200000), 12, D(-100000)),  # December only
        (D(-1000), 3, D("-833.33")),  # 10/12 rounded to whole öre
        (D(1000), 3, D("833.33")),  # a revenue too
        (D(-1000), 10, D("-250.00")),
    ],
)
def test_part_year_effect(full, month, part):
    assert calc.part_year_effect(full, month) == part


@pytest.mark.parametrize("month", [0, 13, -1])
def test_part_year_effect_refuses_a_month_that_does_not_exist(month):
    with pytest.raises(ValueError):
        calc.part_year_effect(D(1), month)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2019, D(0)), (2020, D(-2550)), (2021, D(-5100)), (2023, D(-5100))],
)
def test_proposal_weighs_part_year_then_full_year(year, expected):
    assert calc.proposal_effect(year, 2020, D(-2550), D(-5100)) == expected


def test_proposal_without_part_year_weighs_full_year_in_start_year():
    assert calc.proposal_effect(2020, 2020, None, D(-5100)) == D(-5100)


def test_efficiency_target_and_result():
    # 2 % of the frame without försörjningsstödet (501 550 tkr) is 10 031 tkr.
    target = calc.efficiency_target(D(-501550), D(2))
    assert target == D("10031.00")
    # The SN plan: savings 12,65 mkr, cost increases 2,5 mkr, net 10,15 mkr: met.
    r = calc.efficiency_result(2020, [D("12650")], [D("2500")], target)
    assert (r.net, r.met, r.gap) == (D("10150"), True, D(0))
    short = calc.efficiency_result(2020, [D(9000)], [D(0)], target)
    assert (short.met, short.gap) == (False, D("1031.00"))


def test_efficiency_of_central_organisation():
    assert calc.efficiency_target(D(40000), D("1.5")) == D("600.000")


def test_one_component_equals_finance_capital_costs():
    rates = {2023: D("1.75")}
    one = calc.component_capital_costs([calc.Component("x", D(1200), 3)], 2023, 6, rates, 2)
    ref = capital_costs(D(1200), 2023, 6, 3, rates, 2)
    assert [(c.depreciation, c.interest) for c in one] == [
        (r.depreciation, r.interest) for r in ref
    ]
    # DOMAIN §7: 2023 −200 / −10, 2024 −400 / −14 (tkr, rounded)
    assert [round(c.depreciation) for c in one] == [-200, -400]
    assert [round(c.interest) for c in one] == [-10, -14]


def test_components_of_different_lives_add_up():
    # Boende med särskild service A: 81 600 tkr, driftsättning juni 2024.
    comps = [
        calc.Component("Stomme och grund", D(2000), 50),
        calc.Component("Tak, fasad och fönster", D(16800), 25),
        calc.Component("Installationer och inredning", D(62800), 15),
    ]
    years = calc.component_capital_costs(comps, 2024, 6, {2024: D("1.75")}, 2)
    assert [round(y.depreciation) for y in years] == [-2449, -4899]
    single = calc.component_capital_costs(
        [calc.Component("allt", D(81600), 50)], 2024, 6, {2024: D("1.75")}, 2
    )
    assert single[1].depreciation != years[1].depreciation  # lives matter


def test_land_is_not_depreciated_but_carries_interest():
    (y1, y2) = calc.component_capital_costs(
        [calc.Component("Mark", D(1200), 0)], 2024, 6, {2024: D(2)}, 2
    )
    assert (y1.depreciation, y2.depreciation) == (0, 0)
    assert (y1.interest, y2.interest) == (D(-12), D(-24))


def test_negative_life_is_refused():
    with pytest.raises(ValueError):
        calc.component_capital_costs([calc.Component("x", D(1), -1)], 2024, 1, {}, 1)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2023, D(0)), (2024, D(573)), (2025, D(1146))],
)
def test_running_cost_starts_the_month_after_go_live(year, expected):
    assert calc.running_cost_year(D(1146), 2024, 6, year) == expected


@given(amount=st.decimals(min_value=D(1), max_value=D("1e9"), places=2))
def test_substitute_cap_is_the_boundary(amount):
    limit = amount * 25 / 100
    assert calc.grant_cap_problems(amount, substitute_share_cap=D(25), substitute_cost=limit) == []
    over = calc.grant_cap_problems(
        amount, substitute_share_cap=D(25), substitute_cost=limit + D("0.01")
    )
    assert len(over) == 1 and over[0].limit == limit


def test_overhead_cap_is_checked_against_wages():
    problems = calc.grant_cap_problems(
        D(800000), overhead_cap=D(15), overhead=D(100000), wages=D(600000)
    )
    assert [(p.limit, p.actual) for p in problems] == [(D(90000), D(100000))]
    assert (
        calc.grant_cap_problems(D(800000), overhead_cap=D(15), overhead=D(90000), wages=D(600000))
        == []
    )


def test_a_cap_without_its_amounts_is_not_checked():
    assert calc.grant_cap_problems(D(1000), substitute_share_cap=D(25)) == []


@pytest.mark.parametrize(
    ("deadline", "state"),
    [(dt.date(2020, 9, 2), "passed"), (dt.date(2020, 9, 3), "soon"),
     (dt.date(2020, 10, 3), "soon"), (dt.date(2020, 10, 4), "later")],
)  # fmt: skip
def test_deadline_state(deadline, state):
    assert calc.deadline_state(deadline, dt.date(2020, 9, 3)) == state
