from __future__ import annotations

import pytest


@pytest.fixture
def amn_forms(demo_org):
    """Stockholm (demo) with AMN and its Tertialrapport 1 2021 forms, and AVUN's IOP
    agreement, as the demo builds them."""
    from styra.demo import forms as demo_forms
    from styra.org.services import org_load
    from tests.actors import SYSTEM

    org_load(actor=SYSTEM, path=demo_forms.FOLDER / "stockholm-org.yaml")
    demo_forms.build_city_forms(SYSTEM, demo_forms._read("stockholm-forms.yaml"))
    demo_forms.build_iop(SYSTEM, demo_forms._read("botkyrka-iop.yaml"))
    from styra.org.models import OrgNode

    return OrgNode.objects.get(code="AMN")
