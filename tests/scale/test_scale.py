"""The scale generator on a tiny spec ("test"), and the selectors the scale run changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from styra.calendar.models import ReportingEvent
from styra.demo.scale import SPECS, YEARS, build_scale, plan_org
from styra.finance import calc, figures
from styra.finance.models import BudgetLine, Forecast
from styra.goals.models import Measure
from styra.ledger.models import LedgerImport, Transaction
from styra.ledger.rows import account_key
from styra.lib.money import to_ore
from styra.org import selectors as org_selectors
from styra.org.models import DimensionMapping, Municipality, NodeKind, OrgNode

SPEC = SPECS["test"]


@pytest.fixture
def scale_set(db, tmp_path):
    summary = build_scale("test", folder=tmp_path)
    return summary, Municipality.objects.get(org_number=SPEC.org_number), tmp_path


def test_generator_builds_the_spec_counts(scale_set):
    summary, muni, _ = scale_set
    nodes = OrgNode.objects.filter(municipality=muni)
    assert nodes.filter(kind=NodeKind.COMMITTEE).count() == SPEC.committees
    assert nodes.filter(kind=NodeKind.UNIT).count() == SPEC.units
    assert DimensionMapping.objects.filter(municipality=muni).count() == SPEC.units * len(YEARS)
    assert LedgerImport.objects.filter(municipality=muni).count() == 13 + 8
    for year in YEARS:
        rows = Transaction.objects.filter(ledger_import__municipality=muni, year=year).count()
        assert rows == SPEC.rows_per_year
    assert (
        Transaction.objects.filter(ledger_import__municipality=muni, unit=None)
        .exclude(account="2440")
        .count()
        == 0
    ), "every result row is mapped to a unit"
    assert ReportingEvent.objects.filter(committee__municipality=muni).count() == 2 * 3
    assert BudgetLine.objects.filter(unit__municipality=muni).count() > SPEC.units
    assert Forecast.objects.filter(unit__municipality=muni).exists()
    assert Measure.objects.filter(goal__committee__municipality=muni).count() == SPEC.measures
    assert summary.database_bytes > 0


def test_committee_sizes_vary_with_one_clearly_largest():
    sizes = [n for _c, _name, n in plan_org(SPECS["stockholm"]).committees]
    assert len(sizes) == 30 and sum(sizes) == 3000
    assert sizes[0] > 2 * sorted(sizes)[-2]


def test_running_the_generator_again_changes_nothing(scale_set):
    _, muni, folder = scale_set
    before = (
        OrgNode.objects.filter(municipality=muni).count(),
        sorted(LedgerImport.objects.filter(municipality=muni).values_list("pk", flat=True)),
        sorted(BudgetLine.objects.filter(unit__municipality=muni).values_list("pk", flat=True)),
        Measure.objects.filter(goal__committee__municipality=muni).count(),
    )
    summary = build_scale("test", folder=folder)
    after = (
        OrgNode.objects.filter(municipality=muni).count(),
        sorted(LedgerImport.objects.filter(municipality=muni).values_list("pk", flat=True)),
        sorted(BudgetLine.objects.filter(unit__municipality=muni).values_list("pk", flat=True)),
        Measure.objects.filter(goal__committee__municipality=muni).count(),
    )
    assert after == before
    assert summary.counts["huvudboksrader (nya)"] == 0


def _ledger_net(committee: OrgNode, year: int, last_period: int) -> Decimal:
    """Report-sign net of the committee's result accounts, straight from the transactions."""
    _, children = org_selectors.tree(committee.municipality)
    ids, stack = set(), [committee.pk]
    while stack:
        pk = stack.pop()
        ids.add(pk)
        stack.extend(n.pk for n in children.get(pk, []))
    total = 0
    for account, amount in Transaction.objects.filter(
        unit_id__in=ids, year=year, period__lte=last_period
    ).values_list("account", "amount_ore"):
        if 3000 <= (account_key(account) or 0) <= 8999:
            total += amount
    return Decimal(-total) / 100


