from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "styra.finance"
    label = "finance"
    verbose_name = "Ekonomi"

    def ready(self) -> None:
        from styra.calendar.locks import on_lock
        from styra.ledger.aggregates import outcome_changed

        from .aggregates import on_outcome_changed
        from .figures import freeze_event, unfreeze_event

        on_lock(locked=freeze_event, reopened=unfreeze_event)
        outcome_changed.connect(on_outcome_changed, dispatch_uid="finance.budget_months")
