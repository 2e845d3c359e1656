from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "styra.planning"
    label = "planning"
    verbose_name = "Planering"

    def ready(self) -> None:
        from pathlib import Path

        from styra.reports.definitions import register_folder

        from . import blocks  # noqa: F401  (registers the yttrande's report blocks)

        register_folder(Path(__file__).resolve().parent / "definitions")
