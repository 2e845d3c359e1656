"""The base of every `styra` command: Swedish help, one way to fail, one system actor.

    class Command(StyraCommand):
        def add_arguments(self, parser):
            add_committee_arguments(parser)          # --committee KOD [--kommun KOMMUN]
        def handle(self, *args, **options):
            committee = self.committee(options)      # UsageError -> exit 2
            result = thing_load(actor=self.actor, path=...)   # InputError -> exit 1 or 2

Errors are raised, never printed by hand: `InputError` (styra.lib.errors) prints every
issue with file and line and exits 1 (2 when the file could not be read at all);
`UsageError`, `PermissionDenied` and a bad argument exit 2; a `ValidationError` (a
locked event, a rule) exits 1. `self.fail(...)` and `self.usage(...)` do the same for a
command's own checks. Exit codes: 0 ok, 1 the data has errors, 2 usage or unreadable
input (styra.lib.errors.EXIT_*).
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from styra.lib.errors import EXIT_DATA, EXIT_USAGE, InputError, Issue, UsageError

MAX_ISSUES_SHOWN = 200


class SwedishHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "användning: ")


def swedish(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Swedish headings and help texts for a parser and all its subparsers."""
    parser.formatter_class = SwedishHelpFormatter
    parser._optionals.title = "flaggor"
    parser._positionals.title = "argument"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "visa den här hjälpen och avsluta"
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                swedish(sub)
    return parser


class Fel(CommandError):
    """A command failed. Django prints the class name before the message, so the name
    is the Swedish word the user sees: "Fel: …"."""


def add_municipality_argument(parser, *, required: bool = False, alias: bool = True) -> None:
    """--kommun KOMMUN (also spelled --municipality, as the first commands did)."""
    names = ("--kommun", "--municipality") if alias else ("--kommun",)
    parser.add_argument(
        *names,
        dest="kommun",
        required=required,
        metavar="KOMMUN",
        help="kommunkod, organisationsnummer eller namn (behövs när det finns flera kommuner)",
    )


def add_committee_arguments(parser, *, required: bool = True) -> None:
    """--committee KOD and --kommun KOMMUN (only needed when the code exists in several
    municipalities)."""
    parser.add_argument(
        "--committee",
        "--namnd",
        dest="committee",
        required=required,
        metavar="KOD",
        help="nämndens kod, t.ex. AVUN",
    )
    add_municipality_argument(parser, alias=False)


MIGRATE = "kör `styra migrate` (eller `styra demo`, som gör det själv) och försök igen"


def pending_migrations() -> int:
    """How many migrations the database lacks (0 when it is up to date)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def database_problem() -> str | None:
    """Why the database cannot be used, in Swedish: it cannot be reached, or it is not
    created or not migrated. None when it is fine (a database error then is a bug)."""
    from django.db import connection

    where = connection.settings_dict.get("NAME") or "databasen"
    try:
        missing = pending_migrations()
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"Databasen {where} kan inte nås ({first}). Kontrollera DATABASE_URL."
    if missing:
        return (
            f"Databasen {where} är inte skapad eller inte uppdaterad ({missing} ändringar "
            f"saknas): {MIGRATE}."
        )
    return None


def issue_lines(issues: list[Issue]) -> list[str]:
    lines = [str(i) for i in issues[:MAX_ISSUES_SHOWN]]
    if len(issues) > MAX_ISSUES_SHOWN:
        lines.append(f"… och {len(issues) - MAX_ISSUES_SHOWN} till.")
    return lines


def refusal_summary(exc: InputError) -> str:
    files = sorted({i.file for i in exc.errors} or {i.file for i in exc.issues})
    where = ", ".join(files) if files else "indata"
    if exc.unreadable:
        return f"{where}: filen kunde inte läsas. Inget sparades."
    return f"{where}: {len(exc.errors)} fel. Inget sparades."


class StyraCommand(BaseCommand):
    suppressed_base_arguments = {
        "--version",
        "--verbosity",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def create_parser(self, prog_name, subcommand, **kwargs):
        return swedish(super().create_parser(prog_name, subcommand, **kwargs))

    @property
    def actor(self):
        """The system actor of the command line (styra.org.access.system_actor)."""
        from styra.org.access import system_actor

        return system_actor("cli")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except InputError as exc:
            for line in issue_lines(exc.issues):
                self.stderr.write(line)
            raise Fel(refusal_summary(exc), returncode=exc.exit_code) from exc
        except (UsageError, PermissionDenied) as exc:
            raise Fel(str(exc), returncode=EXIT_USAGE) from exc
        except ValidationError as exc:
            raise Fel(" ".join(exc.messages), returncode=EXIT_DATA) from exc
        except DatabaseError as exc:
            # A new or old database: say so in Swedish instead of a traceback.
            problem = database_problem()
            if problem is None:
                raise
            raise Fel(problem, returncode=EXIT_USAGE) from exc

    def require_database(self) -> None:
        """Refuse to start (exit 2) unless the database is reachable and migrated: for
        commands that run on and on (the worker), where a failure would come much later."""
        problem = database_problem()
        if problem is not None:
            raise Fel(problem, returncode=EXIT_USAGE)

    def fail(self, message: str, code: int = EXIT_DATA) -> NoReturn:
        """Stop: the data has errors (exit 1 unless told otherwise)."""
        raise Fel(message, returncode=code)

    def usage(self, message: str) -> NoReturn:
        """Stop: the command was called wrongly or names what does not exist (exit 2)."""
        raise Fel(message, returncode=EXIT_USAGE)

    def municipality(self, options):
        """The municipality named by --kommun; without it, the only one there is, or, where
        several share the database (the demo has Botkyrka and Stockholm), the first one
        loaded, said on stderr so that nobody works in the wrong one unknowingly."""
        from styra.org.models import Municipality
        from styra.org.selectors import municipality_get

        ref = options.get("kommun")
        if not ref:
            found = list(Municipality.objects.order_by("pk")[:2])
            if len(found) > 1:
                first = found[0]
                self.stderr.write(
                    f"Kommun: {first.name} (den först inlästa; ange --kommun för en annan)."
                )
                return first
        return municipality_get(ref)

    def committee(self, options, key: str = "committee"):
        from styra.org.selectors import committee_find

        return committee_find(options[key], municipality=options.get("kommun"))
