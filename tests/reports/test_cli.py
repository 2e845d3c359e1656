"""styra report build|check|finalise: files, messages, exit codes 0/1/2."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.reports import services

pytestmark = pytest.mark.django_db


def test_build_writes_the_chosen_formats(d2, tmp_path, capsys):
    tmp_path = tmp_path / "ut"
    call_command(
        "report",
        "build",
        "--committee",
        "AVUN",
        "--event",
        "2020-D2",
        "--format",
        "html,json,txt",
        "--out",
        str(tmp_path),
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "avun-2020-d2-delarsrapport.html",
        "avun-2020-d2-delarsrapport.json",
        "avun-2020-d2-delarsrapport.txt",
    ]
    out = capsys.readouterr().out
    assert "Nämnden prognostiserar ett överskott på 13,5 mkr." in out


def test_build_monthly_report_from_month_code(report_data, tmp_path):
    call_command(
        "report",
        "build",
        "--committee",
        "AVUN",
        "--event",
        "2020-06",
        "--format",
        "txt",
        "--out",
        str(tmp_path),
    )
    text = (tmp_path / "avun-2020-06-manadsrapport.txt").read_text(encoding="utf-8")
    assert "Resultaträkning Nämnd, tkr" in text and "Totalsumma" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--committee", "XX", "--event", "2020-D2"], "Nämnden 'XX' finns inte"),
        (["--committee", "AVUN", "--event", "2020-X9"], "ingen rapporteringshändelse"),
        (["--committee", "AVUN", "--event", "2021-D1"], "inget rapporttillfälle"),
        (["--committee", "AVUN", "--event", "2020-D2", "--format", "odt"], "Okänt format odt"),
        (["--committee", "AVUN", "--event", "2020-D2", "--type", "x"], "Okänd rapporttyp"),
    ],
)
def test_usage_errors_exit_2(d2, tmp_path, args, message):
    with pytest.raises(CommandError, match=message) as exc:
        call_command("report", "build", *args, "--out", str(tmp_path))
    assert exc.value.returncode == 2


def test_contradicting_prose_exits_1_but_writes_files(d2, node, cast, tmp_path, capsys):
    services.narrative_save(
        actor=cast["controller"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("DV"),
        text="Daglig verksamhet prognostiserar ett överskott på 8 mkr.",
    )
    with pytest.raises(CommandError) as exc:
        call_command(
            "report",
            "build",
            "--committee",
            "AVUN",
            "--event",
            "2020-D2",
            "--format",
            "txt",
            "--out",
            str(tmp_path),
        )
    assert exc.value.returncode == 1
    assert "8 mkr" in capsys.readouterr().err
    assert (tmp_path / "avun-2020-d2-delarsrapport.txt").exists()
    with pytest.raises(CommandError) as exc:
        call_command("report", "finalise", "--committee", "AVUN", "--event", "2020-D2")
    assert exc.value.returncode == 1


def test_help_is_swedish():
    from styra.reports.management.commands.report import Command

    parser = Command().create_parser("styra", "report")
    text = parser.format_help()
    assert "Rapporter: bygg" in text and "flaggor" in text