def test_follow_up_grid_of_the_largest_committee_matches_the_ledger(scale_set):
    _, muni, _ = scale_set
    committee = OrgNode.objects.get(municipality=muni, code="UBN")
    event = ReportingEvent.objects.get(committee=committee, code="2020-D2")
    fu = figures.follow_up(committee, event)
    assert fu.total.net.outcome == _ledger_net(committee, 2020, 8)
    assert fu.total.net.previous_year == _ledger_net(committee, 2019, 13)
    assert fu.total.net.previous_to_date == _ledger_net(committee, 2019, 8)
    detail = figures.follow_up(committee, event, level="detail")
    assert detail.total.net.outcome == fu.total.net.outcome
    assert len(detail.units) > len(fu.units)


def test_overview_equals_each_committees_follow_up_total(scale_set):
    _, muni, _ = scale_set
    committees = list(OrgNode.objects.filter(municipality=muni).committees())
    lines = figures.committee_overview(committees)
    assert [line.committee for line in lines] == committees
    for line in lines:
        fu = figures.follow_up(line.committee, line.event)
        for name in (
            "previous_year",
            "previous_to_date",
            "outcome",
            "budget_to_date",
            "budget",
            "original_budget",
            "forecast",
            "previous_forecast",
            "forecast_missing",
        ):
            assert getattr(line.net, name) == getattr(fu.total.net, name), name
        assert line.missing == len(fu.missing)
        assert line.forecast_units == len(fu.forecast_units)


def test_tree_helpers_agree_with_the_org_selectors(scale_set):
    _, muni, _ = scale_set
    _, children = org_selectors.tree(muni)
    for committee in OrgNode.objects.filter(municipality=muni).committees():
        for year in YEARS:
            assert figures._units_in(
                children, committee, year, "report"
            ) == org_selectors.report_units(committee, year)
            assert figures._units_in(
                children, committee, year, "detail"
            ) == org_selectors.detail_units(committee, year)


def test_overview_page_lists_the_committees_the_user_may_see(scale_set, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="skala-controller"))
    response = client.get("/ekonomi/oversikt/")
    assert response.status_code == 200
    text = response.content.decode()
    for committee in OrgNode.objects.filter(municipality=scale_set[1]).committees():
        assert committee.name in text
    client.force_login(get_user_model().objects.get(username="skala-chef01"))
    assert "Utbildningsnämnden" not in client.get("/ekonomi/oversikt/").content.decode()


weights = st.one_of(
    st.sampled_from(["even", "days"]).map(lambda p: calc.month_weights(p, 2020)),
    st.lists(
        st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False),
        min_size=12,
        max_size=12,
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**10), max_value=10**10, places=2, allow_nan=False),
    weights=weights,
)
def test_fast_periodisation_equals_calc_periodise(amount, weights):
    assert figures.periodise_ore(amount, weights) == [
        to_ore(v) for v in calc.periodise(amount, weights)
    ]


def test_shared_reads_of_one_request_give_the_same_figures(scale_set):
    _, muni, _ = scale_set
    committee = OrgNode.objects.get(municipality=muni, code="UBN")
    event = ReportingEvent.objects.get(committee=committee, code="2020-D2")
    memo: dict = {}
    for level in ("detail", "report"):
        shared = figures.follow_up(committee, event, level=level, memo=memo)
        alone = figures.follow_up(committee, event, level=level)
        assert shared.total.net == alone.total.net
        assert [u.net for u in shared.units] == [u.net for u in alone.units]
    assert figures.monthly_series(committee, event, memo=memo) == figures.monthly_series(
        committee, event
    )
    unit = shared.units[0].unit
    assert figures.monthly_series(committee, event, unit, memo=memo) == (
        figures.monthly_series(committee, event, unit)
    )
