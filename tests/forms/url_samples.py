"""Sample values for the forms pages' URL parameters (tests/walk.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def samples(node) -> dict:
    from styra.forms import services
    from styra.forms.models import (
        ExternalProject,
        GrantApplication,
        IopAgreement,
        PremisesApplication,
        StrategicProject,
    )
    from tests.actors import SYSTEM

    avun = node("AVUN")
    d1, d2 = dt.date(2020, 1, 1), dt.date(2022, 12, 31)
    project = StrategicProject.objects.filter(
        committee=avun
    ).first() or services.strategic_project_save(
        actor=SYSTEM, committee=avun, year=2020, name="Provprojekt"
    )
    premises = PremisesApplication.objects.filter(committee=avun).first() or services.premises_save(
        actor=SYSTEM, committee=avun, year=2020, address="Provgatan 1", area=Decimal(10),
        contract_end=d2, returned_on=d2, yearly_rent=Decimal(1), amount_applied=Decimal(1),
        covers="Hyra", in_premises_plan=False,
    )  # fmt: skip
    external = ExternalProject.objects.filter(
        committee=avun
    ).first() or services.external_project_save(
        actor=SYSTEM, committee=avun, name="Provprojekt", funder="ESF", role="owner",
        starts=d1, ends=d2, total_budget=Decimal(100),
    )  # fmt: skip
    grant = GrantApplication.objects.filter(
        committee=avun
    ).first() or services.grant_application_save(
        actor=SYSTEM, committee=avun, name="Provbidrag", grantor="Staten", starts=d1, ends=d2,
        amount_sought=Decimal(1),
    )  # fmt: skip
    iop = IopAgreement.objects.filter(committee=avun).first() or services.iop_agreement_save(
        actor=SYSTEM, committee=avun, name="Provavtal", partner="Förening", purpose="Prov",
        starts=d1, ends=d2,
    )  # fmt: skip
    return {
        "project_id": ("AVUN", project.pk),
        "premises_id": ("AVUN", premises.pk),
        "external_id": ("AVUN", external.pk),
        "application_id": ("AVUN", grant.pk),
        "iop_id": ("AVUN", iop.pk),
    }
