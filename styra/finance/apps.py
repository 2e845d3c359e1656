from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "styra.finance"
    label = "finance"
    verbose_name = "Ekonomi"
