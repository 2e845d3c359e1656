"""Kolada v3 values: parsing the shipped samples, storing them on measures, the CLI."""

from __future__ import annotations

import csv
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.goals import kolada
from tests.conftest import shared_path

from .conftest import FIXTURES

SAMPLE = FIXTURES / "kolada-n01951-0127-2017-2020.json"


def test_parses_the_v3_shape_with_gender_codes():
    values = kolada.parse_file(SAMPLE)
    assert len(values) == 12
    by_key = {(v.period, v.gender): v.value for v in values}
    assert by_key[(2020, "T")] == D("94847.0")
    assert by_key[(2017, "K")] + by_key[(2017, "M")] == by_key[(2017, "T")]
    assert {v.kpi for v in values} == {"N01951"} and {v.municipality for v in values} == {"0127"}


def test_null_value_is_missing_not_zero():
    values = kolada.parse_file(FIXTURES / "kolada-null-and-other-kpi.json")
    total_2021 = [v for v in values if v.period == 2021 and v.gender == "T"]
    assert total_2021[0].value is None


def test_bad_file_lists_every_problem_with_its_place():
    with pytest.raises(kolada.KoladaError) as exc:
        kolada.parse_file(FIXTURES / "kolada-bad.json")
    message = str(exc.value)
    assert "kolada-bad.json: values[0]: kommunkoden '127' ska ha fyra siffror" in message
    assert "values[0].values[0]: kön 'X' ska vara T, K eller M" in message
    assert "values[1]: perioden 'förra året' är inget år" in message
    assert "values[2].values[0]: värdet 'många' är inget tal" in message


def test_truncated_json_names_file_and_line():
    with pytest.raises(kolada.KoladaError, match=r"kolada-truncated.json:3: ogiltig JSON"):
        kolada.parse_file(FIXTURES / "kolada-truncated.json")


def test_not_kolada_data():
    with pytest.raises(kolada.KoladaError, match="inte Koladadata"):
        kolada.parse_payload([{"id": "0127", "title": "Botkyrka", "type": "K"}], "x.json")


def test_years_argument():
    assert kolada.parse_years("2017-2020") == [2017, 2018, 2019, 2020]
    assert kolada.parse_years("2019,2020") == [2019, 2020]
    with pytest.raises(ValueError, match="skriv år"):
        kolada.parse_years("i fjol")


def test_sample_agrees_with_the_real_kolada_values():
    """The shipped sample holds the real values of the shared Kolada dump (K, M and T)."""
    folder = ("external-data", "kolada")
    gender_csv = shared_path(*folder, "ddf-kolada-dump__n01951_by_geo_year_gender_raw.csv")
    total_csv = shared_path(*folder, "ddf-kolada-dump__n01951_by_geo_year_raw.csv")
    real = {}
    with gender_csv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["n01951"]:
                real[(row["geo"], int(row["year"]), row["gender"])] = D(row["n01951"])
    with total_csv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["n01951"]:
                real[(row["geo"], int(row["year"]), "T")] = D(row["n01951"])
    for v in kolada.parse_file(SAMPLE):
        assert real[(v.municipality, v.period, v.gender)] == v.value


@pytest.fixture
def population_measure(demo_org, node):
    from styra.goals.models import Goal, GoalArea, Measure

    area = GoalArea.objects.create(committee=node("AVUN"), number=9, name="Prov")
    goal = Goal.objects.create(
        committee=node("AVUN"), area=area, code="9.1", name="Provmål", responsible_unit=node("GEM")
    )
    return Measure.objects.create(
        goal=goal, code="a", name="Folkmängd", unit="antal", source="kolada",
        kolada_kpi="N01951", gender_meaning="composition", owner_unit=node("GEM"),
    )  # fmt: skip


@pytest.mark.django_db
def test_import_stores_outcomes_per_gender_and_is_idempotent(population_measure, capsys):
    call_command("kolada", "import", str(SAMPLE), "--committee", "AVUN")
    out = capsys.readouterr().out
    assert "12 sparade" in out
    stored = {(o.year, o.gender): o.value for o in population_measure.outcomes.all()}
    assert stored[(2019, "T")] == D(94606) and stored[(2019, "K")] == D(46125)
    assert all(o.source == "kolada" for o in population_measure.outcomes.all())
    call_command("kolada", "import", str(SAMPLE))
    assert "0 sparade, 12 oförändrade" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_year_filter_null_and_unmapped_kpi(population_measure, capsys):
    call_command("kolada", "import", str(FIXTURES / "kolada-null-and-other-kpi.json"))
    out = capsys.readouterr().out
    assert "1 saknas i Kolada" in out
    assert "Inget mått hämtar nyckeltalet N00002" in out
    assert not population_measure.outcomes.filter(year=2021, gender="T").exists()
    call_command("kolada", "import", str(SAMPLE), "--year", "2018")
    assert set(population_measure.outcomes.values_list("year", flat=True)) == {2018, 2021}


@pytest.mark.django_db
def test_import_bad_file_exits_1_and_stores_nothing(population_measure, capsys):
    with pytest.raises(CommandError) as exc:
        call_command("kolada", "import", str(FIXTURES / "kolada-bad.json"))
    assert exc.value.returncode == 1
    assert "kommunkoden '127'" in capsys.readouterr().err
    assert not population_measure.outcomes.exists()


@pytest.mark.django_db
def test_import_missing_file_exits_2(demo_org, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("kolada", "import", str(tmp_path / "finns-inte.json"))
    assert exc.value.returncode == 2


@pytest.mark.django_db
def test_fetch_without_network_says_so_in_swedish(demo_org, monkeypatch):
    # Port 9 on the loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv(kolada.BASE_URL_ENV, "http://127.0.0.1:9/v3")
    with pytest.raises(CommandError) as exc:
        call_command(
            "kolada", "fetch", "--kpi", "N00005", "--municipality", "0127", "--years", "2017-2020"
        )
    assert exc.value.returncode == 2
    message = str(exc.value)
    assert "Kolada kunde inte nås" in message and "styra kolada import" in message
    assert "/data/kpi/N00005/municipality/0127/year/2017,2018,2019,2020" in message


def test_fetch_reads_pages_from_a_local_server(tmp_path):
    """A real HTTP server on the loopback serving the sample in two pages."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(pages.get(self.path, {"values": []})).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}/v3"
    first = "/v3/data/kpi/N01951/municipality/0127/year/2017,2018,2019,2020"
    pages[first] = {"values": data["values"][:2], "next_url": f"{base}/page2"}
    pages["/v3/page2"] = {"values": data["values"][2:], "next_url": None}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        values, raw = kolada.fetch(
            kpi="N01951", municipality="0127", years=[2017, 2018, 2019, 2020], base=base
        )
    finally:
        server.shutdown()
    assert len(raw) == 2 and len(values) == 12
