"""The `styra` command: one verb per task, each a thin layer over the services.

    styra demo            bygg demokommunen och starta webbservern
    styra org load FIL    läs in eller uppdatera en organisation
    styra check RAPPORT   granska siffrorna i en rapport från ett annat system
    ...

Exit codes: 0 ok, 1 the data has errors, 2 usage or unreadable input.
"""

from __future__ import annotations

import os
import signal
import sys

COMMANDS = {
    "demo": "Bygg demokommunen (Botkyrka, AVUN) och starta webbservern.",
    "serve": "Starta produktionsservern (gunicorn; statiska filer ingår).",
    "worker": "Kör bakgrundsarbeten ur kön (rapportfiler, importer, skaldata).",
    "migrate": "Skapa eller uppdatera databasens tabeller.",
    "org": "Organisationen: läs in en organisationsfil, visa trädet.",
    "ledger": "Huvudboken: importera SIE- och CSV-filer, visa saldon.",
    "finance": "Ekonomin: budget, rapporttillfällen, prognoser, investeringar, volymer.",
    "figures": "Siffrornas lagrade summor: kontrollera (verify) eller räkna om (rebuild).",
    "goals": "Mål och mått: läs in målfil, visa bedömningar och antal per nivå.",
    "kolada": "Kolada: läs in nyckeltal från fil eller hämta från Koladas API.",
    "report": "Rapporter: bygg delårsrapport, månadsrapport, verksamhetsberättelse.",
    "control": "Intern kontroll: läs in en internkontrollplan från fil.",
    "planning": "Planeringen: påminnelser om statsbidragens tidsgränser per e-post.",
    "meetings": "Sammanträden, ärenden, protokoll och delegationsbeslut.",
    "oparl": "Exportera offentliga sammanträdesdata som OParl 1.1.",
    "check": "Granska siffrorna i en rapport (PDF, DOCX eller text).",
    "user": "Användare: skapa, byt lösenord, ge roller.",
    "api": "Läs-API:t: skapa en API-nyckel åt en användare.",
    "backup": "Säkerhetskopiera databasen och de lagrade filerna till en fil.",
    "restore": "Återställ en säkerhetskopia till en tom databas.",
}

HELP = """Styra: planering, uppföljning och nämndadministration.

Användning: styra KOMMANDO [ARGUMENT ...]

Kommandon:
{commands}

Skriv `styra KOMMANDO --help` för hjälp om ett kommando.
Databas: DATABASE_URL (t.ex. postgres://postgres@127.0.0.1:5432/styra);
utan den används SQLite-filen var/styra.sqlite3.
Slutkoder: 0 = klart, 1 = fel i data, 2 = felaktigt anrop eller oläsbar fil.
"""


def _help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    return HELP.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):
        # On the command line a closed pipe (`styra org tree | head`) ends the command
        # quietly, as it does for any Unix tool, instead of a traceback from the write.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    in_process = argv is not None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_help())
        return 0 if argv else 2
    verb, rest = argv[0], argv[1:]
    if verb == "check":
        # The checker is pure: it needs no database and starts fast.
        from styra.checker.cli import main as check_main

        return check_main(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styra.settings")
    import django
    from django.core.management import ManagementUtility, get_commands

    django.setup()
    if verb not in get_commands():
        print(
            f"styra: okänt kommando {verb!r}. Skriv `styra --help` för en lista över kommandon.",
            file=sys.stderr,
        )
        return 2

    # Django's --settings and --pythonpath options write to os.environ and sys.path; a run
    # inside this process (tests, tasks) must leave both as they were for what comes after.
    saved_settings, saved_path = os.environ.get("DJANGO_SETTINGS_MODULE"), list(sys.path)
    # Django closes every database connection after a command (run_from_argv). Called
    # inside this process (tests, tasks), that would close the caller's connection in the
    # middle of its transaction (PostgreSQL: "the connection is closed"); keep it open.
    from django.db import connections

    if in_process:
        connections.close_all = lambda: None
    try:
        ManagementUtility(["styra", verb, *rest]).execute()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        return 130
    finally:
        if in_process:
            del connections.close_all
        os.environ["DJANGO_SETTINGS_MODULE"] = saved_settings or "styra.settings"
        sys.path[:] = saved_path
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
