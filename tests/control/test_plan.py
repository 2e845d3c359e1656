"""The internkontrollplan's services: risks with computed values, controls with their
sample rule in numbers, revisions kept as versions, results and actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from styra.control import services
from styra.control.models import Action, Control, ControlResult, Risk
from styra.org.models import Person
from tests.actors import SYSTEM
from tests.conftest import kept_for_the_module, load_demo_org

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _sn_plan_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo organisation and Socialnämnden's plan, built once for the module (each test's
    writes are undone after it: tests.conftest.kept_for_the_module)."""
    import yaml

    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR

    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        municipality = load_demo_org()
        data = yaml.safe_load((DATA_DIR / "control" / "sn-2023.yaml").read_text(encoding="utf-8"))
        plan, _ = demo_control.build_plan(SYSTEM, data)
        yield municipality.pk, plan


@pytest.fixture
def demo_org(_sn_plan_once, db):
    from styra.org.models import Municipality

    return Municipality.objects.get(pk=_sn_plan_once[0])


@pytest.fixture
def sn_plan(_sn_plan_once, demo_org):
    """A fresh copy of the module's plan (tests/control/conftest.py's would build a new one)."""
    plan = _sn_plan_once[1]
    return type(plan).objects.get(pk=plan.pk)


def test_demo_plan_has_seven_risks_eight_controls_and_values_from_the_grades(sn_plan):
    risks = list(sn_plan.risks.all())
    assert len(risks) == 7
    assert [r.value for r in risks] == [12, 12, 9, 9, 9, 9, 12]
    assert all(r.value == r.likelihood * r.consequence for r in risks)
    assert Control.objects.filter(risk__plan=sn_plan).count() == 8
    hr = risks[0]
    assert hr.owner_tag == "KOMMUNÖVERGRIPANDE HR"
    assert (hr.likelihood_label, hr.consequence_label) == ("Möjlig", "Allvarlig")
    bel = hr.controls.get()
    assert (bel.sample_percent, bel.sample_minimum, bel.months) == (Decimal(10), None, [3, 9])
    rep = Control.objects.get(risk__plan=sn_plan, name__startswith="Stickprovskontroll på fakt")
    assert (rep.sample_minimum, rep.sample_per, rep.months) == (15, "kvartal", [3, 6, 9, 12])
    # adopted, then revised in June: two versions, the first frozen as it was
    assert [v.number for v in sn_plan.versions.all()] == [1, 2]
    assert sn_plan.version == 2 and sn_plan.revised_on == dt.date(2023, 6, 13)
    assert len(sn_plan.versions.first().content["risks"]) == 7


def test_demo_is_idempotent(sn_plan):
    import yaml

    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR

    before = (
        Risk.objects.count(),
        Control.objects.count(),
        ControlResult.objects.count(),
        Action.objects.count(),
        sn_plan.versions.count(),
    )
    data = yaml.safe_load((DATA_DIR / "control" / "sn-2023.yaml").read_text(encoding="utf-8"))
    demo_control.build_plan(SYSTEM, data)
    after = (
        Risk.objects.count(),
        Control.objects.count(),
        ControlResult.objects.count(),
        Action.objects.count(),
        sn_plan.versions.count(),
    )
    assert before == after


def test_a_revision_freezes_the_plan_and_later_changes_do_not_touch_it(sn_plan):
    risk = sn_plan.risks.first()
    services.risk_save(
        actor=SYSTEM,
        plan=sn_plan,
        risk=risk,
        area=risk.area,
        name=risk.name,
        likelihood=2,
        consequence=2,
    )
    v3 = services.plan_revise(
        actor=SYSTEM, plan=sn_plan, decided_on=dt.date(2023, 9, 12), note="Lägre sannolikhet"
    )
    assert v3.number == 3 and v3.content["risks"][0]["value"] == 4
    assert sn_plan.versions.get(number=2).content["risks"][0]["value"] == 12
    with pytest.raises(ValidationError, match="före"):
        services.plan_revise(actor=SYSTEM, plan=sn_plan, decided_on=dt.date(2023, 1, 1))


