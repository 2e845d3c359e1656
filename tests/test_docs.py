"""The docs stay honest: the CLI reference is generated from --help and current, every
command and every setting is documented, and the README shows the two commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    from styra.clidocs import DOC, render

    assert DOC.read_text(encoding="utf-8") == render(), "kör: python -m styra.clidocs"


def test_every_command_is_in_the_reference_and_readme():
    from styra.cli import COMMANDS

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        if name == "migrate":
            continue
        assert f"## `styra {name}" in reference, name


def test_every_environment_setting_is_documented():
    settings_text = (ROOT / "styra" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_text))
    install = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in install)
    assert not missing, f"saknas i docs/install.md: {missing}"


def test_readme_gives_the_two_commands_and_ci_runs_the_same_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.count("make test") >= 2 and "DATABASE_URL=" in ci
