from pathlib import Path

from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "styra.control"
    label = "control"
    verbose_name = "Intern kontroll och register"

    def ready(self) -> None:
        # The control papers are report types of the one report registry: their
        # definitions live in control/reports/, their blocks in control/blocks.py.
        from styra.reports import definitions

        definitions.register_folder(Path(__file__).resolve().parent / "reports")
        from . import blocks  # noqa: F401  (registers the blocks)
