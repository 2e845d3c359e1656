"""Issue 20 (b): the report template was stored per municipality but authorised per
committee, so a controller of another committee switched off every section of AVUN's
delårsrapport. Templates are now stored and authorised per committee."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from styra.demo.builder import DEMO_PASSWORD
from styra.reports import services
from styra.reports.builders import definition_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sn_controller(demo_org):
    user = get_user_model().objects.get(username="sn-controller")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def test_another_committees_controller_cannot_switch_off_avuns_sections(
    client, node, sn_controller
):
    avun, sn = node("AVUN"), node("SN")
    sections = definition_for(avun, "delarsrapport").sections
    off = {f"enabled-{s.key}": "" for s in sections}
    assert client.login(username="sn-controller", password=DEMO_PASSWORD)
    # The probe: the page of AVUN's template, POSTed by SN's controller …
    response = client.post(reverse("report_template", args=[avun.pk, "delarsrapport"]), off)
    assert response.status_code == 403
    # … and through SN's own page: only SN's template changes.
    client.post(reverse("report_template", args=[sn.pk, "delarsrapport"]), off)
    assert all(s.enabled for s in definition_for(avun, "delarsrapport").sections)
    assert not any(s.enabled for s in definition_for(sn, "delarsrapport").sections)
    with pytest.raises(PermissionDenied):
        services.template_update(
            actor=sn_controller,
            committee=avun,
            report_type="delarsrapport",
            overrides={"sections": {s.key: {"enabled": False} for s in sections}},
        )


def test_each_committee_keeps_its_own_headings(node, cast, sn_controller):
    avun, sn = node("AVUN"), node("SN")
    key = definition_for(avun, "delarsrapport").sections[0].key
    services.template_update(
        actor=cast["controller"],
        committee=avun,
        report_type="delarsrapport",
        overrides={"sections": {key: {"heading": "AVUN:s egen rubrik", "enabled": True}}},
    )
    assert definition_for(avun, "delarsrapport").sections[0].heading == "AVUN:s egen rubrik"
    assert definition_for(sn, "delarsrapport").sections[0].heading != "AVUN:s egen rubrik"
