"""`styra control load FIL`: an internkontrollplan from YAML. Errors name file and line and
store nothing (exit 1; 2 when the file cannot be read); loading again changes nothing."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from styra.cli import main
from styra.control.models import Control, ControlPlan, PlanVersion, Risk

pytestmark = pytest.mark.django_db

PLAN = """\
# Provplan, skriven för testet
committee: SN
year: 2024
introduction: Planen för året.
adopted_on: 2023-12-12
revisions:
  - {decided_on: 2024-06-11, note: En kontroll läggs till.}
area: Område 1 - Ekonomi
risks:
  - name: Fakturor betalas utan giltig attest
    owner: KOMMUNÖVERGRIPANDE REDOVISNING
    s: 3
    k: 4
    motivation: Attesten är nämndens främsta skydd.
    controls:
      - name: Stickprov på attesterade fakturor
        method: Stickprov
        sample: minst 15 verifikationer per kvartal
        months: kvartalsvis
        role: Ekonomichef
        responsible: sn-controller
      - name: Genomgång av attesträtter
        months: [2, 8]
  - name: Personuppgifter lämnas ut till obehöriga
    area: Område 2 - Informationssäkerhet
    likelihood: 2
    consequence: 4
    controls:
      - name: Loggkontroll i verksamhetssystemet
        sample: 10 procent av alla ärenden
        months: mars och oktober
"""


def _write(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_plan_is_loaded_and_loading_again_changes_nothing(demo_org, tmp_path, capsys):
    path = _write(tmp_path, PLAN)
    assert main(["control", "load", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Internkontrollplan 2024 – Socialnämnden: 2 risker, 3 kontroller, version 2" in out
    plan = ControlPlan.objects.get(committee__code="SN", year=2024)
    risks = list(plan.risks.order_by("order"))
    assert [(r.area, r.likelihood, r.consequence, r.value) for r in risks] == [
        ("Område 1 - Ekonomi", 3, 4, 12),
        ("Område 2 - Informationssäkerhet", 2, 4, 8),
    ]
    assert risks[0].owner_tag == "KOMMUNÖVERGRIPANDE REDOVISNING"
    first, second = risks[0].controls.order_by("order")
    assert (first.months, first.sample_minimum, first.responsible.user.username) == (
        [3, 6, 9, 12],
        15,
        "sn-controller",
    )
    assert second.months == [2, 8]
    (third,) = risks[1].controls.all()
    assert (third.months, third.sample_percent) == ([3, 10], 10)
    assert [(v.number, v.decided_on) for v in plan.versions.order_by("number")] == [
        (1, dt.date(2023, 12, 12)),
        (2, dt.date(2024, 6, 11)),
    ]
    assert plan.adopted_on == dt.date(2023, 12, 12)

    counts = (Risk.objects.count(), Control.objects.count(), PlanVersion.objects.count())
    history = Risk.history.count() if hasattr(Risk, "history") else None
    assert main(["control", "load", str(path)]) == 0
    assert (Risk.objects.count(), Control.objects.count(), PlanVersion.objects.count()) == counts
    assert "version 2." in capsys.readouterr().out
    if history is not None:
        assert Risk.history.count() >= history


BAD = """\
committee: SN
year: 2024
area: Område 1
färg: blå
risks:
  - name: Risk ett
    s: 5
    k: 2
    controls:
      - name: Kontroll
        months: vår
  - name: Risk ett
    s: 2
  - name: Risk tre
    s: 1
    k: 1
    controls:
      - name: Kontroll med okänd ansvarig
        months: 3
"""


UNKNOWN_PERSON = """\
committee: SN
year: 2024
area: Område 1
risks:
  - name: Risk tre
    s: 1
    k: 1
    controls:
      - name: Kontroll med okänd ansvarig
        months: 3
        responsible: ingen-sadan
"""


def test_every_error_is_named_with_its_line_and_nothing_is_stored(demo_org, tmp_path, capsys):
    path = _write(tmp_path, BAD)
    assert main(["control", "load", str(path)]) == 1
    err = capsys.readouterr().err
    for where, what in [
        (4, "okänd nyckel 'färg'"),
        (7, "sannolikhet 5 finns inte"),
        (11, "'vår' är ingen månad"),
        (12, "risken finns redan på rad 6"),
        (12, "'consequence' (konsekvens 1–4) saknas"),
    ]:
        assert f"{path}:{where}: " in err and what in err, (where, what, err)
    assert "Inget sparades" in err
    assert not ControlPlan.objects.exists()

    # structure right, but a person who does not exist: named with its line
    path = _write(tmp_path, UNKNOWN_PERSON)
    assert main(["control", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:11: ingen person har användarnamnet 'ingen-sadan'" in err
    assert not ControlPlan.objects.exists()


def test_a_rule_broken_late_in_the_file_stores_nothing(demo_org, tmp_path, capsys):
    # the revision is dated before the adoption: refused by plan_revise after the risks
    path = _write(tmp_path, PLAN.replace("decided_on: 2024-06-11", "decided_on: 2023-01-01"))
    assert main(["control", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:7: " in err and "kan inte ligga före" in err
    assert not ControlPlan.objects.exists() and not Risk.objects.exists()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("committee: SN\nyear: 2024\nrisks: [\n", 4, "ogiltig YAML"),
        ("committee: XYZ\nyear: 2024\nrisks: []\n", 1, "XYZ"),
        ("- bara en lista\n", 1, "YAML-mappning"),
    ],
)
def test_bad_files(demo_org, tmp_path, capsys, text, line, message):
    path = _write(tmp_path, text)
    assert main(["control", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}: " in err and message in err


def test_an_unreadable_file_exits_2(demo_org, tmp_path, capsys):
    assert main(["control", "load", str(tmp_path / "saknas.yaml")]) == 2
    assert "kan inte läsa filen" in capsys.readouterr().err
