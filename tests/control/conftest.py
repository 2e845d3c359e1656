from __future__ import annotations

import pytest
import yaml


@pytest.fixture
def sn_plan(demo_org):
    """Socialnämnden's internkontrollplan 2023 as the demo builds it."""
    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR
    from tests.actors import SYSTEM

    data = yaml.safe_load((DATA_DIR / "control" / "sn-2023.yaml").read_text(encoding="utf-8"))
    plan, _ = demo_control.build_plan(SYSTEM, data)
    return plan


@pytest.fixture
def sn_evb(demo_org):
    """Socialnämnden's ej verkställda beslut, quarters 2022-K1 … 2023-K2, as in the demo."""
    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR
    from tests.actors import SYSTEM

    data = yaml.safe_load((DATA_DIR / "control" / "sn-evb-2023.yaml").read_text(encoding="utf-8"))
    demo_control.build_unexecuted(SYSTEM, data)
    return data


def person_marks(data) -> list[str]:
    """Every way a demo person could show up: names, identity numbers with and without
    the dash and century, and the case references."""
    marks = []
    for d in data["decisions"]:
        pnr = str(d["pnr"])
        marks += [d["name"], pnr, pnr.replace("-", ""), pnr[2:], pnr[2:].replace("-", ""), d["ref"]]
        marks.append(d["name"].split()[-1])  # the invented surnames are unique words
    return marks


@pytest.fixture
def sn_audit(demo_org):
    """Socialnämnden's answer to the auditors as in the demo (yttrande produced)."""
    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR
    from tests.actors import SYSTEM

    data = yaml.safe_load(
        (DATA_DIR / "control" / "sn-revision-2023.yaml").read_text(encoding="utf-8")
    )
    return demo_control.build_audit(SYSTEM, data)
