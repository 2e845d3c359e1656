"""The forms' edit pages share one flow (styra.forms.views._edit): a form with errors or a
save the service refuses shows the page again with status 400 and saves nothing; a valid
form saves and goes to the record; "ready" is refused with the service's reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model

from styra.forms import services
from styra.forms.models import GrantApplication, IopAgreement, PremisesApplication, StrategicProject
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db

AMOUNTS = (
    "accumulated_cost", "accumulated_revenue", "budget_cost", "budget_revenue",
    "forecast_cost", "forecast_revenue", "decided_cost", "decided_revenue",
    "forecast_total_cost", "forecast_total_revenue",
)  # fmt: skip
PROJECT = {"name": "Ny skola", **{f: "0" for f in AMOUNTS}}


@pytest.fixture
def controller(client, demo_org):
    client.force_login(get_user_model().objects.get(username="controller"))
    return client


def test_a_project_form_with_errors_saves_nothing_and_a_valid_one_saves(controller, node):
    avun = node("AVUN")
    url = f"/blanketter/{avun.pk}/2021/projekt/ny/"
    assert controller.get(url).status_code == 200
    bad = controller.post(url, {**PROJECT, "budget_cost": "tio"})
    assert bad.status_code == 400
    assert "Formuläret har fel; se fälten nedan. Inget sparades." in bad.content.decode()
    assert not StrategicProject.objects.filter(committee=avun).exists()

    good = controller.post(url, PROJECT, follow=True)
    project = StrategicProject.objects.get(committee=avun, name="Ny skola")
    assert good.redirect_chain[-1][0] == f"/blanketter/projekt/{project.pk}/"
    assert "Ny skola är sparat." in good.content.decode()
    assert (project.year, project.budget_cost) == (2021, D(0))


def test_a_project_that_needs_a_cause_is_refused_ready_with_the_reason(controller, node):
    avun = node("AVUN")
    project = services.strategic_project_save(
        actor=SYSTEM, committee=avun, year=2021, name="Sen skola",
        decided_end=dt.date(2021, 6, 30), forecast_end=dt.date(2022, 6, 30),
    )  # fmt: skip
    url = f"/blanketter/projekt/{project.pk}/"
    refused = controller.post(url, {"ready": "1"})
    assert refused.status_code == 400
    project.refresh_from_db()
    assert not project.ready
    services.strategic_project_save(
        actor=SYSTEM, committee=avun, year=2021, project=project, name="Sen skola",
        decided_end=dt.date(2021, 6, 30), forecast_end=dt.date(2022, 6, 30),
        cause="Entreprenören gick i konkurs", action="Ny upphandling",
    )  # fmt: skip
    done = controller.post(url, {"ready": "1"}, follow=True)
    assert "Sen skola är klarmarkerat för 2021." in done.content.decode()
    project.refresh_from_db()
    assert project.ready


def test_a_grant_that_does_not_add_up_is_refused_ready_with_the_problems(controller, node):
    avun = node("AVUN")
    grant = services.grant_application_save(
        actor=SYSTEM, committee=avun, name="Provbidrag", grantor="Staten",
        starts=dt.date(2021, 1, 1), ends=dt.date(2021, 12, 31), amount_sought=D(1000),
    )  # fmt: skip
    problems = grant.amounts_check().problems
    assert problems
    refused = controller.post(f"/blanketter/bidrag/{grant.pk}/", {"ready": "1"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Ansökan kan inte markeras klar:" in page
    grant.refresh_from_db()
    assert grant.status != GrantApplication.Status.READY


def test_an_iop_agreement_is_saved_once_and_a_refused_one_not_at_all(controller, node):
    avun = node("AVUN")
    url = f"/blanketter/{avun.pk}/iop/ny/"
    data = {
        "a-name": "Läxhjälp", "a-partner": "Föreningen", "a-purpose": "Stöd",
        "a-starts": "2021-01-01", "a-ends": "2020-12-31",
    }  # fmt: skip
    before = IopAgreement.objects.count()
    refused = controller.post(url, data)  # ends before it starts
    assert refused.status_code == 400
    assert "Inget sparades." in refused.content.decode()
    assert IopAgreement.objects.count() == before
    saved = controller.post(url, {**data, "a-ends": "2022-12-31"}, follow=True)
    agreement = IopAgreement.objects.get(name="Läxhjälp")
    assert saved.redirect_chain[-1][0] == f"/blanketter/iop/{agreement.pk}/"
    assert "IOP-avtalet Läxhjälp är sparat." in saved.content.decode()


def test_a_premises_form_with_errors_saves_nothing(controller, node):
    avun = node("AVUN")
    bad = controller.post(f"/blanketter/{avun.pk}/2021/lokal/ny/", {"address": "Provgatan 1"})
    assert bad.status_code == 400
    assert "Formuläret har fel" in bad.content.decode()
    assert not PremisesApplication.objects.filter(committee=avun).exists()