@pytest.mark.parametrize(("s", "k"), [(0, 2), (5, 1), (2, 9)])
def test_a_grade_outside_1_4_is_refused_and_nothing_is_stored(sn_plan, s, k):
    count = Risk.objects.count()
    with pytest.raises(ValidationError, match="1–4"):
        services.risk_save(
            actor=SYSTEM, plan=sn_plan, area="A", name="Ny risk", likelihood=s, consequence=k
        )
    assert Risk.objects.count() == count


def test_bad_months_are_refused(sn_plan):
    with pytest.raises(ValidationError, match="ingen månad"):
        services.control_save(actor=SYSTEM, risk=sn_plan.risks.first(), name="X", months="vår")


def _control(plan):
    return Control.objects.get(risk__plan=plan, name__startswith="Kontroll av fakturor avseende")


def test_result_with_finding_and_action_for_a_person(sn_plan):
    sara = Person.objects.get(user__username="sn-controller")
    control = _control(sn_plan)
    result = services.result_register(
        actor=Person.objects.get(user__username="sn-controller").user,
        control=control,
        performed_on=dt.date(2023, 9, 29),
        checked="Kvartal 3",
        population=230,
        sample_size=20,
        assessment="deficient",
        findings="En uppdelad order.",
        actions=[services.ActionInput("Påminn beställarna", dt.date(2023, 11, 30), sara)],
    )
    action = result.actions.get()
    assert action.responsible == sara and action.due_on == dt.date(2023, 11, 30)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(performed_on=dt.date(2022, 12, 1)), "utanför"),
        (dict(assessment="deficient", findings=""), "iakttagelserna"),
        (dict(assessment="bra"), "bedömningen"),
        (dict(population=5, sample_size=6), "större än populationen"),
        (dict(checked="  "), "Beskriv vad"),
        (dict(actions=[services.ActionInput("Gör", dt.date(2023, 1, 1), None, "Chef")]), "före"),
        (dict(actions=[services.ActionInput("Gör", dt.date(2023, 12, 1))]), "ansvarar"),
    ],
)
def test_a_bad_result_is_refused_and_nothing_is_stored(sn_plan, kwargs, message):
    base = dict(performed_on=dt.date(2023, 9, 1), checked="x", assessment="ok")
    before = (ControlResult.objects.count(), Action.objects.count())
    with pytest.raises(ValidationError, match=message):
        services.result_register(actor=SYSTEM, control=_control(sn_plan), **{**base, **kwargs})
    assert (ControlResult.objects.count(), Action.objects.count()) == before


def test_the_responsible_person_may_enter_a_result_and_close_an_action(sn_plan, django_user_model):
    from styra.org.access import EDIT, can

    secretary = django_user_model.objects.get(username="sn-sekreterare")
    control = _control(sn_plan)
    assert not can(secretary, EDIT, sn_plan.committee)
    with pytest.raises(PermissionDenied):
        services.result_register(
            actor=secretary,
            control=control,
            performed_on=dt.date(2023, 9, 1),
            checked="x",
            assessment="ok",
        )
    control.responsible = Person.objects.get(user=secretary)
    control.save()
    services.result_register(
        actor=secretary,
        control=control,
        performed_on=dt.date(2023, 9, 1),
        checked="x",
        assessment="ok",
    )
    action = Action.objects.get(responsible__user__username="sn-controller")
    with pytest.raises(PermissionDenied):
        services.action_update(actor=secretary, action=action, done_on=dt.date(2023, 10, 1))
    sara = django_user_model.objects.get(username="sn-controller")
    services.action_update(
        actor=sara,
        action=action,
        done_on=dt.date(2023, 10, 1),
        follow_up="Upphandlingen är startad.",
    )
    action.refresh_from_db()
    assert action.done_on == dt.date(2023, 10, 1)
