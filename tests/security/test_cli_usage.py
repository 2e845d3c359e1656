"""The `styra` command's answer to a name it does not know: Swedish, exit code 2."""

from __future__ import annotations

import subprocess
import sys


def test_unknown_command_exits_2_in_swedish():
    result = subprocess.run(
        [sys.executable, "-m", "styra.cli", "finnsinte"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "okänt kommando 'finnsinte'" in result.stderr
    assert "Unknown" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_known_command_still_runs(capsys):
    from styra.cli import main

    assert main(["migrate", "--help"]) == 0
    assert "migrate" in capsys.readouterr().out


def test_a_closed_pipe_is_no_traceback(tmp_path):
    """`styra … | head -1`: the reader leaves early; the command ends quietly."""
    import os

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    subprocess.run(
        [sys.executable, "-m", "styra.cli", "migrate", "-v0"], env=env, check=True, timeout=1800
    )
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        [sys.executable, "-m", "styra.cli", "dumpdata", "--indent", "2", "auth", "contenttypes"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=900,
    )
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in result.stderr
    assert "Broken pipe" not in result.stderr
