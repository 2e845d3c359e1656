"""Every `styra` command with hostile arguments and files: no traceback, only the exit codes
0, 1 and 2, and nothing left hanging. The commands and their arguments are read from the
commands' own parsers, so a new command or flag is fuzzed without a change here.

Left out: `serve`, `worker` and `demo` (they start servers that run until stopped); the
checker's device and size limits are the checker's own tests. `kolada fetch` is pointed
at a closed port on loopback (never the real API)."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SKIP = {"serve", "worker", "demo"}
# Values a user might type, valid or nearly: the parsers get them as well as garbage.
PLAUSIBLE = [
    "AVUN",
    "SN",
    "JC",
    "2020-D2",
    "2020",
    "2019-06",
    "delarsrapport",
    "html,pdf",
    "json",
    "unit,row",
    "controller",
    "reader",
    "0",
    "-1",
    "13",
    "99999999999999999999",
    "2020-13",
    "../../../../etc/passwd",
    "/etc/passwd",
    '=HYPERLINK("x")',
    "",
    " ",
    "ÅÄÖ",
    "nan",
    "1e400",
]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
SUFFIXES = [".yaml", ".se", ".si", ".csv", ".txt", ".xlsx", ".docx", ".pdf", ".json", ".zip", ""]


def _alias_bomb() -> bytes:
    """YAML whose aliases expand to 9 × 8^8 strings (a "billion laughs")."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 8) + "]")
    return ("\n".join(lines) + "\n").encode()


def _hostile_files(folder: Path) -> list[str]:
    """Fixed hostile inputs: empty, binary, not UTF-8, one huge line, deep nesting, an alias
    bomb, a directory, a missing file, a ZIP that is not what it claims."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "tom.yaml": b"",
        "binar.se": bytes(range(256)) * 64,
        "latin1.csv": "konto;belopp\n3010;12,5\nkostnadsställe ÅÄÖ\n".encode("latin-1"),
        "lang.txt": b"x" * 2_000_000,
        "djup.yaml": b"[" * 5000 + b"]" * 5000,
        "bomb.yaml": _alias_bomb(),
        "lista.yaml": b"- 1\n- 2\n",
        "falsk.xlsx": b"PK\x03\x04" + os.urandom(300),
        "falsk.docx": b"PK\x05\x06" + b"\x00" * 18,
        "falsk.zip": b"PK\x03\x04 inte en zip",
        "sie.se": '#FLAGGA 0\n#SIETYP 4\n#RAR 0 20200101 20201231\n#VER "" "" 2020\n{\n'
        "#TRANS 3010 {} 1e26\n}\n".encode("cp437"),
        "utf16.csv": "konto;belopp\n3010;1\n".encode("utf-16"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "katalog").mkdir(exist_ok=True)
    return [str(folder / n) for n in files] + [str(folder / "katalog"), str(folder / "saknas.yaml")]


def _parsers():
    """(argv prefix, parser) for every command and subcommand."""
    from django.core.management import get_commands, load_command_class

    from styra.checker.cli import build_parser
    from styra.cli import COMMANDS

    commands = get_commands()
    out = []

    def walk(prefix, parser):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            out.append((prefix, parser))
        for action in subs:
            for name, sub in action.choices.items():
                walk([*prefix, name], sub)

    for name in COMMANDS:
        if name in SKIP:
            continue
        if name == "check":
            walk(["check"], build_parser())
            continue
        command = load_command_class(commands[name], name)
        walk([name], command.create_parser("styra", name))
    return out


PARSERS = None


def parsers():
    global PARSERS
    if PARSERS is None:
        PARSERS = _parsers()
    return PARSERS


@st.composite
def invocations(draw, files, out_dir):
    prefix, parser = draw(st.sampled_from(parsers()))
    value = st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(files), TEXT)
    argv = list(prefix)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue  # help, and Django's hidden debugging flags (--traceback, --pythonpath)
        if action.dest in ("skip_checks",):
            continue
        wanted = action.required or not action.option_strings or draw(st.booleans())
        if not wanted:
            continue
        if action.option_strings:
            argv.append(draw(st.sampled_from(action.option_strings)))
            if action.nargs == 0:
                continue
        if action.dest in ("out", "output", "outdir") and draw(st.booleans()):
            argv.append(str(out_dir))
        elif action.choices and draw(st.booleans()):
            argv.append(str(draw(st.sampled_from(list(action.choices)))))
        else:
            argv.append(draw(value))
        if action.nargs in ("+", "*") and draw(st.booleans()):
            argv.append(draw(value))
    if draw(st.integers(0, 9)) == 0:  # now and then a stray argument
        argv.append(draw(value))
    return argv


def run(argv: list[str]) -> tuple[int, str]:
    """styra ARGV in this process: (exit code, stderr). An exception other than SystemExit
    escapes and fails the test: that would be a traceback for the user."""
    from styra.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse on a bad flag
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code, err.getvalue()


@pytest.fixture
def hostile(tmp_path, settings):
    settings.KOLADA_BASE_URL = "http://127.0.0.1:9/"  # closed port: fetch fails at once
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return _hostile_files(tmp_path / "filer"), tmp_path / "ut"


def test_every_command_is_fuzzed():
    names = {p[0][0] for p in parsers()}
    from styra.cli import COMMANDS

    assert names == set(COMMANDS) - SKIP
    assert len(parsers()) > 30


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
# Commands may use the random module themselves (the demo's generators): not a strategy's.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_no_command_ends_in_a_traceback(demo_org, hostile, monkeypatch, tmp_path):
    files, out_dir = hostile
    monkeypatch.chdir(tmp_path)  # relative paths the commands write land here, not in the repo
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # `user password` reads nothing

    @settings(
        max_examples=int(os.environ.get("STYRA_FUZZ_EXAMPLES", "80")),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(argv=invocations(files, out_dir))
    def check(argv):
        code, err = run(argv)
        assert code in (0, 1, 2), (argv, code, err[-500:])
        assert "Traceback" not in err, (argv, err[-2000:])

    check()
