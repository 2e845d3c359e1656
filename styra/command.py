"""The base of every `styra` command: Swedish help, no Django plumbing options shown."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand


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
