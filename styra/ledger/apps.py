from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "styra.ledger"
    label = "ledger"
    verbose_name = "Huvudbok"
