"""The single-edit services behind the administration pages: forecast assumptions,
investments, volumes and staff. Each checks the right on the object, refuses what an
approved event shows, and writes nothing (no history) when nothing changed."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from styra.calendar.models import LockedError, ReportingEvent
from styra.finance import services
from styra.finance.models import (
    Assumption,
    GoLiveRevision,
    InvestmentPlan,
    InvestmentProject,
    StaffFigure,
    VolumeValue,
)
from styra.ledger.rows import ensure_default_scheme
from styra.lib.errors import UsageError
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(demo_org, tmp_path):
    """AVUN 2020: D1 (cut-off April) approved, D2 open."""
    ensure_default_scheme(demo_org)
    (tmp_path / "events.yaml").write_text(
        textwrap.dedent("""\
        committee: AVUN
        events:
          - {code: 2020-D1, cutoff_period: 4, status: approved, approved: 2020-06-11}
          - {code: 2020-D2, cutoff_period: 8, deadline: 2020-09-01}
        """),
        encoding="utf-8",
    )
    services.events_import(actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org)
    return {e.code: e for e in ReportingEvent.objects.all()}


def test_assumption_added_changed_only_where_changed_and_locked_when_approved(year, cast):
    controller = cast["controller"]
    d2 = year["2020-D2"]
    a = services.assumption_save(
        actor=controller, event=d2, text="Statsbidraget beslutas", amount=Decimal("5500000.50")
    )
    assert a.amount == Decimal("5500000.50") and a.status == "uncertain"
    services.assumption_save(
        actor=controller,
        event=d2,
        assumption=a,
        text="Statsbidraget beslutas",
        amount=Decimal("5500000.50"),
    )
    assert a.history.count() == 1  # nothing changed: nothing written
    services.assumption_save(
        actor=controller,
        event=d2,
        assumption=a,
        text="Statsbidraget beslutas",
        amount=Decimal("5500000.50"),
        status="decided",
    )
    assert Assumption.objects.get().status == "decided" and a.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.assumption_save(actor=cast["enhetschef"], event=d2, text="x")
    with pytest.raises(LockedError, match="godkänd av nämnden"):
        services.assumption_save(actor=controller, event=year["2020-D1"], text="För sent")
    with pytest.raises(UsageError):
        services.assumption_save(actor=controller, event=d2, text="  ")
    services.assumption_remove(actor=controller, assumption=Assumption.objects.get())
    assert not Assumption.objects.exists()
    assert a.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    "number, kind, category, unit, refused",
    [
        ("3101", "annual", "inventarier", None, "finns redan"),  # the number is taken
        ("9101", "multi_year", "fastighet", None, "serien"),  # outside the kind's series
        ("3102", "annual", "inventarier", "SOF", "hör inte till"),  # another committee's unit
    ],
)
def test_an_investment_project_is_refused_with_the_reason(
    year, cast, node, number, kind, category, unit, refused
):
    avun = node("AVUN")
    services.investment_project_save(
        actor=cast["controller"], committee=avun, number="3101", name="Datorer",
        kind="annual", category="inventarier",
    )  # fmt: skip
    with pytest.raises(UsageError, match=refused):
        services.investment_project_save(
            actor=cast["controller"], committee=avun, number=number, name="Ny",
            kind=kind, category=category, unit=node(unit) if unit else None,
        )  # fmt: skip
    assert list(InvestmentProject.objects.values_list("number", flat=True)) == ["3101"]


def test_investment_project_plan_and_go_live_revisions(year, cast, node):
    controller, avun = cast["controller"], node("AVUN")
    project = services.investment_project_save(
        actor=controller,
        committee=avun,
        number="3101",
        name="Datorer",
        kind="annual",
        category="inventarier",
        unit=node("JC"),
        decided_total=Decimal("400000"),
    )
    with pytest.raises(PermissionDenied):
        services.investment_plan_set(
            actor=cast["enhetschef"], project=project, year=2021, amount=Decimal(1)
        )
    # A new year's plan is fine; changing 2020's plan, which the approved D1 shows, is not.
    services.investment_plan_set(actor=controller, project=project, year=2020, amount=Decimal(1))
    with pytest.raises(LockedError):
        services.investment_plan_set(
            actor=controller, project=project, year=2020, amount=Decimal(2)
        )
    services.investment_plan_set(
        actor=controller, project=project, year=2021, amount=Decimal("250000.25")
    )
    assert InvestmentPlan.objects.get(project=project, year=2021).amount == Decimal("250000.25")
    services.investment_plan_set(actor=controller, project=project, year=2021, amount=None)
    assert not InvestmentPlan.objects.filter(project=project, year=2021).exists()
    # Go-live: the first month is set, a later move is a revision with its reason.
    on = dt.date(2020, 3, 1)
    assert (
        services.investment_go_live_revise(
            actor=controller, project=project, go_live=dt.date(2020, 9, 15), changed_on=on
        )
        is None
    )
    assert InvestmentProject.objects.get().go_live == dt.date(2020, 9, 1)
    with pytest.raises(UsageError, match="skälet"):
        services.investment_go_live_revise(
            actor=controller, project=project, go_live=dt.date(2020, 11, 1), changed_on=on
        )
    services.investment_go_live_revise(
        actor=controller,
        project=project,
        go_live=dt.date(2020, 11, 1),
        changed_on=dt.date(2020, 8, 20),
        reason="Leveransen försenad",
    )
    revision = GoLiveRevision.objects.get()
    assert revision.go_live == dt.date(2020, 11, 1) and revision.reason == "Leveransen försenad"
    assert InvestmentProject.objects.get().go_live == dt.date(2020, 11, 1)
    # Only the changed field is written.
    before = project.history.count()
    services.investment_project_save(
        actor=controller,
        committee=avun,
        project=project,
        number="3101",
        name="Datorer och skärmar",
        kind="annual",
        category="inventarier",
        unit=node("JC"),
        decided_total=Decimal("400000"),
    )
    latest = project.history.first()
    assert project.history.count() == before + 1
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]


def test_volume_definitions_targets_and_values_one_service(year, cast, node):
    controller, chef = cast["controller"], cast["enhetschef"]
    jc = services.volume_type_save(
        actor=controller,
        committee=node("AVUN"),
        code="platser",
        unit=node("JC"),
        name="Arbetsmarknadsinsatser",
        measure="Antal årsplatser",
        ratios=[{"label": "Kostnad / årsplats", "basis": "net"}, {"label": "", "basis": "net"}],
    )
    assert jc.ratios == [{"label": "Kostnad / årsplats", "basis": "net"}]
    ufv = services.volume_type_save(
        actor=controller,
        committee=node("AVUN"),
        code="elever",
        unit=node("UFV"),
        name="Vuxenutbildning",
        measure="Antal elever",
    )
    with pytest.raises(PermissionDenied):
        services.volume_type_save(
            actor=chef,
            committee=node("AVUN"),
            code="x",
            unit=node("JC"),
            name="x",
            measure="x",
        )
    # The target (budget) is the controller's; the unit's outcome and forecast its manager's.
    services.volume_value_set(
        actor=controller, volume=jc, kind="budget", year=2021, value=Decimal("120.5")
    )
    with pytest.raises(PermissionDenied):
        services.volume_value_set(actor=chef, volume=jc, kind="budget", year=2021, value=Decimal(1))
    services.volume_value_set(
        actor=chef, volume=jc, kind="outcome", year=2020, period=8, value=Decimal(98)
    )
    with pytest.raises(PermissionDenied):
        services.volume_value_set(
            actor=chef, volume=ufv, kind="outcome", year=2020, period=8, value=Decimal(1)
        )
    with pytest.raises(LockedError):  # through April: the approved D1 shows it
        services.volume_value_set(
            actor=chef, volume=jc, kind="outcome", year=2020, period=4, value=Decimal(90)
        )
    with pytest.raises(LockedError):
        services.volume_value_set(
            actor=chef, volume=jc, kind="forecast", year=2020, event=year["2020-D1"], value=1
        )
    services.volume_value_set(
        actor=chef, volume=jc, kind="forecast", year=0, event=year["2020-D2"], value=Decimal(101)
    )
    with pytest.raises(UsageError, match="negativ"):
        services.volume_value_set(
            actor=chef, volume=jc, kind="outcome", year=2020, period=9, value=Decimal(-1)
        )
    values = {(v.kind, v.year, v.period): v.value for v in VolumeValue.objects.all()}
    assert values == {
        ("budget", 2021, None): Decimal("120.5"),
        ("outcome", 2020, 8): Decimal(98),
        ("forecast", 2020, None): Decimal(101),
    }
    count = VolumeValue.history.count()
    services.volume_value_set(
        actor=chef, volume=jc, kind="outcome", year=2020, period=8, value=Decimal("98.00")
    )
    assert VolumeValue.history.count() == count  # the same value: nothing written


def test_staff_figures_locked_through_the_cutoff_and_only_changed_written(year, cast, node):
    controller, jc = cast["controller"], node("JC")
    with pytest.raises(LockedError):
        services.staff_set(
            actor=controller,
            unit=jc,
            kind="outcome",
            year=2020,
            period=4,
            fte=Decimal(10),
            employees=11,
        )
    figure = services.staff_set(
        actor=controller,
        unit=jc,
        kind="outcome",
        year=2020,
        period=8,
        fte=Decimal("10.5"),
        employees=12,
    )
    services.staff_set(
        actor=controller,
        unit=jc,
        kind="outcome",
        year=2020,
        period=8,
        fte=Decimal("10.5"),
        employees=13,
    )
    latest = figure.history.first()
    assert latest.diff_against(latest.prev_record).changed_fields == ["employees"]
    with pytest.raises(PermissionDenied):
        services.staff_set(
            actor=cast["enhetschef"],
            unit=jc,
            kind="budget",
            year=2021,
            fte=Decimal(1),
            employees=1,
        )
    services.staff_set(
        actor=controller, unit=jc, kind="budget", year=2021, fte=Decimal(11), employees=None
    )
    assert StaffFigure.objects.get(kind="budget").fte == Decimal(11)
    services.staff_set(
        actor=controller, unit=jc, kind="budget", year=2021, fte=None, employees=None
    )
    assert not StaffFigure.objects.filter(kind="budget").exists()


def test_the_pages_refuse_another_committees_objects(year, client, cast, node):
    """The object decides: a controller of AVUN posting to a project, an assumption or a
    volume of Socialnämnden changes nothing; a unit manager cannot post staff figures."""
    from styra.calendar.services import event_ensure

    sn_project = services.investment_project_save(
        actor=SYSTEM,
        committee=node("SN"),
        number="3500",
        name="Annan nämnd",
        kind="annual",
        category="inventarier",
    )
    sn_event = event_ensure(actor=SYSTEM, committee=node("SN"), code="2020-D2")
    sn_assumption = services.assumption_save(actor=SYSTEM, event=sn_event, text="SN:s")
    client.force_login(cast["controller"])
    response = client.post(
        f"/administration/investering/{sn_project.pk}/",
        {"del": "plan", "plan-2021": "1", "was-2021": ""},
    )
    assert response.status_code == 403
    assert not InvestmentPlan.objects.filter(project=sn_project).exists()
    response = client.post(
        f"/administration/{node('AVUN').pk}/antaganden/",
        {"handelse": "2020-D2", "antagande": sn_assumption.pk, "text": "Kapad"},
    )
    assert response.status_code == 404
    assert Assumption.objects.get(pk=sn_assumption.pk).text == "SN:s"
    client.force_login(cast["enhetschef"])
    response = client.post(
        f"/administration/{node('JC').pk}/personal/?ar=2021",
        {f"budget-fte-{node('JC').pk}": "5", f"was-budget-fte-{node('JC').pk}": ""},
    )
    assert response.status_code == 403
    assert not StaffFigure.objects.exists()
