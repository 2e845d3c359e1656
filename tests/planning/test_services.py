"""Planning services: frames and roll-forward, proposals with part-year effect, the
efficiency plan, investments with underlag, grants; rights and the approved year's lock."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from styra.calendar.models import LockedError
from styra.calendar.services import event_approve
from styra.planning import selectors, services
from styra.planning.models import FramePlan, Grant
from tests.actors import SYSTEM

K = D(1000)  # tkr → kr


@pytest.fixture
def sn(node):
    return node("SN")


@pytest.fixture
def sn_controller(demo_org):
    return get_user_model().objects.get(username="sn-controller")


@pytest.fixture
def plan(sn):
    p = services.frame_plan_create(
        actor=SYSTEM, committee=sn, budget_year=2020, opening=-624440 * K
    )
    for kind, text, decision, amounts in [
        ("volym", "", "", {2020: -12256, 2021: -8942, 2022: -9317, 2023: -10104}),
        ("lon_pris", "", "", {2020: -18247, 2021: -19451, 2022: -19274, 2023: -20066}),
        ("satsning", "Lönesatsning", "", {2019: -1300}),
        ("omfordelning", "Unga vuxna", "KS/2018:633", {2019: -2500, 2020: -800}),
        ("effektivisering", "", "", {2020: 10031, 2021: 10559, 2022: 11114, 2023: 13700}),
    ]:
        services.adjustment_save(
            actor=SYSTEM,
            plan=p,
            kind=kind,
            text=text,
            decision=decision,
            amounts={y: v * K for y, v in amounts.items()},
        )
    return p


def test_frames_are_computed_from_opening_and_adjustments(plan):
    t = selectors.frames_table(plan)
    assert [t.frame.amounts[y] / K for y in plan.years] == [
        -628240, -649512, -667346, -684823, -701293
    ]  # fmt: skip
    assert t.proposed.amounts[2019] is None  # this year takes no proposals
    assert [t.proposed.amounts[y] for y in plan.plan_years] == [0, 0, 0, 0]


def test_summa_foreslagna_justeringar_is_the_sum_of_the_proposals(plan):
    services.proposal_save(
        actor=SYSTEM,
        plan=plan,
        title="Vårdnadsöverflyttningar",
        criterion=1,
        description="x",
        start_year=2020,
        start_month=7,
        compute_part_year=True,
        lines={"personal": {"full_year": -5100 * K}},
    )
    services.proposal_save(
        actor=SYSTEM,
        plan=plan,
        title="Bostadsbrist",
        criterion=2,
        description="y",
        start_year=2021,
        start_month=1,
        lines={
            "ovriga": {"part_year": -1000 * K, "full_year": -13687 * K},
            "intakter": {"full_year": 500 * K},
        },
    )
    t = selectors.frames_table(plan)
    # 2020: half of 5 100 (July start); 2021: full 5 100 + the second's part-year net.
    assert t.proposed.amounts[2020] == -2550 * K
    assert t.proposed.amounts[2021] == (-5100 - 1000 + 500) * K
    assert t.proposed.amounts[2022] == (-5100 - 13687 + 500) * K
    assert t.proposed_frame.amounts[2022] == t.frame.amounts[2022] + t.proposed.amounts[2022]
    assert [p.attachment for p in t.proposals] == ["2:1", "2:2"]


def test_part_year_is_stored_as_typed_unless_asked(plan):
    p = services.proposal_save(
        actor=SYSTEM,
        plan=plan,
        title="A",
        criterion=1,
        description="x",
        start_year=2020,
        start_month=1,
        lines={"personal": {"part_year": -2550 * K, "full_year": -5100 * K}},
    )
    assert p.lines.get().part_year == -2550 * K
    p = services.proposal_save(
        actor=SYSTEM,
        plan=plan,
        proposal=p,
        title="A",
        criterion=1,
        description="x",
        start_year=2020,
        start_month=4,
        compute_part_year=True,
        lines={"personal": {"part_year": -2550 * K, "full_year": -5100 * K}},
    )
    assert p.lines.get().part_year == -3825 * K  # 9/12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"criterion": 5}, "BK 1–4"),
        ({"start_month": 13}, "1–12"),
        ({"start_year": 2019}, "planens år"),
        ({"title": " "}, "Rubriken"),
        ({"lines": {"personal": {"full_year": 5100 * K}}}, "minustecken"),
        ({"lines": {"intakter": {"full_year": -1 * K}}}, "positiva"),
        ({"lines": {}}, "minst en kostnadstyp"),
        ({"lines": {"personal": {"full_year": "abc"}}}, "inget belopp"),
        ({"lines": {"personal": {"full_year": D("-1.005")}}}, "två decimaler"),
    ],
)
def test_a_bad_proposal_is_refused_with_a_reason(plan, change, message):
    args = dict(
        title="A",
        criterion=1,
        description="x",
        start_year=2020,
        start_month=1,
        lines={"personal": {"full_year": -5100 * K}},
    )
    args.update(change)
    with pytest.raises(ValidationError) as exc:
        services.proposal_save(actor=SYSTEM, plan=plan, **args)
    assert message in " ".join(exc.value.messages)
    assert not plan.proposals.exists()


def test_adjustment_outside_the_plan_years_is_refused(plan):
    with pytest.raises(ValidationError, match="utanför"):
        services.adjustment_save(actor=SYSTEM, plan=plan, kind="volym", amounts={2024: 1})
    with pytest.raises(ValidationError, match="beslutet"):
        services.adjustment_save(actor=SYSTEM, plan=plan, kind="omfordelning", amounts={2020: 1})


def test_roll_forward_carries_the_frame_and_the_shared_years(plan):
    new = services.frame_plan_roll_forward(actor=SYSTEM, plan=plan)
    assert new.budget_year == 2021 and new.years == [2020, 2021, 2022, 2023, 2024]
    old, fresh = selectors.frames_table(plan), selectors.frames_table(new)
    assert fresh.opening.amounts[2020] == old.frame.amounts[2019]
    for y in (2020, 2021, 2022, 2023):
        assert fresh.frame.amounts[y] == old.frame.amounts[y]
    assert fresh.total.amounts[2024] == 0
    with pytest.raises(ValidationError, match="redan"):
        services.frame_plan_roll_forward(actor=SYSTEM, plan=plan)


def test_an_approved_year_is_frozen(plan):
    event_approve(actor=SYSTEM, event=plan.event)
    with pytest.raises(LockedError):
        services.adjustment_save(actor=SYSTEM, plan=plan, kind="volym", amounts={2020: -1})
    with pytest.raises(LockedError):
        services.proposal_save(
            actor=SYSTEM,
            plan=plan,
            title="A",
            criterion=1,
            description="x",
            start_year=2020,
            start_month=1,
            lines={"personal": {"full_year": -1}},
        )
    assert selectors.frames_table(plan).frame.amounts[2023] == -701293 * K


def test_only_the_committees_controller_may_plan(plan, cast, sn_controller):
    with pytest.raises(PermissionDenied):
        services.adjustment_save(actor=cast["controller"], plan=plan, kind="volym", amounts={})
    with pytest.raises(PermissionDenied):
        services.frame_plan_roll_forward(actor=cast["enhetschef"], plan=plan)
    services.adjustment_save(actor=sn_controller, plan=plan, kind="volym", amounts={2024 - 1: -1})


def test_efficiency_plan_against_the_requirement(plan):
    plan = services.frame_plan_update(
        actor=SYSTEM, plan=plan, efficiency_percent=D(2), efficiency_excluded=126690 * K
    )
    services.efficiency_measure_save(
        actor=SYSTEM,
        plan=plan,
        name="Öppna förskolan",
        amounts={2020: {"saving": 2000 * K, "cost": 1000 * K}},
    )
    services.efficiency_measure_save(
        actor=SYSTEM, plan=plan, name="Avgift", amounts={2020: {"saving": 9031 * K}}
    )
    e = selectors.efficiency_plan(plan)
    r2020 = e.results[0]
    assert (r2020.target, r2020.net, r2020.met) == (10031 * K, 10031 * K, True)
    assert e.results[1].met is False and e.results[1].net == 0
    with pytest.raises(ValidationError, match="positiva"):
        services.efficiency_measure_save(
            actor=SYSTEM, plan=plan, name="X", amounts={2020: {"saving": -1}}
        )


def test_investment_plan_ev_tb_and_component_capital_costs(plan):
    inv = services.investment_save(
        actor=SYSTEM,
        plan=plan,
        number="6266",
        name="Boende A",
        group="fastighet",
        status="P",
        amounts={2019: -40000 * K, 2020: -40000 * K},
        decided_total=-56500 * K,
        outcome_to_date=-1600 * K,
        new_total=-81600 * K,
    )
    (group,) = [g for g in selectors.investment_plan(plan) if g.key == "fastighet"]
    assert group.rows[0].extra_budget == -25100 * K
    assert group.sums[2019] == -40000 * K
    services.investment_basis_save(
        actor=SYSTEM,
        investment=inv,
        go_live_year=2024,
        go_live_month=6,
        property_amount=81600 * K,
        components=[
            {"name": "Stomme", "amount": 2000 * K, "life": 50},
            {"name": "Tak", "amount": 16800 * K, "life": 25},
            {"name": "Installationer", "amount": 62800 * K, "life": 15},
        ],
        property_costs=1146 * K,
        interest_rate=D("1.75"),
    )
    inv.refresh_from_db()
    view = selectors.basis_view(inv)
    dep = dict(view.property_rows)["Avskrivningar"]
    assert round(dep[2024] / K) == -2449 and round(dep[2025] / K) == -4899
    assert dict(view.property_rows)["Fastighetskostnader"][2024] == -573 * K
    with pytest.raises(ValidationError, match="Komponenterna"):
        services.investment_basis_save(
            actor=SYSTEM, investment=inv, components=[{"name": "x", "amount": 1, "life": 5}]
        )


def test_grant_register_checks_caps_and_lists_deadlines(sn, sn_controller, cast):
    g = services.grant_save(
        actor=sn_controller,
        committee=sn,
        name="Stärkt bemanning",
        grantor="Socialstyrelsen",
        mechanism="rekvirera",
        report_by=dt.date(2020, 9, 15),
        substitute_share_cap=D(25),
        substitute_cost=700 * K,
        amounts={2020: 2300 * K},
    )
    (problem,) = selectors.grant_view(g).problems
    assert problem.limit == 575 * K and problem.actual == 700 * K
    deadlines = selectors.grant_deadlines(sn_controller, dt.date(2020, 9, 3))
    assert [(d.grant.name, d.label, d.state) for d in deadlines] == [
        ("Stärkt bemanning", "återrapporteras senast", "soon")
    ]
    assert selectors.grant_deadlines(cast["controller"], dt.date(2020, 9, 3)) == []
    with pytest.raises(PermissionDenied):
        services.grant_save(
            actor=cast["controller"],
            committee=sn,
            name="X",
            amounts={},
            grantor="Y",
            mechanism="ansoka",
        )
    with pytest.raises(ValidationError) as exc:
        services.grant_save(
            actor=sn_controller,
            committee=sn,
            name="Y",
            grantor="",
            mechanism="gissa",
            amounts={2020: -5},
            use_from=dt.date(2020, 5, 1),
            use_until=dt.date(2020, 4, 1),
        )
    text = " ".join(exc.value.messages)
    for part in ("bidragsgivaren", "Hanteringen", "positiva", "före startdatumet"):
        assert part in text
    assert Grant.objects.count() == 1


def test_a_plan_per_committee_and_year(plan, sn):
    with pytest.raises(ValidationError, match="redan"):
        services.frame_plan_create(actor=SYSTEM, committee=sn, budget_year=2020, opening=0)
    assert FramePlan.objects.count() == 1
