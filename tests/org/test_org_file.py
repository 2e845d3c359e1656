import datetime as dt
import textwrap

import pytest

from styra.lib.errors import InputError
from styra.lib.orgnr import luhn_valid, normalise_org_number
from styra.org.access import system_actor
from styra.org.models import DimensionMapping, OrgNode, RoleGrant
from styra.org.readers import read_org_file
from styra.org.services import org_load

SYSTEM = system_actor("test")

GOOD = """\
municipality:
  name: Testkommun
  org_number: 212000-2882
nodes:
  - code: N1
    kind: committee
    name: Testnämnden
    short_name: TN
    diarium_prefix: TNX
    valid_from: 2019-01-01
    children:
      - code: U1
        kind: unit
        name: Enhet ett
        dimensions:
          - {years: 2019-2020, ansvar: ["100", "101"]}
      - code: U2
        kind: unit
        name: Enhet två
        valid_to: 2019-12-31
people:
  - name: Eva Ekonom
    username: eva
    roles: [{node: N1, role: controller}]
"""


def write(tmp_path, text, name="org.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_org_number_luhn():
    assert luhn_valid("2120002882")
    assert not luhn_valid("2120002883")
    assert normalise_org_number("2120002882") == "212000-2882"
    with pytest.raises(ValueError, match="kontrollsiffra"):
        normalise_org_number("212000-2883")
    with pytest.raises(ValueError, match="organisationsnummer"):
        normalise_org_number("12-34")


@pytest.mark.django_db
def test_org_load_builds_tree_mappings_and_roles(tmp_path):
    result = org_load(actor=SYSTEM, path=write(tmp_path, GOOD))
    assert result.created == 3
    unit = OrgNode.objects.get(code="U1")
    assert unit.parent.code == "N1"
    assert unit.committee().short_name == "TN"
    assert unit.valid_from == dt.date(2019, 1, 1)  # inherited from the committee
    codes = set(DimensionMapping.objects.filter(node=unit).values_list("year", "dimension", "code"))
    assert codes == {(y, "ansvar", c) for y in (2019, 2020) for c in ("100", "101")}
    assert RoleGrant.objects.get(user__username="eva").role == "controller"
    # U2 is closed at the end of 2019: present in 2019, gone in 2020.
    assert set(OrgNode.objects.valid_in_year(2019).values_list("code", flat=True)) == {
        "N1",
        "U1",
        "U2",
    }
    assert "U2" not in set(OrgNode.objects.valid_in_year(2020).values_list("code", flat=True))


@pytest.mark.django_db
def test_org_load_again_updates_without_duplicates(tmp_path):
    org_load(actor=SYSTEM, path=write(tmp_path, GOOD))
    changed = GOOD.replace("name: Enhet ett", "name: Enhet ett (nytt namn)")
    result = org_load(actor=SYSTEM, path=write(tmp_path, changed))
    assert (result.created, result.updated) == (0, 1)
    assert OrgNode.objects.count() == 3
    assert OrgNode.objects.get(code="U1").name == "Enhet ett (nytt namn)"
    assert DimensionMapping.objects.count() == 4
    # Every change is recorded with its before and after.
    history = OrgNode.objects.get(code="U1").history.order_by("history_date")
    assert [h.name for h in history] == ["Enhet ett", "Enhet ett (nytt namn)"]


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (GOOD.replace("212000-2882", "212000-2883"), 3, "kontrollsiffra"),
        (
            GOOD.replace(
                "kind: unit\n        name: Enhet två", "kind: enhet\n        name: Enhet två"
            ),
            18,
            "okänd typ",
        ),
        (GOOD.replace("name: Enhet ett", "namn: Enhet ett"), 14, "okänt fält 'namn'"),
        (GOOD.replace("code: U2", "code: U1"), 17, "finns redan på rad 12"),
        (GOOD.replace("valid_to: 2019-12-31", "valid_to: 2018-12-31"), 20, "före valid_from"),
        (GOOD.replace("role: controller", "role: kung"), 24, "okänd roll"),
        (GOOD.replace("{node: N1,", "{node: X9,"), 24, "finns inte i filen"),
        (GOOD.replace("years: 2019-2020", "years: 2019 till 2020"), 16, "years"),
        (GOOD.replace("    children:\n", "    children: [\n", 1), 12, "ogiltig YAML"),
    ],
)
def test_bad_org_file_names_line_and_problem(tmp_path, broken, line, words):
    plan, errors = read_org_file(write(tmp_path, broken))
    assert plan is None
    assert any(e.line == line and words in e.message for e in errors), errors
    assert all(e.file.endswith("org.yaml") for e in errors)


@pytest.mark.django_db
def test_bad_org_file_stores_nothing(tmp_path):
    org_load(actor=SYSTEM, path=write(tmp_path, GOOD))
    broken = GOOD.replace("name: Enhet ett", "name: Ändrat").replace("role: controller", "role: x")
    with pytest.raises(InputError):
        org_load(actor=SYSTEM, path=write(tmp_path, broken))
    assert OrgNode.objects.get(code="U1").name == "Enhet ett"


def test_dimension_code_claimed_twice_is_an_error(tmp_path):
    text = GOOD.replace(
        "        name: Enhet två\n",
        "        name: Enhet två\n"
        "        dimensions:\n"
        '          - {years: 2020, ansvar: ["100"]}\n',
    )
    _, errors = read_org_file(write(tmp_path, text))
    assert any("ansvar 100 år 2020 är redan kopplad till U1" in e.message for e in errors), errors
