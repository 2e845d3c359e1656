"""Planning pages through Django's test client: forms write only what changed, exactly;
bad input is shown, not stored; someone without the right gets 403."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from styra.planning import selectors, services
from styra.planning.models import FramePlan, Grant
from styra.planning.views import parse_tkr, tkr_input
from tests.actors import SYSTEM

K = D(1000)


@pytest.fixture
def sn_client(client, demo_org):
    client.force_login(get_user_model().objects.get(username="sn-controller"))
    return client


@pytest.fixture
def plan(node):
    p = services.frame_plan_create(
        actor=SYSTEM, committee=node("SN"), budget_year=2020, opening=D("-624440123.45")
    )
    services.adjustment_save(actor=SYSTEM, plan=p, kind="volym", amounts={2020: D("-12256400.50")})
    return p


@pytest.mark.parametrize(
    ("kronor", "text"),
    [
        (D("-6843500"), "-6\xa0843,5"),
        (D("-624440123.45"), "-624\xa0440,12345"),
        (D(0), "0"),
        (None, ""),
    ],
)
def test_tkr_input_is_exact_and_reads_back(kronor, text):
    assert tkr_input(kronor) == text
    errors = []
    assert parse_tkr(text, "x", errors) == kronor and errors == []


def test_parse_tkr_refuses_fractions_of_an_ore():
    errors = []
    assert parse_tkr("1,234567", "Belopp", errors) is None
    assert errors == ["Belopp: '1,234567' har fler decimaler än öre (högst fem decimaler i tkr)."]


def test_saving_the_frames_untouched_changes_nothing(sn_client, plan):
    url = reverse("plan_detail", kwargs={"plan_id": plan.pk})
    html = sn_client.get(url).content.decode()
    assert "-624\xa0440,12345" in html
    adj = plan.adjustments.get()
    post = {"opening": tkr_input(plan.opening), f"a-{adj.pk}-2020": tkr_input(D("-12256400.50"))}
    response = sn_client.post(url, post)
    assert response.status_code == 302
    adj.refresh_from_db()
    plan.refresh_from_db()
    assert plan.opening == D("-624440123.45")
    assert adj.amounts == {"2020": "-12256400.50"}


def test_a_changed_cell_is_written_exactly_and_a_bad_one_is_refused(sn_client, plan):
    url = reverse("plan_detail", kwargs={"plan_id": plan.pk})
    adj = plan.adjustments.get()
    base = {"opening": tkr_input(plan.opening), f"a-{adj.pk}-2020": "-12 256,4005"}
    sn_client.post(url, {**base, f"a-{adj.pk}-2021": "−8 942"})
    adj.refresh_from_db()
    assert adj.amounts == {"2020": "-12256400.50", "2021": "-8942000.00"}
    response = sn_client.post(url, {**base, f"a-{adj.pk}-2022": "tolv"})
    assert response.status_code == 400
    assert "inget tal" in response.content.decode()
    adj.refresh_from_db()
    assert "2022" not in adj.amounts


def test_new_adjustment_row_and_roll_forward(sn_client, plan):
    url = reverse("plan_detail", kwargs={"plan_id": plan.pk})
    sn_client.post(
        url,
        {
            "opening": tkr_input(plan.opening),
            "new-kind": "omfordelning",
            "new-text": "Unga vuxna",
            "new-decision": "KS/2018:633",
            "new-2019": "-2 500",
        },
    )
    assert plan.adjustments.count() == 2
    response = sn_client.post(reverse("plan_roll", kwargs={"plan_id": plan.pk}))
    new = FramePlan.objects.get(budget_year=2021)
    assert response["Location"] == reverse("plan_detail", kwargs={"plan_id": new.pk})
    assert new.opening == plan.opening - 2500 * K


def test_proposal_form_computes_the_part_year_effect(sn_client, plan):
    url = reverse("proposal_new", kwargs={"plan_id": plan.pk})
    data = {
        "title": "Spelmissbruk",
        "criterion": "1",
        "description": "Ökade resurser",
        "start_year": "2020",
        "start_month": "7",
        "full-personal": "-500",
        "compute": "on",
    }
    response = sn_client.post(url, data)
    assert response.status_code == 302
    (view,) = selectors.proposals_of(plan)
    assert (view.part_net, view.full_net) == (-250 * K, -500 * K)
    assert selectors.frames_table(plan).proposed.amounts[2020] == -250 * K
    response = sn_client.post(url, {**data, "criterion": "", "full-personal": "500"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "BK 1–4" in text and "minustecken" in text


def test_grant_form_and_caps(sn_client, node, settings):
    settings.STYRA_TODAY = "2020-09-03"  # the form offers last year and the next four
    sn = node("SN")
    url = reverse("grant_new", kwargs={"node_id": sn.pk})
    response = sn_client.post(
        url,
        {
            "name": "Stärkt bemanning",
            "grantor": "Socialstyrelsen",
            "mechanism": "rekvirera",
            "status": "rekvirerat",
            "report_by": "2020-09-15",
            "substitute_share_cap": "25",
            "substitute_cost": "700",
            "y-2020": "2 300",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Stärkt bemanning" in html and "Överskrids" in html
    grant = Grant.objects.get()
    assert grant.amounts == {"2020": "2300000.00"}
    assert grant.report_by == dt.date(2020, 9, 15)
    response = sn_client.post(url, {"name": "X", "grantor": "", "use_from": "igår"})
    assert response.status_code == 400
    assert Grant.objects.count() == 1


def test_the_controller_of_another_committee_is_refused(client, cast, plan, node):
    client.force_login(cast["controller"])
    for url in (
        reverse("plan_detail", kwargs={"plan_id": plan.pk}),
        reverse("planning_grants", kwargs={"node_id": node("SN").pk}),
    ):
        assert client.get(url).status_code == 403
    response = client.post(reverse("plan_roll", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 403
    assert FramePlan.objects.count() == 1


def test_start_page_shows_the_grant_deadline(sn_client, node, settings, plan):
    settings.STYRA_TODAY = "2020-09-03"
    services.grant_save(
        actor=SYSTEM,
        committee=node("SN"),
        name="Personligt ombud",
        grantor="Länsstyrelsen",
        mechanism="ansoka",
        report_by=dt.date(2020, 9, 15),
        amounts={},
    )
    html = sn_client.get(reverse("start")).content.decode()
    assert "Personligt ombud: återrapporteras senast 2020-09-15 – inom 30 dagar" in html
    # The plan's year event (2020) is not a follow-up: no forecasts are chased for it.
    assert "Inget rapporttillfälle är öppet." in html and "prognos saknas" not in html


def test_efficiency_page_sets_the_requirement_and_adds_a_measure(sn_client, plan):
    url = reverse("planning_efficiency", kwargs={"plan_id": plan.pk})
    response = sn_client.post(
        url,
        {
            "percent": "2",
            "excluded": "126 690",
            "new-name": "Avgift för boendestöd",
            "new-s-2020": "3 000",
            "new-c-2020": "500",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.efficiency_percent, plan.efficiency_excluded) == (2, 126690 * K)
    (m,) = plan.efficiency.all()
    assert m.amounts == {"2020": {"saving": "3000000.00", "cost": "500000.00"}}
    e = selectors.efficiency_plan(plan)
    assert e.results[0].net == 2500 * K and not e.results[0].met
    # Saving again without changes leaves the measure exactly as it was.
    html = sn_client.get(url).content.decode()
    assert "2\xa0500" in html
    sn_client.post(url, {"percent": "2", "excluded": "126 690", f"m{m.pk}-name": m.name,
                         f"m{m.pk}-s-2020": "3 000", f"m{m.pk}-c-2020": "500"})  # fmt: skip
    m.refresh_from_db()
    assert m.amounts == {"2020": {"saving": "3000000.00", "cost": "500000.00"}}


def test_investment_page_and_underlag_with_components(sn_client, plan):
    url = reverse("planning_investments", kwargs={"plan_id": plan.pk})
    response = sn_client.post(
        url,
        {
            "number": "6266",
            "name": "Boende A",
            "group": "fastighet",
            "status": "P",
            "decided_year": "2018",
            "decided_total": "-56 500",
            "new_total": "-81 600",
            "y-2019": "-40 000",
        },
    )
    inv = plan.investments.get()
    assert response["Location"] == reverse("planning_investment", kwargs={"investment_id": inv.pk})
    assert "-25\xa0100" in sn_client.get(url).content.decode()  # Ev. TB
    detail = reverse("planning_investment", kwargs={"investment_id": inv.pk})
    form = {
        "go_live_year": "2024",
        "go_live_month": "6",
        "property_amount": "81 600",
        "components": "Stomme; 2 000; 50\nTak; 16 800; 25\nInstallationer; 62 800; 15",
        "property_costs": "1 146",
        "interest_rate": "1,75",
    }
    assert sn_client.post(detail, form).status_code == 302
    html = sn_client.get(detail).content.decode()
    assert "-4\xa0899" in html and "-2\xa0449" in html
    bad = sn_client.post(detail, {**form, "components": "Stomme; 2 000"})
    assert bad.status_code == 400 and "livslängd" in bad.content.decode()
    bad = sn_client.post(detail, {**form, "components": "Stomme; 1 000; 50"})
    assert bad.status_code == 400 and "Komponenterna summerar" in bad.content.decode()


def test_targets_page_writes_only_changed_targets(client, cast, node):
    from styra.demo.builder import DATA_DIR
    from styra.goals import services as goals
    from styra.goals.models import Measure, Target

    goals.goals_load(actor=SYSTEM, path=DATA_DIR / "goals" / "avun-2020-d2.yaml")
    avun = node("AVUN")
    plan = services.frame_plan_create(actor=SYSTEM, committee=avun, budget_year=2021, opening=0)
    measure = Measure.objects.filter(goal__committee=avun).order_by("pk").first()
    before = {(t.year, t.kind, t.value) for t in Target.objects.filter(measure=measure)}
    client.force_login(cast["controller"])
    url = reverse("planning_targets", kwargs={"plan_id": plan.pk})
    page = client.get(url).content.decode()
    assert measure.name in page
    response = client.post(
        url,
        {
            f"t-{measure.pk}-2022": "Ökar",
            f"t-{measure.pk}-2023": "5–15 %",
            f"mark-{measure.pk}": "utga",
            f"marktext-{measure.pk}": "mäts i egenkontrollen",
        },
    )
    assert response.status_code == 302
    from styra.planning.models import MeasureMark

    assert MeasureMark.objects.get(plan=plan, measure=measure).label == (
        "Föreslås utgå: mäts i egenkontrollen"
    )
    after = {(t.year, t.kind) for t in Target.objects.filter(measure=measure, year__gte=2022)}
    assert after == {(2022, "increase"), (2023, "range")}
    # Unchanged years are untouched.
    assert {(y, k, v) for y, k, v in before if y < 2022} <= {
        (t.year, t.kind, t.value) for t in Target.objects.filter(measure=measure)
    }
    response = client.post(url, {f"t-{measure.pk}-2022": "mycket"})
    assert response.status_code == 400


def test_planned_revenues_give_the_specification(sn_client, plan):
    url = reverse("plan_detail", kwargs={"plan_id": plan.pk})
    adj = plan.adjustments.get()
    base = {"opening": tkr_input(plan.opening), f"a-{adj.pk}-2020": tkr_input(D("-12256400.50"))}
    response = sn_client.post(url, {**base, "rev-0-2020": "3 500", "rev-1-2020": "25 000"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.revenues == {
        "Taxor och avgifter": {"2020": "3500000.00"},
        "Bidrag": {"2020": "25000000.00"},
    }
    spec = selectors.specification(plan)
    frame = selectors.frames_table(plan).frame_of(2020)
    assert spec.revenues[2020] == 28500 * K
    assert spec.costs[2020] == frame - 28500 * K and spec.net[2020] == frame
    assert spec.revenues[2021] is None and spec.costs[2018] is None  # no ledger for SN
    response = sn_client.post(url, {**base, "rev-0-2020": "-1"})
    assert response.status_code == 400 and "positiva" in response.content.decode()
