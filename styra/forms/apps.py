from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "styra.forms"
    label = "forms"
    verbose_name = "Stadens blanketter och register"

    def ready(self) -> None:
        # The forms are bilagor of the tertial report: blocks registered with the one report
        # registry (forms/blocks.py).
        from styra.calendar.locks import register_approval_check

        from . import blocks  # noqa: F401
        from .selectors import unexplained_project_deviations

        # A tertial with a strategic project whose deviation is not explained (cause and
        # action) can be neither handed to the committee nor approved.
        register_approval_check(unexplained_project_deviations)
