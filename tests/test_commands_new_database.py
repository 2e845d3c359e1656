"""Every `styra` command on a database that was never migrated says so in Swedish and exits
2, never with a traceback (one that must read a file first may report the file's errors
instead, exit 1). The invocations are generated from the commands' own parsers
(every verb of styra.cli.COMMANDS, every sub-action, its required arguments filled in), so a
new command is covered without editing this test. They run in one Python process against a
new SQLite file (DATABASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Commands that do not need the tables, and why.
NOT_RUN = {
    "migrate": "creates the tables: the answer to the message",
    "demo": "runs `migrate` itself first, then builds the demo (minutes)",
    "serve": "starts the server with a Swedish warning (the login page needs no tables); "
    "tested in tests/web/test_serve.py",
    "check": "the checker reads files only and never opens the database",
}

# Commands that read an outside source before the database (their input errors come first).
READS_FIRST = {("kolada", "fetch"): "fetches from Kolada (here a closed port on loopback)"}

# Sub-actions that need no database at all: they must simply work.
NO_DATABASE = {("meetings", "dates"): "computes the Local Government Act's dates"}

SCRIPT = r"""
import argparse, contextlib, io, json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "styra.settings"
import django
django.setup()
from django.core.management import get_commands, load_command_class
from styra.cli import COMMANDS, main

not_run = set(json.loads(sys.argv[1]))
dummy_file = sys.argv[2]
commands = get_commands()


def filled(parser):
    args = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        positional = not action.option_strings
        if not (action.required or (positional and action.nargs != 0)):
            continue
        value = action.choices[0] if action.choices else (
            "1" if action.type is int else dummy_file if positional else "AVUN"
        )
        if not positional and action.option_strings[0] in VALUES:
            value = VALUES[action.option_strings[0]]
        if positional and action.dest in ("username", "meeting"):
            value = "2020-09-03" if action.dest == "meeting" else "controller"
        if not positional:
            args.append(action.option_strings[0])
        args.append(str(value))
    return args


VALUES = {"--years": "2020", "--event": "2020-D2", "--kpi": "N00001",
          "--municipality": "0127", "--out": os.path.dirname(dummy_file)}
calls = []
for verb in COMMANDS:
    if verb in not_run:
        continue
    parser = load_command_class(commands[verb], verb).create_parser("styra", verb)
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        calls.append([verb, *filled(parser)] + (["--batch"] if verb == "worker" else []))
        continue
    for name, sub in subs[0].choices.items():
        calls.append([verb, name, *filled(sub)])

out = []
for argv in calls:
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        try:
            code = main(argv)
        except BaseException as exc:  # what a user would see as a traceback
            import traceback
            traceback.print_exc(file=err)
            code = "exception"
    out.append({"argv": argv, "code": code, "stderr": err.getvalue()})
print(json.dumps(out))
"""


def test_every_command_on_a_new_database_says_so_and_exits_2(tmp_path):
    dummy = tmp_path / "fil.yaml"
    dummy.write_text("{}\n", encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ny.sqlite3'}",
        "STYRA_VAR_DIR": str(tmp_path / "var"),
        "STYRA_KOLADA_URL": "http://127.0.0.1:9/",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(sorted(NOT_RUN)), str(dummy)],
        cwd=tmp_path,  # nothing a command writes lands in the repository
        env=env,
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    verbs = {r["argv"][0] for r in results}
    from styra.cli import COMMANDS

    assert verbs == set(COMMANDS) - set(NOT_RUN)
    assert len(results) > 30  # every sub-action, not only the verbs
    said_migrate = 0
    for r in results:
        where = " ".join(r["argv"])
        assert "Traceback" not in r["stderr"], f"{where}:\n{r['stderr']}"
        if tuple(r["argv"][:2]) in NO_DATABASE:
            assert r["code"] == 0, f"{where}: exit {r['code']}\n{r['stderr']}"
            continue
        assert "Fel:" in r["stderr"], f"{where}:\n{r['stderr']}"
        if str(dummy) in r["argv"] or tuple(r["argv"][:2]) in READS_FIRST:
            # A file is read before the database: its errors (exit 1) or the database's.
            assert r["code"] in (1, 2), f"{where}: exit {r['code']}\n{r['stderr']}"
            continue
        assert r["code"] == 2, f"{where}: exit {r['code']}\n{r['stderr']}"
        assert "styra migrate" in r["stderr"], f"{where}:\n{r['stderr']}"
        said_migrate += 1
    assert said_migrate >= 15
