"""Generates docs/cli.md from the commands' own --help (`python -m styra.clidocs`).

A test checks that docs/cli.md is current, so the CLI reference cannot drift.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _helps(parser: argparse.ArgumentParser, prefix: str):
    yield prefix, parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _helps(sub, f"{prefix} {name}")


def render() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styra.settings")
    import django

    django.setup()
    from django.core.management import load_command_class

    from styra.checker.cli import build_parser
    from styra.cli import COMMANDS, _help

    os.environ["COLUMNS"] = "100"
    out = [
        "# Kommandon\n",
        "Genererad från kommandonas egen `--help` (`python -m styra.clidocs`).\n",
    ]
    out.append("```\n" + _help().rstrip() + "\n```\n")
    apps = {
        "demo": "styra.demo",
        "org": "styra.org",
        "user": "styra.org",
        "ledger": "styra.ledger",
        "finance": "styra.finance",
        "figures": "styra.finance",
        "goals": "styra.goals",
        "kolada": "styra.goals",
        "report": "styra.reports",
        "meetings": "styra.meetings",
        "oparl": "styra.meetings",
        "control": "styra.control",
        "planning": "styra.planning",
        "serve": "styra.web",
        "backup": "styra.web",
        "restore": "styra.web",
        "worker": "styra.tasks",
        "api": "styra.api",
    }
    for name in COMMANDS:
        if name == "check":
            parsers = [("styra check", build_parser().format_help())]
        elif name in apps:
            command = load_command_class(apps[name], name)
            parsers = list(_helps(command.create_parser("styra", name), f"styra {name}"))
        else:
            continue
        for title, text in parsers:
            text = text.replace("usage: styra " + name + " " + name, "usage: styra " + name)
            out.append(f"## `{title}`\n\n```\n{text.rstrip()}\n```\n")
    return "\n".join(out)


def main() -> int:
    DOC.write_text(render(), encoding="utf-8")
    print(f"skrev {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
