"""`styra check FIL`: check a report's numbers. Exit code 0 = no errors, 1 = errors found,
2 = the file could not be read (or wrong usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .api import check_file
from .limits import from_env
from .render import RENDERERS
from .rules import RULES

DESCRIPTION = """\
Kontrollerar siffrorna i en nämndrapport (PDF, DOCX eller text extraherad ur PDF) och listar
varje motsägelse: summor som inte stämmer med sina delar, Netto som inte är Intäkter +
Kostnader, avvikelser som räknats fel, samma belopp som skiljer sig mellan tabeller, belopp och
antal i löptexten som inte stämmer med tabellerna och andelar för kvinnor/män som inte går
ihop. Varje fynd visar var det står (sida, rad, tabell, cell), vilka siffror det gäller och
vad som borde stå.

Skillnader som avrundning av de visade siffrorna kan förklara (högst en halv enhet i sista
siffran per siffra som ingår) räknas inte som fel.
"""

EPILOG = """\
Slutkoder: 0 = inga fel, 1 = fel hittades, 2 = filen kunde inte läsas.

Gränser (miljövariabler, se docs/install.md): STYRA_CHECK_MAX_BYTES, STYRA_CHECK_MAX_LINES,
STYRA_CHECK_MAX_LINE_CHARS, STYRA_CHECK_MAX_PAGES och STYRA_CHECK_MAX_UNPACKED.

Exempel:
  styra check delarsrapport.pdf
  styra check --format json rapport.docx > fynd.json
  styra check --format html -o fynd.html rapport.txt
"""


class _SwedishFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="användning: ")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="styra check",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_SwedishFormatter,
        add_help=False,
    )
    p.add_argument("fil", nargs="+", help="rapport att kontrollera (.pdf, .docx eller .txt)")
    p.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="utdata: text (standard), json eller html",
    )
    p.add_argument("-o", "--utfil", metavar="FIL", help="skriv resultatet till FIL i stället")
    p.add_argument(
        "--regel",
        action="append",
        metavar="NAMN",
        choices=sorted(RULES) or None,
        help="kör bara denna regel (kan anges flera gånger); se --regler",
    )
    p.add_argument("--regler", action="store_true", help="lista reglerna och avsluta")
    p.add_argument(
        "--namn", metavar="NAMN", help="filens namn i utdata och felmeddelanden (en fil i taget)"
    )
    p.add_argument("--bara-fel", action="store_true", help="visa inte varningar")
    p.add_argument("-h", "--help", action="help", help="visa denna hjälp och avsluta")
    p._positionals.title = "argument"
    p._optionals.title = "flaggor"
    return p


def main(argv: list[str] | None = None) -> int:
    from . import rules as _rules  # noqa: F401  (registers the rules)
    from .rules import run_rules  # noqa: F401

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--regler" in argv:
        _load_rules()
        for name, (_f, desc) in RULES.items():
            print(f"{name:18} {desc}")
        return 0
    _load_rules()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    worst = 0
    chunks = []
    limits = from_env()
    for name in args.fil:
        shown = args.namn if args.namn and len(args.fil) == 1 else None
        result = check_file(name, rules=args.regel, limits=limits, name=shown)
        if args.bara_fel:
            result.findings = [f for f in result.findings if f.severity == "fel"]
        chunks.append(RENDERERS[args.format](result))
        worst = max(worst, result.exit_code)
    text = "".join(chunks)
    if args.utfil:
        try:
            Path(args.utfil).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"Kan inte skriva {args.utfil}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return worst


def _load_rules() -> None:
    from .rules import (  # noqa: F401
        columns,
        crossref,
        deviation,
        gender,
        goals,
        prose,
        shape,
        sums,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
