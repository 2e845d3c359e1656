"""The `styra meetings` and `styra oparl` commands: output and exit codes."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_dates_command_prints_the_law_dates(capsys):
    call_command(
        "meetings", "dates", "2019-05-24", "--justerat", "2019-06-03", "--anslag", "2019-06-04"
    )
    out = capsys.readouterr().out
    assert "Justeras senast:         2019-06-07" in out
    assert "Anslaget tas ner:        2019-06-25" in out


def test_dates_command_exits_1_when_justerat_before_meeting():
    with pytest.raises(CommandError) as exc:
        call_command("meetings", "dates", "2020-09-10", "--justerat", "2020-09-01")
    assert exc.value.returncode == 1 and "före sammanträdet" in str(exc.value)


def test_dates_command_exits_2_on_a_bad_date():
    with pytest.raises(CommandError) as exc:
        call_command("meetings", "dates", "10/9 2020")
    assert exc.value.returncode == 2


@pytest.mark.django_db
def test_load_reports_file_and_line_and_stores_nothing(demo_org, tmp_path, capsys):
    from styra.meetings.models import Case

    bad = tmp_path / "fel.yaml"
    bad.write_text(
        "committee: AVUN\ncases:\n  - dnr: AVUX/2020:1\n    title: Ett\n"
        "  - dnr: 2020-2\n    title: Två\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("meetings", "load", str(bad))
    assert exc.value.returncode == 1
    assert f"{bad}:5:" in capsys.readouterr().err
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_oparl_export_writes_the_system_object(demo_org, tmp_path):
    call_command("oparl", "export", "--out", str(tmp_path), "--base-url", "https://s.example")
    system = json.loads((tmp_path / "system.json").read_text())
    assert system["id"] == "https://s.example/oparl/"
    assert (tmp_path / "body" / f"{demo_org.pk}.json").exists()
